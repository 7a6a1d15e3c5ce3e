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
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/taskrouter-operator/taskrouter-operator/internal/preview"
	"github.com/taskrouter-operator/taskrouter-operator/internal/taskrouter"
)

// escalationRouting exercises what inbound does not: a target expression with task. keys, skip_if
// on workers.available, a known worker named in another case, time-of-day keys in a filter without
// a name and in a target, and a default filter.
const escalationRouting = `{"task_routing":{"filters":[
  {"filter_friendly_name":"Gold","expression":"customer.tier == \"gold\"","targets":[
    {"queue":"{{Spanish Support}}","expression":"task.language IN worker.languages AND worker.level >= 2","skip_if":"workers.available == 0"},
    {"queue":"{{Billing}}","skip_if":"workers.available < 2","priority":3},
    {"queue":"{{General Support}}"}]},
  {"filter_friendly_name":"Ask Carmen","expression":"ask == \"carmen\"","targets":[
    {"queue":"{{General Support}}","known_worker_friendly_name":"carmen"}]},
  {"expression":"anyday == true AND taskrouter.dayOfWeek IN [\"Mon\",\"Tue\",\"Wed\",\"Thu\",\"Fri\",\"Sat\",\"Sun\"]","targets":[
    {"queue":"{{Billing}}","expression":"taskrouter.currentTime >= 0 AND worker.level >= 4"}]}],
 "default_filter":{"queue":"{{General Support}}"}}}`

