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

package emulator

import (
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator/state"
)

// TestTaskLifecycle creates, fetches, updates, lists and deletes a task over
// REST; the harness checks every answer against the spec.
func TestTaskLifecycle(t *testing.T) {
	h := newHarness(t, Config{})
	base := "/v1/Workspaces/" + h.mustCreate("/v1/Workspaces", vals("FriendlyName", "tasks", "Template", "FIFO")).str("sid")
	created := h.mustCreate(base+"/Tasks", vals("Attributes", `{"type":"call"}`, "Priority", "3", "Timeout", "600", "TaskChannel", "voice"))
	sid := created.str("sid")
	if !state.IsSID(sid, "WT") || created.header.Get("ETag") != `"1"` {
		t.Fatalf("created task sid %q etag %q", sid, created.header.Get("ETag"))
	}
	got := pick(created.body, "assignment_status", "priority", "timeout", "task_channel_unique_name", "task_queue_friendly_name",
		"workflow_friendly_name", "attributes", "age")
	want := map[string]any{"assignment_status": "pending", "priority": 3.0, "timeout": 600.0, "task_channel_unique_name": "voice",
		"task_queue_friendly_name": "Sample Queue", "workflow_friendly_name": "Default Fifo Workflow",
		"attributes": `{"type":"call"}`, "age": 0.0}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("created task (-want +got):\n%s", d)
	}
	item := base + "/Tasks/" + sid
	if f := h.call(http.MethodGet, item, nil); f.status != http.StatusOK || f.str("sid") != sid {
		t.Fatalf("fetch: %d %s", f.status, f.raw)
	}
	updated := h.call(http.MethodPost, item, vals("Priority", "9", "AssignmentStatus", "canceled", "Reason", "hung up"))
	if d := cmp.Diff(map[string]any{"priority": 9.0, "assignment_status": "canceled", "reason": "hung up"},
		pick(updated.body, "priority", "assignment_status", "reason")); d != "" || updated.status != http.StatusOK {
		t.Errorf("update: %d (-want +got):\n%s", updated.status, d)
	}
	list := h.call(http.MethodGet, base+"/Tasks", vals("AssignmentStatus", "canceled"))
	records, _ := list.body["tasks"].([]any)
	if len(records) != 1 || records[0].(map[string]any)["attributes"] != nil {
		t.Errorf("list canceled: want the one task with null attributes: %s", list.raw)
	}
	if empty := h.call(http.MethodGet, base+"/Tasks", vals("AssignmentStatus", "pending,reserved")); len(empty.body["tasks"].([]any)) != 0 {
		t.Errorf("list pending,reserved: want none: %s", empty.raw)
	}
	if del := h.call(http.MethodDelete, item, nil); del.status != http.StatusNoContent {
		t.Fatalf("delete: %d", del.status)
	}
	if gone := h.call(http.MethodGet, item, nil); gone.status != http.StatusNotFound {
		t.Fatalf("fetch after delete: %d", gone.status)
	}
}

// TestTaskRules answers 400 (20001) to what TaskRouter refuses.
func TestTaskRules(t *testing.T) {
	h := newHarness(t, Config{})
	ws := h.workspace("rules")
	base := "/v1/Workspaces/" + ws
	q := h.mustCreate(base+"/TaskQueues", vals("FriendlyName", "q")).str("sid")
	config := `{"task_routing":{"default_filter":{"queue":"` + q + `"}}}`
	wf1 := h.mustCreate(base+"/Workflows", vals("FriendlyName", "one", "Configuration", config)).str("sid")
	h.mustCreate(base+"/Workflows", vals("FriendlyName", "two", "Configuration", config))
	pending := h.mustCreate(base+"/Tasks", vals("WorkflowSid", wf1)).str("sid")
	cases := []struct {
		name, method, path string
		params             []string
	}{
		{"two workflows and no WorkflowSid", http.MethodPost, base + "/Tasks", nil},
		{"unknown workflow", http.MethodPost, base + "/Tasks", []string{"WorkflowSid", "WW00000000000000000000000000000000"}},
		{"attributes not an object", http.MethodPost, base + "/Tasks", []string{"WorkflowSid", wf1, "Attributes", "[1]"}},
		{"timeout too long", http.MethodPost, base + "/Tasks", []string{"WorkflowSid", wf1, "Timeout", "1209601"}},
		{"negative priority", http.MethodPost, base + "/Tasks", []string{"WorkflowSid", wf1, "Priority", "-1"}},
		{"unknown channel", http.MethodPost, base + "/Tasks", []string{"WorkflowSid", wf1, "TaskChannel", "fax"}},
		{"pending cannot complete", http.MethodPost, base + "/Tasks/" + pending, []string{"AssignmentStatus", "completed"}},
		{"pending cannot be assigned through the task", http.MethodPost, base + "/Tasks/" + pending, []string{"AssignmentStatus", "assigned"}},
		{"unknown status", http.MethodPost, base + "/Tasks/" + pending, []string{"AssignmentStatus", "done"}},
		{"queue with a waiting task", http.MethodDelete, base + "/TaskQueues/" + q, nil},
		{"bad status filter", http.MethodGet, base + "/Tasks", []string{"AssignmentStatus", "lost"}},
		{"bad ordering", http.MethodGet, base + "/Tasks", []string{"Ordering", "Age:up"}},
	}
	for _, tc := range cases {
		got := h.call(tc.method, tc.path, vals(tc.params...))
		if got.status != http.StatusBadRequest || got.code() != CodeInvalidParameter {
			t.Errorf("%s: status %d code %d, want 400 20001: %s", tc.name, got.status, got.code(), got.raw)
		}
	}
	stale := h.call(http.MethodPost, base+"/Tasks/"+pending, vals("Priority", "1"))
	if stale.status != http.StatusOK {
		t.Fatalf("update: %d", stale.status)
	}
	conflict := h.callAs(h.emu.cfg.AccountSID, h.emu.cfg.AuthToken, http.MethodPost, base+"/Tasks/"+pending,
		vals("Priority", "2"), http.Header{"If-Match": {`"1"`}})
	if conflict.status != http.StatusPreconditionFailed {
		t.Errorf("stale If-Match: status %d, want 412", conflict.status)
	}
}
