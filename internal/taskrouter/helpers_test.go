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
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"
)

const (
	testAccount   = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	testAuthToken = "auth-token-secret-value"
	testKeySID    = "SKbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
	testKeySecret = "api-key-secret-value"
	testWS        = "WS00000000000000000000000000000001"
	testWQ        = "WQ00000000000000000000000000000001"
	testWQ2       = "WQ00000000000000000000000000000002"
	testWK        = "WK00000000000000000000000000000001"
	testWW        = "WW00000000000000000000000000000001"
	testWA        = "WA00000000000000000000000000000001"
	testTC        = "TC00000000000000000000000000000001"
)

// fakeClock is a clock whose Sleep advances time instantly and records each wait.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func newFakeClock() *fakeClock { return &fakeClock{now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)} }

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sleeps = append(f.sleeps, d)
	f.now = f.now.Add(d)
	return nil
}

func (f *fakeClock) Sleeps() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.sleeps...)
}

// recorded is one request as the server saw it.
type recorded struct {
	Method string
	Path   string
	Query  string
	Header http.Header
	Body   string
}

// reply is one canned answer.
type reply struct {
	status int
	header map[string]string
	body   string
}

// fakeServer records every request and answers with the handler's reply.
type fakeServer struct {
	*httptest.Server
	mu       sync.Mutex
	requests []recorded
	handle   func(r recorded, n int) reply
}

func newFakeServer(t testing.TB, handle func(r recorded, n int) reply) *fakeServer {
	t.Helper()
	fs := &fakeServer{handle: handle}
	fs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		rec := recorded{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Header: r.Header.Clone(), Body: string(b)}
		fs.mu.Lock()
		fs.requests = append(fs.requests, rec)
		n := len(fs.requests)
		fs.mu.Unlock()
		rep := fs.handle(rec, n)
		for k, v := range rep.header {
			w.Header().Set(k, v)
		}
		if rep.status == 0 {
			rep.status = http.StatusOK
		}
		w.WriteHeader(rep.status)
		_, _ = io.WriteString(w, rep.body)
	}))
	t.Cleanup(fs.Close)
	return fs
}

func (fs *fakeServer) Requests() []recorded {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return append([]recorded(nil), fs.requests...)
}

// always answers every request the same way.
func always(status int, body string) func(recorded, int) reply {
	return func(recorded, int) reply { return reply{status: status, body: body} }
}

// testClient returns a client against srv with a fake clock and no jitter (the ceiling is used).
func testClient(srv *fakeServer, clock *fakeClock, mutate ...func(*Config)) *Client {
	cfg := Config{TaskRouterBaseURL: srv.URL, EventBridgeBaseURL: srv.URL, Now: clock.Now, Sleep: clock.Sleep, QPS: 1000, Burst: 1000}
	for _, m := range mutate {
		m(&cfg)
	}
	c := New(cfg)
	c.jitter = func(max time.Duration) time.Duration { return max }
	return c
}

func mustAccount(t *testing.T, c *Client, creds Credentials, mode AuthMode) *Account {
	t.Helper()
	a, err := c.Account(creds, mode)
	if err != nil {
		t.Fatalf("Account: %v", err)
	}
	return a
}

func tokenCreds() Credentials { return Credentials{AccountSID: testAccount, AuthToken: testAuthToken} }

func keyCreds() Credentials {
	return Credentials{AccountSID: testAccount, AuthToken: testAuthToken, APIKeySID: testKeySID, APIKeySecret: testKeySecret}
}

// channelMessage decodes a recorded channel POST.
func channelMessage(t *testing.T, r recorded) channelBody {
	t.Helper()
	var b channelBody
	if err := json.Unmarshal([]byte(r.Body), &b); err != nil {
		t.Fatalf("channel body %q: %v", r.Body, err)
	}
	return b
}

func mustQuery(t *testing.T, raw string) url.Values {
	t.Helper()
	q, err := url.ParseQuery(raw)
	if err != nil {
		t.Fatalf("parse %q: %v", raw, err)
	}
	return q
}

// wrap puts a payload in the channel's success envelope.
func wrap(payload string) string { return `{"event_type":"test","payload":` + payload + `}` }
