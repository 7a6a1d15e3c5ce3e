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
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestExportErrors(t *testing.T) {
	c := newContactCenter(t)
	tests := []struct {
		name string
		args []string
		want result
	}{
		{"no --workspace", []string{"export"},
			result{2, "", "error: --workspace is required: the workspace's SID (WS...) or its friendly name\n"}},
		{"an unknown workspace", []string{"export", "--workspace", "Acme"},
			result{1, "", `error: no workspace named "Acme" in account AC00000000000000000000000000000001: give its exact friendly name or its SID (WS...)` + "\n"}},
		{"an argument", []string{"export", "Acme Support"},
			result{2, "", `error: unknown command "Acme Support" for "kubectl taskrouter export"` + "\nSee 'kubectl taskrouter export --help' for usage.\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, c.run(t, "", tt.args...), cmp.AllowUnexported(result{})); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	got := runPlugin(t, "", nil, "export", "--workspace", "Acme Support", "--taskrouter-base-url", c.url)
	if !strings.HasPrefix(got.errOut, "error: no TaskRouter credentials: pass --credentials") || got.code != 1 {
		t.Errorf("without credentials: %+v", got)
	}
}

// --dir writes one file per kind and a kustomization, the same resources as the stream.
func TestExportDir(t *testing.T) {
	c := newContactCenter(t)
	dir := filepath.Join(t.TempDir(), "out")
	got := c.run(t, "", "export", "--workspace", "Acme Support", "--workers", "--dir", dir)
	want := result{0, "wrote 1 Workspace, 5 Activities, 2 TaskChannels, 3 TaskQueues, 1 Workflow, 4 Workers to " + dir + " (7 files); apply with: kubectl apply -k " + dir + "\n", ""}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(result{})); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	var joined []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	for _, name := range []string{"workspace.yaml", "activities.yaml", "taskchannels.yaml", "taskqueues.yaml", "workflows.yaml", "workers.yaml"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		joined = append(joined, string(data))
	}
	if diff := cmp.Diff([]string{"activities.yaml", "kustomization.yaml", "taskchannels.yaml", "taskqueues.yaml", "workers.yaml", "workflows.yaml", "workspace.yaml"},
		slices.Sorted(slices.Values(names))); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	stream := c.run(t, "", "export", "--workspace", "Acme Support", "--workers")
	_, body, _ := strings.Cut(stream.out, "\napiVersion:")
	if diff := cmp.Diff("apiVersion:"+body, strings.Join(joined, "---\n")); diff != "" {
		t.Errorf("the files differ from the stream (-stream +files):\n%s", diff)
	}
}
