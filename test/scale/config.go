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
	"fmt"
	"io"
	"strings"
	"time"
)

// Phase is one measurement of the benchmark.
type Phase string

// The phases, in the order they run. converge, steady, memory, pickup and sweep
// share one run of the manager (the "main" scenario); stats, adopt and faults
// each start their own control plane, emulator and manager.
const (
	PhaseConverge Phase = "converge"
	PhaseSteady   Phase = "steady"
	PhaseMemory   Phase = "memory"
	PhasePickup   Phase = "pickup"
	PhaseSweep    Phase = "sweep"
	PhaseStats    Phase = "stats"
	PhaseAdopt    Phase = "adopt"
	PhaseFaults   Phase = "faults"
)

// AllPhases lists every phase in running order.
var AllPhases = []Phase{PhaseConverge, PhaseSteady, PhaseMemory, PhasePickup, PhaseSweep, PhaseStats, PhaseAdopt, PhaseFaults}

// Phases is a set of phases.
type Phases map[Phase]bool

// ParsePhases reads a comma-separated list such as "converge,sweep", or "all".
func ParsePhases(list string) (Phases, error) {
	out := Phases{}
	for _, item := range strings.Split(list, ",") {
		item = strings.TrimSpace(item)
		switch item {
		case "":
			continue
		case "all":
			for _, p := range AllPhases {
				out[p] = true
			}
			continue
		}
		known := false
		for _, p := range AllPhases {
			if string(p) == item {
				out[p], known = true, true
			}
		}
		if !known {
			return nil, fmt.Errorf("-phases: unknown phase %q (known: all, %s)", item, joinPhases(AllPhases))
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("-phases is empty: name at least one of all, %s", joinPhases(AllPhases))
	}
	return out, nil
}

// String lists the set in running order.
func (p Phases) String() string {
	var in []Phase
	for _, phase := range AllPhases {
		if p[phase] {
			in = append(in, phase)
		}
	}
	return joinPhases(in)
}

// main reports whether the main scenario (one converged shape of N) is needed.
func (p Phases) main() bool {
	return p[PhaseConverge] || p[PhaseSteady] || p[PhaseMemory] || p[PhasePickup] || p[PhaseSweep]
}

func joinPhases(ps []Phase) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = string(p)
	}
	return strings.Join(s, ",")
}

// Config is one benchmark run.
type Config struct {
	// N is the number of objects of the main scenario.
	N int
	// Shape is the mix of kinds, per 1,000 objects.
	Shape Shape
	// WriteRate is the emulator's --write-rate (writes per second; 0: no limit).
	WriteRate float64
	// Simulate runs the main scenario's emulator with --simulate (tasks keep arriving).
	Simulate bool
	// Phases are the measurements to take.
	Phases Phases
	// ManagerFlags are passed to every manager the benchmark starts, after the
	// URLs, kubeconfig and ports it sets itself; a phase's own flag comes last.
	ManagerFlags []string
	// ManagerMemoryLimit, when set, is the manager's GOMEMLIMIT, as the Deployment sets it from the
	// container's limits.memory (e.g. 128MiB).
	ManagerMemoryLimit string

	// SyncPeriod is the manager's --sync-period in the sweep phase.
	SyncPeriod time.Duration
	// Settle is the least the main scenario waits after converging before the
	// steady-state window (so the first statistics are written first); it then
	// waits on until the manager has been quiet for 30s.
	Settle time.Duration
	// SteadyWindow is how long steady state is observed.
	SteadyWindow time.Duration
	// Pickups is how many TaskQueues are created to time their pickup, idle and during a sweep.
	Pickups int

	// StatsN is the number of objects of the statistics scenarios.
	StatsN int
	// StatisticsInterval is the manager's --statistics-interval there.
	StatisticsInterval time.Duration
	// StatsWindow is how long requests are counted there.
	StatsWindow time.Duration

	// AdoptN is the number of objects of the adoption scenario (0: N).
	AdoptN int

	// FaultsN is the number of objects of the fault scenarios.
	FaultsN int
	// Faults is the emulator's --faults in the faulted scenario.
	Faults string

	// ConvergeTimeout bounds each wait for every object to be Ready (0: derived from N and the floor).
	ConvergeTimeout time.Duration
	// Seed is the emulator's --seed, so faults repeat from run to run.
	Seed int64
	// BinDir holds the manager and taskrouter-emulator binaries.
	BinDir string
	// WorkDir receives one directory per scenario with its logs and kubeconfig.
	WorkDir string
	// Progress receives one line per step; nil discards them.
	Progress io.Writer
}

