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
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestRateLimitWaitsAreReported(t *testing.T) {
	srv := newFakeServer(t, always(200, `{}`))
	clock := newFakeClock()
	metrics := &recordingMetrics{}
	c := testClient(srv, clock, func(c *Config) { c.QPS, c.Burst, c.Metrics = 2, 1, metrics })
	w := mustAccount(t, c, keyCreds(), AuthBasic).Workspace(testWS)
	for range 3 {
		if _, err := w.Activities().Fetch(context.Background(), testWA); err != nil {
			t.Fatal(err)
		}
	}
	want := []time.Duration{500 * time.Millisecond, 500 * time.Millisecond}
	if diff := cmp.Diff(want, metrics.Waits(), durationsApprox()); diff != "" {
		t.Errorf("reported waits (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, clock.Sleeps(), durationsApprox()); diff != "" {
		t.Errorf("sleeps (-want +got):\n%s", diff)
	}
	wantRequests := []string{"GET /v1/Workspaces/{WorkspaceSid}/Activities/{Sid} 200", "GET /v1/Workspaces/{WorkspaceSid}/Activities/{Sid} 200", "GET /v1/Workspaces/{WorkspaceSid}/Activities/{Sid} 200"}
	if diff := cmp.Diff(wantRequests, metrics.Requests()); diff != "" {
		t.Errorf("requests observed (-want +got):\n%s", diff)
	}
}

// durationsApprox compares durations to the millisecond: the token bucket computes in float seconds.
func durationsApprox() cmp.Option {
	return cmp.Comparer(func(a, b time.Duration) bool { return (a - b).Abs() < time.Millisecond })
}

func TestRemainingBudgetSlowsTheAccount(t *testing.T) {
	l := newAccountLimiter(10, 10, time.Now())
	steps := []struct {
		name      string
		remaining string
		limit     string
		want      float64
	}{
		{"plenty left", "500", "1000", 10},
		{"below a tenth of the limit", "49", "1000", 10 * 50.0 / 101},
		{"no header keeps the rate", "", "", 10 * 50.0 / 101},
		{"exhausted: floor of a tenth", "0", "1000", 1},
		{"no limit header: burst is the low water", "5", "", 10 * 6.0 / 11},
		{"budget refilled", "900", "1000", 10},
	}
	var got, want []float64
	for _, s := range steps {
		h := http.Header{}
		if s.remaining != "" {
			h.Set("X-Rate-Limit-Remaining", s.remaining)
		}
		if s.limit != "" {
			h.Set("X-Rate-Limit-Limit", s.limit)
		}
		l.reads.observe(http.StatusOK, h, 0, time.Now())
		got, want = append(got, l.reads.rate()), append(want, s.want)
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-9)); diff != "" {
		t.Errorf("rates after each response (-want +got):\n%s", diff)
	}
}

func TestLowRemainingLengthensTheNextWait(t *testing.T) {
	for _, remaining := range []int{1000, 0} {
		t.Run("remaining "+strconv.Itoa(remaining), func(t *testing.T) {
			srv := newFakeServer(t, func(recorded, int) reply {
				return reply{body: `{}`, header: map[string]string{"X-Rate-Limit-Remaining": strconv.Itoa(remaining), "X-Rate-Limit-Limit": "1000"}}
			})
			clock := newFakeClock()
			metrics := &recordingMetrics{}
			c := testClient(srv, clock, func(c *Config) { c.QPS, c.Burst, c.Metrics = 10, 1, metrics })
			w := mustAccount(t, c, keyCreds(), AuthBasic).Workspace(testWS)
			for range 2 {
				if _, err := w.Workflows().Fetch(context.Background(), testWW); err != nil {
					t.Fatal(err)
				}
			}
			want := []time.Duration{100 * time.Millisecond} // 10 QPS
			if remaining == 0 {
				want = []time.Duration{time.Second} // slowed to the floor, 1 QPS
			}
			if diff := cmp.Diff(want, metrics.Waits(), durationsApprox()); diff != "" {
				t.Errorf("waits (-want +got):\n%s", diff)
			}
		})
	}
}

