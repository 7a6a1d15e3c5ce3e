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
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// idleSettle is how long the manager runs before its idle memory is read.
const idleSettle = 5 * time.Second

// Run runs the selected phases and returns their figures. A failed scenario is
// reported in the error and the others still run, so one timeout does not
// discard an hour of measurements; cancelling ctx (Ctrl-C) stops the run after
// stopping everything it started.
func Run(ctx context.Context, cfg Config) (*Results, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	res := &Results{Config: cfg, Started: time.Now(), LoadBefore: loadAverage(), ManagerVersion: managerVersion(cfg.BinDir)}
	var errs []error
	for _, sc := range []struct {
		name string
		on   bool
		run  func(context.Context, *Config, *Results) error
	}{
		{"main", cfg.Phases.main(), runMain},
		{"stats", cfg.Phases[PhaseStats], runStats},
		{"adopt", cfg.Phases[PhaseAdopt], runAdopt},
		{"faults", cfg.Phases[PhaseFaults], runFaults},
	} {
		if !sc.on {
			continue
		}
		if ctx.Err() != nil {
			break
		}
		if err := sc.run(ctx, &cfg, res); err != nil {
			cfg.progress("%s: %v", sc.name, err)
			errs = append(errs, fmt.Errorf("%s: %w", sc.name, err))
		}
	}
	res.LoadAfter = loadAverage()
	return res, errors.Join(errs...)
}

// runMain converges a shape of N and measures, on that one manager: memory,
// steady state, pickup when idle, then the drift sweep and pickup during it.
func runMain(ctx context.Context, cfg *Config, res *Results) error {
	counts, _ := cfg.Shape.Counts(cfg.N)
	p := newPlan(counts)
	emulatorFlags := []string{"--write-rate", formatRate(cfg.WriteRate)}
	if cfg.Simulate {
		emulatorFlags = append(emulatorFlags, "--simulate")
	}
	s, err := startScenario(ctx, cfg, "main", emulatorFlags, nil)
	if err != nil {
		return err
	}
	defer s.stop()
	mem := &Memory{N: counts.Total()}
	var series atomic.Int64
	scrapeCtx, stopScraping := context.WithCancel(ctx)
	defer stopScraping()
	go s.scrapeLikePrometheus(scrapeCtx, &series)
	if err := s.wait(ctx, idleSettle); err != nil {
		return err
	}
	if mem.Idle, err = s.managerRSS(); err != nil {
		return err
	}
	if res.Converge, err = s.converge(ctx, p); err != nil {
		return err
	}
	if !cfg.Phases[PhaseSteady] && !cfg.Phases[PhaseMemory] && !cfg.Phases[PhasePickup] && !cfg.Phases[PhaseSweep] {
		return nil
	}
	settled, quiet, err := s.settle(ctx, cfg.Settle, 15*time.Minute+time.Duration(counts.Total())*time.Second/5)
	if err != nil {
		return err
	}
	if cfg.Phases[PhaseSteady] {
		if res.Steady, err = s.steady(ctx); err != nil {
			return err
		}
		res.Steady.Settled, res.Steady.Quiet = settled, quiet
	}
	if cfg.Phases[PhaseMemory] {
		cfg.progress("main: memory: waiting until the manager's RSS stops falling")
		rss, err := s.settledRSS(ctx)
		if err != nil {
			return err
		}
		mem.AtN, mem.AtNAnon, mem.AtNFile, mem.Peak = rss["VmRSS"], rss["RssAnon"], rss["RssFile"], rss["VmHWM"]
		mem.Series = int(series.Load())
		res.Memory = mem
	}
	return runSweepAndPickup(ctx, cfg, s, counts.Total(), res)
}

func runSweepAndPickup(ctx context.Context, cfg *Config, s *scenario, objects int, res *Results) error {
	pickups := 0
	if cfg.Phases[PhasePickup] {
		cfg.progress("main: pickup: creating %d TaskQueues while idle, one at a time", cfg.Pickups)
		idle, err := s.pickups(ctx, "pickup-idle", cfg.Pickups, 500*time.Millisecond, true)
		if err != nil {
			return err
		}
		res.Pickup = &Pickup{Idle: idle}
		objects += cfg.Pickups
		if _, err := s.tracker.waitReady(ctx, objects, cfg.convergeTimeout(cfg.Pickups, 0), s.reportProgress(time.Now(), objects)); err != nil {
			return err
		}
		pickups = cfg.Pickups
	}
	if !cfg.Phases[PhaseSweep] && !cfg.Phases[PhasePickup] {
		return nil
	}
	sweep, during, err := s.sweep(ctx, objects, pickups)
	if sweep != nil && cfg.Phases[PhaseSweep] {
		res.Sweep = sweep
	}
	if res.Pickup != nil {
		res.Pickup.DuringSweep = during
	}
	return err
}

