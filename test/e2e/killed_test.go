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

package e2e

import (
	"bufio"
	"context"
	"io"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/taskrouter-operator/taskrouter-operator/internal/proctree"
	"github.com/taskrouter-operator/taskrouter-operator/internal/testenv"
)

// TestKilledDemoLeavesNothing kills `make demo` with SIGKILL once everything
// runs and checks that nothing it started survives: other people run their
// own control planes on the same machine, and a CI timeout kills this way.
// Processes are matched by the pid tree under this run's make (pid and start
// time), never by name, so nobody else's processes are looked at or touched.
func TestKilledDemoLeavesNothing(t *testing.T) {
	demo := exec.Command("make", "-s", "-C", testenv.RepoRoot(), "demo")
	demo.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	out, err := demo.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	demo.Stderr = demo.Stdout
	if err := demo.Start(); err != nil {
		t.Fatal(err)
	}
	var started []proctree.Process
	t.Cleanup(func() {
		for _, p := range started {
			if p.Alive() {
				_ = syscall.Kill(p.PID, syscall.SIGKILL)
			}
		}
		_ = syscall.Kill(-demo.Process.Pid, syscall.SIGKILL)
		_ = demo.Wait()
	})

	// A cold run builds the binaries first; "manager started" comes after the
	// control plane and the emulator are up.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	if log, ok := waitForLine(ctx, out, "manager started"); !ok {
		t.Fatalf("make demo did not start the manager:\n%s", log)
	}
	started = proctree.Descendants(demo.Process.Pid)
	for _, program := range []string{"/kube-apiserver ", "/etcd ", "/taskrouter-emulator ", "/manager ", "/taskrouter-demo"} {
		if !runs(started, program) {
			t.Fatalf("no %s below make demo; running: %v", strings.TrimSpace(program), commands(started))
		}
	}

	if err := syscall.Kill(demo.Process.Pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	// supervise gives the demo 10s to stop what it started, then kills the rest.
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) && len(alive(started)) > 0 {
		time.Sleep(200 * time.Millisecond)
	}
	if left := alive(started); len(left) > 0 {
		t.Fatalf("still running a minute after make demo was killed: %v", commands(left))
	}
}

// waitForLine reads r until a line contains want and returns what it read.
func waitForLine(ctx context.Context, r io.Reader, want string) (string, bool) {
	var mu sync.Mutex
	var log strings.Builder
	found := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			mu.Lock()
			log.WriteString(sc.Text() + "\n")
			mu.Unlock()
			if strings.Contains(sc.Text(), want) {
				found <- true
				// Keep draining so the demo never blocks on a full pipe.
				for sc.Scan() {
				}
				return
			}
		}
		found <- false
	}()
	var ok bool
	select {
	case ok = <-found:
	case <-ctx.Done():
	}
	mu.Lock()
	defer mu.Unlock()
	return log.String(), ok
}

func runs(procs []proctree.Process, program string) bool {
	for _, p := range procs {
		if strings.Contains(p.Command+" ", program) {
			return true
		}
	}
	return false
}

func alive(procs []proctree.Process) []proctree.Process {
	var out []proctree.Process
	for _, p := range procs {
		if p.Alive() {
			out = append(out, p)
		}
	}
	return out
}

func commands(procs []proctree.Process) []string {
	var out []string
	for _, p := range procs {
		out = append(out, p.Command)
	}
	return out
}
