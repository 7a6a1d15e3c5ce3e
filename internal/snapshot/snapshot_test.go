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

package snapshot

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator"
	"github.com/taskrouter-operator/taskrouter-operator/internal/taskrouter"
)

func account(t *testing.T) (*emulator.Emulator, *taskrouter.Account) {
	t.Helper()
	emu := emulator.New(emulator.Config{})
	server := httptest.NewServer(emu)
	t.Cleanup(server.Close)
	client := taskrouter.New(taskrouter.Config{TaskRouterBaseURL: server.URL, EventBridgeBaseURL: server.URL, QPS: 1000, Burst: 1000})
	acct, err := client.Account(taskrouter.Credentials{AccountSID: emulator.DevAccountSID, APIKeySID: emulator.DevAPIKeySID,
		APIKeySecret: emulator.DevAPIKeySecret}, taskrouter.AuthBasic)
	if err != nil {
		t.Fatal(err)
	}
	return emu, acct
}

func TestFindWorkspace(t *testing.T) {
	emu, acct := account(t)
	admin := emu.Admin()
	acme, err := admin.CreateWorkspace(url.Values{"FriendlyName": {"Acme"}})
	if err != nil {
		t.Fatal(err)
	}
	twin1, _ := admin.CreateWorkspace(url.Values{"FriendlyName": {"Twin"}})
	twin2, _ := admin.CreateWorkspace(url.Values{"FriendlyName": {"Twin"}})
	tests := []struct {
		ref, want, wantErr string
	}{
		{acme.SID, acme.SID, ""},
		{"Acme", acme.SID, ""},
		{"acme", "", `no workspace named "acme" in account ` + emulator.DevAccountSID + `: give its exact friendly name or its SID (WS...)`},
		{"WS0123456789abcdef0123456789abcdef", "", "workspace WS0123456789abcdef0123456789abcdef does not exist in account " + emulator.DevAccountSID},
		{"Twin", "", `2 workspaces are named "Twin" (` + twin1.SID + ", " + twin2.SID + `): give the SID of the one you mean`},
	}
	for _, tt := range tests {
		t.Run(tt.ref, func(t *testing.T) {
			ws, err := FindWorkspace(context.Background(), acct, tt.ref)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if ws.SID != tt.want || got != tt.wantErr {
				t.Errorf("FindWorkspace(%q) = %s, %q; want %s, %q", tt.ref, ws.SID, got, tt.want, tt.wantErr)
			}
		})
	}
}

// Workers come with their attributes, at the cost of one list and one fetch each; the other parts
// are one list call each, and only the parts asked for are read.
func TestReadCostsOneListPerKindAndAFetchPerWorker(t *testing.T) {
	emu, acct := account(t)
	admin := emu.Admin()
	ws, _ := admin.CreateWorkspace(url.Values{"FriendlyName": {"Acme"}})
	for _, name := range []string{"alice", "bob", "carol"} {
		if _, err := admin.CreateWorker(ws.SID, url.Values{"FriendlyName": {name}, "Attributes": {`{"name":"` + name + `"}`}}); err != nil {
			t.Fatal(err)
		}
	}
	remote, err := acct.Workspaces().Fetch(context.Background(), ws.SID)
	if err != nil {
		t.Fatal(err)
	}
	emu.ResetRequests()
	s, err := Read(context.Background(), acct, remote, Parts{TaskQueues: true, Workers: true})
	if err != nil {
		t.Fatal(err)
	}
	var attributes []string
	for _, w := range s.Workers {
		attributes = append(attributes, w.Attributes)
	}
	if diff := cmp.Diff([]string{`{"name":"alice"}`, `{"name":"bob"}`, `{"name":"carol"}`}, attributes); diff != "" {
		t.Errorf("worker attributes (-want +got):\n%s", diff)
	}
	calls := map[string]int{}
	for _, r := range emu.Requests() {
		calls[r.Method+" "+strings.TrimPrefix(r.Route, "/v1/Workspaces/{WorkspaceSid}")]++
	}
	want := map[string]int{http.MethodGet + " /TaskQueues": 1, http.MethodGet + " /Workers": 1, http.MethodGet + " /Workers/{Sid}": 3}
	if diff := cmp.Diff(want, calls); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
	if len(s.Activities)+len(s.TaskChannels)+len(s.Workflows) != 0 {
		t.Errorf("read parts not asked for: %+v", s)
	}
}

// Each worker's channels cost one more list call per worker, and come by worker SID as TaskRouter
// reports them.
func TestReadWorkerChannels(t *testing.T) {
	emu, acct := account(t)
	admin := emu.Admin()
	ws, _ := admin.CreateWorkspace(url.Values{"FriendlyName": {"Acme"}})
	var sids []string
	for _, name := range []string{"alice", "bob"} {
		w, err := admin.CreateWorker(ws.SID, url.Values{"FriendlyName": {name}})
		if err != nil {
			t.Fatal(err)
		}
		sids = append(sids, w.SID)
	}
	if _, err := admin.UpdateWorkerChannel(ws.SID, sids[1], "chat", url.Values{"Capacity": {"3"}, "Available": {"false"}}); err != nil {
		t.Fatal(err)
	}
	remote, err := acct.Workspaces().Fetch(context.Background(), ws.SID)
	if err != nil {
		t.Fatal(err)
	}
	emu.ResetRequests()
	s, err := Read(context.Background(), acct, remote, Parts{Workers: true, WorkerChannels: true})
	if err != nil {
		t.Fatal(err)
	}
	type channel struct {
		Name      string
		Capacity  int
		Available bool
	}
	got := map[string][]channel{}
	for sid, channels := range s.WorkerChannels {
		for _, c := range channels {
			got[sid] = append(got[sid], channel{c.TaskChannelUniqueName, c.ConfiguredCapacity, c.Available})
		}
	}
	builtIn := func(chat channel) []channel {
		return []channel{{"default", 1, true}, {"voice", 1, true}, chat, {"sms", 1, true}, {"video", 1, true}}
	}
	want := map[string][]channel{sids[0]: builtIn(channel{"chat", 1, true}), sids[1]: builtIn(channel{"chat", 3, false})}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("worker channels (-want +got):\n%s", diff)
	}
	calls := map[string]int{}
	for _, r := range emu.Requests() {
		calls[r.Method+" "+strings.TrimPrefix(r.Route, "/v1/Workspaces/{WorkspaceSid}")]++
	}
	wantCalls := map[string]int{http.MethodGet + " /Workers": 1, http.MethodGet + " /Workers/{Sid}": 2, http.MethodGet + " /Workers/{WorkerSid}/Channels": 2}
	if diff := cmp.Diff(wantCalls, calls); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
}
