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

package emulator_test

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator"
	"github.com/taskrouter-operator/taskrouter-operator/internal/taskrouter"
)

// TestTypedClientBothTransports drives the operator's TaskRouter client against
// the emulator for every resource, through Basic auth and through capability
// tokens on the event-bridge channel.
func TestTypedClientBothTransports(t *testing.T) {
	creds := taskrouter.Credentials{AccountSID: emulator.DevAccountSID, AuthToken: emulator.DevAuthToken,
		APIKeySID: emulator.DevAPIKeySID, APIKeySecret: emulator.DevAPIKeySecret}
	for _, mode := range []taskrouter.AuthMode{taskrouter.AuthBasic, taskrouter.AuthCapabilityToken} {
		t.Run(string(mode), func(t *testing.T) {
			emu := emulator.New(emulator.Config{})
			srv := httptest.NewServer(emu)
			defer srv.Close()
			client := taskrouter.New(taskrouter.Config{TaskRouterBaseURL: srv.URL, EventBridgeBaseURL: srv.URL, MaxRetries: -1,
				QPS: 1000, Burst: 1000})
			account, err := client.Account(creds, mode)
			if err != nil {
				t.Fatal(err)
			}
			driveEveryResource(t, account)
			channelCalls := emu.CountRequests(func(r emulator.Request) bool { return r.Via == emulator.ViaChannel })
			restCalls := emu.CountRequests(func(r emulator.Request) bool { return r.Via == emulator.ViaREST })
			if mode == taskrouter.AuthBasic && channelCalls != 0 {
				t.Errorf("Basic mode made %d channel calls", channelCalls)
			}
			// Workspace create, list and delete always use REST; everything else goes through the channel.
			if mode == taskrouter.AuthCapabilityToken && (channelCalls == 0 || restCalls > 3) {
				t.Errorf("token mode: %d channel calls, %d REST calls (want only workspace create/list/delete on REST)", channelCalls, restCalls)
			}
			failed := emu.CountRequests(func(r emulator.Request) bool { return r.Status >= 500 || r.Status == 401 || r.Status == 403 })
			if failed != 0 {
				t.Errorf("%d calls were refused or failed: %+v", failed, emu.Requests())
			}
		})
	}
}

func driveEveryResource(t *testing.T, account *taskrouter.Account) {
	t.Helper()
	ctx := context.Background()
	ws, err := account.Workspaces().Create(ctx, taskrouter.WorkspaceParams{FriendlyName: taskrouter.Ptr("client"), Template: taskrouter.Ptr("FIFO")})
	must(t, "create workspace", err)
	if ws.DefaultActivityName != "Offline" {
		t.Errorf("default activity %q, want Offline", ws.DefaultActivityName)
	}
	_, err = account.Workspaces().Update(ctx, ws.SID, taskrouter.WorkspaceParams{EventsFilter: []string{"task.created", "worker.activity.update"}})
	must(t, "update workspace", err)
	fetched, err := account.Workspaces().Fetch(ctx, ws.SID)
	must(t, "fetch workspace", err)
	if got := fetched.EventsFilterList(); len(got) != 2 {
		t.Errorf("events filter %v, want 2 events", got)
	}
	list, err := account.Workspaces().List(ctx, "client")
	must(t, "list workspaces", err)
	if len(list) != 1 {
		t.Errorf("ListWorkspaces(client) = %d, want 1", len(list))
	}
	w := account.Workspace(ws.SID)
	driveActivities(t, w)
	queue := driveTaskQueues(t, w)
	driveWorkflows(t, w, queue)
	driveWorkers(t, w)
	channels, err := w.TaskChannels().List(ctx, "")
	must(t, "list task channels", err)
	voice, err := w.TaskChannels().Fetch(ctx, "voice")
	must(t, "fetch task channel", err)
	if len(channels) != 5 || voice.UniqueName != "voice" {
		t.Errorf("%d task channels, voice %q", len(channels), voice.UniqueName)
	}
	must(t, "delete workspace", account.Workspaces().Delete(ctx, ws.SID))
	if _, err := account.Workspaces().Fetch(ctx, ws.SID); !taskrouter.IsNotFound(err) {
		t.Errorf("fetch deleted workspace: %v, want not found", err)
	}
}

func driveActivities(t *testing.T, w *taskrouter.WorkspaceClient) {
	t.Helper()
	ctx := context.Background()
	a, err := w.Activities().Create(ctx, taskrouter.ActivityParams{FriendlyName: taskrouter.Ptr("Lunch"), Available: taskrouter.Ptr(false)})
	must(t, "create activity", err)
	_, err = w.Activities().Update(ctx, a.SID, taskrouter.ActivityParams{FriendlyName: taskrouter.Ptr("Lunch break")})
	must(t, "update activity", err)
	got, err := w.Activities().Fetch(ctx, a.SID)
	must(t, "fetch activity", err)
	found, err := w.Activities().List(ctx, "Lunch break")
	must(t, "list activities", err)
	if got.FriendlyName != "Lunch break" || len(found) != 1 {
		t.Errorf("activity %q, list %d", got.FriendlyName, len(found))
	}
	if _, err := w.Activities().Create(ctx, taskrouter.ActivityParams{FriendlyName: taskrouter.Ptr("Offline")}); !taskrouter.IsInvalidParameter(err) {
		t.Errorf("duplicate activity: %v, want invalid parameter", err)
	}
	must(t, "delete activity", w.Activities().Delete(ctx, a.SID))
}

