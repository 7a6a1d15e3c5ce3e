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
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator/api"
)

// Faults are the failures the emulator injects into API calls, the way a real
// TaskRouter misbehaves under load. A faulted call either did not happen at all
// (429, 500) or fully happened (CommitFail): state is never left half-written.
type Faults struct {
	// TooManyRequests is the share of calls answered 429 (code 20429), unprocessed.
	TooManyRequests float64
	// ServerError is the share of calls answered 500, unprocessed.
	ServerError float64
	// CommitFail is the share of creates that are performed and then answered 500.
	CommitFail float64
	// Latency is added before every answer.
	Latency time.Duration
}

// ParseFaults reads the --faults syntax: "429=0.2,500=0.05,commitfail=0.3,latency=50ms".
func ParseFaults(spec string) (Faults, error) {
	var f Faults
	for _, item := range strings.Split(spec, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		name, value, found := strings.Cut(item, "=")
		if !found {
			return Faults{}, fmt.Errorf("fault %q: want name=value", item)
		}
		if name == "latency" {
			d, err := time.ParseDuration(value)
			if err != nil || d < 0 {
				return Faults{}, fmt.Errorf("fault latency=%q: want a non-negative duration such as 50ms", value)
			}
			f.Latency = d
			continue
		}
		share, err := strconv.ParseFloat(value, 64)
		if err != nil || share < 0 || share > 1 || math.IsNaN(share) {
			return Faults{}, fmt.Errorf("fault %s=%q: want a share between 0 and 1", name, value)
		}
		switch name {
		case "429":
			f.TooManyRequests = share
		case "500":
			f.ServerError = share
		case "commitfail":
			f.CommitFail = share
		default:
			return Faults{}, fmt.Errorf("unknown fault %q (known: 429, 500, commitfail, latency)", name)
		}
	}
	return f, nil
}

// String renders f in the --faults syntax.
func (f Faults) String() string {
	return fmt.Sprintf("429=%g,500=%g,commitfail=%g,latency=%s", f.TooManyRequests, f.ServerError, f.CommitFail, f.Latency)
}

// SetFaults replaces the injected faults; tests turn faults on and off around the
// calls they exercise.
func (e *Emulator) SetFaults(f Faults) { e.faults.set(f) }

// SetWriteRate limits writes to n per second (0 removes the limit).
func (e *Emulator) SetWriteRate(n float64) { e.faults.setWriteRate(n) }

// nominalRateLimit is what X-Rate-Limit-Limit reports when no write rate is set.
const nominalRateLimit = 1000

// faultInjector decides, from a seeded source, which calls fail.
type faultInjector struct {
	mu     sync.Mutex
	faults Faults
	rng    *rand.Rand
	now    func() time.Time
	bucket *tokenBucket
}

func newFaultInjector(f Faults, writeRate float64, seed int64, now func() time.Time) *faultInjector {
	fi := &faultInjector{faults: f, rng: rand.New(rand.NewPCG(uint64(seed), 0x7a51c0de)), now: now}
	fi.setWriteRate(writeRate)
	return fi
}

func (fi *faultInjector) set(f Faults) {
	fi.mu.Lock()
	defer fi.mu.Unlock()
	fi.faults = f
}

func (fi *faultInjector) setWriteRate(n float64) {
	fi.mu.Lock()
	defer fi.mu.Unlock()
	fi.bucket = nil
	if n > 0 {
		fi.bucket = newTokenBucket(n, fi.now())
	}
}

// before applies latency, the write rate and the unprocessed faults; a non-nil
// reply means the call must not run.
func (fi *faultInjector) before(ctx context.Context, write bool) *api.Reply {
	fi.mu.Lock()
	f := fi.faults
	fi.mu.Unlock()
	if f.Latency > 0 {
		t := time.NewTimer(f.Latency)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
		}
	}
	fi.mu.Lock()
	defer fi.mu.Unlock()
	if write && fi.bucket != nil && !fi.bucket.take(fi.now()) {
		return throttled()
	}
	if fi.roll(f.TooManyRequests) {
		return throttled()
	}
	if fi.roll(f.ServerError) {
		return errorReply(api.Internal())
	}
	return nil
}

// commitFails decides whether a completed create loses its answer.
func (fi *faultInjector) commitFails() bool {
	fi.mu.Lock()
	defer fi.mu.Unlock()
	return fi.roll(fi.faults.CommitFail)
}

// roll draws from the seeded source only when the share is set, so turning one
// fault on does not shift the draws of another.
func (fi *faultInjector) roll(share float64) bool {
	return share > 0 && fi.rng.Float64() < share
}

// rateLimitHeaders sets the X-Rate-Limit-* headers every answer carries.
func (fi *faultInjector) rateLimitHeaders(h http.Header, write bool) {
	fi.mu.Lock()
	defer fi.mu.Unlock()
	limit, remaining, config := nominalRateLimit, nominalRateLimit, "TaskRouter-Reads"
	if write {
		config = "TaskRouter-Writes"
		if fi.bucket != nil {
			limit, remaining = fi.bucket.capacityInt(), fi.bucket.remaining(fi.now())
		}
	}
	h.Set("X-Rate-Limit-Limit", strconv.Itoa(limit))
	h.Set("X-Rate-Limit-Remaining", strconv.Itoa(remaining))
	h.Set("X-Rate-Limit-Config", config)
}

func throttled() *api.Reply {
	rep := errorReply(api.TooManyRequests())
	rep.Header.Set("Retry-After", "1")
	return rep
}

// tokenBucket admits rate writes per second with a burst of one second's worth.
type tokenBucket struct {
	rate     float64
	capacity float64
	tokens   float64
	last     time.Time
}

func newTokenBucket(rate float64, now time.Time) *tokenBucket {
	capacity := math.Max(1, rate)
	return &tokenBucket{rate: rate, capacity: capacity, tokens: capacity, last: now}
}

func (b *tokenBucket) refill(now time.Time) {
	if elapsed := now.Sub(b.last).Seconds(); elapsed > 0 {
		b.tokens = math.Min(b.capacity, b.tokens+elapsed*b.rate)
		b.last = now
	}
}

func (b *tokenBucket) take(now time.Time) bool {
	b.refill(now)
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

func (b *tokenBucket) remaining(now time.Time) int {
	b.refill(now)
	return int(b.tokens)
}

func (b *tokenBucket) capacityInt() int { return int(b.capacity) }
