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

// minRateFraction is the floor of the remaining-based slowdown, so a wrong header cannot stall an account.
const minRateFraction = 0.1

// accountLimiter paces one account's calls. Besides the configured token bucket it follows the
// server's own budget, read from X-Rate-Limit-Remaining on every response:
//
//	lowWater = max(Burst, X-Rate-Limit-Limit/10)
//	remaining > lowWater:  rate = QPS (configured)
//	remaining <= lowWater: rate = QPS * (remaining+1)/(lowWater+1), never below QPS/10
//
// so the client slows down smoothly as the budget drains instead of running into 429s, and returns
// to full speed as soon as a response shows the budget refilled.
type accountLimiter struct {
	base  rate.Limit
	burst int
	calls *rate.Limiter

	mu      sync.Mutex
	current rate.Limit
}

func newAccountLimiter(qps float64, burst int, now time.Time) *accountLimiter {
	l := &accountLimiter{
		base:    rate.Limit(qps),
		burst:   burst,
		calls:   rate.NewLimiter(rate.Limit(qps), burst),
		current: rate.Limit(qps),
	}
	l.calls.SetLimitAt(now, l.base)
	return l
}

// wait blocks until the call may go, reporting any wait to metrics.
func (l *accountLimiter) wait(ctx context.Context, c *Client) error {
	now := c.cfg.Now()
	res := l.calls.ReserveN(now, 1)
	if !res.OK() {
		return fmt.Errorf("rate limiter cannot admit the call")
	}
	d := res.DelayFrom(now)
	if d <= 0 {
		return nil
	}
	if c.cfg.Metrics != nil {
		c.cfg.Metrics.ObserveRateLimitWait(d)
	}
	if err := c.cfg.Sleep(ctx, d); err != nil {
		res.CancelAt(c.cfg.Now())
		return fmt.Errorf("wait for rate limiter: %w", err)
	}
	return nil
}

// observe adapts the rate to the server's remaining budget (see accountLimiter).
func (l *accountLimiter) observe(h http.Header, now time.Time) {
	remaining, err := strconv.Atoi(h.Get("X-Rate-Limit-Remaining"))
	if err != nil || remaining < 0 {
		return
	}
	lowWater := l.burst
	if limit, err := strconv.Atoi(h.Get("X-Rate-Limit-Limit")); err == nil && limit/10 > lowWater {
		lowWater = limit / 10
	}
	next := l.base
	if remaining <= lowWater {
		next = l.base * rate.Limit(remaining+1) / rate.Limit(lowWater+1)
		if floor := l.base * minRateFraction; next < floor {
			next = floor
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if next != l.current {
		l.current = next
		l.calls.SetLimitAt(now, next)
	}
}

// rate is the current pace in calls per second.
func (l *accountLimiter) rate() float64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return float64(l.current)
}
