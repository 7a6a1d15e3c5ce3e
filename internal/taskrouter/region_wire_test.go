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
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/taskrouter-operator/taskrouter-operator/internal/capability"
	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator"
)

const (
	irelandTaskRouter  = "https://taskrouter.dublin.ie1.twilio.com"
	irelandEventBridge = "https://event-bridge.ie1.twilio.com"
)

// onTheWire is one request as the transport saw it: the URL the client built and, for a channel
// POST, the body's inner url and token.
type onTheWire struct {
	URL      string
	InnerURL string
	Token    string
}

// hostRecorder is an http.RoundTripper that records each request and answers it in-process from a
// handler, as if it had reached the URL's host over TLS: no DNS and no socket are involved, so a test
// can show the client calling Twilio's regional hosts.
type hostRecorder struct {
	handler http.Handler
	mu      sync.Mutex
	seen    []onTheWire
}

func (h *hostRecorder) RoundTrip(r *http.Request) (*http.Response, error) {
	seen := onTheWire{URL: r.URL.String()}
	var body []byte
	if r.Body != nil {
		var err error
		if body, err = io.ReadAll(r.Body); err != nil {
			return nil, err
		}
		_ = r.Body.Close()
	}
	if strings.Contains(r.URL.Path, "/wschannels/") {
		var msg channelBody
		if err := json.Unmarshal(body, &msg); err == nil {
			seen.InnerURL, seen.Token = msg.URL, msg.Token
		}
	}
	h.mu.Lock()
	h.seen = append(h.seen, seen)
	h.mu.Unlock()
	in := r.Clone(r.Context())
	in.Body = io.NopCloser(bytes.NewReader(body))
	in.Host, in.RequestURI, in.TLS = r.URL.Host, r.URL.RequestURI(), &tls.ConnectionState{}
	rec := httptest.NewRecorder()
	h.handler.ServeHTTP(rec, in)
	return rec.Result(), nil
}

func (h *hostRecorder) Seen() []onTheWire {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]onTheWire(nil), h.seen...)
}

func irelandAccount(t *testing.T, handler http.Handler, mode AuthMode, mutate ...func(*Config)) (*Account, *hostRecorder) {
	t.Helper()
	rec := &hostRecorder{handler: handler}
	cfg := Config{HTTPClient: &http.Client{Transport: rec}, QPS: 1000, Burst: 1000, MaxRetries: -1}
	for _, m := range mutate {
		m(&cfg)
	}
	creds := Credentials{AccountSID: emulator.DevAccountSID, AuthToken: emulator.DevAuthToken,
		APIKeySID: emulator.DevAPIKeySID, APIKeySecret: emulator.DevAPIKeySecret, Region: "ie1", Edge: "dublin"}
	return mustAccount(t, New(cfg), creds, mode), rec
}