// DefaultConfig is the measurement: N=1,000 with write rate 20, every phase.
func DefaultConfig() Config {
	phases, _ := ParsePhases("all")
	return Config{
		N: 1000, Shape: DefaultShape, WriteRate: 20, Phases: phases,
		SyncPeriod: time.Minute, Settle: time.Minute, SteadyWindow: 2 * time.Minute, Pickups: 20,
		StatsN: 150, StatisticsInterval: 10 * time.Second, StatsWindow: 2 * time.Minute,
		FaultsN: 300, Faults: "429=0.2", Seed: 1,
	}
}

// Validate reports the first setting that cannot work, naming its flag.
func (c *Config) Validate() error {
	if c.AdoptN == 0 {
		c.AdoptN = c.N
	}
	for _, n := range []struct {
		flag  string
		value int
	}{{"-n", c.N}, {"-stats-n", c.StatsN}, {"-adopt-n", c.AdoptN}, {"-faults-n", c.FaultsN}} {
		if _, err := c.Shape.Counts(n.value); err != nil {
			return fmt.Errorf("%s %d: %w", n.flag, n.value, err)
		}
	}
	switch {
	case c.WriteRate < 0:
		return fmt.Errorf("-write-rate %g is negative: use 0 for no limit", c.WriteRate)
	case c.SyncPeriod < time.Second:
		return fmt.Errorf("-sync-period %s: use at least 1s (the manager refuses less)", c.SyncPeriod)
	case c.StatisticsInterval <= 0:
		return fmt.Errorf("-statistics-interval %s: use a positive interval such as 10s", c.StatisticsInterval)
	case c.SteadyWindow <= 0 || c.StatsWindow <= 0:
		return fmt.Errorf("-steady-window and -stats-window must be positive, such as 2m")
	case c.Settle < 0:
		return fmt.Errorf("-settle %s is negative", c.Settle)
	case c.Pickups < 1:
		return fmt.Errorf("-pickups %d: create at least 1 TaskQueue to time", c.Pickups)
	case c.BinDir == "" || c.WorkDir == "":
		return fmt.Errorf("the binary and work directories are required")
	}
	if _, err := parseTooManyShare(c.Faults); err != nil {
		return fmt.Errorf("-faults %q: %w", c.Faults, err)
	}
	return nil
}

// parseTooManyShare reads the 429 share out of a --faults spec ("429=0.2,latency=5ms").
func parseTooManyShare(spec string) (float64, error) {
	for _, item := range strings.Split(spec, ",") {
		name, value, found := strings.Cut(strings.TrimSpace(item), "=")
		if !found || name != "429" {
			continue
		}
		var share float64
		if _, err := fmt.Sscanf(value, "%g", &share); err != nil || share < 0 || share >= 1 {
			return 0, fmt.Errorf("429=%s: want a share in [0, 1)", value)
		}
		return share, nil
	}
	return 0, nil
}

// progress prints one step of the run, with the time of day.
func (c *Config) progress(format string, args ...any) {
	if c.Progress != nil {
		fmt.Fprintf(c.Progress, "%s ==> %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
	}
}

// convergeTimeout bounds one wait for n objects to be Ready: generous, because
// the code before issue 11 needed 8 times the floor, and a shared machine is slow.
func (c *Config) convergeTimeout(n int, floor time.Duration) time.Duration {
	if c.ConvergeTimeout > 0 {
		return c.ConvergeTimeout
	}
	return 10*time.Minute + 20*floor + time.Duration(n)*time.Second/2
}
