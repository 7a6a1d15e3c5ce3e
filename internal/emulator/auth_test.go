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
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/taskrouter-operator/taskrouter-operator/internal/capability"
)

// channelCall posts a channel message for the inner method and url (relative to
// the emulator) to /v1/wschannels/{account}/{channel}.
func (h *harness) channelCall(account, channel, token, method, path string, params map[string]any) response {
	h.t.Helper()
	body, err := json.Marshal(map[string]any{"url": h.srv.URL + path, "method": method, "params": params, "token": token})
	if err != nil {
		h.t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, h.srv.URL+"/v1/wschannels/"+account+"/"+channel, bytes.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	return h.send(req)
}

// minter signs tokens for this emulator's account, against its own URL.
func (h *harness) minter() capability.Minter {
	return capability.Minter{AccountSID: h.emu.cfg.AccountSID, AuthToken: h.emu.cfg.AuthToken,
		URLs: capability.URLs{TaskRouter: h.srv.URL, EventBridge: h.srv.URL}, Now: h.clock.Now}
}

func (h *harness) mint(m capability.Minter, ws, channel string, policies []capability.Policy, ttl time.Duration) string {
	h.t.Helper()
	token, _, err := m.Mint(capability.Grant{WorkspaceSID: ws, Channel: channel, Policies: policies, TTL: ttl})
	if err != nil {
		h.t.Fatalf("mint: %v", err)
	}
	return token
}

// TestBasicAuthMatrix asserts each credential case of the REST API.
func TestBasicAuthMatrix(t *testing.T) {
	h := newHarness(t, Config{AccountSID: "AC" + strings.Repeat("a", 32), AuthToken: "token-1",
		APIKeySID: "SK" + strings.Repeat("b", 32), APIKeySecret: "secret-1"})
	cfg := h.emu.cfg
	cases := []struct {
		name, user, pass string
		status           int
	}{
		{"no credentials", "", "", http.StatusUnauthorized},
		{"wrong auth token", cfg.AccountSID, "token-2", http.StatusUnauthorized},
		{"wrong api key secret", cfg.APIKeySID, "secret-2", http.StatusUnauthorized},
		{"api key secret with account sid", cfg.AccountSID, "secret-1", http.StatusUnauthorized},
		{"unknown user", "AC" + strings.Repeat("c", 32), "token-1", http.StatusUnauthorized},
		{"auth token", cfg.AccountSID, "token-1", http.StatusOK},
		{"api key", cfg.APIKeySID, "secret-1", http.StatusOK},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h.t = t
			got := h.callAs(tc.user, tc.pass, http.MethodGet, "/v1/Workspaces", nil, nil)
			if got.status != tc.status {
				t.Fatalf("status %d, want %d: %s", got.status, tc.status, got.raw)
			}
			if tc.status == http.StatusUnauthorized && got.code() != CodeAuthenticate {
				t.Errorf("code %d, want %d", got.code(), CodeAuthenticate)
			}
		})
	}
}

