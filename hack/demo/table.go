/*
Copyright 2026 The taskrouter-operator Authors.

Licensed under the Apache License, Version 2.0 (the "License");
you may not use this file except in compliance with the License.
You may obtain a copy of the License at

    http://www.apache.org/licenses/LICENSE-2.0

Unless required by applicable law or agreed to in writing, software
distributed under the License is distributed on an "AS IS" BASIS,
WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
See the License for the specific language governing permissions and
limitations under the License.
*/

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"text/tabwriter"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/rest"
)

// kinds in the order `kubectl get taskrouter` lists them.
var kinds = []struct{ kind, plural string }{
	{"workspace", "workspaces"}, {"activity", "activities"}, {"taskqueue", "taskqueues"},
	{"workflow", "workflows"}, {"worker", "workers"},
}

// printTables prints what `kubectl get taskrouter` shows: the API server renders
// each kind's printer columns as a Table, so the output is kubectl's without kubectl.
func printTables(ctx context.Context, c *cluster) error {
	httpClient, err := rest.HTTPClientFor(c.config)
	if err != nil {
		return err
	}
	fmt.Println()
	fmt.Printf("$ kubectl get taskrouter\n")
	for _, k := range kinds {
		table, err := getTable(ctx, httpClient, c.config.Host, k.plural)
		if err != nil {
			return err
		}
		writeTable(os.Stdout, k.kind, table)
		fmt.Println()
	}
	return nil
}

func getTable(ctx context.Context, hc *http.Client, host, plural string) (*metav1.Table, error) {
	url := fmt.Sprintf("%s/apis/taskrouter.operator.dev/v1alpha1/namespaces/%s/%s", strings.TrimRight(host, "/"), namespace, plural)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io")
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("list %s: %s: %s", plural, resp.Status, body)
	}
	var table metav1.Table
	if err := json.Unmarshal(body, &table); err != nil {
		return nil, fmt.Errorf("decode %s table: %w", plural, err)
	}
	return &table, nil
}

func writeTable(out io.Writer, kind string, t *metav1.Table) {
	w := tabwriter.NewWriter(out, 0, 8, 3, ' ', 0)
	var header []string
	var cols []int
	for i, col := range t.ColumnDefinitions {
		if col.Priority == 0 {
			header = append(header, strings.ToUpper(col.Name))
			cols = append(cols, i)
		}
	}
	fmt.Fprintln(w, strings.Join(header, "\t"))
	for _, row := range t.Rows {
		var cells []string
		for _, i := range cols {
			cell := fmt.Sprint(row.Cells[i])
			if row.Cells[i] == nil {
				cell = ""
			}
			if i == 0 {
				cell = kind + ".taskrouter.operator.dev/" + cell
			}
			cells = append(cells, cell)
		}
		fmt.Fprintln(w, strings.Join(cells, "\t"))
	}
	w.Flush()
}