// runStats converges the same small shape twice, without and with live
// traffic, and counts the configuration (non-statistics) requests of a window
// after statistics have been flowing for a while.
func runStats(ctx context.Context, cfg *Config, res *Results) error {
	st := &Stats{N: cfg.StatsN, Interval: cfg.StatisticsInterval, Window: cfg.StatsWindow}
	for _, live := range []bool{false, true} {
		config, statistics, err := statsScenario(ctx, cfg, live)
		if err != nil {
			return err
		}
		if live {
			st.Live, st.LiveStatistics = config, statistics
		} else {
			st.Quiet = config
		}
	}
	res.Stats = st
	return nil
}

func statsScenario(ctx context.Context, cfg *Config, live bool) (config, statistics float64, err error) {
	counts, _ := cfg.Shape.Counts(cfg.StatsN)
	name, emulatorFlags := "stats-quiet", []string{"--write-rate", formatRate(cfg.WriteRate)}
	if live {
		name, emulatorFlags = "stats-live", append(emulatorFlags, "--simulate")
	}
	s, err := startScenario(ctx, cfg, name, emulatorFlags, []string{"--statistics-interval", cfg.StatisticsInterval.String()})
	if err != nil {
		return 0, 0, err
	}
	defer s.stop()
	if _, err := s.converge(ctx, newPlan(counts)); err != nil {
		return 0, 0, err
	}
	// Three refreshes first, so the window sees statistics flowing, not their start.
	if err := s.wait(ctx, 3*cfg.StatisticsInterval); err != nil {
		return 0, 0, err
	}
	before, err := s.emulatorMetrics(ctx)
	if err != nil {
		return 0, 0, err
	}
	cfg.progress("%s: counting requests for %s", name, cfg.StatsWindow)
	if err := s.wait(ctx, cfg.StatsWindow); err != nil {
		return 0, 0, err
	}
	after, err := s.emulatorMetrics(ctx)
	if err != nil {
		return 0, 0, err
	}
	cfg.progress("%s: most configuration requests: %s", name, topRequests(after, before, isConfiguration))
	return after.since(before, emulatorRequests, isConfiguration), after.since(before, emulatorRequests, isStatistics), nil
}

// runAdopt fills the emulator with objects that already match the shape, then
// applies the shape's resources: every write the manager makes is needless.
func runAdopt(ctx context.Context, cfg *Config, res *Results) error {
	counts, _ := cfg.Shape.Counts(cfg.AdoptN)
	p := newPlan(counts)
	s, err := startScenario(ctx, cfg, "adopt", []string{"--write-rate", formatRate(cfg.WriteRate)}, nil)
	if err != nil {
		return err
	}
	defer s.stop()
	cfg.progress("adopt: creating %d matching objects in the emulator through its REST API", counts.Total())
	if err := seed(ctx, newRemote(s.emulatorURL, cfg.WriteRate), p); err != nil {
		return err
	}
	c, err := s.converge(ctx, p)
	if err != nil {
		return err
	}
	res.Adopt = &Adopt{Converge: *c}
	return nil
}

// runFaults converges the same shape fault-free and with --faults, and counts
// duplicate remote objects after each.
func runFaults(ctx context.Context, cfg *Config, res *Results) error {
	share, _ := parseTooManyShare(cfg.Faults)
	f := &Faults{Spec: cfg.Faults, Share: share}
	counts, _ := cfg.Shape.Counts(cfg.FaultsN)
	p := newPlan(counts)
	var err error
	if f.Clean, f.CleanDups, err = faultScenario(ctx, cfg, p, "faults-none", nil); err != nil {
		return err
	}
	if f.Faulted, f.Duplicates, err = faultScenario(ctx, cfg, p, "faults", []string{"--faults", cfg.Faults}); err != nil {
		return err
	}
	res.Faults = f
	return nil
}

func faultScenario(ctx context.Context, cfg *Config, p plan, name string, faults []string) (Converge, int, error) {
	s, err := startScenario(ctx, cfg, name, append([]string{"--write-rate", formatRate(cfg.WriteRate)}, faults...), nil)
	if err != nil {
		return Converge{}, 0, err
	}
	defer s.stop()
	c, err := s.converge(ctx, p)
	if err != nil {
		return Converge{}, 0, err
	}
	dups, err := newRemote(s.emulatorURL, 0).duplicates(ctx, p.workspace.friendly)
	return *c, dups, err
}

func formatRate(r float64) string { return strconv.FormatFloat(r, 'g', -1, 64) }

// loadAverage is /proc/loadavg's 1, 5 and 15 minute figures.
func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	fields := strings.Fields(string(data))
	if len(fields) < 3 {
		return "unknown"
	}
	return strings.Join(fields[:3], " ")
}

// managerVersion is what the manager binary says it is.
func managerVersion(binDir string) string {
	out, err := exec.Command(filepath.Join(binDir, "manager"), "--version").Output()
	if err != nil {
		return "unknown"
	}
	return strings.TrimSpace(string(out))
}
