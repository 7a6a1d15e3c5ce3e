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
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// rulesFixture is a workspace with a queue a workflow targets and a worker.
type rulesFixture struct {
	ws, queue, workflow, worker, available string
}

func newRulesFixture(h *harness) rulesFixture {
	ws := h.workspace("rules")
	base := "/v1/Workspaces/" + ws
	f := rulesFixture{ws: ws}
	f.queue = h.mustCreate(base+"/TaskQueues", vals("FriendlyName", "support")).str("sid")
	f.workflow = h.mustCreate(base+"/Workflows", vals("FriendlyName", "main",
		"Configuration", `{"task_routing":{"default_filter":{"queue":"`+f.queue+`"}}}`)).str("sid")
	f.worker = h.mustCreate(base+"/Workers", vals("FriendlyName", "Alice")).str("sid")
	for _, a := range h.emu.Admin().Activities(ws) {
		if a.FriendlyName == "Available" {
			f.available = a.SID
		}
	}
	return f
}

// TestRules checks each rule TaskRouter enforces: the status, the Twilio code and
// a message that says what is wrong.
func TestRules(t *testing.T) {
	h := newHarness(t, Config{})
	f := newRulesFixture(h)
	base := "/v1/Workspaces/" + f.ws
	offline := h.emu.Admin().Workspaces()[0].DefaultActivitySID
	unknownWA := "WA" + strings.Repeat("0", 32)
	routing := func(doc string) url.Values { return vals("FriendlyName", "wf", "Configuration", doc) }
	target := func(extra string) string {
		return `{"task_routing":{"filters":[{"expression":"1==1","targets":[{"queue":"` + f.queue + `"` + extra + `}]}]}}`
	}
	cases := []struct {
		name, method, path string
		params             url.Values
		status, code       int
		message            string
	}{
		{"missing FriendlyName", "POST", "/v1/Workspaces", nil, 400, 20001, "Missing required parameter FriendlyName"},
		{"FriendlyName too long", "POST", base + "/TaskQueues", vals("FriendlyName", strings.Repeat("q", 65)), 400, 20001, "maximum is 64"},
		{"duplicate TaskQueue", "POST", base + "/TaskQueues", vals("FriendlyName", "support"), 400, 20001, "already exists"},
		{"duplicate Worker any case", "POST", base + "/Workers", vals("FriendlyName", "ALICE"), 400, 20001, "already exists"},
		{"duplicate Activity", "POST", base + "/Activities", vals("FriendlyName", "Offline"), 400, 20001, "already exists"},
		{"Activity Available is immutable", "POST", base + "/Activities/" + offline, vals("Available", "true"), 400, 20001, "cannot be changed"},
		{"MaxReservedWorkers 0", "POST", base + "/TaskQueues/" + f.queue, vals("MaxReservedWorkers", "0"), 400, 20001, "between 1 and 50"},
		{"MaxReservedWorkers 51", "POST", base + "/TaskQueues", vals("FriendlyName", "q51", "MaxReservedWorkers", "51"), 400, 20001, "between 1 and 50"},
		{"TaskReservationTimeout 0", "POST", base + "/Workflows/" + f.workflow, vals("TaskReservationTimeout", "0"), 400, 20001, "between 1 and 86400"},
		{"TaskReservationTimeout 86401", "POST", base + "/Workflows/" + f.workflow, vals("TaskReservationTimeout", "86401"), 400, 20001, "between 1 and 86400"},
		{"TargetWorkers syntax", "POST", base + "/TaskQueues", vals("FriendlyName", "bad", "TargetWorkers", "languages HAS"), 400, 20001, "at position 13"},
		{"TaskOrder enum", "POST", base + "/TaskQueues", vals("FriendlyName", "x", "TaskOrder", "RANDOM"), 400, 20001, "FIFO, LIFO"},
		{"boolean", "POST", "/v1/Workspaces", vals("FriendlyName", "x", "MultiTaskEnabled", "maybe"), 400, 20001, "not a boolean"},
		{"Template enum", "POST", "/v1/Workspaces", vals("FriendlyName", "x", "Template", "LIFO"), 400, 20001, "NONE, FIFO"},
		{"Configuration missing", "POST", base + "/Workflows", vals("FriendlyName", "wf"), 400, 20001, "Configuration"},
		{"Configuration not JSON", "POST", base + "/Workflows", routing("task_routing:"), 400, 20001, "not a valid workflow document"},
		{"Configuration over 1 MB", "POST", base + "/Workflows", routing(`{"task_routing":{}}` + strings.Repeat(" ", 1<<20)), 400, 20001, "maximum is 1048576"},
		{"Configuration without task_routing", "POST", base + "/Workflows", routing(`{}`), 400, 20001, "task_routing"},
		{"Configuration unknown key", "POST", base + "/Workflows", routing(`{"task_routing":{"default_filter":{"task_queue_sid":"x"}}}`), 400, 20001, "task_queue_sid"},
		{"filter without targets", "POST", base + "/Workflows", routing(`{"task_routing":{"filters":[{"expression":"1==1"}]}}`), 400, 20001, "at least one target"},
		{"filter expression syntax", "POST", base + "/Workflows", routing(`{"task_routing":{"filters":[{"expression":"a ==","targets":[{"queue":"` + f.queue + `"}]}]}}`), 400, 20001, "at position"},
		{"target expression root", "POST", base + "/Workflows", routing(target(`,"expression":"level > 2"`)), 400, 20001, "must start with"},
		{"skip_if root", "POST", base + "/Workflows", routing(target(`,"skip_if":"worker.available == 0"`)), 400, 20001, "workers."},
		{"order_by direction", "POST", base + "/Workflows", routing(target(`,"order_by":"worker.level UP"`)), 400, 20001, "ASC or DESC"},
		{"target queue unknown", "POST", base + "/Workflows", routing(`{"task_routing":{"default_filter":{"queue":"WQ` + strings.Repeat("0", 32) + `"}}}`), 400, 20001, "is not a TaskQueue"},
		{"Attributes not an object", "POST", base + "/Workers", vals("FriendlyName", "x", "Attributes", "[1]"), 400, 20001, "JSON object"},
		{"Attributes not JSON", "POST", base + "/Workers/" + f.worker, vals("Attributes", "{nope"), 400, 20001, "JSON object"},
		{"Attributes over 4096", "POST", base + "/Workers", vals("FriendlyName", "x", "Attributes", `{"a":"`+strings.Repeat("x", 4096)+`"}`), 400, 20001, "maximum is 4096"},
		{"ActivitySid unknown", "POST", base + "/Workers", vals("FriendlyName", "x", "ActivitySid", unknownWA), 400, 20001, "is not an Activity"},
		{"ReservationActivitySid unknown", "POST", base + "/TaskQueues/" + f.queue, vals("ReservationActivitySid", unknownWA), 400, 20001, "is not an Activity"},
		{"AssignmentActivitySid unknown", "POST", base + "/TaskQueues", vals("FriendlyName", "x", "AssignmentActivitySid", unknownWA), 400, 20001, "is not an Activity"},
		{"DefaultActivitySid unknown", "POST", "/v1/Workspaces/" + f.ws, vals("DefaultActivitySid", unknownWA), 400, 20001, "is not an Activity"},
		{"TimeoutActivitySid unknown", "POST", "/v1/Workspaces/" + f.ws, vals("TimeoutActivitySid", "nope"), 400, 20001, "is not an Activity"},
		{"EventCallbackUrl not a URL", "POST", "/v1/Workspaces/" + f.ws, vals("EventCallbackUrl", "ftp:/x"), 400, 20001, "not a valid http"},
		{"PageSize 0", "GET", base + "/Workers", vals("PageSize", "0"), 400, 20001, "between 1 and 1000"},
		{"PageSize 1001", "GET", "/v1/Workspaces", vals("PageSize", "1001"), 400, 20001, "between 1 and 1000"},
		{"delete default activity", "DELETE", base + "/Activities/" + offline, nil, 400, 20001, "default activity"},
		{"delete targeted queue", "DELETE", base + "/TaskQueues/" + f.queue, nil, 400, 20001, "targets it"},
		{"unknown workspace", "GET", "/v1/Workspaces/WS" + strings.Repeat("f", 32), nil, 404, 20404, "not found"},
		{"unknown worker", "POST", base + "/Workers/WK" + strings.Repeat("f", 32), vals("FriendlyName", "x"), 404, 20404, "not found"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h.t = t
			got := h.call(tc.method, tc.path, tc.params)
			if got.status != tc.status || got.code() != tc.code || !strings.Contains(got.str("message"), tc.message) {
				t.Errorf("got %d %d %q, want %d %d containing %q", got.status, got.code(), got.str("message"), tc.status, tc.code, tc.message)
			}
			if got.str("more_info") != "https://www.twilio.com/docs/errors/"+strconv.Itoa(tc.code) {
				t.Errorf("more_info = %q", got.str("more_info"))
			}
		})
	}
}

