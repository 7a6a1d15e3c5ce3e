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
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TaskRouter's time-of-day keys (taskrouter.currentTime, currentHour, currentMin, dayOfWeek) are
// accepted in filter and target expressions, as its "Time of Day Routing" guide allows, and
// evaluated by the emulator's clock in UTC: a filter when the task is routed, a target expression at
// every offer. Other roots stay refused in targets.
func TestTimeOfDayRouting(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2026, 1, 5, 9, 30, 0, 0, time.UTC) // a Monday
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	set := func(at time.Time) { mu.Lock(); defer mu.Unlock(); now = at }
	admin := New(Config{Now: clock}).Admin()
	ws, err := admin.CreateWorkspace(url.Values{"FriendlyName": {"hours"}})
	if err != nil {
		t.Fatal(err)
	}
	available := ""
	for _, a := range admin.Activities(ws.SID) {
		if a.FriendlyName == "Available" {
			available = a.SID
		}
	}
	open, _ := admin.CreateTaskQueue(ws.SID, url.Values{"FriendlyName": {"open"}, "TargetWorkers": {"1==1"}})
	closed, _ := admin.CreateTaskQueue(ws.SID, url.Values{"FriendlyName": {"closed"}, "TargetWorkers": {"1==1"}})
	if _, err := admin.CreateWorker(ws.SID, url.Values{"FriendlyName": {"night owl"}, "Attributes": {`{"shift":"late"}`},
		"ActivitySid": {available}}); err != nil {
		t.Fatal(err)
	}
	config := strings.NewReplacer("OPEN", open.SID, "CLOSED", closed.SID).Replace(`{"task_routing":{"filters":[
		{"filter_friendly_name":"Business hours","expression":"taskrouter.dayOfWeek IN ['Mon','Tue','Wed','Thu','Fri'] AND taskrouter.currentTime >= 0800 AND taskrouter.currentTime < 1800",
		 "targets":[{"queue":"OPEN","expression":"worker.shift != 'late' OR taskrouter.currentHour >= 17"}]}],
		"default_filter":{"queue":"CLOSED"}}}`)
	wf, err := admin.CreateWorkflow(ws.SID, url.Values{"FriendlyName": {"hours"}, "Configuration": {config}})
	if err != nil {
		t.Fatalf("a workflow with taskrouter.* keys in a filter and a target: %v", err)
	}

	type outcome struct{ Queue, Status string }
	route := func(at time.Time) (string, outcome) {
		set(at)
		task, err := admin.CreateTask(ws.SID, url.Values{"WorkflowSid": {wf.SID}, "Attributes": {`{"taskrouter":{"dayOfWeek":"Mon"}}`}})
		if err != nil {
			t.Fatal(err)
		}
		return task.SID, outcome{task.TaskQueueSID, task.AssignmentStatus}
	}
	tests := []struct {
		name string
		at   time.Time
		want outcome
	}{
		// The task's own "taskrouter" attribute is not what the filter reads: Saturday stays Saturday.
		{"Saturday: closed", time.Date(2026, 1, 10, 10, 0, 0, 0, time.UTC), outcome{closed.SID, TaskReserved}},
		{"Monday 07:59 UTC: closed", time.Date(2026, 1, 5, 7, 59, 0, 0, time.UTC), outcome{closed.SID, TaskReserved}},
		{"Monday 08:00 in New York is 13:00 UTC: open, but not for the late shift yet", time.Date(2026, 1, 5, 8, 0, 0, 0,
			time.FixedZone("EST", -5*3600)), outcome{open.SID, TaskPending}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sid, got := route(tt.at)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("routing (-want +got):\n%s", diff)
			}
			if got.Status == TaskReserved {
				if _, err := admin.UpdateTask(ws.SID, sid, url.Values{"AssignmentStatus": {"canceled"}}); err != nil {
					t.Fatal(err)
				}
			}
		})
	}

	// The waiting task's target expression is evaluated again at every offer: at 17:00 UTC the late
	// shift may take it.
	waiting := ""
	for _, task := range admin.Tasks(ws.SID) {
		if task.AssignmentStatus == TaskPending {
			waiting = task.SID
		}
	}
	set(time.Date(2026, 1, 5, 17, 0, 0, 0, time.UTC))
	admin.RunTimers()
	if task, _ := admin.Task(ws.SID, waiting); task.AssignmentStatus != TaskReserved {
		t.Errorf("at 17:00 UTC the waiting task is %s, want reserved to the late shift", task.AssignmentStatus)
	}

	for _, bad := range []string{"agent.level > 1", "taskrouter == 1"} {
		refused := strings.NewReplacer("OPEN", open.SID).Replace(`{"task_routing":{"filters":[{"expression":"1==1","targets":[{"queue":"OPEN","expression":"` + bad + `"}]}]}}`)
		if _, err := admin.CreateWorkflow(ws.SID, url.Values{"FriendlyName": {"bad " + bad}, "Configuration": {refused}}); err == nil ||
			!strings.Contains(err.Error(), `must start with one of "worker.", "task.", "taskrouter."`) {
			t.Errorf("target expression %q: %v, want it refused naming the allowed roots", bad, err)
		}
	}
}
