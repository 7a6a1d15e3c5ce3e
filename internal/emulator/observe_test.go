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
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// TestRequestRecording checks what is recorded of REST calls and the helpers
// tests use to query it.
func TestRequestRecording(t *testing.T) {
	h := newHarness(t, Config{})
	ws := h.workspace("recorded")
	h.call(http.MethodGet, "/v1/Workspaces/"+ws+"/TaskQueues", vals("FriendlyName", "q"))
	h.callAs("", "", http.MethodGet, "/v1/Workspaces/"+ws, nil, nil)
	want := []Request{
		{Method: "POST", Path: "/v1/Workspaces", Route: "/v1/Workspaces", Status: 201, Via: ViaREST, Params: vals("FriendlyName", "recorded"), Write: true},
		{Method: "GET", Path: "/v1/Workspaces/" + ws + "/TaskQueues", Route: "/v1/Workspaces/{WorkspaceSid}/TaskQueues", Status: 200, Via: ViaREST, Params: vals("FriendlyName", "q")},
		{Method: "GET", Path: "/v1/Workspaces/" + ws, Route: "/v1/Workspaces/{Sid}", Status: 401, Via: ViaREST, Params: vals()},
	}
	if diff := cmp.Diff(want, h.emu.Requests(), cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
	if n := h.emu.CountRequests(func(r Request) bool { return r.Write }); n != 1 {
		t.Errorf("writes = %d, want 1", n)
	}
	h.emu.ResetRequests()
	if n := len(h.emu.Requests()); n != 0 {
		t.Errorf("%d requests after reset", n)
	}
	h.emu.Admin().Workspaces()
	if n := len(h.emu.Requests()); n != 0 {
		t.Errorf("Admin calls were recorded: %d", n)
	}
}

// TestMetrics checks the requests counter on /metrics.
func TestMetrics(t *testing.T) {
	h := newHarness(t, Config{})
	h.workspace("m")
	h.checkSpec = false
	h.call(http.MethodGet, "/v1/Nowhere/"+strings.Repeat("x", 10), nil)
	res, err := http.Get(h.srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	for _, line := range []string{
		`taskrouter_emulator_requests_total{code="201",method="POST",route="/v1/Workspaces"} 1`,
		`taskrouter_emulator_requests_total{code="404",method="GET",route="unmatched"} 1`,
	} {
		if !strings.Contains(string(body), line) {
			t.Errorf("/metrics lacks %s:\n%s", line, body)
		}
	}
}

// TestAdmin checks the back door: creating with the API's rules, moving a worker
// as an agent does, counting by name and deleting out of band.
func TestAdmin(t *testing.T) {
	h := newHarness(t, Config{})
	admin := h.emu.Admin()
	ws, err := admin.CreateWorkspace(vals("FriendlyName", "admin"))
	if err != nil {
		t.Fatal(err)
	}
	worker, err := admin.CreateWorker(ws.SID, vals("FriendlyName", "Carol", "Attributes", `{"skills":["billing"]}`))
	if err != nil {
		t.Fatal(err)
	}
	_, err = admin.CreateWorker(ws.SID, vals("FriendlyName", "carol"))
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Status != http.StatusBadRequest || apiErr.Code != CodeInvalidParameter {
		t.Errorf("duplicate worker through Admin: %v, want a 400 20001 *APIError", err)
	}
	if n := admin.CountByFriendlyName(KindWorker, ws.SID, "CAROL"); n != 1 {
		t.Errorf("CountByFriendlyName(worker CAROL) = %d, want 1", n)
	}
	var availableSID string
	for _, a := range admin.Activities(ws.SID) {
		if a.Available {
			availableSID = a.SID
		}
	}
	h.clock.now = h.clock.now.Add(90_000_000_000)
	if err := admin.SetWorkerActivity(ws.SID, worker.SID, availableSID); err != nil {
		t.Fatal(err)
	}
	moved, _ := admin.Worker(ws.SID, worker.SID)
	if moved.ActivitySID != availableSID || !moved.DateStatusChanged.After(worker.DateStatusChanged) || moved.Version <= worker.Version {
		t.Errorf("after SetWorkerActivity: %+v", moved)
	}
	got := h.call(http.MethodGet, "/v1/Workspaces/"+ws.SID+"/Workers/"+worker.SID, nil)
	if got.body["available"] != true || got.str("activity_name") != "Available" {
		t.Errorf("REST view after agent change: %s", got.raw)
	}
	if err := admin.Delete(worker.SID); err != nil {
		t.Fatal(err)
	}
	if _, found := admin.Worker(ws.SID, worker.SID); found {
		t.Error("worker still there after Admin.Delete")
	}
	if err := admin.Delete(ws.DefaultActivitySID); err == nil {
		t.Error("Admin.Delete removed the default activity")
	}
	if err := admin.Delete(ws.SID); err != nil {
		t.Fatal(err)
	}
	if len(admin.Workspaces()) != 0 || len(admin.Activities(ws.SID)) != 0 {
		t.Error("workspace or its activities survived Admin.Delete")
	}
}
