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
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// script answers the n-th request with replies[n-1], repeating the last one.
func script(replies ...reply) func(recorded, int) reply {
	return func(_ recorded, n int) reply {
		if n > len(replies) {
			n = len(replies)
		}
		return replies[n-1]
	}
}

var (
	ok200      = reply{status: 200, body: `{"sid":"` + testWQ + `"}`}
	created201 = reply{status: 201, body: `{"sid":"` + testWQ + `"}`}
	err500     = reply{status: 500, body: `{"code":20500,"message":"Internal Server Error","status":500}`}
	err503     = reply{status: 503, body: `{"code":20503,"message":"Service Unavailable","status":503}`}
)

func tooMany(retryAfter string) reply {
	r := reply{status: 429, body: `{"code":20429,"message":"Too Many Requests","status":429}`}
	if retryAfter != "" {
		r.header = map[string]string{"Retry-After": retryAfter}
	}
	return r
}

func TestRetryPolicy(t *testing.T) {
	fetch := func(w *WorkspaceClient) error {
		_, err := w.TaskQueues().Fetch(context.Background(), testWQ)
		return err
	}
	create := func(w *WorkspaceClient) error {
		_, err := w.TaskQueues().Create(context.Background(), TaskQueueParams{FriendlyName: Ptr("q")})
		return err
	}
	update := func(w *WorkspaceClient) error {
		_, err := w.TaskQueues().Update(context.Background(), testWQ, TaskQueueParams{FriendlyName: Ptr("q")})
		return err
	}
	del := func(w *WorkspaceClient) error { return w.TaskQueues().Delete(context.Background(), testWQ) }
	tests := []struct {
		name     string
		call     func(*WorkspaceClient) error
		replies  []reply
		requests int
		sleeps   []time.Duration
		wantErr  int // status of the returned error, 0 for success
	}{
		{"fetch honours Retry-After on 429", fetch, []reply{tooMany("2"), ok200}, 2, []time.Duration{2 * time.Second}, 0},
		{"fetch backs off exponentially on 500", fetch, []reply{err500, err500, ok200}, 3, []time.Duration{250 * time.Millisecond, 500 * time.Millisecond}, 0},
		{"update is retried on 503", update, []reply{err503, ok200}, 2, []time.Duration{250 * time.Millisecond}, 0},
		{"delete is retried on 500", del, []reply{err500, {status: 204}}, 2, []time.Duration{250 * time.Millisecond}, 0},
		{"create is not retried on 500", create, []reply{err500, created201}, 1, nil, 500},
		{"create is retried on 429", create, []reply{tooMany(""), created201}, 2, []time.Duration{250 * time.Millisecond}, 0},
		{"retries stop after MaxRetries", fetch, []reply{err500}, 3, []time.Duration{250 * time.Millisecond, 500 * time.Millisecond}, 500},
		{"404 is not retried", fetch, []reply{{status: 404, body: `{"code":20404,"status":404}`}}, 1, nil, 404},
		{"400 is not retried", update, []reply{{status: 400, body: `{"code":20001,"status":400}`}}, 1, nil, 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newFakeServer(t, script(tt.replies...))
			clock := newFakeClock()
			c := testClient(srv, clock, func(c *Config) { c.MaxRetries = 2 })
			err := tt.call(mustAccount(t, c, keyCreds(), AuthBasic).Workspace(testWS))
			status := 0
			if err != nil {
				e, ok := asError(err)
				if !ok {
					t.Fatalf("error %v is not an *Error", err)
				}
				status = e.Status
			}
			got := []any{len(srv.Requests()), clock.Sleeps(), status}
			want := []any{tt.requests, tt.sleeps, tt.wantErr}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("requests, sleeps, error status (-want +got):\n%s", diff)
			}
		})
	}
}

func TestBackoffIsCappedAndJittered(t *testing.T) {
	c := New(Config{MaxRetries: 20})
	var ceilings []time.Duration
	c.jitter = func(max time.Duration) time.Duration { ceilings = append(ceilings, max); return max / 2 }
	r := &request{method: http.MethodGet}
	e := &Error{Status: 500}
	var delays []time.Duration
	for attempt := range 8 {
		d, ok := c.retryDelay(r, e, attempt)
		if !ok {
			t.Fatalf("attempt %d not retried", attempt)
		}
		delays = append(delays, d)
	}
	wantCeilings := []time.Duration{250 * time.Millisecond, 500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 10 * time.Second, 10 * time.Second}
	if diff := cmp.Diff(wantCeilings, ceilings); diff != "" {
		t.Errorf("ceilings (-want +got):\n%s", diff)
	}
	if delays[7] != 5*time.Second {
		t.Errorf("delay = %s, want the jittered value 5s", delays[7])
	}
}

func TestRetryAfterBeyondDeadlineReturnsAtOnce(t *testing.T) {
	srv := newFakeServer(t, script(tooMany("3600")))
	clock := newFakeClock()
	a := mustAccount(t, testClient(srv, clock), keyCreds(), AuthBasic)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err := a.Workspaces().Fetch(ctx, testWS)
	e, ok := asError(err)
	if !ok {
		t.Fatalf("error %v is not an *Error", err)
	}
	got := []any{e.RetryAfter, len(srv.Requests()), len(clock.Sleeps()), IsRetryable(err)}
	if diff := cmp.Diff([]any{time.Hour, 1, 0, true}, got); diff != "" {
		t.Errorf("retry-after, requests, sleeps, retryable (-want +got):\n%s", diff)
	}
}

func TestContextCancelStopsTheCall(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	srv := newFakeServer(t, func(recorded, int) reply { cancel(); return err500 })
	clock := newFakeClock()
	a := mustAccount(t, testClient(srv, clock), keyCreds(), AuthBasic)
	_, err := a.Workspace(testWS).TaskQueues().Fetch(ctx, testWQ)
	if err == nil {
		t.Fatal("call succeeded after cancel")
	}
	if n := len(srv.Requests()); n != 1 {
		t.Errorf("sent %d requests after cancel, want 1", n)
	}
}

func TestCanceledContextSendsNothing(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	srv := newFakeServer(t, always(200, `{}`))
	a := mustAccount(t, testClient(srv, newFakeClock()), keyCreds(), AuthBasic)
	_, err := a.Workspace(testWS).TaskQueues().Fetch(ctx, testWQ)
	if !errors.Is(err, context.Canceled) || IsRetryable(err) {
		t.Errorf("error = %v, want context.Canceled and not retryable", err)
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("sent %d requests, want 0", n)
	}
}

func TestDefaultTimeoutBoundsACall(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	srv := newFakeServer(t, always(200, `{}`))
	blocking := srv.Config.Handler
	srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
		blocking.ServeHTTP(w, r)
	})
	a := mustAccount(t, testClient(srv, newFakeClock(), func(c *Config) { c.Timeout = 20 * time.Millisecond; c.MaxRetries = -1 }), keyCreds(), AuthBasic)
	_, err := a.Workspace(testWS).TaskQueues().Fetch(context.Background(), testWQ)
	if !errors.Is(err, context.DeadlineExceeded) || !IsRetryable(err) {
		t.Errorf("error = %v, want a retryable deadline error", err)
	}
}