// TestChannelMatrix asserts each case of the event-bridge channel: token checks,
// scoping to account, channel and workspace, policies, and a covered call.
func TestChannelMatrix(t *testing.T) {
	h := newHarness(t, Config{})
	ws, other := h.workspace("token-ws"), h.workspace("other-ws")
	queue := h.mustCreate("/v1/Workspaces/"+ws+"/TaskQueues", vals("FriendlyName", "q")).str("sid")
	m := h.minter()
	urls := m.URLs
	fetchOnly, err := urls.WorkspacePolicies(ws, capability.WorkspaceFetchSubresources, capability.WorkspaceDelete)
	if err != nil {
		t.Fatal(err)
	}
	good := h.mint(m, ws, ws, fetchOnly, 0)
	queueOnly, err := urls.TaskQueuePolicies(ws, queue, capability.TaskQueueFetchSubresources)
	if err != nil {
		t.Fatal(err)
	}
	queueToken := h.mint(m, ws, queue, queueOnly, 0)
	forged := m
	forged.AuthToken = "not-the-auth-token"
	stale := m
	stale.Now = func() time.Time { return h.clock.Now().Add(-2 * time.Hour) }
	otherAccount := m
	otherAccount.AccountSID = "AC" + strings.Repeat("9", 32)
	account := h.emu.cfg.AccountSID
	queuePath := "/v1/Workspaces/" + ws + "/TaskQueues/" + queue
	cases := []struct {
		name, account, channel, token, method, path string
		params                                      map[string]any
		status                                      int
		message                                     string
	}{
		{"bad signature", account, ws, h.mint(forged, ws, ws, fetchOnly, 0), "GET", queuePath, nil, 401, "invalid signature"},
		{"expired", account, ws, h.mint(stale, ws, ws, fetchOnly, 0), "GET", queuePath, nil, 401, "expired"},
		{"other account", account, ws, h.mint(otherAccount, ws, ws, fetchOnly, 0), "GET", queuePath, nil, 401, "another account"},
		{"malformed token", account, ws, "not.a.jwt", "GET", queuePath, nil, 401, "malformed"},
		{"path account mismatch", otherAccount.AccountSID, ws, good, "GET", queuePath, nil, 403, "not the token's account"},
		{"channel mismatch", account, queue, good, "GET", queuePath, nil, 403, "not the token's channel"},
		{"other workspace", account, ws, good, "GET", "/v1/Workspaces/" + other + "/TaskQueues", nil, 403, "not the token's workspace"},
		{"uncovered method", account, ws, good, "POST", queuePath, map[string]any{"FriendlyName": "x"}, 403, "Policy did not allow POST"},
		{"uncovered url", account, queue, queueToken, "GET", "/v1/Workspaces/" + ws + "/Workers", nil, 403, "Policy did not allow GET"},
		{"fetch self", account, ws, good, "GET", "/v1/Workspaces/" + ws, nil, 200, ""},
		{"workspace create", account, ws, good, "POST", "/v1/Workspaces", map[string]any{"FriendlyName": "x"}, 403, "Policy did not allow"},
		{"workspace delete", account, ws, good, "DELETE", "/v1/Workspaces/" + ws, nil, 403, "scoped to one workspace"},
		{"covered fetch", account, ws, good, "GET", queuePath, nil, 200, ""},
		{"covered call, inner 404", account, ws, good, "GET", queuePath + "x", nil, 404, "not found"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h.t = t
			got := h.channelCall(tc.account, tc.channel, tc.token, tc.method, tc.path, tc.params)
			if got.status != tc.status || !strings.Contains(got.str("message"), tc.message) {
				t.Fatalf("got %d %q, want %d containing %q", got.status, got.str("message"), tc.status, tc.message)
			}
			if got.status >= 400 && got.code() == 0 {
				t.Errorf("error without a Twilio body: %s", got.raw)
			}
		})
	}
	if n := len(h.emu.Admin().Workspaces()); n != 2 {
		t.Errorf("%d workspaces after refused channel calls, want 2", n)
	}
}

// TestChannelCoveredCall checks the answer of an allowed call and its record.
func TestChannelCoveredCall(t *testing.T) {
	h := newHarness(t, Config{})
	ws := h.workspace("channel")
	queue := h.mustCreate("/v1/Workspaces/"+ws+"/TaskQueues", vals("FriendlyName", "q")).str("sid")
	m := h.minter()
	policies, err := m.URLs.TaskQueuePolicies(ws, queue, capability.TaskQueueUpdates)
	if err != nil {
		t.Fatal(err)
	}
	token := h.mint(m, ws, queue, policies, 0)
	h.emu.ResetRequests()
	path := "/v1/Workspaces/" + ws + "/TaskQueues/" + queue
	got := h.channelCall(h.emu.cfg.AccountSID, queue, token, "POST", path, map[string]any{"FriendlyName": "renamed", "MaxReservedWorkers": 3})
	if got.status != http.StatusOK || got.str("event_type") != "task_queue.updated" {
		t.Fatalf("got %d %s", got.status, got.raw)
	}
	payload, _ := got.body["payload"].(map[string]any)
	if payload["friendly_name"] != "renamed" || payload["max_reserved_workers"] != float64(3) {
		t.Errorf("payload = %v", payload)
	}
	if payload["url"] != h.srv.URL+path {
		t.Errorf("payload url %v, want the caller's base URL %s", payload["url"], h.srv.URL+path)
	}
	raw, _ := json.Marshal(payload)
	if err := h.spec.CheckResponse("POST", path, http.StatusOK, raw); err != nil {
		t.Errorf("payload does not meet the spec: %v", err)
	}
	reqs := h.emu.Requests()
	if len(reqs) != 1 || reqs[0].Via != ViaChannel || reqs[0].Claims == nil || reqs[0].Claims.Channel != queue ||
		reqs[0].Route != "/v1/Workspaces/{WorkspaceSid}/TaskQueues/{Sid}" || !reqs[0].Write || reqs[0].Status != 200 {
		t.Errorf("recorded %+v", reqs)
	}
	malformed, err := http.Post(h.srv.URL+"/v1/wschannels/"+h.emu.cfg.AccountSID+"/"+queue, "application/json", strings.NewReader("{"))
	if err != nil {
		t.Fatal(err)
	}
	malformed.Body.Close()
	if malformed.StatusCode != http.StatusBadRequest {
		t.Errorf("malformed body: %d, want 400", malformed.StatusCode)
	}
}