// TestRegionalAccountCallsItsRegion drives a regional account against the emulator through both
// transports: REST goes to taskrouter.dublin.ie1, the channel to the region's event bridge with the
// inner url on taskrouter.dublin.ie1, and every token is written for those hosts alone.
func TestRegionalAccountCallsItsRegion(t *testing.T) {
	for _, mode := range []AuthMode{AuthBasic, AuthCapabilityToken} {
		t.Run(string(mode), func(t *testing.T) {
			// PageSize 1 makes the queue list span pages, whose next_page_url the emulator writes on the regional host.
			a, rec := irelandAccount(t, emulator.New(emulator.Config{}), mode, func(c *Config) { c.PageSize = 1 })
			ctx := context.Background()
			ws, err := a.Workspaces().Create(ctx, WorkspaceParams{FriendlyName: Ptr("dublin")})
			must(t, err)
			for _, name := range []string{"billing", "sales"} {
				_, err := a.Workspace(ws.SID).TaskQueues().Create(ctx, TaskQueueParams{FriendlyName: Ptr(name)})
				must(t, err)
			}
			queues, err := a.Workspace(ws.SID).TaskQueues().List(ctx, "")
			must(t, err)
			if len(queues) != 2 {
				t.Fatalf("listed %d queues over pages, want 2", len(queues))
			}
			_, err = a.Workspace(ws.SID).FetchWorkspaceStatistics(ctx, StatisticsQuery{})
			must(t, err)

			seen := rec.Seen()
			var rest, channel int
			for _, s := range seen {
				switch {
				case strings.HasPrefix(s.URL, irelandTaskRouter+"/v1/Workspaces"):
					rest++
				case strings.HasPrefix(s.URL, irelandEventBridge+"/v1/wschannels/"+emulator.DevAccountSID+"/"):
					channel++
					if !strings.HasPrefix(s.InnerURL, irelandTaskRouter+"/v1/Workspaces/"+ws.SID) {
						t.Errorf("channel message url %s is not on %s", s.InnerURL, irelandTaskRouter)
					}
					checkTokenHosts(t, s.Token)
				default:
					t.Errorf("request to %s: neither the regional TaskRouter nor the regional event bridge", s.URL)
				}
			}
			if mode == AuthBasic && channel != 0 {
				t.Errorf("Basic mode made %d channel calls", channel)
			}
			// Workspace create goes over REST in both modes; the rest goes through the channel with tokens.
			if mode == AuthCapabilityToken && (rest != 1 || channel < 5) {
				t.Errorf("token mode: %d REST and %d channel calls, want 1 REST (workspace create) and the rest on the channel", rest, channel)
			}
		})
	}
}

// checkTokenHosts verifies a channel token and that each of its policies is on the regional hosts.
func checkTokenHosts(t *testing.T, token string) {
	t.Helper()
	claims, err := capability.Verify(token, emulator.DevAccountSID, emulator.DevAuthToken, time.Now())
	if err != nil {
		t.Fatalf("token does not verify: %v", err)
	}
	for _, p := range claims.Policies {
		if !strings.HasPrefix(p.URL, irelandTaskRouter+"/v1/") && !strings.HasPrefix(p.URL, irelandEventBridge+"/v1/wschannels/") {
			t.Errorf("policy %s %s is not on the regional hosts", p.Method, p.URL)
		}
	}
}

// TestRegionalAccountRefusesForeignPages: a next_page_url on any host but the account's own regional
// TaskRouter is not followed, the global TaskRouter host included; the regional host is.
func TestRegionalAccountRefusesForeignPages(t *testing.T) {
	tests := []struct {
		name, next string
		wantErr    error
	}{
		{"the regional host", irelandTaskRouter, nil},
		{"the global host", "https://taskrouter.twilio.com", ErrForeignPageURL},
		{"another region", "https://taskrouter.sydney.au1.twilio.com", ErrForeignPageURL},
		{"plain http", "http://taskrouter.dublin.ie1.twilio.com", ErrForeignPageURL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pages := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				next := "null"
				if r.URL.Query().Get("Page") == "" {
					next = fmt.Sprintf(`"%s/v1/Workspaces/%s/TaskQueues?PageSize=1000&Page=1&PageToken=PT1"`, tt.next, testWS)
				}
				fmt.Fprintf(w, `{"meta":{"key":"task_queues","next_page_url":%s},"task_queues":[{"sid":"WQ1"}]}`, next)
			})
			a, rec := irelandAccount(t, pages, AuthBasic)
			_, err := a.Workspace(testWS).TaskQueues().List(context.Background(), "")
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("List error = %v, want %v", err, tt.wantErr)
			}
			var hosts []string
			for _, s := range rec.Seen() {
				hosts = append(hosts, strings.SplitN(s.URL, "/v1/", 2)[0])
			}
			want := []string{irelandTaskRouter}
			if tt.wantErr == nil {
				want = append(want, irelandTaskRouter)
			}
			if diff := cmp.Diff(want, hosts); diff != "" {
				t.Errorf("hosts called (-want +got):\n%s", diff)
			}
		})
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
