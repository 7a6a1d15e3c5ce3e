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
	"bytes"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/taskrouter-operator/taskrouter-operator/internal/capability"
)

// channelRaw posts a channel message whose params object is written by hand,
// so a test can put bytes in it that encoding/json would never produce.
func (h *harness) channelRaw(channel, token, method, path, paramsJSON string) response {
	h.t.Helper()
	body := `{"url":"` + h.srv.URL + path + `","method":"` + method + `","token":"` + token + `","params":` + paramsJSON + `}`
	req, err := http.NewRequest(http.MethodPost, h.srv.URL+"/v1/wschannels/"+h.emu.cfg.AccountSID+"/"+channel, bytes.NewReader([]byte(body)))
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	return h.send(req)
}

// TestTextParametersMustBeUTF8 refuses, with 400 (20001) naming the parameter,
// a text parameter that is not UTF-8, whichever way it comes: a form body, a
// query string, the channel's JSON params (raw bytes or a lone surrogate
// escape, which encoding/json would quietly turn into U+FFFD) or a channel
// url's query. Nothing is created or changed.
func TestTextParametersMustBeUTF8(t *testing.T) {
	h := newHarness(t, Config{})
	ws := h.workspace("utf8")
	base := "/v1/Workspaces/" + ws
	queue := h.mustCreate(base+"/TaskQueues", vals("FriendlyName", "q")).str("sid")
	m := h.minter()
	policies, err := m.URLs.WorkspacePolicies(ws, capability.WorkspaceFetchSubresources, capability.WorkspaceUpdatesSubresources)
	if err != nil {
		t.Fatal(err)
	}
	token := h.mint(m, ws, ws, policies, time.Hour)
	queuePath := base + "/TaskQueues/" + queue
	cases := []struct {
		name  string
		send  func() response
		param string
	}{
		{"REST form FriendlyName", func() response {
			return h.call(http.MethodPost, "/v1/Workspaces", vals("FriendlyName", "caf\xe9"))
		}, "FriendlyName"},
		{"REST form TargetWorkers", func() response {
			return h.call(http.MethodPost, queuePath, vals("TargetWorkers", "name == '\xff'"))
		}, "TargetWorkers"},
		{"REST form Attributes", func() response {
			return h.call(http.MethodPost, base+"/Workers", vals("FriendlyName", "w", "Attributes", "{\"name\":\"\xc3\"}"))
		}, "Attributes"},
		{"REST query FriendlyName", func() response {
			return h.call(http.MethodGet, base+"/TaskQueues", vals("FriendlyName", "\xff"))
		}, "FriendlyName"},
		{"channel params, raw byte", func() response {
			return h.channelRaw(ws, token, http.MethodPost, queuePath, "{\"FriendlyName\":\"caf\xe9\"}")
		}, "FriendlyName"},
		{"channel params, lone surrogate escape", func() response {
			return h.channelRaw(ws, token, http.MethodPost, queuePath, `{"FriendlyName":"x\ud800y"}`)
		}, "FriendlyName"},
		{"channel url query", func() response {
			return h.channelRaw(ws, token, http.MethodGet, base+"/TaskQueues?FriendlyName=%FF", `{}`)
		}, "FriendlyName"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h.t = t
			got := tc.send()
			if got.status != http.StatusBadRequest || got.code() != CodeInvalidParameter ||
				!strings.Contains(got.str("message"), "Parameter "+tc.param+" is not UTF-8") {
				t.Errorf("got %d %d %q, want 400 20001 naming %s", got.status, got.code(), got.str("message"), tc.param)
			}
		})
	}
	h.t = t
	if n := len(h.emu.Admin().Workspaces()) + len(h.emu.Admin().Workers(ws)); n != 1 {
		t.Errorf("%d workspaces and workers, want only the fixture's workspace", n)
	}
	if q, _ := h.emu.Admin().TaskQueue(ws, queue); q.FriendlyName != "q" || q.TargetWorkers != "1==1" {
		t.Errorf("refused calls changed the queue: %+v", q)
	}
	// A surrogate pair is a character like any other.
	paired := h.channelRaw(ws, token, http.MethodPost, queuePath, `{"FriendlyName":"q \ud83d\ude00"}`)
	if q, _ := h.emu.Admin().TaskQueue(ws, queue); paired.status != http.StatusOK || q.FriendlyName != "q \U0001F600" {
		t.Errorf("surrogate pair: %d %s, name %q", paired.status, paired.raw, q.FriendlyName)
	}
}

