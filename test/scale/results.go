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

package scale

import (
	"slices"
	"time"
)

// Results are the figures of one run; a phase that did not run is nil.
type Results struct {
	Config  Config
	Started time.Time
	// Load is the machine's load average (1, 5, 15 minutes) at the start and the end.
	LoadBefore, LoadAfter string
	// ManagerVersion is what bin/manager --version prints.
	ManagerVersion string

	Converge *Converge
	Steady   *Steady
	Memory   *Memory
	Pickup   *Pickup
	Sweep    *Sweep
	Stats    *Stats
	Adopt    *Adopt
	Faults   *Faults
}

// Converge is one apply of a shape into an empty (or, for adoption, a
// pre-filled) account, until every object is Ready. Requests are counted at the emulator.
type Converge struct {
	Counts       Counts
	Duration     time.Duration
	WritesNeeded int
	WriteRate    float64
	// Requests is every call the emulator answered meanwhile.
	Requests float64
	// Writes are the POSTs and DELETEs TaskRouter performed; WriteAttempts also
	// counts the ones it refused (429 and errors).
	Writes, WriteAttempts float64
	// Throttled are the calls answered 429.
	Throttled float64
}

// Floor is the shortest possible converge: the writes needed at the write
// rate; zero without a write limit.
func (c Converge) Floor() time.Duration {
	if c.WriteRate <= 0 {
		return 0
	}
	return time.Duration(float64(c.WritesNeeded) / c.WriteRate * float64(time.Second))
}

// RequestsPerObject is the emulator's calls per object.
func (c Converge) RequestsPerObject() float64 { return c.Requests / float64(c.Counts.Total()) }

// RequestsPerSuccess is calls per call not answered 429.
func (c Converge) RequestsPerSuccess() float64 { return c.Requests / (c.Requests - c.Throttled) }

// Steady is a window with no traffic and no change after converging.
type Steady struct {
	// Settled is how long the manager was left alone after converging; Quiet
	// is whether it was quiet then (no configuration requests, no status writes for quietFor).
	Settled time.Duration
	Quiet   bool
	Window  time.Duration
	// TaskRouterWrites are POSTs and DELETEs at the emulator (any answer).
	TaskRouterWrites float64
	// StatusWrites are writes of a taskrouter resource's status at the API server.
	StatusWrites float64
	// ConfigurationRequests are the emulator's non-statistics calls.
	ConfigurationRequests float64
}

// Memory is the manager's resident memory, while its /metrics is scraped every scrapeEvery as
// Prometheus would (a scrape makes the mirrored figures from the cache, so it costs memory too).
type Memory struct {
	N         int
	Idle, AtN int64
	// AtNAnon and AtNFile split AtN: anonymous memory (Go's heap, stacks and runtime) and the
	// binary's resident pages.
	AtNAnon, AtNFile int64
	// Peak is the highest RSS the manager reached (VmHWM), converging included.
	Peak int64
	// Series is how many series the manager's last scrape served.
	Series int
}

// Pickup is how long new TaskQueues waited for their first condition.
type Pickup struct {
	Idle, DuringSweep []time.Duration
}

// Sweep is the manager's periodic drift check of every object, measured after
// a restart with --sync-period Period.
type Sweep struct {
	Objects int
	Period  time.Duration
	// Resync is the restart's first pass over every object and its configuration requests.
	Resync         time.Duration
	ResyncRequests float64
	// PerObject is true when the sweep reconciled each object once, so its
	// duration could be measured (from the first to the last of those reconciles).
	PerObject bool
	Duration  time.Duration
	// Requests are the configuration requests of one sweep: over the
	// Objects reconciles, or over one Period when the sweep is not per object.
	Requests float64
	// SecretGets are the API server's GETs of a Secret meanwhile.
	SecretGets float64
}

// Stats compares configuration requests with and without live traffic.
type Stats struct {
	N        int
	Interval time.Duration
	Window   time.Duration
	// Quiet and Live are non-statistics requests in the window; LiveStatistics the statistics ones.
	Quiet, Live, LiveStatistics float64
}

// PerMinute turns a count in the window into a rate.
func (s Stats) PerMinute(count float64) float64 { return count / s.Window.Minutes() }

// Adopt is the apply of a shape whose remote objects already exist and match.
type Adopt struct {
	Converge Converge
}

// Faults compares a converge under injected 429s with a fault-free one.
type Faults struct {
	Spec string
	// Share is the injected 429 share.
	Share                 float64
	Faulted, Clean        Converge
	Duplicates, CleanDups int
}

// p95 is the 95th percentile (nearest rank).
func p95(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	sorted := slices.Clone(ds)
	slices.Sort(sorted)
	rank := (95*len(sorted) + 99) / 100
	return sorted[rank-1]
}