// preview agrees with the emulator's own routing: for each task, with the workers in the
// activities the row sets, the queue preview names is the queue the emulator puts the task in, and
// the worker preview says would be offered it first is the one the emulator reserves it to (none
// when preview names none). The workflows come from the export of the workspace, so the files
// previewed are what export wrote.
func TestPreviewAgreesWithTheEmulator(t *testing.T) {
	c := newContactCenter(t)
	ctx := context.Background()
	in := c.acct.Workspace(c.ws.SID)
	if _, err := in.Workflows().Create(ctx, taskrouter.WorkflowParams{FriendlyName: taskrouter.Ptr("Escalation"),
		Configuration: taskrouter.Ptr(c.withSIDs(escalationRouting))}); err != nil {
		t.Fatal(err)
	}
	exported := c.run(t, "", "export", "--workspace", c.ws.SID)
	if exported.code != 0 {
		t.Fatalf("export: %+v", exported)
	}
	file := filepath.Join(t.TempDir(), "acme.yaml")
	if err := os.WriteFile(file, []byte(exported.out), 0o600); err != nil {
		t.Fatal(err)
	}
	initially := map[string]string{"Alice": "Available", "Bob": "Available", "Carmen": "Offline", "Dana": "Available"}
	with := func(changes map[string]string) map[string]string {
		out := maps.Clone(initially)
		maps.Copy(out, changes)
		return out
	}
	// Alice's chats full (three already assigned), or her chat channel off, for as long as a row runs.
	aliceChatsFull := func(t *testing.T) {
		tasks, err := c.emu.Admin().AssignTasks(c.ws.SID, c.workers["Alice"], "chat", 3)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			for _, task := range tasks {
				if _, err := c.emu.Admin().UpdateTask(c.ws.SID, task.SID, url.Values{"AssignmentStatus": {"completed"}}); err != nil {
					t.Error(err)
				}
			}
		})
	}
	aliceChatOff := func(t *testing.T) {
		c.setWorkerChannel(t, "Alice", "chat", url.Values{"Available": {"false"}})
		t.Cleanup(func() { c.setWorkerChannel(t, "Alice", "chat", url.Values{"Available": {"true"}}) })
	}
	tests := []struct {
		name, workflow, task string
		channel              string
		prepare              func(t *testing.T)
		activities           map[string]string
		wantQueue, wantNext  string
	}{
		{"a Spanish task", "inbound-calls", `{"language":"es"}`, "", nil, initially, "Spanish Support", "Alice"},
		{"no Spanish speaker available", "inbound-calls", `{"language":"es"}`, "", nil, with(map[string]string{"Alice": "Break"}), "Spanish Support", ""},
		{"the other Spanish speaker", "inbound-calls", `{"language":"es"}`, "", nil, with(map[string]string{"Alice": "Break", "Carmen": "Available"}), "Spanish Support", "Carmen"},
		{"a VIP billing task, the longest available first", "inbound-calls", `{"type":"billing","vip":true}`, "", nil, initially, "Billing", "Dana"},
		{"a billing task", "inbound-calls", `{"type":"billing"}`, "", nil, with(map[string]string{"Dana": "Break"}), "Billing", "Alice"},
		{"the default filter", "inbound-calls", `{"type":"sales"}`, "", nil, initially, "General Support", "Bob"},
		{"a target expression with task keys", "escalation", `{"customer":{"tier":"gold"},"language":"es"}`, "", nil, initially, "Spanish Support", "Alice"},
		{"skip_if passes two targets by", "escalation", `{"customer":{"tier":"gold"},"language":"es"}`, "", nil, with(map[string]string{"Alice": "Break"}), "General Support", "Bob"},
		{"a known worker", "escalation", `{"ask":"carmen"}`, "", nil, with(map[string]string{"Carmen": "Available"}), "General Support", "Carmen"},
		{"a known worker who is offline", "escalation", `{"ask":"carmen"}`, "", nil, initially, "General Support", ""},
		{"no filter matches", "escalation", `{"x":1}`, "", nil, with(map[string]string{"Alice": "Offline"}), "General Support", "Bob"},
		{"time-of-day keys, in a filter without a name", "escalation", `{"anyday":true}`, "", nil, initially, "Billing", "Dana"},
		{"a Spanish chat", "inbound-calls", `{"language":"es"}`, "chat", nil, with(map[string]string{"Carmen": "Available"}), "Spanish Support", "Alice"},
		{"a Spanish chat while Alice's chats are full", "inbound-calls", `{"language":"es"}`, "chat", aliceChatsFull,
			with(map[string]string{"Carmen": "Available"}), "Spanish Support", "Carmen"},
		{"a Spanish call while Alice's chats are full: channels count apart", "inbound-calls", `{"language":"es"}`, "voice", aliceChatsFull,
			with(map[string]string{"Carmen": "Available"}), "Spanish Support", "Alice"},
		{"a Spanish chat while Alice's chat channel is off", "inbound-calls", `{"language":"es"}`, "chat", aliceChatOff, initially, "Spanish Support", ""},
		{"a VIP billing call: Dana takes no calls", "inbound-calls", `{"type":"billing","vip":true}`, "voice", nil, initially, "Billing", "Alice"},
		{"a VIP billing callback, by its TaskChannel SID", "inbound-calls", `{"type":"billing","vip":true}`, c.channels["callback"], nil, initially, "Billing", "Dana"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c.setActivities(t, tt.activities)
			if tt.prepare != nil {
				tt.prepare(t)
			}
			args := []string{"preview", "workflow/" + tt.workflow, "-f", file, "--task", tt.task, "-o", "json"}
			if tt.channel != "" {
				args = append(args, "--task-channel", tt.channel)
			}
			got := c.run(t, "", args...)
			if got.code != 0 {
				t.Fatalf("preview: %+v", got)
			}
			var p preview.WorkflowPreview
			if err := json.Unmarshal([]byte(got.out), &p); err != nil {
				t.Fatal(err)
			}
			if p.Queue == nil || p.Queue.Name != tt.wantQueue || p.Next != tt.wantNext {
				t.Fatalf("preview says queue %+v, next %q; the table wants %s, %q", p.Queue, p.Next, tt.wantQueue, tt.wantNext)
			}
			task, err := c.emu.Admin().CreateTask(c.ws.SID, url.Values{"WorkflowSid": {p.Workflow.SID}, "Attributes": {tt.task},
				"TaskChannel": {p.TaskChannel}})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				if _, err := c.emu.Admin().UpdateTask(c.ws.SID, task.SID, url.Values{"AssignmentStatus": {"canceled"}}); err != nil {
					t.Error(err)
				}
			})
			if task.TaskQueueSID != p.Queue.SID {
				t.Errorf("the emulator put the task in %s, preview says %s (%s)", task.TaskQueueSID, p.Queue.SID, p.Queue.Name)
			}
			if want := c.workers[p.Next]; task.WorkerSID != want {
				t.Errorf("the emulator reserved the task to %q (%s), preview says %q would be offered it first", c.workerName(task.WorkerSID), task.AssignmentStatus, p.Next)
			}
		})
	}
}

// setActivities moves each worker to the activity named, unless it is there already: a move resets
// how long it has been in its activity, which decides who is offered a task first.
func (c *contactCenter) setActivities(t *testing.T, activities map[string]string) {
	t.Helper()
	in := c.acct.Workspace(c.ws.SID)
	for _, name := range slices.Sorted(maps.Keys(activities)) {
		w, err := in.Workers().Fetch(context.Background(), c.workers[name])
		if err != nil {
			t.Fatal(err)
		}
		if w.ActivityName == activities[name] {
			continue
		}
		c.advance()
		if _, err := in.Workers().Update(context.Background(), w.SID, taskrouter.WorkerParams{ActivitySID: taskrouter.Ptr(c.activities[activities[name]])}); err != nil {
			t.Fatal(err)
		}
	}
}

// setWorkerChannel updates a worker's channel through the REST API, as a supervisor would.
func (c *contactCenter) setWorkerChannel(t *testing.T, worker, channel string, params url.Values) {
	t.Helper()
	if _, err := c.emu.Admin().UpdateWorkerChannel(c.ws.SID, c.workers[worker], channel, params); err != nil {
		t.Fatal(err)
	}
}

