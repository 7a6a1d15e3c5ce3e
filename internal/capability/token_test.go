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

package capability

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// Literal fixtures: the expected claims below are written out from NOTES.md and the helper
// libraries, never computed by this package.
const (
	testAccount   = "AC00000000000000000000000000000001"
	testAuthToken = "test-auth-token-0123456789abcdef"
	testNowUnix   = 1_700_000_000
)

var testNow = time.Unix(testNowUnix, 0)

func testMinter() Minter {
	return Minter{AccountSID: testAccount, AuthToken: testAuthToken, Now: func() time.Time { return testNow }}
}

// p writes one expected policy as the JSON object a helper library emits.
func p(url, method string, postFilter map[string]any) map[string]any {
	if postFilter == nil {
		postFilter = map[string]any{}
	}
	return map[string]any{"url": url, "method": method, "query_filter": map[string]any{}, "post_filter": postFilter, "allow": true}
}

// channelPolicies are the two event-bridge policies every token starts with.
func channelPolicies(channel string) []any {
	url := "https://event-bridge.twilio.com/v1/wschannels/" + testAccount + "/" + channel
	return []any{p(url, "GET", nil), p(url, "POST", nil)}
}

// decodePayload reads a JWT's claim segment as plain JSON, independent of the jwt library.
func decodePayload(t *testing.T, token string) (header, payload map[string]any) {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("token has %d segments, want 3", len(parts))
	}
	for i, dst := range []*map[string]any{&header, &payload} {
		raw, err := base64.RawURLEncoding.DecodeString(parts[i])
		if err != nil {
			t.Fatalf("decode segment %d: %v", i, err)
		}
		if err := json.Unmarshal(raw, dst); err != nil {
			t.Fatalf("unmarshal segment %d: %v", i, err)
		}
	}
	return header, payload
}

const (
	goldenWS  = "https://taskrouter.twilio.com/v1/Workspaces/WS1"
	goldenWQ  = "https://taskrouter.twilio.com/v1/Workspaces/WS1/TaskQueues/WQ1"
	goldenWK  = "https://taskrouter.twilio.com/v1/Workspaces/WS1/Workers/WK1"
	goldenExp = float64(testNowUnix + 3600)
)

// goldenClaims is the literal claim set of a default-TTL token on channel, with policies
// after the two channel policies and extra claims (worker_sid, taskqueue_sid) merged in.
func goldenClaims(channel string, extra map[string]any, policies ...any) map[string]any {
	m := map[string]any{
		"iss": testAccount, "exp": goldenExp, "version": "v1", "friendly_name": channel,
		"account_sid": testAccount, "channel": channel, "workspace_sid": "WS1",
		"policies": append(channelPolicies(channel), policies...),
	}
	for k, v := range extra {
		m[k] = v
	}
	return m
}

// goldenCase mints the policies of one capability set on channel and expects want.
type goldenCase struct {
	name     string
	policies func() ([]Policy, error)
	channel  string
	want     map[string]any
}

func runGolden(t *testing.T, tests []goldenCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			policies, err := tt.policies()
			if err != nil {
				t.Fatalf("policies: %v", err)
			}
			token, expires, err := testMinter().Mint(Grant{WorkspaceSID: "WS1", Channel: tt.channel, Policies: policies})
			if err != nil {
				t.Fatalf("Mint: %v", err)
			}
			header, payload := decodePayload(t, token)
			if diff := cmp.Diff(map[string]any{"alg": "HS256", "typ": "JWT"}, header); diff != "" {
				t.Errorf("header (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.want, payload); diff != "" {
				t.Errorf("claims (-want +got):\n%s", diff)
			}
			if !expires.Equal(time.Unix(testNowUnix+3600, 0)) {
				t.Errorf("expires = %v, want %v", expires, time.Unix(testNowUnix+3600, 0))
			}
		})
	}
}

