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

package taskrouter

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/taskrouter-operator/taskrouter-operator/internal/capability"
)

func TestChannelTransportScopesEachCallToItsObject(t *testing.T) {
	ctx := context.Background()
	ws := func(rest string) string { return "/v1/Workspaces/" + testWS + rest }
	tests := []struct {
		name    string
		call    func(w *WorkspaceClient) error
		payload string
		channel string
		url     string // TaskRouter path in the body
		method  string
		params  map[string]any
		sibling string // a path the token must not allow with the same method
	}{{
		name:    "fetch task queue on its own channel",
		call:    func(w *WorkspaceClient) error { _, err := w.TaskQueues().Fetch(ctx, testWQ); return err },
		channel: testWQ, url: ws("/TaskQueues/" + testWQ), method: "GET", params: map[string]any{},
		sibling: ws("/TaskQueues/" + testWQ2),
	}, {
		name: "update worker on its own channel",
		call: func(w *WorkspaceClient) error {
			_, err := w.Workers().Update(ctx, testWK, WorkerParams{Attributes: Ptr(`{"x":true}`), RejectPendingReservations: Ptr(true)})
			return err
		},
		channel: testWK, url: ws("/Workers/" + testWK), method: "POST",
		params:  map[string]any{"Attributes": `{"x":true}`, "RejectPendingReservations": "true"},
		sibling: ws("/Workers/WK00000000000000000000000000000002"),
	}, {
		name:    "delete workflow on the workspace channel",
		call:    func(w *WorkspaceClient) error { return w.Workflows().Delete(ctx, testWW) },
		payload: "null", channel: testWS, url: ws("/Workflows/" + testWW), method: "DELETE", params: map[string]any{},
		sibling: ws("/Workflows/WW00000000000000000000000000000002"),
	}, {
		name: "create activity with the collection scope",
		call: func(w *WorkspaceClient) error {
			_, err := w.Activities().Create(ctx, ActivityParams{FriendlyName: Ptr("Break"), Available: Ptr(false)})
			return err
		},
		channel: testWS, url: ws("/Activities"), method: "POST", params: map[string]any{"FriendlyName": "Break", "Available": "false"},
		sibling: ws("/TaskQueues"),
	}, {
		name:    "list workers with the collection scope",
		call:    func(w *WorkspaceClient) error { _, err := w.Workers().List(ctx, "alice"); return err },
		payload: `{"meta":{"key":"workers","next_page_url":null},"workers":[]}`,
		channel: testWS, url: ws("/Workers"), method: "GET", params: map[string]any{"FriendlyName": "alice", "PageSize": "1000"},
		sibling: ws("/Activities"),
	}, {
		name: "update workspace with the workspace scope",
		call: func(w *WorkspaceClient) error {
			_, err := w.a.Workspaces().Update(ctx, testWS, WorkspaceParams{TimeoutActivitySID: Ptr(testWA)})
			return err
		},
		channel: testWS, url: ws(""), method: "POST", params: map[string]any{"TimeoutActivitySid": testWA},
		sibling: ws("/Activities"),
	}, {
		name: "workflow statistics on the workspace channel",
		call: func(w *WorkspaceClient) error {
			_, err := w.FetchWorkflowStatistics(ctx, testWW, StatisticsQuery{Minutes: Ptr(30)})
			return err
		},
		channel: testWS, url: ws("/Workflows/" + testWW + "/Statistics"), method: "GET", params: map[string]any{"Minutes": "30"},
		sibling: ws("/Workflows/" + testWW),
	}, {
		name: "worker statistics on the worker channel",
		call: func(w *WorkspaceClient) error {
			_, err := w.FetchWorkerStatistics(ctx, testWK, StatisticsQuery{})
			return err
		},
		channel: testWK, url: ws("/Workers/" + testWK + "/Statistics"), method: "GET", params: map[string]any{},
		sibling: ws("/Workers/Statistics"),
	}, {
		name: "worker channel update on the worker channel, that channel only",
		call: func(w *WorkspaceClient) error {
			_, err := w.WorkerChannels(testWK).Update(ctx, "chat", WorkerChannelParams{Capacity: Ptr(2)})
			return err
		},
		channel: testWK, url: ws("/Workers/" + testWK + "/Channels/chat"), method: "POST", params: map[string]any{"Capacity": "2"},
		sibling: ws("/Workers/" + testWK + "/Channels/voice"),
	}, {
		name: "worker channel list on the worker channel, not the worker itself",
		call: func(w *WorkspaceClient) error {
			_, err := w.WorkerChannels(testWK).List(ctx)
			return err
		},
		payload: `{"meta":{"next_page_url":null},"channels":[]}`,
		channel: testWK, url: ws("/Workers/" + testWK + "/Channels"), method: "GET", params: map[string]any{"PageSize": "1000"},
		sibling: ws("/Workers/" + testWK),
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			payload := tt.payload
			if payload == "" {
				payload = "{}"
			}
			srv := newFakeServer(t, always(200, wrap(payload)))
			clock := newFakeClock()
			a := mustAccount(t, testClient(srv, clock), tokenCreds(), AuthCapabilityToken)
			if err := tt.call(a.Workspace(testWS)); err != nil {
				t.Fatalf("call: %v", err)
			}
			reqs := srv.Requests()
			if len(reqs) != 1 {
				t.Fatalf("got %d requests, want 1", len(reqs))
			}
			r := reqs[0]
			if r.Method != http.MethodPost || r.Path != "/v1/wschannels/"+testAccount+"/"+tt.channel || r.Header.Get("Authorization") != "" {
				t.Errorf("channel request = %s %s (Authorization %q), want POST on channel %s without Authorization", r.Method, r.Path, r.Header.Get("Authorization"), tt.channel)
			}
			msg := channelMessage(t, r)
			got := map[string]any{"url": msg.URL, "method": msg.Method, "params": msg.Params}
			want := map[string]any{"url": srv.URL + tt.url, "method": tt.method, "params": tt.params}
			if diff := cmp.Diff(want, decodeAny(t, got)); diff != "" {
				t.Errorf("channel body (-want +got):\n%s", diff)
			}
			claims, err := capability.Verify(msg.Token, testAccount, testAuthToken, clock.Now())
			if err != nil {
				t.Fatalf("token does not verify: %v", err)
			}
			if claims.Channel != tt.channel || claims.WorkspaceSID != testWS {
				t.Errorf("token channel %s workspace %s, want %s %s", claims.Channel, claims.WorkspaceSID, tt.channel, testWS)
			}
			query, form := paramsAsValues(msg.Params), url.Values{}
			if tt.method == http.MethodPost {
				query, form = url.Values{}, query
			}
			if !capability.Allowed(claims.Policies, tt.method, msg.URL, query, form) {
				t.Errorf("token does not allow %s %s", tt.method, msg.URL)
			}
			if capability.Allowed(claims.Policies, tt.method, srv.URL+tt.sibling, query, form) {
				t.Errorf("token also allows %s %s", tt.method, tt.sibling)
			}
		})
	}
}

