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
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator/state"
)

// TestLifecycle drives create, fetch, update, list and delete of every kind over
// REST; the harness checks every answer against the OpenAPI spec.
func TestLifecycle(t *testing.T) {
	h := newHarness(t, Config{})
	ws := h.workspace("lifecycle")
	base := "/v1/Workspaces/" + ws
	target := h.mustCreate(base+"/TaskQueues", vals("FriendlyName", "routing-target")).str("sid")
	config := `{"task_routing":{"default_filter":{"queue":"` + target + `"}}}`
	cases := []struct {
		kind, coll, key, prefix string
		create, update          url.Values
	}{
		{"workspace", "/v1/Workspaces", "workspaces", "WS", vals("FriendlyName", "ws-a", "PrioritizeQueueOrder", "LIFO"), vals("FriendlyName", "ws-b", "MultiTaskEnabled", "false")},
		{"activity", base + "/Activities", "activities", "WA", vals("FriendlyName", "Lunch", "Available", "false"), vals("FriendlyName", "Lunch break")},
		{"task queue", base + "/TaskQueues", "task_queues", "WQ", vals("FriendlyName", "support", "TargetWorkers", `languages HAS "en"`), vals("FriendlyName", "support-2", "MaxReservedWorkers", "5")},
		{"workflow", base + "/Workflows", "workflows", "WW", vals("FriendlyName", "route", "Configuration", config), vals("FriendlyName", "route-2", "TaskReservationTimeout", "300")},
		{"worker", base + "/Workers", "workers", "WK", vals("FriendlyName", "alice", "Attributes", `{"languages":["en"]}`), vals("FriendlyName", "alice-2", "Attributes", `{"level":3}`)},
		{"task channel", base + "/TaskChannels", "channels", "TC", vals("FriendlyName", "Fax", "UniqueName", "fax"), vals("FriendlyName", "Fax 2", "ChannelOptimizedRouting", "true")},
	}
	for _, tc := range cases {
		t.Run(tc.kind, func(t *testing.T) {
			h.t = t
			sid := h.mustCreate(tc.coll, tc.create).str("sid")
			if !state.IsSID(sid, tc.prefix) {
				t.Fatalf("created sid %q is not %s + 32 hex digits", sid, tc.prefix)
			}
			item := tc.coll + "/" + sid
			if got := h.call(http.MethodGet, item, nil); got.status != http.StatusOK || got.str("sid") != sid {
				t.Fatalf("fetch: status %d sid %q, want 200 %s", got.status, got.str("sid"), sid)
			}
			updated := h.call(http.MethodPost, item, tc.update)
			if updated.status != http.StatusOK || updated.str("friendly_name") != tc.update.Get("FriendlyName") {
				t.Fatalf("update: status %d name %q: %s", updated.status, updated.str("friendly_name"), updated.raw)
			}
			list := h.call(http.MethodGet, tc.coll, vals("FriendlyName", tc.update.Get("FriendlyName")))
			if tc.kind == "task channel" {
				list = h.call(http.MethodGet, tc.coll, nil)
			}
			if !listHas(list, tc.key, sid) {
				t.Fatalf("list under %q lacks %s: %s", tc.key, sid, list.raw)
			}
			if del := h.call(http.MethodDelete, item, nil); del.status != http.StatusNoContent {
				t.Fatalf("delete: status %d, want 204: %s", del.status, del.raw)
			}
			if gone := h.call(http.MethodGet, item, nil); gone.status != http.StatusNotFound || gone.code() != CodeNotFound {
				t.Fatalf("fetch after delete: status %d code %d, want 404 20404", gone.status, gone.code())
			}
		})
	}
}

func listHas(list response, key, sid string) bool {
	records, _ := list.body[key].([]any)
	for _, r := range records {
		if m, _ := r.(map[string]any); m["sid"] == sid {
			return true
		}
	}
	return false
}