func TestMintGoldenWorkspaceClaims(t *testing.T) {
	u := URLs{}
	ws, base := goldenWS, goldenClaims
	runGolden(t, []goldenCase{
		{"workspace fetch self only", func() ([]Policy, error) { return u.WorkspacePolicies("WS1") }, "WS1",
			base("WS1", nil, p(ws, "GET", nil))},
		{"workspace FetchSubresources", func() ([]Policy, error) { return u.WorkspacePolicies("WS1", "FetchSubresources") }, "WS1",
			base("WS1", nil, p(ws, "GET", nil), p(ws+"/**", "GET", nil))},
		{"workspace Updates", func() ([]Policy, error) { return u.WorkspacePolicies("WS1", "Updates") }, "WS1",
			base("WS1", nil, p(ws, "GET", nil), p(ws, "POST", nil))},
		{"workspace UpdatesSubresources", func() ([]Policy, error) { return u.WorkspacePolicies("WS1", "UpdatesSubresources") }, "WS1",
			base("WS1", nil, p(ws, "GET", nil), p(ws+"/**", "POST", nil))},
		{"workspace Delete", func() ([]Policy, error) { return u.WorkspacePolicies("WS1", "Delete") }, "WS1",
			base("WS1", nil, p(ws, "GET", nil), p(ws, "DELETE", nil))},
		{"workspace DeleteSubresources", func() ([]Policy, error) { return u.WorkspacePolicies("WS1", "DeleteSubresources") }, "WS1",
			base("WS1", nil, p(ws, "GET", nil), p(ws+"/**", "DELETE", nil))},
		{"workspace all, repeated name once", func() ([]Policy, error) {
			return u.WorkspacePolicies("WS1", "FetchSubresources", "UpdatesSubresources", "DeleteSubresources", "FetchSubresources")
		}, "WS1",
			base("WS1", nil, p(ws, "GET", nil), p(ws+"/**", "GET", nil), p(ws+"/**", "POST", nil), p(ws+"/**", "DELETE", nil))},
	})
}

func TestMintGoldenTaskQueueClaims(t *testing.T) {
	u := URLs{}
	wq, base := goldenWQ, goldenClaims
	runGolden(t, []goldenCase{
		{"task queue fetch self only", func() ([]Policy, error) { return u.TaskQueuePolicies("WS1", "WQ1") }, "WQ1",
			base("WQ1", map[string]any{"taskqueue_sid": "WQ1"}, p(wq, "GET", nil))},
		{"task queue FetchSubresources", func() ([]Policy, error) { return u.TaskQueuePolicies("WS1", "WQ1", "FetchSubresources") }, "WQ1",
			base("WQ1", map[string]any{"taskqueue_sid": "WQ1"}, p(wq, "GET", nil), p(wq+"/**", "GET", nil))},
		{"task queue Updates", func() ([]Policy, error) { return u.TaskQueuePolicies("WS1", "WQ1", "Updates") }, "WQ1",
			base("WQ1", map[string]any{"taskqueue_sid": "WQ1"}, p(wq, "GET", nil), p(wq, "POST", nil))},
		{"task queue Delete", func() ([]Policy, error) { return u.TaskQueuePolicies("WS1", "WQ1", "Delete") }, "WQ1",
			base("WQ1", map[string]any{"taskqueue_sid": "WQ1"}, p(wq, "GET", nil), p(wq, "DELETE", nil))},
	})
}

func TestMintGoldenWorkerClaims(t *testing.T) {
	u := URLs{}
	ws, wk, base := goldenWS, goldenWK, goldenClaims
	workerDefault := []any{
		p(wk, "GET", nil),
		p(ws+"/Activities", "GET", nil),
		p(ws+"/Tasks/**", "GET", nil),
		p(wk+"/Reservations/**", "GET", nil),
	}
	runGolden(t, []goldenCase{
		{"worker default set", func() ([]Policy, error) { return u.WorkerPolicies("WS1", "WK1") }, "WK1",
			base("WK1", map[string]any{"worker_sid": "WK1"}, workerDefault...)},
		{"worker ActivityUpdates", func() ([]Policy, error) { return u.WorkerPolicies("WS1", "WK1", "ActivityUpdates") }, "WK1",
			base("WK1", map[string]any{"worker_sid": "WK1"}, append(workerDefault[:4:4],
				p(wk, "POST", map[string]any{"ActivitySid": map[string]any{"required": true}}))...)},
		{"worker ReservationUpdates", func() ([]Policy, error) { return u.WorkerPolicies("WS1", "WK1", "ReservationUpdates") }, "WK1",
			base("WK1", map[string]any{"worker_sid": "WK1"}, append(workerDefault[:4:4],
				p(ws+"/Tasks/**", "POST", nil), p(wk+"/Reservations/**", "POST", nil))...)},
	})
}