func TestChannelErrorIsDecoded(t *testing.T) {
	srv := newFakeServer(t, always(403, `{"code":20003,"message":"Policy did not allow GET","more_info":"https://www.twilio.com/docs/errors/20003","status":403}`))
	a := mustAccount(t, testClient(srv, newFakeClock()), tokenCreds(), AuthCapabilityToken)
	_, err := a.Workspace(testWS).TaskQueues().Fetch(context.Background(), testWQ)
	e, ok := asError(err)
	if !ok {
		t.Fatalf("error %v is not an *Error", err)
	}
	got := []any{e.Status, e.Code, e.Method, e.Endpoint, IsUnauthorized(err), IsTerminal(err)}
	want := []any{403, 20003, "GET", "/v1/Workspaces/" + testWS + "/TaskQueues/" + testWQ, true, true}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("error (-want +got):\n%s", diff)
	}
}

func TestChannelTokensAreCachedPerGrant(t *testing.T) {
	srv := newFakeServer(t, always(200, wrap("{}")))
	metrics := &recordingMetrics{}
	a := mustAccount(t, testClient(srv, newFakeClock(), func(c *Config) { c.Metrics = metrics }), tokenCreds(), AuthCapabilityToken)
	w := a.Workspace(testWS)
	for range 3 {
		if _, err := w.TaskQueues().Fetch(context.Background(), testWQ); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.Workers().Fetch(context.Background(), testWK); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"TaskQueue", "Worker"}, metrics.Minted()); diff != "" {
		t.Errorf("tokens minted (-want +got):\n%s", diff)
	}
	reqs := srv.Requests()
	if channelMessage(t, reqs[0]).Token != channelMessage(t, reqs[2]).Token {
		t.Error("the same grant minted a new token instead of using the cache")
	}
}

func TestChannelParamsRepeatedKeysBecomeArrays(t *testing.T) {
	r := &request{method: http.MethodGet, query: url.Values{"Ordering": {"a", "b"}, "PageSize": {"50"}}}
	want := map[string]any{"Ordering": []string{"a", "b"}, "PageSize": "50"}
	if diff := cmp.Diff(want, channelParams(r)); diff != "" {
		t.Errorf("params (-want +got):\n%s", diff)
	}
}

// decodeAny round-trips through JSON so []string and []any compare equal.
func decodeAny(t *testing.T, v map[string]any) map[string]any {
	t.Helper()
	out := map[string]any{}
	for k, val := range v {
		if p, ok := val.(map[string]any); ok {
			m := map[string]any{}
			for pk, pv := range p {
				if s, ok := pv.([]string); ok {
					arr := make([]any, len(s))
					for i := range s {
						arr[i] = s[i]
					}
					pv = arr
				}
				m[pk] = pv
			}
			val = m
		}
		out[k] = val
	}
	return out
}

func paramsAsValues(p map[string]any) url.Values {
	v := url.Values{}
	for k, val := range p {
		switch x := val.(type) {
		case string:
			v.Add(k, x)
		case []any:
			for _, e := range x {
				v.Add(k, strings.TrimSpace(e.(string)))
			}
		}
	}
	return v
}
