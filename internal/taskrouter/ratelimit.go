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
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Pacing constants. Per-account limits are not public (NOTES.md), so the client starts at a pace
// known to be safe and learns the account's budget from TaskRouter's answers.
const (
	// initialRate is where an account's pace starts, before TaskRouter has said anything.
	initialRate = 10
	// growthPerSecond is how much the pace may grow each second while TaskRouter shows budget left.
	growthPerSecond = 0.25
	// minRateFraction is the floor of the remaining-based slowdown (a share of the pace) and of the
	// cuts after a 429 (a share of the starting pace), so a wrong header cannot stall an account.
	minRateFraction = 0.1
	// cutInterval: after a 429 the pace is halved at most once in this interval, so a burst of 429s
	// answered to calls already in flight counts as one push-back.
	cutInterval = time.Second
)

// accountLimiter paces one account's calls, reads (GET) and writes (POST, DELETE) apart: TaskRouter
// budgets them apart (X-Rate-Limit-Config names the bucket), and a write budget running out must
// not slow the reads that observe.
type accountLimiter struct {
	reads, writes *pacer
}

func newAccountLimiter(ceiling float64, burst int, now time.Time) *accountLimiter {
	return &accountLimiter{reads: newPacer(ceiling, burst, now), writes: newPacer(ceiling, burst, now)}
}

// of returns the pacer of a call.
func (l *accountLimiter) of(r *request) *pacer {
	if r.method == http.MethodGet {
		return l.reads
	}
	return l.writes
}

// pacer paces one class of an account's calls by what TaskRouter says, under a ceiling
// (Config.QPS, the manager's --api-qps):
//
//   - the pace (target) starts at initialRate and grows by growthPerSecond of itself each second
//     while answers show budget left, up to the ceiling;
//   - X-Rate-Limit-Remaining at or below lowWater = max(Burst, X-Rate-Limit-Limit/10) scales the
//     pace by (remaining+1)/(lowWater+1), never below a tenth of it, so the client slows down
//     smoothly as the budget drains instead of running into 429s;
//   - a 429 that shows the budget spent (remaining 0, or no header) halves the pace (once per
//     cutInterval) and holds the class for Retry-After; a 429 with budget left (injected faults, a
//     limit elsewhere) is retried without slowing down.
//
// Convergence is therefore bounded by the account's own write budget, not by a guess.
type pacer struct {
	ceiling rate.Limit
	burst   int
	calls   *rate.Limiter

	mu      sync.Mutex
	target  rate.Limit // what the account has shown it accepts
	current rate.Limit // target, scaled down while the remaining budget is low
	grown   time.Time  // last growth of target
	cut     time.Time  // last cut of target
	hold    time.Time  // no call before this (Retry-After)
}

func newPacer(ceiling float64, burst int, now time.Time) *pacer {
	start := rate.Limit(min(ceiling, initialRate))
	p := &pacer{ceiling: rate.Limit(ceiling), burst: burst, calls: rate.NewLimiter(start, burst),
		target: start, current: start, grown: now}
	p.calls.SetLimitAt(now, start)
	return p
}

// maxPaceStep bounds one wait on the pace. A call whose turn is further off waits this long and asks
// again, so that a pace which recovers meanwhile applies to it: a slot booked at the moment's pace
// stays booked, and a low remaining budget answered once (a tenth of the pace) booked the calls behind
// it up to tens of seconds ahead, past their deadline, though the next answer showed budget again.
const maxPaceStep = time.Second

// wait blocks until the call may go, reporting the time waited to metrics.
func (l *accountLimiter) wait(ctx context.Context, r *request, c *Client) error {
	p := l.of(r)
	var waited time.Duration
	defer func() {
		if waited > 0 && c.cfg.Metrics != nil {
			c.cfg.Metrics.ObserveRateLimitWait(waited)
		}
	}()
	for {
		now := c.cfg.Now()
		p.mu.Lock()
		hold := p.hold.Sub(now)
		p.mu.Unlock()
		res := p.calls.ReserveN(now, 1)
		if !res.OK() {
			return fmt.Errorf("rate limiter cannot admit the call")
		}
		pace := res.DelayFrom(now)
		again := pace > maxPaceStep
		d := max(pace, hold) // a Retry-After hold is waited whole: it is TaskRouter's, not a pace
		if again {
			res.CancelAt(now) // ask again after a step, at the pace then
			d = max(maxPaceStep, hold)
		}
		if d <= 0 {
			return nil
		}
		if err := c.cfg.Sleep(ctx, d); err != nil {
			if !again {
				res.CancelAt(c.cfg.Now())
			}
			return fmt.Errorf("wait for rate limiter: %w", err)
		}
		waited += d
		if !again {
			return nil
		}
	}
}

// observe adapts the call's class to an answer (see pacer).
func (l *accountLimiter) observe(r *request, status int, h http.Header, retryAfter time.Duration, now time.Time) {
	l.of(r).observe(status, h, retryAfter, now)
}

func (p *pacer) observe(status int, h http.Header, retryAfter time.Duration, now time.Time) {
	remaining, known := headerInt(h, "X-Rate-Limit-Remaining")
	lowWater := p.burst
	if limit, ok := headerInt(h, "X-Rate-Limit-Limit"); ok && limit/10 > lowWater {
		lowWater = limit / 10
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	floor := min(p.ceiling, initialRate) * minRateFraction
	switch {
	case status == http.StatusTooManyRequests:
		if known && remaining > 0 {
			break // the budget is not spent: this 429 is not about our pace
		}
		if now.Sub(p.cut) >= cutInterval {
			p.target, p.cut = max(floor, p.current/2), now
		}
		p.current = p.target
		if hold := now.Add(retryAfter); hold.After(p.hold) {
			p.hold = hold
		}
	case known && remaining <= lowWater:
		p.current = max(p.target*minRateFraction, p.target*rate.Limit(remaining+1)/rate.Limit(lowWater+1))
	case known || p.current == p.target:
		// Budget left (or no header, and no slowdown a header asked for is in force): grow.
		p.grow(now)
		p.current = p.target
	}
	if p.calls.Limit() != p.current {
		p.calls.SetLimitAt(now, p.current)
	}
}

// grow raises the pace by growthPerSecond for each second since it last grew, up to the ceiling.
func (p *pacer) grow(now time.Time) {
	elapsed := now.Sub(p.grown)
	if elapsed < time.Second || p.target >= p.ceiling {
		return
	}
	// An idle spell earns at most two seconds of growth: the budget it shows is a moment's.
	p.target = min(p.ceiling, p.target*rate.Limit(1+growthPerSecond*min(elapsed, 2*time.Second).Seconds()))
	p.grown = now
}

func headerInt(h http.Header, key string) (int, bool) {
	n, err := strconv.Atoi(h.Get(key))
	return n, err == nil && n >= 0
}

// rate is the current pace in calls per second.
func (p *pacer) rate() float64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return float64(p.current)
}