// TestDeleteRules checks deletions TaskRouter refuses and the cascade of a
// workspace delete.
func TestDeleteRules(t *testing.T) {
	h := newHarness(t, Config{})
	f := newRulesFixture(h)
	base := "/v1/Workspaces/" + f.ws
	if err := h.emu.Admin().SetWorkerActivity(f.ws, f.worker, f.available); err != nil {
		t.Fatal(err)
	}
	busy := h.call(http.MethodDelete, base+"/Activities/"+f.available, nil)
	if busy.status != http.StatusBadRequest || !strings.Contains(busy.str("message"), f.worker) {
		t.Errorf("delete activity a worker is in: %d %q, want 400 naming %s", busy.status, busy.str("message"), f.worker)
	}
	if del := h.call(http.MethodDelete, base+"/Workflows/"+f.workflow, nil); del.status != http.StatusNoContent {
		t.Fatalf("delete workflow: %d", del.status)
	}
	if del := h.call(http.MethodDelete, base+"/TaskQueues/"+f.queue, nil); del.status != http.StatusNoContent {
		t.Errorf("delete queue no workflow targets: %d, want 204: %s", del.status, del.raw)
	}
	if del := h.call(http.MethodDelete, "/v1/Workspaces/"+f.ws, nil); del.status != http.StatusNoContent {
		t.Fatalf("delete workspace: %d", del.status)
	}
	if n := len(h.emu.Admin().Activities(f.ws)) + len(h.emu.Admin().Workers(f.ws)); n != 0 {
		t.Errorf("%d objects survived their workspace", n)
	}
	if got := h.call(http.MethodGet, base+"/Workers/"+f.worker, nil); got.status != http.StatusNotFound {
		t.Errorf("worker of deleted workspace: %d, want 404", got.status)
	}
}

