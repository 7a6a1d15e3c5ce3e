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
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/taskrouter-operator/taskrouter-operator/internal/capability"
)

// activitySID is the SID of the activity named name in workspace ws.
func (h *harness) activitySID(ws, name string) string {
	h.t.Helper()
	for _, a := range h.emu.Admin().Activities(ws) {
		if a.FriendlyName == name {
			return a.SID
		}
	}
	h.t.Fatalf("workspace %s has no activity %q", ws, name)
	return ""
}

// payloadMeetsSpec checks a channel answer's payload against the spec's
// response schema of the inner call, as the harness checks REST answers.
func (h *harness) payloadMeetsSpec(method, path string, status int, got response) {
	h.t.Helper()
	raw, err := json.Marshal(got.body["payload"])
	if err != nil {
		h.t.Fatal(err)
	}
	if method == http.MethodDelete {
		raw = nil
	}
	if err := h.spec.CheckResponse(method, path, status, raw); err != nil {
		h.t.Errorf("%s %s through the channel: payload does not meet the spec: %v\n%s", method, path, err, raw)
	}
}

// TestTaskChannelRules checks TaskChannel create, update and delete against
// what TaskRouter refuses: a duplicate or missing UniqueName, a changed
// UniqueName, a 16th channel, and deleting the default channel or one that
// tasks are on.
func TestTaskChannelRules(t *testing.T) {
	h := newHarness(t, Config{})
	ws := h.mustCreate("/v1/Workspaces", vals("FriendlyName", "channels", "Template", "FIFO")).str("sid")
	coll := "/v1/Workspaces/" + ws + "/TaskChannels"
	fax := h.mustCreate(coll, vals("FriendlyName", "Fax", "UniqueName", "fax")).str("sid")
	worker := h.mustCreate("/v1/Workspaces/"+ws+"/Workers", vals("FriendlyName", "ann")).str("sid")
	if _, err := h.emu.Admin().CreateTask(ws, vals("TaskChannel", "sms")); err != nil {
		t.Fatal(err)
	}
	if _, err := h.emu.Admin().AssignTasks(ws, worker, "chat", 1); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, method, path string
		params             url.Values
		status             int
		message            string
	}{
		{"duplicate UniqueName", "POST", coll, vals("FriendlyName", "Fax 2", "UniqueName", "fax"), 400, "already exists"},
		{"missing UniqueName", "POST", coll, vals("FriendlyName", "Pager"), 400, "Missing required parameter UniqueName"},
		{"UniqueName cannot change", "POST", coll + "/fax", vals("UniqueName", "telefax"), 400, "UniqueName cannot be changed"},
		{"same UniqueName is no change", "POST", coll + "/" + fax, vals("UniqueName", "fax", "FriendlyName", "Telefax"), 200, ""},
		{"update by unique name", "POST", coll + "/fax", vals("ChannelOptimizedRouting", "true"), 200, ""},
		{"delete the default channel", "DELETE", coll + "/default", nil, 400, "default channel"},
		{"delete a channel a task waits on", "DELETE", coll + "/sms", nil, 400, "is pending on it"},
		{"delete a channel a worker holds a task on", "DELETE", coll + "/chat", nil, 400, "Worker " + worker + " holds Task"},
		{"delete a free channel", "DELETE", coll + "/video", nil, 204, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h.t = t
			got := h.call(tc.method, tc.path, tc.params)
			if got.status != tc.status || !strings.Contains(got.str("message"), tc.message) {
				t.Errorf("got %d %q, want %d containing %q", got.status, got.str("message"), tc.status, tc.message)
			}
		})
	}
	h.t = t
	got, _ := h.emu.Admin().TaskChannel(ws, fax)
	if got.UniqueName != "fax" || got.FriendlyName != "Telefax" || !got.ChannelOptimizedRouting {
		t.Errorf("fax after the updates: %+v", got)
	}
	if _, found := h.emu.Admin().WorkerChannel(ws, worker, "video"); found {
		t.Error("the deleted video channel is still one of the worker's channels")
	}
	// 6 channels now (five defaults, fax, minus video): nine more reach the limit of 15.
	for i := len(h.emu.Admin().TaskChannels(ws)); i < maxTaskChannels; i++ {
		h.mustCreate(coll, vals("FriendlyName", "c"+strconv.Itoa(i), "UniqueName", "c"+strconv.Itoa(i)))
	}
	if over := h.call(http.MethodPost, coll, vals("FriendlyName", "one too many", "UniqueName", "over")); over.status != 400 ||
		!strings.Contains(over.str("message"), "maximum of 15 TaskChannels") {
		t.Errorf("16th channel: %d %q, want 400 maximum of 15", over.status, over.str("message"))
	}
}