func BenchmarkFetchTaskQueue(b *testing.B) {
	for _, mode := range []AuthMode{AuthBasic, AuthCapabilityToken} {
		b.Run(string(mode), func(b *testing.B) {
			body := `{"sid":"` + testWQ + `","friendly_name":"q","max_reserved_workers":1}`
			if mode == AuthCapabilityToken {
				body = wrap(body)
			}
			srv := newFakeServer(b, always(200, body))
			c := New(Config{TaskRouterBaseURL: srv.URL, EventBridgeBaseURL: srv.URL, QPS: 1e9, Burst: 1e9})
			a, err := c.Account(tokenCreds(), mode)
			if err != nil {
				b.Fatal(err)
			}
			w := a.Workspace(testWS)
			b.ResetTimer()
			for b.Loop() {
				if _, err := w.TaskQueues().Fetch(context.Background(), testWQ); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkLimiterObserve(b *testing.B) {
	l := newAccountLimiter(10, 10, time.Now())
	h := http.Header{"X-Rate-Limit-Remaining": {"42"}, "X-Rate-Limit-Limit": {"1000"}}
	now := time.Now()
	for b.Loop() {
		l.reads.observe(http.StatusOK, h, 0, now)
	}
}

func TestPaceGrowsUntilTaskRouterPushesBack(t *testing.T) {
	start := time.Unix(1000, 0)
	p := newPacer(50, 10, start)
	budget := http.Header{"X-Rate-Limit-Remaining": {"900"}, "X-Rate-Limit-Limit": {"1000"}}
	spent := http.Header{"X-Rate-Limit-Remaining": {"0"}, "X-Rate-Limit-Limit": {"20"}}
	faulty := http.Header{"X-Rate-Limit-Remaining": {"15"}, "X-Rate-Limit-Limit": {"20"}}
	type step struct {
		name   string
		at     time.Duration
		status int
		h      http.Header
		want   float64
	}
	steps := []step{
		{"starts at the initial pace", 0, http.StatusOK, budget, initialRate},
		{"grows a quarter a second while budget is left", time.Second, http.StatusOK, budget, 12.5},
		{"no faster than once a second", 1500 * time.Millisecond, http.StatusOK, budget, 12.5},
		{"keeps growing", 2 * time.Second, http.StatusOK, budget, 12.5 * 1.25},
		{"a 429 with the budget spent halves it", 2100 * time.Millisecond, http.StatusTooManyRequests, spent, 12.5 * 1.25 / 2},
		{"a second 429 in the same second is the same push-back", 2200 * time.Millisecond, http.StatusTooManyRequests, spent, 12.5 * 1.25 / 2},
		{"a 429 with budget left does not slow down", 3300 * time.Millisecond, http.StatusTooManyRequests, faulty, 12.5 * 1.25 / 2},
		{"an idle spell earns two seconds of growth at most", time.Minute, http.StatusOK, budget, 12.5 * 1.25 / 2 * 1.5},
	}
	var got, want []float64
	for _, s := range steps {
		p.observe(s.status, s.h, time.Second, start.Add(s.at))
		got, want = append(got, p.rate()), append(want, s.want)
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-9)); diff != "" {
		t.Errorf("pace after each answer (-want +got):\n%s", diff)
	}
	for range 40 {
		start = start.Add(2 * time.Second)
		p.observe(http.StatusOK, budget, 0, start)
	}
	if p.rate() != 50 {
		t.Errorf("pace with budget always left = %v, want the ceiling 50", p.rate())
	}
}

func TestSpentWriteBudgetHoldsWritesNotReads(t *testing.T) {
	srv := newFakeServer(t, func(r recorded, _ int) reply {
		if r.Method == http.MethodGet {
			return reply{body: `{}`, header: map[string]string{"X-Rate-Limit-Remaining": "900", "X-Rate-Limit-Limit": "1000"}}
		}
		return reply{status: http.StatusTooManyRequests, body: `{"code":20429,"message":"Too many requests","status":429}`,
			header: map[string]string{"X-Rate-Limit-Remaining": "0", "X-Rate-Limit-Limit": "20", "Retry-After": "3"}}
	})
	clock := newFakeClock()
	c := testClient(srv, clock, func(c *Config) { c.MaxRetries = -1 })
	w := mustAccount(t, c, keyCreds(), AuthBasic).Workspace(testWS)
	ctx := context.Background()
	if _, err := w.Workflows().Update(ctx, testWW, WorkflowParams{FriendlyName: Ptr("x")}); !IsRetryable(err) {
		t.Fatalf("update answered 429: %v, want a retryable error", err)
	}
	a := mustAccount(t, c, keyCreds(), AuthBasic)
	if a.limit.writes.rate() != initialRate/2 || a.limit.reads.rate() != initialRate {
		t.Fatalf("after a write 429: writes %v reads %v, want %v and %v", a.limit.writes.rate(), a.limit.reads.rate(), initialRate/2, initialRate)
	}
	before := len(clock.Sleeps())
	if _, err := w.Workflows().Fetch(ctx, testWW); err != nil {
		t.Fatal(err)
	}
	if n := len(clock.Sleeps()) - before; n != 0 {
		t.Errorf("a read after a write 429 waited %d times, want none: reads have their own budget", n)
	}
	_, _ = w.Workflows().Update(ctx, testWW, WorkflowParams{FriendlyName: Ptr("x")})
	sleeps := clock.Sleeps()
	if len(sleeps) == 0 || sleeps[len(sleeps)-1] < 2*time.Second {
		t.Errorf("the next write waited %v, want the Retry-After hold of about 3s", sleeps)
	}
}

// TestAWaitFollowsAPaceThatRecovers: an answer with no budget left slows the pace to a tenth, and the
// calls already waiting then stand in line at that pace. A call whose turn is further off than
// maxPaceStep waits one step and asks again, so when the next answer shows budget, it goes at the
// recovered pace instead of keeping a slot booked seconds ahead (the calls behind a slow moment once
// waited past their 30 s deadline).
func TestAWaitFollowsAPaceThatRecovers(t *testing.T) {
	srv := newFakeServer(t, always(200, `{}`))
	clock := newFakeClock()
	metrics := &recordingMetrics{}
	var c *Client
	var a *Account
	budget := http.Header{"X-Rate-Limit-Remaining": {"900"}, "X-Rate-Limit-Limit": {"1000"}}
	c = testClient(srv, clock, func(cfg *Config) {
		cfg.QPS, cfg.Burst, cfg.Metrics = 10, 1, metrics
		cfg.Sleep = func(ctx context.Context, d time.Duration) error {
			err := clock.Sleep(ctx, d)
			a.limit.writes.observe(http.StatusOK, budget, 0, clock.Now()) // an answer meanwhile shows budget again
			return err
		}
	})
	a = mustAccount(t, c, keyCreds(), AuthBasic)
	spent := http.Header{"X-Rate-Limit-Remaining": {"0"}, "X-Rate-Limit-Limit": {"1000"}}
	a.limit.writes.observe(http.StatusOK, spent, 0, clock.Now())
	if got := a.limit.writes.rate(); got > 1.01 {
		t.Fatalf("after an answer with no budget the pace is %v, want a tenth of 10", got)
	}
	for range 5 { // five calls ahead in line at the slow pace
		a.limit.writes.calls.ReserveN(clock.Now(), 1)
	}
	if err := a.limit.wait(context.Background(), &request{method: http.MethodPost}, c); err != nil {
		t.Fatal(err)
	}
	// One step at the slow pace, then what is left of the line at 10 a second: 1 s + 0.4 s, where
	// the slot booked at first was 5 s ahead.
	if diff := cmp.Diff([]time.Duration{time.Second, 400 * time.Millisecond}, clock.Sleeps(), durationsApprox()); diff != "" {
		t.Errorf("sleeps (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]time.Duration{1400 * time.Millisecond}, metrics.Waits(), durationsApprox()); diff != "" {
		t.Errorf("reported waits (-want +got):\n%s", diff)
	}
}
