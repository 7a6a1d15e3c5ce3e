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
	"bufio"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/taskrouter-operator/taskrouter-operator/internal/testenv"
)

// scenario is one control plane, one emulator and one manager, all started by
// the benchmark and all stopped by stop, whatever happened in between.
type scenario struct {
	cfg  *Config
	name string
	dir  string

	cluster     *cluster
	emulator    *testenv.Process
	emulatorURL string
	manager     *testenv.Process
	managerURL  string // its /metrics
	tracker     *tracker
	hc          *http.Client
}

// startScenario starts everything; managerFlags come after cfg.ManagerFlags.
func startScenario(ctx context.Context, cfg *Config, name string, emulatorFlags, managerFlags []string) (s *scenario, err error) {
	s = &scenario{cfg: cfg, name: name, dir: filepath.Join(cfg.WorkDir, name), hc: &http.Client{Timeout: 30 * time.Second}}
	// The directory is the benchmark's own: a previous run's logs would only confuse.
	if err := os.RemoveAll(s.dir); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(s.dir, 0o755); err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			s.stop()
		}
	}()
	cfg.progress("%s: starting the control plane, the emulator (%s) and the manager; logs in %s", name, strings.Join(emulatorFlags, " "), s.dir)
	if s.cluster, err = startCluster(s.dir); err != nil {
		return s, err
	}
	if err := s.startEmulator(ctx, emulatorFlags); err != nil {
		return s, err
	}
	if err := s.startManager(ctx, managerFlags); err != nil {
		return s, err
	}
	if s.tracker, err = startTracker(ctx, s.cluster); err != nil {
		return s, err
	}
	return s, nil
}

func (s *scenario) startEmulator(ctx context.Context, flags []string) error {
	addr, err := testenv.FreeAddress()
	if err != nil {
		return err
	}
	args := append([]string{"--listen", addr, "--seed", strconv.FormatInt(s.cfg.Seed, 10)}, flags...)
	s.emulator, err = testenv.StartProcess("taskrouter-emulator", filepath.Join(s.cfg.BinDir, "taskrouter-emulator"), filepath.Join(s.dir, "emulator.log"), args...)
	if err != nil {
		return err
	}
	s.emulatorURL = "http://" + addr
	return s.emulator.WaitHTTP(ctx, s.emulatorURL+"/healthz", 30*time.Second)
}

// startManager runs bin/manager with its default flags but for the URLs, the
// kubeconfig, the ports and plain-HTTP metrics, then cfg.ManagerFlags, then flags.
func (s *scenario) startManager(ctx context.Context, flags []string) error {
	metricsAddr, err := testenv.FreeAddress()
	if err != nil {
		return err
	}
	probeAddr, err := testenv.FreeAddress()
	if err != nil {
		return err
	}
	args := []string{
		"--kubeconfig", s.cluster.kubeconfig,
		"--taskrouter-base-url", s.emulatorURL, "--event-bridge-base-url", s.emulatorURL,
		// Plain HTTP metrics: the benchmark scrapes the manager's own counters (reconciles) from the
		// loopback address, without the TokenReview the secure endpoint asks of every caller.
		"--metrics-bind-address", metricsAddr, "--metrics-secure=false", "--health-probe-bind-address", probeAddr,
	}
	args = append(append(args, s.cfg.ManagerFlags...), flags...)
	logName := fmt.Sprintf("manager-%s.log", time.Now().Format("150405"))
	var env []string
	if s.cfg.ManagerMemoryLimit != "" {
		env = append(env, "GOMEMLIMIT="+s.cfg.ManagerMemoryLimit) // as the Deployment sets it from limits.memory
	}
	s.manager, err = testenv.StartProcessWithEnv("manager", filepath.Join(s.cfg.BinDir, "manager"), filepath.Join(s.dir, logName), env, args...)
	if err != nil {
		return err
	}
	s.managerURL = "http://" + metricsAddr + "/metrics"
	if err := s.manager.WaitHTTP(ctx, "http://"+probeAddr+"/readyz", time.Minute); err != nil {
		return err
	}
	return s.manager.WaitHTTP(ctx, s.managerURL, 30*time.Second)
}

