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

package openapi

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const (
	ws = "/v1/Workspaces/WSaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	wq = ws + "/TaskQueues/WQaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	wk = ws + "/Workers/WKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	ww = ws + "/Workflows/WWaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	wa = ws + "/Activities/WAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
)

func TestEmbeddedCatalogueLoads(t *testing.T) {
	c := Load()
	if got, want := len(c.Operations), 61; got != want {
		t.Errorf("operations = %d, want %d", got, want)
	}
	if Load() != c {
		t.Error("Load parsed the catalogue twice")
	}
	queue, ok := c.Schemas["taskrouter.v1.workspace.task_queue"]
	if !ok {
		t.Fatal("no task_queue schema")
	}
	if diff := cmp.Diff([]string{"FIFO", "LIFO"}, queue.PropertyEnums["task_order"]); diff != "" {
		t.Errorf("task_order enum (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"FIFO", "LIFO"}, c.Schemas["task_queue_enum_task_order"].Enum); diff != "" {
		t.Errorf("task_queue_enum_task_order (-want +got):\n%s", diff)
	}
	for _, prop := range []string{"sid", "friendly_name", "target_workers", "max_reserved_workers", "task_order", "links"} {
		if !strings.Contains(strings.Join(queue.Properties, " "), prop) {
			t.Errorf("task_queue schema lacks %s", prop)
		}
	}
}

func TestParseRejectsCorruptCatalogues(t *testing.T) {
	for _, data := range []string{``, `{`, `{}`, `{"operations": []}`} {
		if _, err := Parse([]byte(data)); err == nil {
			t.Errorf("Parse(%q) succeeded, want an error", data)
		}
	}
}

func TestOperationMatchesConcretePaths(t *testing.T) {
	tests := []struct {
		method, path string
		wantID       string // "" means not found
	}{
		{"GET", "/v1/Workspaces", "ListWorkspace"},
		{"POST", "/v1/Workspaces", "CreateWorkspace"},
		{"GET", ws, "FetchWorkspace"},
		{"post", ws, "UpdateWorkspace"},
		{"DELETE", wq, "DeleteTaskQueue"},
		{"GET", wq + "/Statistics", "FetchTaskQueueStatistics"},
		{"GET", ws + "/TaskQueues/Statistics", "ListTaskQueuesStatistics"},
		{"POST", ws + "/TaskQueues/RealTimeStatistics", "CreateTaskQueueBulkRealTimeStatistics"},
		{"GET", ws + "/Workers/Statistics", "FetchWorkerStatistics"},
		{"GET", ws + "/Workers/CumulativeStatistics", "FetchWorkersCumulativeStatistics"},
		{"GET", wk + "/Statistics", "FetchWorkerInstanceStatistics"},
		{"GET", ww + "/RealTimeStatistics", "FetchWorkflowRealTimeStatistics"},
		{"GET", ws + "/CumulativeStatistics", "FetchWorkspaceCumulativeStatistics"},
		{"POST", wa, "UpdateActivity"},
		{"GET", "https://taskrouter.twilio.com" + ws + "/Workers?PageSize=50&Page=1", "ListWorker"},
		{"GET", ws + "/TaskQueues?FriendlyName=support", "ListTaskQueue"},
		{"GET", ws + "/TaskQueues/", "ListTaskQueue"},
		// A literal path beats {Sid} even when it lacks the method.
		{"GET", ws + "/TaskQueues/RealTimeStatistics", ""},
		{"PUT", wq, ""},
		{"GET", "/v1/Workspaces//TaskQueues", ""},
		{"GET", "/v1/Workspace", ""},
		{"GET", wq + "/Tasks", ""},
		{"GET", "/v2/Workspaces", ""},
	}
	c := Load()
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			op, ok := c.Operation(tt.method, tt.path)
			got := ""
			if ok {
				got = op.OperationID
			}
			if got != tt.wantID {
				t.Fatalf("Operation = %q, want %q", got, tt.wantID)
			}
		})
	}
}

func TestOperationByIDAndMethods(t *testing.T) {
	c := Load()
	op, ok := c.OperationByID("UpdateWorker")
	if !ok || op.PathTemplate != "/v1/Workspaces/{WorkspaceSid}/Workers/{Sid}" || op.Method != "POST" {
		t.Fatalf("OperationByID(UpdateWorker) = %+v, %v", op, ok)
	}
	if _, ok := c.OperationByID("UpdateNothing"); ok {
		t.Error("OperationByID found an unknown id")
	}
	if diff := cmp.Diff([]string{"DELETE", "GET", "POST"}, c.Methods(wk)); diff != "" {
		t.Errorf("Methods (-want +got):\n%s", diff)
	}
	if got := c.Methods("/v1/Nothing"); got != nil {
		t.Errorf("Methods(unknown) = %v, want nil", got)
	}
}

func TestListResponsesNameTheirRecords(t *testing.T) {
	want := map[string]string{
		"ListWorkspace":            "workspaces",
		"ListActivity":             "activities",
		"ListTaskQueue":            "task_queues",
		"ListWorkflow":             "workflows",
		"ListWorker":               "workers",
		"ListTaskQueuesStatistics": "task_queues_statistics",
	}
	got := map[string]string{}
	for id := range want {
		op, ok := Load().OperationByID(id)
		if !ok {
			t.Fatalf("no operation %s", id)
		}
		got[id] = op.Responses[200].ListKey
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("list keys (-want +got):\n%s", diff)
	}
}

func BenchmarkOperation(b *testing.B) {
	c := Load()
	for b.Loop() {
		if _, ok := c.Operation("GET", wq+"/RealTimeStatistics"); !ok {
			b.Fatal("not found")
		}
	}
}

func FuzzOperation(f *testing.F) {
	for _, seed := range []string{ws, wq + "/Statistics", "/", "", "?", "https://x/v1/Workspaces", "/v1//", "%zz"} {
		f.Add("GET", seed)
	}
	c := Load()
	f.Fuzz(func(t *testing.T, method, path string) {
		op, ok := c.Operation(method, path)
		if ok && (op == nil || !strings.EqualFold(op.Method, method)) {
			t.Fatalf("Operation(%q, %q) = %+v", method, path, op)
		}
		// CheckRequest must explain itself rather than panic on any input.
		if err := c.CheckRequest(method, path, nil, nil); !ok && err == nil {
			t.Fatalf("CheckRequest accepted an unknown operation %s %q", method, path)
		}
	})
}
