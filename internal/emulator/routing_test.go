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
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// routingFixture is a workspace with four queues, a worker "sam" (sales, level 3,
// available) and two workflows: "main" with filters and a default filter, and
// "bare" without a default filter.
type routingFixture struct {
	admin                         *Admin
	ws                            string
	sales, support, vip, fallback string
	main, bare                    string
}

func newRoutingFixture(t *testing.T) routingFixture {
	admin := New(Config{}).Admin()
	ws, err := admin.CreateWorkspace(url.Values{"FriendlyName": {"routing"}})
	if err != nil {
		t.Fatal(err)
	}
	queue := func(name, target string) string {
		q, err := admin.CreateTaskQueue(ws.SID, url.Values{"FriendlyName": {name}, "TargetWorkers": {target}})
		if err != nil {
			t.Fatal(err)
		}
		return q.SID
	}
	sales, support, vip, fallback := queue("sales", `skills HAS "sales"`), queue("support", `skills HAS "support"`),
		queue("vip", "1==1"), queue("fallback", "1==1")
	available := ""
	for _, a := range admin.Activities(ws.SID) {
		if a.FriendlyName == "Available" {
			available = a.SID
		}
	}
	if _, err := admin.CreateWorker(ws.SID, url.Values{"FriendlyName": {"sam"}, "Attributes": {`{"skills":["sales"],"level":3}`},
		"ActivitySid": {available}}); err != nil {
		t.Fatal(err)
	}
	r := strings.NewReplacer("SALES", sales, "SUPPORT", support, "VIP", vip, "FALLBACK", fallback)
	withDefault := r.Replace(`{"task_routing":{"filters":[
		{"expression":"type == \"sales\"","targets":[{"queue":"SALES","priority":5}]},
		{"expression":"type IN [\"sales\",\"support\"]","targets":[{"queue":"SUPPORT"}]},
		{"expression":"type == \"skip\"","targets":[{"queue":"SUPPORT","skip_if":"workers.available == 0"},{"queue":"VIP"}]},
		{"expression":"type == \"skipall\"","targets":[{"queue":"SUPPORT","skip_if":"workers.available == 0"}]},
		{"expression":"type == \"noskip\"","targets":[{"queue":"SALES","skip_if":"workers.available == 0"},{"queue":"VIP"}]},
		{"expression":"type == \"senior\"","targets":[{"queue":"SALES","expression":"worker.level > task.level"}]}
	],"default_filter":{"queue":"FALLBACK"}}}`)
	noDefault := r.Replace(`{"task_routing":{"filters":[{"expression":"type == \"sales\"","targets":[{"queue":"SALES"}]}]}}`)
	workflow := func(name, config string) string {
		wf, err := admin.CreateWorkflow(ws.SID, url.Values{"FriendlyName": {name}, "Configuration": {config}})
		if err != nil {
			t.Fatal(err)
		}
		return wf.SID
	}
	return routingFixture{admin: admin, ws: ws.SID, sales: sales, support: support, vip: vip, fallback: fallback,
		main: workflow("main", withDefault), bare: workflow("bare", noDefault)}
}

// TestRoutingTable routes tasks through workflows and checks the queue,
// priority and status each one ends up with.
func TestRoutingTable(t *testing.T) {
	f := newRoutingFixture(t)
	sales, support, vip, fallback, main, bare := f.sales, f.support, f.vip, f.fallback, f.main, f.bare
	type outcome struct {
		Queue    string
		Priority int
		Status   string
	}
	cases := []struct {
		name, workflow, attrs string
		priority              string
		want                  outcome
	}{
		// sam (sales, level 3) is free and available until the first task reserves him.
		{"target expression excludes a junior worker", main, `{"type":"senior","level":5}`, "", outcome{sales, 0, TaskPending}},
		{"first matching filter wins", main, `{"type":"sales","level":1}`, "", outcome{sales, 5, TaskReserved}},
		{"explicit priority beats the target's", main, `{"type":"sales","level":9}`, "7", outcome{sales, 7, TaskPending}},
		{"second filter when the first does not match", main, `{"type":"support"}`, "", outcome{support, 0, TaskPending}},
		{"default filter when none matches", main, `{"type":"billing"}`, "", outcome{fallback, 0, TaskPending}},
		{"skip_if passes over a target without available workers", main, `{"type":"skip"}`, "", outcome{vip, 0, TaskPending}},
		{"every target skipped: default filter", main, `{"type":"skipall"}`, "", outcome{fallback, 0, TaskPending}},
		{"skip_if false keeps the target", main, `{"type":"noskip"}`, "", outcome{sales, 0, TaskPending}},
		{"no filter and no default filter: no queue", bare, `{"type":"other"}`, "", outcome{"", 0, TaskPending}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := url.Values{"WorkflowSid": {tc.workflow}, "Attributes": {tc.attrs}}
			if tc.priority != "" {
				p.Set("Priority", tc.priority)
			}
			task, err := f.admin.CreateTask(f.ws, p)
			if err != nil {
				t.Fatal(err)
			}
			got := outcome{task.TaskQueueSID, task.Priority, task.AssignmentStatus}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("routing (-want +got):\n%s", d)
			}
		})
	}
}

// TestReservationFollowsAvailability offers a waiting task to the first
// eligible worker who becomes available, and not to one who rejected it.
func TestReservationFollowsAvailability(t *testing.T) {
	admin := New(Config{}).Admin()
	ws, _ := admin.CreateWorkspace(url.Values{"FriendlyName": {"offer"}, "Template": {"FIFO"}})
	acts := map[string]string{}
	for _, a := range admin.Activities(ws.SID) {
		acts[a.FriendlyName] = a.SID
	}
	ann, _ := admin.CreateWorker(ws.SID, url.Values{"FriendlyName": {"ann"}})
	ben, _ := admin.CreateWorker(ws.SID, url.Values{"FriendlyName": {"ben"}})
	task, err := admin.CreateTask(ws.SID, url.Values{}) // the workspace's only workflow routes it
	if err != nil {
		t.Fatal(err)
	}
	status := func() (string, string) {
		got, _ := admin.Task(ws.SID, task.SID)
		return got.AssignmentStatus, got.WorkerSID
	}
	steps := []struct {
		name                 string
		act                  func() error
		wantStatus, wantWork string
	}{
		{"nobody available", func() error { return nil }, TaskPending, ""},
		{"ann goes available", func() error { return admin.SetWorkerActivity(ws.SID, ann.SID, acts["Available"]) }, TaskReserved, ann.SID},
		{"ann rejects; ben is offline", func() error { return admin.RejectReservation(ws.SID, task.SID) }, TaskPending, ""},
		{"ann is not offered it again", func() error { return admin.SetWorkerActivity(ws.SID, ann.SID, acts["Unavailable"]) }, TaskPending, ""},
		{"ben goes available", func() error { return admin.SetWorkerActivity(ws.SID, ben.SID, acts["Available"]) }, TaskReserved, ben.SID},
		{"ben accepts", func() error { return admin.AcceptReservation(ws.SID, task.SID) }, TaskAssigned, ben.SID},
	}
	for _, step := range steps {
		if err := step.act(); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		gotStatus, gotWorker := status()
		if gotStatus != step.wantStatus || gotWorker != step.wantWork {
			t.Fatalf("%s: task %s with worker %q, want %s with %q", step.name, gotStatus, gotWorker, step.wantStatus, step.wantWork)
		}
	}
}