// TestPerWorkspaceLimits checks the 100 activities and 5,000 task queues limits.
func TestPerWorkspaceLimits(t *testing.T) {
	h := newHarness(t, Config{})
	ws := h.workspace("limits")
	admin := h.emu.Admin()
	for i := len(admin.Activities(ws)); i < maxActivities; i++ {
		if _, err := admin.CreateActivity(ws, vals("FriendlyName", "a"+strconv.Itoa(i))); err != nil {
			t.Fatalf("activity %d: %v", i, err)
		}
	}
	got := h.call(http.MethodPost, "/v1/Workspaces/"+ws+"/Activities", vals("FriendlyName", "one too many"))
	if got.status != http.StatusBadRequest || !strings.Contains(got.str("message"), "maximum of 100") {
		t.Errorf("101st activity: %d %q, want 400 maximum of 100", got.status, got.str("message"))
	}
	for i := 0; i < maxTaskQueues; i++ {
		if _, err := admin.CreateTaskQueue(ws, vals("FriendlyName", "q"+strconv.Itoa(i))); err != nil {
			t.Fatalf("queue %d: %v", i, err)
		}
	}
	got = h.call(http.MethodPost, "/v1/Workspaces/"+ws+"/TaskQueues", vals("FriendlyName", "one too many"))
	if got.status != http.StatusBadRequest || !strings.Contains(got.str("message"), "maximum of 5000") {
		t.Errorf("5001st queue: %d %q, want 400 maximum of 5000", got.status, got.str("message"))
	}
}