func (c *contactCenter) workerName(sid string) string {
	for name, s := range c.workers {
		if s == sid {
			return name
		}
	}
	return sid
}

func TestPreviewErrors(t *testing.T) {
	c := newContactCenter(t)
	tests := []struct {
		name string
		args []string
		want result
	}{
		{"no kind", []string{"preview", "inbound"}, result{2, "", `error: "inbound": want workflow/NAME or taskqueue/NAME` + "\n"}},
		{"no name", []string{"preview", "workflow/", "--task", "{}"}, result{2, "", `error: "workflow/": name the Workflow, e.g. workflow/inbound` + "\n"}},
		{"no task", []string{"preview", "workflow/inbound"},
			result{2, "", `error: --task is required: the task's attributes as a JSON object, e.g. --task '{"language":"es"}'` + "\n"}},
		{"a task that is no JSON object", []string{"preview", "twf/inbound", "--task", `["es"]`},
			result{2, "", `error: --task ["es"]: want the task's attributes as one JSON object, e.g. '{"language":"es"}'` + "\n"}},
		{"--target-workers on a workflow", []string{"preview", "workflow/inbound", "--task", "{}", "--target-workers", "1==1"},
			result{2, "", "error: --target-workers is for taskqueue/NAME; a workflow takes --task\n"}},
		{"--task on a queue", []string{"preview", "tq/billing", "--task", "{}"},
			result{2, "", "error: --task is for workflow/NAME; a task queue takes --target-workers\n"}},
		{"--task-channel on a queue", []string{"preview", "tq/billing", "--task-channel", "chat"},
			result{2, "", "error: --task-channel is for workflow/NAME; a task queue takes --target-workers\n"}},
		{"an unknown task channel", []string{"preview", "workflow/inbound", "-f", samples, "--task", "{}", "--task-channel", "fax"},
			result{1, "", `error: the task's channel "fax" is no TaskChannel of workspace "Acme Support": use one of callback, chat, default, sms, video, voice` + "\n"}},
		{"a bad expression", []string{"preview", "taskqueue/billing", "--target-workers", "level >"},
			result{2, "", `error: --target-workers: at position 7: expected a value after ">", found end of expression` + "\n"}},
		{"a resource not in the files", []string{"preview", "workflow/outbound", "-f", samples, "--task", "{}", "--kubeconfig", "/nonexistent/kubeconfig"},
			result{1, "", `error: Workflow "outbound" is not in the files given with -f, and the cluster cannot be read: ` +
				"read the namespace from the kubeconfig: stat /nonexistent/kubeconfig: no such file or directory\n"}},
		{"a file that cannot be read", []string{"preview", "workflow/inbound", "-f", "nope.yaml", "--task", "{}"},
			result{2, "", "error: stat nope.yaml: no such file or directory\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, c.run(t, "", tt.args...), cmp.AllowUnexported(result{})); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// A queue of a file that does not exist in TaskRouter yet: nothing to compare today, the file's
// targetWorkers is the proposal. A routing step to it counts its workers all the same.
func TestPreviewAQueueNotCreatedYet(t *testing.T) {
	c := newContactCenter(t)
	const files = `apiVersion: taskrouter.operator.dev/v1alpha1
kind: TaskQueue
metadata: {name: senior}
spec:
  workspaceRef: {name: acme-support}
  friendlyName: Senior Support
  targetWorkers: level >= 3
---
apiVersion: taskrouter.operator.dev/v1alpha1
kind: Workflow
metadata: {name: seniors-first}
spec:
  workspaceRef: {name: acme-support}
  configuration:
    taskRouting:
      defaultFilter: {queueRef: {name: senior}}
`
	got := c.run(t, files, "preview", "taskqueue/senior", "-f", samples, "-f", "-")
	want := `TaskQueue "Senior Support" (senior, not in TaskRouter yet) in Workspace "Acme Support" (acme-support, ` + c.ws.SID + `)
targetWorkers: the queue is not in TaskRouter yet, proposed from the spec in <stdin>

          TARGET WORKERS  ELIGIBLE  AVAILABLE
proposed  level >= 3      2         2

WORKER  ACTIVITY   TODAY  PROPOSED
Alice   Available  -      yes
Dana    Available  -      yes

The new queue would select 2 workers, 2 available now.
4 workers read from TaskRouter.
`
	if diff := cmp.Diff(result{0, want, ""}, got, cmp.AllowUnexported(result{})); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	got = c.run(t, files, "preview", "workflow/seniors-first", "-f", samples, "-f", "-", "--task", `{"language":"en"}`)
	if want := "The task enters Senior Support: Alice would be offered it first.\n"; !strings.Contains(got.out, want) {
		t.Errorf("want %q in %+v", want, got)
	}
}