// TestTaskChannelsThroughChannel runs TaskChannel CRUD through the
// event-bridge channel with a token allowed to, and is refused without the
// matching policy; every payload meets the spec.
func TestTaskChannelsThroughChannel(t *testing.T) {
	h := newHarness(t, Config{})
	ws := h.workspace("channel-crud")
	m := h.minter()
	all, err := m.URLs.WorkspacePolicies(ws, capability.WorkspaceFetchSubresources, capability.WorkspaceUpdatesSubresources,
		capability.WorkspaceDeleteSubresources)
	if err != nil {
		t.Fatal(err)
	}
	fetchOnly, err := m.URLs.WorkspacePolicies(ws, capability.WorkspaceFetchSubresources)
	if err != nil {
		t.Fatal(err)
	}
	token, readOnly := h.mint(m, ws, ws, all, time.Hour), h.mint(m, ws, ws, fetchOnly, time.Hour)
	coll := "/v1/Workspaces/" + ws + "/TaskChannels"
	account := h.emu.cfg.AccountSID
	created := h.channelCall(account, ws, token, "POST", coll, map[string]any{"FriendlyName": "Fax", "UniqueName": "fax"})
	sid, _ := created.body["payload"].(map[string]any)["sid"].(string)
	if created.status != 200 || created.str("event_type") != "task_channel.created" || sid == "" {
		t.Fatalf("create: %d %s", created.status, created.raw)
	}
	h.payloadMeetsSpec("POST", coll, 201, created)
	steps := []struct {
		method, path string
		params       map[string]any
		event        string
		status       int
	}{
		{"GET", coll + "/fax", nil, "task_channel.fetched", 200},
		{"POST", coll + "/" + sid, map[string]any{"FriendlyName": "Telefax", "ChannelOptimizedRouting": true}, "task_channel.updated", 200},
		{"GET", coll, nil, "task_channel.listed", 200},
		{"DELETE", coll + "/" + sid, nil, "task_channel.deleted", 204},
	}
	for _, s := range steps {
		got := h.channelCall(account, ws, token, s.method, s.path, s.params)
		if got.status != 200 || got.str("event_type") != s.event {
			t.Fatalf("%s %s: %d %s", s.method, s.path, got.status, got.raw)
		}
		h.payloadMeetsSpec(s.method, s.path, s.status, got)
	}
	refused := h.channelCall(account, ws, readOnly, "POST", coll, map[string]any{"FriendlyName": "Pager", "UniqueName": "pager"})
	if refused.status != http.StatusForbidden || h.emu.Admin().CountByFriendlyName(KindTaskChannel, ws, "Pager") != 0 {
		t.Errorf("create with a fetch-only token: %d %s, want 403 and nothing created", refused.status, refused.raw)
	}
}

// TestFlexWorkspace checks what Admin.CreateFlexWorkspace adds to a plain
// workspace, and that a task finds its way through the Flex routing.
func TestFlexWorkspace(t *testing.T) {
	h := newHarness(t, Config{})
	admin := h.emu.Admin()
	ws, err := admin.CreateFlexWorkspace("")
	if err != nil {
		t.Fatal(err)
	}
	base := "/v1/Workspaces/" + ws.SID
	fetched := h.call(http.MethodGet, base, nil)
	if fetched.str("friendly_name") != DefaultFlexWorkspaceName || fetched.body["multi_task_enabled"] != true {
		t.Errorf("flex workspace: %s", fetched.raw)
	}
	lists := []struct{ path, key string }{{"/TaskChannels", "channels"}, {"/Activities", "activities"}, {"/TaskQueues", "task_queues"},
		{"/Workflows", "workflows"}}
	want := [][]string{{"Chat", "Default", "Email", "SMS", "Video", "Voice"}, {"Available", "Break", "Offline", "Unavailable"},
		{"Everyone"}, {"Assign to Anyone"}}
	for i, l := range lists {
		if d := cmp.Diff(want[i], listNames(h.call(http.MethodGet, base+l.path, nil), l.key)); d != "" {
			t.Errorf("%s (-want +got):\n%s", l.path, d)
		}
	}
	task, err := admin.CreateTask(ws.SID, vals("TaskChannel", "email"))
	if err != nil {
		t.Fatal(err)
	}
	if q, _ := admin.TaskQueue(ws.SID, task.TaskQueueSID); q.FriendlyName != "Everyone" {
		t.Errorf("a Flex task went to queue %q, want Everyone", q.FriendlyName)
	}
	if _, err := admin.CreateFlexWorkspace(strings.Repeat("x", 65)); err == nil {
		t.Error("a 65-character Flex workspace name was accepted")
	}
}

// TestEveryRouteIsInTheSpec holds the emulator's routes to the spec's paths:
// each method and template it serves is an operation of the OpenAPI catalogue,
// spelled the same, and one that takes JSON is the one the spec gives a JSON
// body.
func TestEveryRouteIsInTheSpec(t *testing.T) {
	emu := New(Config{})
	spec := newHarness(t, Config{}).spec
	for _, rt := range emu.router.routes {
		op, found := spec.Operation(rt.Method, rt.Pattern)
		if !found || op.PathTemplate != rt.Pattern {
			t.Errorf("%s %s is not an operation of the spec", rt.Method, rt.Pattern)
			continue
		}
		if rt.JSONBody != (op.BodyType == "json") {
			t.Errorf("%s %s: JSONBody %v, but the spec's body type is %q", rt.Method, rt.Pattern, rt.JSONBody, op.BodyType)
		}
	}
}
