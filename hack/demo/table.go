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
	"sigs.k8s.io/controller-runtime/pkg/client"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
)

// kinds in the order `kubectl get taskrouter` lists them.
var kinds = []struct{ kind, plural string }{
	{"workspace", "workspaces"}, {"activity", "activities"}, {"taskqueue", "taskqueues"},
	{"workflow", "workflows"}, {"worker", "workers"}, {"taskchannel", "taskchannels"},
}

// workerChannelsCommand is what printWorkerChannels shows, as kubectl would print it.
const workerChannelsCommand = `kubectl get workers -o custom-columns='NAME:.metadata.name,CHANNELS:.status.channels[*].uniqueName,` +
	`CAPACITY:.status.channels[*].configuredCapacity,ASSIGNED:.status.channels[*].assignedTasks,FREE%:.status.channels[*].availableCapacityPercentage'`

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
	return printWorkerChannels(ctx, c)
}

// printWorkerChannels shows each agent's capacity per channel, as the custom columns of
// workerChannelsCommand do (a list's values joined by commas).
func printWorkerChannels(ctx context.Context, c *cluster) error {
	var workers trv1.WorkerList
	if err := c.client.List(ctx, &workers, client.InNamespace(namespace)); err != nil {
		return err
	}
	fmt.Printf("$ %s\n", workerChannelsCommand)
	w := tabwriter.NewWriter(os.Stdout, 0, 8, 3, ' ', 0)
	fmt.Fprintln(w, "NAME\tCHANNELS\tCAPACITY\tASSIGNED\tFREE%")
	for _, wk := range workers.Items {
		var names, capacity, assigned, free []string
		for _, ch := range wk.Status.Channels {
			names = append(names, ch.UniqueName)
			capacity = append(capacity, fmt.Sprint(ch.ConfiguredCapacity))
			assigned = append(assigned, fmt.Sprint(ch.AssignedTasks))
			free = append(free, fmt.Sprint(ch.AvailableCapacityPercentage))
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", wk.Name, orNone(names), orNone(capacity), orNone(assigned), orNone(free))
	}
	return w.Flush()
}

// orNone is what kubectl's custom columns print for an empty list.
func orNone(values []string) string {
	if len(values) == 0 {
		return "<none>"
	}
	return strings.Join(values, ",")
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
