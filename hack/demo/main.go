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

// Command demo is `make demo`: it starts a local control plane with the CRDs,
// the TaskRouter emulator with --simulate, and the manager, applies
// config/samples, waits until every sample is Ready, and prints what
// `kubectl get taskrouter` shows (rendered by the API server, so kubectl is not
// needed). It keeps running until Ctrl-C and then stops everything it started.
//
// With EXIT_WHEN_READY=1 it exits 0 once everything is Ready and the queues show
// statistics, or non-zero with the reason, stopping what it started either way.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/taskrouter-operator/taskrouter-operator/internal/testenv"
)

// readyTimeout bounds the wait for the samples; a cold build happens before this starts.
const readyTimeout = 3 * time.Minute

func main() {
	exitWhenReady := os.Getenv("EXIT_WHEN_READY") == "1" || os.Getenv("EXIT_WHEN_READY") == "true"
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, exitWhenReady); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, exitWhenReady bool) error {
	root := testenv.RepoRoot()
	dir := filepath.Join(root, "bin", "demo")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	start := time.Now()
	step("starting the local control plane (kube-apiserver + etcd) with the taskrouter CRDs")
	cluster, err := startCluster(dir)
	if err != nil {
		return err
	}
	defer cluster.stop()
	step("control plane at %s", cluster.config.Host)

	procs := &processes{dir: dir}
	defer procs.stopAll()
	emulatorURL, err := procs.startEmulator(filepath.Join(root, "bin", "taskrouter-emulator"))
	if err != nil {
		return err
	}
	step("TaskRouter emulator (--simulate) at %s", emulatorURL)
	if err := procs.startManager(filepath.Join(root, "bin", "manager"), cluster.kubeconfig, emulatorURL); err != nil {
		return err
	}
	step("manager started (log: %s)", filepath.Join(dir, "manager.log"))

	objs, err := applySamples(ctx, cluster, filepath.Join(root, "config", "samples"))
	if err != nil {
		return err
	}
	step("applied %d objects from config/samples; waiting until every one is Ready", len(objs))
	waitCtx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	if err := waitReady(waitCtx, cluster, objs, procs); err != nil {
		return err
	}
	step("every sample is Ready after %s; waiting for the first statistics", time.Since(start).Round(time.Second))
	if err := waitStatistics(waitCtx, cluster, procs); err != nil {
		return err
	}
	if err := printTables(ctx, cluster); err != nil {
		return err
	}
	fmt.Printf("\nReady in %s. Watch the statistics move from another terminal:\n\n", time.Since(start).Round(time.Second))
	fmt.Printf("  export KUBECONFIG=%s\n  kubectl get taskqueues -w\n\n", cluster.kubeconfig)
	if exitWhenReady {
		step("EXIT_WHEN_READY: stopping everything the demo started")
		return nil
	}
	fmt.Println("Press Ctrl-C to stop the demo (it stops everything it started).")
	ticker := time.NewTicker(30 * time.Second)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			step("stopping the manager, the emulator and the control plane")
			return nil
		case <-ticker.C:
			if err := procs.check(); err != nil {
				return err
			}
		}
	}
}

func step(format string, args ...any) {
	fmt.Printf("==> "+format+"\n", args...)
}