func TestMintGrantOptions(t *testing.T) {
	m := testMinter()
	m.URLs = URLs{TaskRouter: "http://127.0.0.1:8080/", EventBridge: "http://127.0.0.1:8080"}
	m.Now = func() time.Time { return testNow.Add(400 * time.Millisecond) } // exp is whole seconds
	token, expires, err := m.Mint(Grant{
		WorkspaceSID: "WS1",
		Channel:      "WS1",
		FriendlyName: "operator",
		TTL:          10 * time.Minute,
		Policies: []Policy{
			{URL: "http://127.0.0.1:8080/v1/Workspaces/WS1", Method: "get", Allow: true},
			// A caller repeating the channel policy does not duplicate it.
			{URL: "http://127.0.0.1:8080/v1/wschannels/" + testAccount + "/WS1", Method: "POST", Allow: true},
		},
	})
	if err != nil {
		t.Fatalf("Mint: %v", err)
	}
	channel := "http://127.0.0.1:8080/v1/wschannels/" + testAccount + "/WS1"
	want := map[string]any{
		"iss": testAccount, "exp": float64(testNowUnix + 600), "version": "v1", "friendly_name": "operator",
		"account_sid": testAccount, "channel": "WS1", "workspace_sid": "WS1",
		"policies": []any{p(channel, "GET", nil), p(channel, "POST", nil), p("http://127.0.0.1:8080/v1/Workspaces/WS1", "GET", nil)},
	}
	_, payload := decodePayload(t, token)
	if diff := cmp.Diff(want, payload); diff != "" {
		t.Errorf("claims (-want +got):\n%s", diff)
	}
	if !expires.Equal(time.Unix(testNowUnix+600, 0)) {
		t.Errorf("expires = %v, want %v", expires, time.Unix(testNowUnix+600, 0))
	}
}

func TestMintRejectsBadInput(t *testing.T) {
	tests := []struct {
		name   string
		minter func(*Minter)
		grant  Grant
		want   string
	}{
		{"account sid", func(m *Minter) { m.AccountSID = "SK1" }, Grant{WorkspaceSID: "WS1", Channel: "WS1"}, `account sid "SK1" does not start with AC`},
		{"no auth token", func(m *Minter) { m.AuthToken = "" }, Grant{WorkspaceSID: "WS1", Channel: "WS1"}, "no auth token"},
		{"workspace sid", func(*Minter) {}, Grant{WorkspaceSID: "WQ1", Channel: "WS1"}, `workspace sid "WQ1" does not start with WS`},
		{"channel", func(*Minter) {}, Grant{WorkspaceSID: "WS1", Channel: "WW1"}, `channel "WW1" is not a WS, WQ or WK sid`},
		{"negative ttl", func(*Minter) {}, Grant{WorkspaceSID: "WS1", Channel: "WS1", TTL: -time.Second}, "negative ttl -1s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := testMinter()
			tt.minter(&m)
			token, _, err := m.Mint(tt.grant)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Mint error = %v, want one containing %q", err, tt.want)
			}
			if token != "" {
				t.Errorf("Mint returned a token with an error")
			}
			if strings.Contains(err.Error(), testAuthToken) {
				t.Errorf("error leaks the auth token: %v", err)
			}
		})
	}
}

func TestPolicyMarshalWritesEmptyFiltersAsObjects(t *testing.T) {
	got, err := json.Marshal(Policy{URL: "https://taskrouter.twilio.com/v1/Workspaces/WS1", Method: "GET", Allow: true})
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	want := `{"url":"https://taskrouter.twilio.com/v1/Workspaces/WS1","method":"GET","query_filter":{},"post_filter":{},"allow":true}`
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("policy JSON (-want +got):\n%s", diff)
	}
}

func TestURLs(t *testing.T) {
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"default resource", URLs{}.Resource("Workspaces/WS1/TaskQueues/WQ1"), "https://taskrouter.twilio.com/v1/Workspaces/WS1/TaskQueues/WQ1"},
		{"default channel", URLs{}.Channel("AC1", "WK1"), "https://event-bridge.twilio.com/v1/wschannels/AC1/WK1"},
		{"emulator resource", URLs{TaskRouter: "http://localhost:8080/"}.Resource("/Workspaces/WS1"), "http://localhost:8080/v1/Workspaces/WS1"},
		{"emulator channel", URLs{EventBridge: "http://localhost:8080"}.Channel("AC1", "WS1"), "http://localhost:8080/v1/wschannels/AC1/WS1"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}