// restartManager stops the manager and starts a new one with flags; the
// counters of the manager's /metrics start again from zero.
func (s *scenario) restartManager(ctx context.Context, flags []string) error {
	s.manager.Stop()
	return s.startManager(ctx, flags)
}

// stop stops what the scenario started, newest first. It signals only the
// processes it started, never any other process on the machine.
func (s *scenario) stop() {
	if s.tracker != nil {
		s.tracker.stop()
	}
	for _, p := range []*testenv.Process{s.manager, s.emulator} {
		if p != nil {
			p.Stop()
		}
	}
	if s.cluster != nil {
		s.cluster.stop()
	}
}

// check reports a process of the scenario that exited on its own.
func (s *scenario) check() error {
	return errors.Join(s.manager.Check(), s.emulator.Check())
}

func (s *scenario) emulatorMetrics(ctx context.Context) (snapshot, error) {
	return scrape(ctx, s.hc, s.emulatorURL+"/metrics")
}

// counters scrapes the emulator's and the API server's metrics, one after the other.
func (s *scenario) counters(ctx context.Context) (emulator, apiserver snapshot, err error) {
	if emulator, err = s.emulatorMetrics(ctx); err != nil {
		return nil, nil, err
	}
	apiserver, err = s.cluster.metrics(ctx)
	return emulator, apiserver, err
}

func (s *scenario) managerMetrics(ctx context.Context) (snapshot, error) {
	return scrape(ctx, s.hc, s.managerURL)
}

// managerRSS is the manager's resident memory in bytes, from /proc.
func (s *scenario) managerRSS() (int64, error) {
	m, err := s.managerMemory()
	return m["VmRSS"], err
}

// settledRSS waits until the manager's RSS stops falling (less than 1% in 30 s, or 5 minutes
// at most) and returns its memory then. After a converge the Go runtime returns the heap it no
// longer needs to the system gradually; the figure wanted is the steady state, and the converge's
// high-water mark is reported beside it (VmHWM).
func (s *scenario) settledRSS(ctx context.Context) (map[string]int64, error) {
	deadline := time.Now().Add(5 * time.Minute)
	m, err := s.managerMemory()
	for err == nil && time.Now().Before(deadline) {
		if err = s.wait(ctx, 30*time.Second); err != nil {
			break
		}
		var now map[string]int64
		if now, err = s.managerMemory(); err != nil {
			break
		}
		falling := float64(now["VmRSS"]) < 0.99*float64(m["VmRSS"])
		m = now
		if !falling {
			break
		}
	}
	return m, err
}

// managerMemory reads the manager's VmRSS, VmHWM, RssAnon and RssFile, in bytes, from /proc.
func (s *scenario) managerMemory() (map[string]int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", s.manager.Pid()))
	if err != nil {
		return nil, fmt.Errorf("read the manager's memory: %w", err)
	}
	defer f.Close()
	out := map[string]int64{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, rest, ok := strings.Cut(sc.Text(), ":")
		if !ok || (name != "VmRSS" && name != "VmHWM" && name != "RssAnon" && name != "RssFile") {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("parse %s in /proc/%d/status: %w", name, s.manager.Pid(), err)
		}
		out[name] = kb * 1024
	}
	if _, ok := out["VmRSS"]; !ok {
		return nil, fmt.Errorf("no VmRSS in /proc/%d/status", s.manager.Pid())
	}
	return out, sc.Err()
}

// scrapeEvery is how often the benchmark scrapes the manager's /metrics, as Prometheus would.
const scrapeEvery = 15 * time.Second

// scrapeLikePrometheus scrapes the manager's /metrics every scrapeEvery until ctx ends, and keeps
// the number of series of the last scrape in series.
func (s *scenario) scrapeLikePrometheus(ctx context.Context, series *atomic.Int64) {
	t := time.NewTicker(scrapeEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		snap, err := s.managerMetrics(ctx)
		if err != nil {
			continue // the memory figure does not depend on one scrape; the next one comes soon
		}
		n := 0
		for _, ss := range snap {
			n += len(ss)
		}
		series.Store(int64(n))
	}
}