func driveTaskQueues(t *testing.T, w *taskrouter.WorkspaceClient) string {
	t.Helper()
	ctx := context.Background()
	q, err := w.TaskQueues().Create(ctx, taskrouter.TaskQueueParams{FriendlyName: taskrouter.Ptr("support"), TargetWorkers: taskrouter.Ptr(`languages HAS "en"`)})
	must(t, "create task queue", err)
	_, err = w.TaskQueues().Update(ctx, q.SID, taskrouter.TaskQueueParams{MaxReservedWorkers: taskrouter.Ptr(4)})
	must(t, "update task queue", err)
	got, err := w.TaskQueues().Fetch(ctx, q.SID)
	must(t, "fetch task queue", err)
	all, err := w.TaskQueues().List(ctx, "")
	must(t, "list task queues", err)
	if got.MaxReservedWorkers != 4 || len(all) != 2 {
		t.Errorf("max reserved %d, %d queues (want 4, 2 with the FIFO sample)", got.MaxReservedWorkers, len(all))
	}
	scratch, err := w.TaskQueues().Create(ctx, taskrouter.TaskQueueParams{FriendlyName: taskrouter.Ptr("scratch")})
	must(t, "create scratch queue", err)
	must(t, "delete task queue", w.TaskQueues().Delete(ctx, scratch.SID))
	return q.SID
}

func driveWorkflows(t *testing.T, w *taskrouter.WorkspaceClient, queue string) {
	t.Helper()
	ctx := context.Background()
	config := `{"task_routing":{"filters":[{"filter_friendly_name":"English","expression":"language == \"en\"","targets":[{"queue":"` +
		queue + `","expression":"worker.level > 2","order_by":"worker.level DESC","skip_if":"workers.available == 0"}]}],"default_filter":{"queue":"` + queue + `"}}}`
	wf, err := w.Workflows().Create(ctx, taskrouter.WorkflowParams{FriendlyName: taskrouter.Ptr("route"), Configuration: taskrouter.Ptr(config)})
	must(t, "create workflow", err)
	_, err = w.Workflows().Update(ctx, wf.SID, taskrouter.WorkflowParams{TaskReservationTimeout: taskrouter.Ptr(300), ReEvaluateTasks: taskrouter.Ptr(true)})
	must(t, "update workflow", err)
	got, err := w.Workflows().Fetch(ctx, wf.SID)
	must(t, "fetch workflow", err)
	found, err := w.Workflows().List(ctx, "route")
	must(t, "list workflows", err)
	if got.TaskReservationTimeout != 300 || len(found) != 1 {
		t.Errorf("timeout %d, list %d", got.TaskReservationTimeout, len(found))
	}
	if err := w.TaskQueues().Delete(ctx, queue); !taskrouter.IsInvalidParameter(err) {
		t.Errorf("delete targeted queue: %v, want invalid parameter", err)
	}
	must(t, "delete workflow", w.Workflows().Delete(ctx, wf.SID))
}

func driveWorkers(t *testing.T, w *taskrouter.WorkspaceClient) {
	t.Helper()
	ctx := context.Background()
	created, err := w.Workers().Create(ctx, taskrouter.WorkerParams{FriendlyName: taskrouter.Ptr("alice"), Attributes: taskrouter.Ptr(`{"languages":["en"]}`)})
	must(t, "create worker", err)
	fetched, err := w.Workers().Fetch(ctx, created.SID)
	must(t, "fetch worker", err)
	_, err = w.Workers().Update(ctx, created.SID, taskrouter.WorkerParams{Attributes: taskrouter.Ptr(`{"level":3}`), IfMatch: fetched.ETag})
	must(t, "update worker with If-Match", err)
	if _, err := w.Workers().Update(ctx, created.SID, taskrouter.WorkerParams{FriendlyName: taskrouter.Ptr("x"), IfMatch: fetched.ETag}); !taskrouter.IsPreconditionFailed(err) {
		t.Errorf("stale If-Match: %v, want precondition failed", err)
	}
	listed, err := w.Workers().List(ctx, "ALICE")
	must(t, "list workers", err)
	if len(listed) != 1 || listed[0].Attributes != "" {
		t.Errorf("list workers %+v, want one with no attributes", listed)
	}
	must(t, "delete worker", w.Workers().Delete(ctx, created.SID))
}

func must(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}