// TestJSONBodyIsNotReadAsParameters sends JSON where TaskRouter takes form
// data: the body is not read, as TaskRouter does not read it. A create is
// refused for its missing required parameter; an update changes nothing and
// answers 200 with the resource as it was, the record showing no parameters.
// Only the bulk statistics call takes JSON, and only JSON.
func TestJSONBodyIsNotReadAsParameters(t *testing.T) {
	h := newHarness(t, Config{})
	ws := h.workspace("json")
	base := "/v1/Workspaces/" + ws
	queue := h.mustCreate(base+"/TaskQueues", vals("FriendlyName", "q")).str("sid")
	for _, path := range []string{"/v1/Workspaces", base + "/TaskQueues", base + "/Workers"} {
		got := h.postJSON(path, map[string]any{"FriendlyName": "from-json"})
		if got.status != http.StatusBadRequest || !strings.Contains(got.str("message"), "Missing required parameter FriendlyName") {
			t.Errorf("create %s with a JSON body: %d %q, want 400 missing FriendlyName", path, got.status, got.str("message"))
		}
	}
	if n := h.emu.Admin().CountByFriendlyName(KindWorkspace, "", "from-json") +
		h.emu.Admin().CountByFriendlyName(KindTaskQueue, ws, "from-json"); n != 0 {
		t.Errorf("%d objects were created from JSON bodies", n)
	}
	h.emu.ResetRequests()
	updated := h.postJSON(base+"/TaskQueues/"+queue, map[string]any{"FriendlyName": "renamed", "MaxReservedWorkers": 5})
	if updated.status != http.StatusOK || updated.str("friendly_name") != "q" || updated.body["max_reserved_workers"] != 1.0 {
		t.Errorf("update with a JSON body: %d %s, want 200 with the queue unchanged", updated.status, updated.raw)
	}
	if reqs := h.emu.Requests(); len(reqs) != 1 || len(reqs[0].Params) != 0 {
		t.Errorf("recorded %+v, want one call without parameters", reqs)
	}
	bulk := base + "/TaskQueues/RealTimeStatistics"
	if got := h.postJSON(bulk, map[string]any{"QueueSids": []string{queue}}); got.status != http.StatusOK {
		t.Errorf("bulk statistics with JSON: %d %s", got.status, got.raw)
	}
	if got := h.call(http.MethodPost, bulk, url.Values{"QueueSids": {queue}}); got.status != http.StatusBadRequest ||
		!strings.Contains(got.str("message"), "QueueSids must list") {
		t.Errorf("bulk statistics with a form body: %d %q, want 400 for the missing QueueSids", got.status, got.str("message"))
	}
}

// TestBodyLargerThanTaskRouterTakes answers 400 to a body over the 4 MiB cap,
// REST or channel, instead of reading it all.
func TestBodyLargerThanTaskRouterTakes(t *testing.T) {
	emu := New(Config{})
	huge := strings.Repeat("x", maxBodyBytes)
	for _, tc := range []struct{ path, contentType, body string }{
		{"/v1/Workspaces", "application/x-www-form-urlencoded", "FriendlyName=" + huge},
		{"/v1/wschannels/" + DevAccountSID + "/WS00000000000000000000000000000000", "application/json", `{"url":"` + huge + `"}`},
	} {
		req := httptest.NewRequest(http.MethodPost, tc.path, strings.NewReader(tc.body))
		req.Header.Set("Content-Type", tc.contentType)
		req.SetBasicAuth(DevAccountSID, DevAuthToken)
		rec := httptest.NewRecorder()
		emu.ServeHTTP(rec, req)
		if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "larger than the 4194304 bytes") {
			t.Errorf("%s: %d %.200s, want 400 naming the limit", tc.path, rec.Code, rec.Body)
		}
	}
}