func listNames(list response, key string) []string {
	var names []string
	records, _ := list.body[key].([]any)
	for _, r := range records {
		m, _ := r.(map[string]any)
		name, _ := m["friendly_name"].(string)
		if name == "" {
			name, _ = m["unique_name"].(string)
		}
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// TestNewWorkspaceDefaults checks what TaskRouter puts in a new workspace.
func TestNewWorkspaceDefaults(t *testing.T) {
	h := newHarness(t, Config{})
	created := h.mustCreate("/v1/Workspaces", vals("FriendlyName", "defaults"))
	ws := created.str("sid")
	if created.str("default_activity_name") != "Offline" || created.str("timeout_activity_name") != "Offline" {
		t.Errorf("default/timeout activity = %q/%q, want Offline/Offline", created.str("default_activity_name"), created.str("timeout_activity_name"))
	}
	if created.body["multi_task_enabled"] != true || created.str("prioritize_queue_order") != "FIFO" {
		t.Errorf("multi_task_enabled=%v prioritize_queue_order=%q, want true FIFO", created.body["multi_task_enabled"], created.str("prioritize_queue_order"))
	}
	activities := h.call(http.MethodGet, "/v1/Workspaces/"+ws+"/Activities", nil)
	if diff := cmp.Diff([]string{"Available", "Offline", "Unavailable"}, listNames(activities, "activities")); diff != "" {
		t.Errorf("activities (-want +got):\n%s", diff)
	}
	available := h.call(http.MethodGet, "/v1/Workspaces/"+ws+"/Activities", vals("Available", "true"))
	if diff := cmp.Diff([]string{"Available"}, listNames(available, "activities")); diff != "" {
		t.Errorf("available activities (-want +got):\n%s", diff)
	}
	channels := h.call(http.MethodGet, "/v1/Workspaces/"+ws+"/TaskChannels", nil)
	// The five TaskRouter's multitasking guide names; Email comes with Flex only.
	if diff := cmp.Diff([]string{"Chat", "Default", "SMS", "Video", "Voice"}, listNames(channels, "channels")); diff != "" {
		t.Errorf("task channels (-want +got):\n%s", diff)
	}
	if got := h.call(http.MethodGet, "/v1/Workspaces/"+ws+"/TaskChannels/voice", nil); got.str("unique_name") != "voice" {
		t.Errorf("fetch task channel by unique name: %d %s", got.status, got.raw)
	}
	if n := len(h.emu.Admin().TaskQueues(ws)) + len(h.emu.Admin().Workflows(ws)); n != 0 {
		t.Errorf("template NONE made %d queues and workflows, want 0", n)
	}
}

// TestFIFOTemplate checks that Template=FIFO adds the sample queue and workflow.
func TestFIFOTemplate(t *testing.T) {
	h := newHarness(t, Config{})
	ws := h.mustCreate("/v1/Workspaces", vals("FriendlyName", "fifo", "Template", "FIFO")).str("sid")
	queues := h.emu.Admin().TaskQueues(ws)
	workflows := h.emu.Admin().Workflows(ws)
	if len(queues) != 1 || queues[0].FriendlyName != fifoQueueName || queues[0].TargetWorkers != "1==1" {
		t.Fatalf("queues = %+v, want one %q targeting 1==1", queues, fifoQueueName)
	}
	if len(workflows) != 1 || workflows[0].FriendlyName != fifoWorkflowName || !workflows[0].Routing.Targets(queues[0].SID) {
		t.Fatalf("workflows = %+v, want %q routing to %s", workflows, fifoWorkflowName, queues[0].SID)
	}
}

// TestWorkerRepresentation checks what is special about workers: attributes only
// on fetch, the ETag and If-Match, and the activity a new worker starts in.
func TestWorkerRepresentation(t *testing.T) {
	h := newHarness(t, Config{})
	ws := h.workspace("workers")
	coll := "/v1/Workspaces/" + ws + "/Workers"
	created := h.mustCreate(coll, vals("FriendlyName", "bob"))
	sid := created.str("sid")
	if created.str("activity_name") != "Offline" || created.str("attributes") != "{}" || created.body["available"] != false {
		t.Errorf("new worker: activity %q attributes %q available %v, want Offline {} false", created.str("activity_name"), created.str("attributes"), created.body["available"])
	}
	list := h.call(http.MethodGet, coll, nil)
	records, _ := list.body["workers"].([]any)
	if len(records) != 1 || records[0].(map[string]any)["attributes"] != nil {
		t.Errorf("list attributes = %v, want null", records)
	}
	fetched := h.call(http.MethodGet, coll+"/"+sid, nil)
	etag := fetched.header.Get("ETag")
	if etag == "" {
		t.Fatal("fetch has no ETag")
	}
	available := h.emu.Admin().Activities(ws)[1]
	moved := h.callAs(h.emu.cfg.AccountSID, h.emu.cfg.AuthToken, http.MethodPost, coll+"/"+sid,
		vals("ActivitySid", available.SID), http.Header{"If-Match": {etag}})
	if moved.status != http.StatusOK || moved.body["available"] != true || moved.header.Get("ETag") == etag {
		t.Fatalf("update with matching If-Match: %d available=%v etag %q: %s", moved.status, moved.body["available"], moved.header.Get("ETag"), moved.raw)
	}
	stale := h.callAs(h.emu.cfg.AccountSID, h.emu.cfg.AuthToken, http.MethodPost, coll+"/"+sid,
		vals("FriendlyName", "bobby"), http.Header{"If-Match": {etag}})
	if stale.status != http.StatusPreconditionFailed {
		t.Errorf("update with stale If-Match: status %d, want 412", stale.status)
	}
	if w, _ := h.emu.Admin().Worker(ws, sid); w.FriendlyName != "bob" {
		t.Errorf("412 update changed the worker's name to %q", w.FriendlyName)
	}
}
