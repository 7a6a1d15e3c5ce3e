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

// Command benchscale is `make bench-scale`: it runs the real manager against
// the TaskRouter emulator and a local control plane at a chosen scale and
// prints one Markdown table of the figures of issue 11, each beside its floor
// or a reference measured in the same run. The phases live in test/scale.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"go.uber.org/zap/zapcore"
	ctrllog "sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"

	"github.com/taskrouter-operator/taskrouter-operator/internal/testenv"
	"github.com/taskrouter-operator/taskrouter-operator/test/scale"
)

func main() {
	cfg, err := parseFlags(os.Args[1:], os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench-scale:", err)
		os.Exit(2)
	}
	// The control plane's library logs through controller-runtime; only its errors matter here.
	ctrllog.SetLogger(zap.New(zap.WriteTo(os.Stderr), zap.Level(zapcore.ErrorLevel)))
	// Ctrl-C cancels the run; every process it started is stopped before it exits.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	go func() {
		sig := <-signals
		fmt.Fprintf(os.Stderr, "bench-scale: %s: stopping every process it started\n", sig)
		cancel()
	}()
	res, err := scale.Run(ctx, cfg)
	if res != nil {
		fmt.Println()
		fmt.Print(res.Table())
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench-scale:", err)
		os.Exit(1)
	}
}

func parseFlags(args []string, stderr io.Writer) (scale.Config, error) {
	cfg := scale.DefaultConfig()
	root := testenv.RepoRoot()
	fs := flag.NewFlagSet("bench-scale", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&cfg.N, "n", cfg.N, "objects in the main scenario (converge, steady, memory, pickup, sweep)")
	shape := fs.String("shape", "", "mix of kinds per 1,000 objects, e.g. activities=10,taskqueues=200,workflows=5 (workers: the rest; default issue 11's)")
	fs.Float64Var(&cfg.WriteRate, "write-rate", cfg.WriteRate, "the emulator's --write-rate (writes per second; 0: no limit)")
	fs.BoolVar(&cfg.Simulate, "simulate", false, "run the main scenario's emulator with --simulate (live traffic)")
	phases := fs.String("phases", "all", "comma-separated phases: all, "+phaseList())
	managerFlags := fs.String("manager-flags", "", "flags added to every manager, space-separated, e.g. \"--api-qps=20 --max-concurrent-reconciles=4\"")
	fs.StringVar(&cfg.ManagerMemoryLimit, "manager-memory-limit", "", "the manager's GOMEMLIMIT, as the Deployment sets it from limits.memory (e.g. 128MiB; default: none, Go's own)")
	fs.DurationVar(&cfg.SyncPeriod, "sync-period", cfg.SyncPeriod, "the manager's --sync-period in the sweep phase")
	fs.DurationVar(&cfg.Settle, "settle", cfg.Settle, "least wait after converging before steady state, memory and the sweep (then until the manager is quiet for 30s)")
	fs.DurationVar(&cfg.SteadyWindow, "steady-window", cfg.SteadyWindow, "how long steady state is observed")
	fs.IntVar(&cfg.Pickups, "pickups", cfg.Pickups, "TaskQueues created to time their pickup, idle and during a sweep")
	fs.IntVar(&cfg.StatsN, "stats-n", cfg.StatsN, "objects in the statistics scenarios")
	fs.DurationVar(&cfg.StatisticsInterval, "statistics-interval", cfg.StatisticsInterval, "the manager's --statistics-interval in the statistics scenarios")
	fs.DurationVar(&cfg.StatsWindow, "stats-window", cfg.StatsWindow, "how long requests are counted in the statistics scenarios")
	fs.IntVar(&cfg.AdoptN, "adopt-n", 0, "objects in the adoption scenario (default: -n)")
	fs.IntVar(&cfg.FaultsN, "faults-n", cfg.FaultsN, "objects in the fault scenarios")
	fs.StringVar(&cfg.Faults, "faults", cfg.Faults, "the emulator's --faults in the faulted scenario")
	fs.DurationVar(&cfg.ConvergeTimeout, "converge-timeout", 0, "bound on each wait for every object to be Ready (default: from N and the floor)")
	fs.Int64Var(&cfg.Seed, "seed", cfg.Seed, "the emulator's --seed")
	fs.StringVar(&cfg.BinDir, "bin", filepath.Join(root, "bin"), "directory with the manager and taskrouter-emulator binaries (make build)")
	fs.StringVar(&cfg.WorkDir, "dir", filepath.Join(root, "bin", "scale"), "directory for logs and kubeconfigs, one subdirectory per scenario")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	var err error
	if cfg.Shape, err = scale.ParseShape(*shape); err != nil {
		return cfg, err
	}
	if cfg.Phases, err = scale.ParsePhases(*phases); err != nil {
		return cfg, err
	}
	cfg.ManagerFlags = strings.Fields(*managerFlags)
	cfg.Progress = os.Stdout
	return cfg, cfg.Validate()
}

func phaseList() string {
	names := make([]string, len(scale.AllPhases))
	for i, p := range scale.AllPhases {
		names[i] = string(p)
	}
	return strings.Join(names, ", ")
}
