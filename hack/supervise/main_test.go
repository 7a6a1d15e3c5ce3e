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

package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/taskrouter-operator/taskrouter-operator/internal/proctree"
)

var (
	buildOnce sync.Once
	binary    string
	buildErr  error
)

// build compiles supervise once for the package's tests.
func build(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "supervise-test")
		if err != nil {
			buildErr = err
			return
		}
		binary = filepath.Join(dir, "supervise")
		if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %w\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binary
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binary != "" {
		_ = os.RemoveAll(filepath.Dir(binary))
	}
	os.Exit(code)
}

// waitFor polls cond until it holds or a generous deadline passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// below waits until a process whose command line contains marker runs below root.
func below(t *testing.T, root int, marker string) proctree.Process {
	t.Helper()
	var found proctree.Process
	waitFor(t, marker+" runs", func() bool {
		for _, p := range proctree.Descendants(root) {
			if strings.Contains(p.Command, marker) {
				found = p
				return true
			}
		}
		return false
	})
	return found
}

// reapOnExit stops cmd's process group at the end however the test went.
func reapOnExit(t *testing.T, cmd *exec.Cmd, left ...*proctree.Process) {
	t.Cleanup(func() {
		for _, p := range left {
			if p.PID != 0 && p.Alive() {
				_ = syscall.Kill(p.PID, syscall.SIGKILL)
			}
		}
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		_ = cmd.Wait()
	})
}

// TestParentKilled is the case the program exists for: the process that started
// supervise is SIGKILLed, and the program, including a grandchild that left
// its process group (as kube-apiserver under envtest does), goes with it.
func TestParentKilled(t *testing.T) {
	bin := build(t)
	// The shell is the parent; "; true" keeps it from exec'ing supervise.
	// setsid puts the grandchild in a session and group of its own.
	script := bin + " --grace 2s -- sh -c 'setsid sleep 311 & sleep 312; true'; true"
	parent := exec.Command("sh", "-c", script)
	parent.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := parent.Start(); err != nil {
		t.Fatal(err)
	}
	escaped := below(t, parent.Process.Pid, "sleep 311")
	child := below(t, parent.Process.Pid, "sleep 312")
	sup := below(t, parent.Process.Pid, bin)
	reapOnExit(t, parent, &escaped, &child, &sup)

	// Only the shell dies; nobody signals supervise or the sleeps directly.
	if err := syscall.Kill(parent.Process.Pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	for _, p := range []proctree.Process{sup, child, escaped} {
		waitFor(t, p.Command+" is gone", func() bool { return !p.Alive() })
	}
}

// TestSupervisorKilled: SIGKILL of supervise itself still takes the program down.
func TestSupervisorKilled(t *testing.T) {
	bin := build(t)
	cmd := exec.Command(bin, "--", "sleep", "313")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	child := below(t, cmd.Process.Pid, "sleep 313")
	reapOnExit(t, cmd, &child)
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the program is gone", func() bool { return !child.Alive() })
}

func TestExitStatus(t *testing.T) {
	bin := build(t)
	cases := []struct {
		name   string
		script string
		signal syscall.Signal // sent to supervise once the program runs, 0 for none
		want   int
	}{
		{"exit code passes through", "exit 3", 0, 3},
		{"SIGTERM reaches the program", "sleep 314", syscall.SIGTERM, 128 + int(syscall.SIGTERM)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command(bin, "--grace", "2s", "--", "sh", "-c", tc.script)
			cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			if tc.signal != 0 {
				sleeper := below(t, cmd.Process.Pid, "sleep 314")
				reapOnExit(t, cmd, &sleeper)
				_ = cmd.Process.Signal(tc.signal)
			}
			if code := exitCodeOf(t, cmd.Wait()); code != tc.want {
				t.Errorf("exit status %d, want %d", code, tc.want)
			}
		})
	}
}

// TestOrphanKilledAtExit: what the program leaves behind when it exits (here a
// process in a session of its own, re-parented to supervise) does not survive.
func TestOrphanKilledAtExit(t *testing.T) {
	bin := build(t)
	pidFile := filepath.Join(t.TempDir(), "orphan.pid")
	script := "setsid sh -c 'echo $$ > " + pidFile + ".tmp && mv " + pidFile + ".tmp " + pidFile + " && exec sleep 315' & " +
		"while [ ! -f " + pidFile + " ]; do sleep 0.05; done; exit 0"
	cmd := exec.Command(bin, "--", "sh", "-c", script)
	if code := exitCodeOf(t, cmd.Run()); code != 0 {
		t.Fatalf("exit status %d, want 0", code)
	}
	data, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the orphan is gone", func() bool {
		p, ok := proctree.Read(pid)
		return !ok || p.State == "Z" || !strings.Contains(p.Command, "sleep 315")
	})
}

func exitCodeOf(t *testing.T, err error) int {
	t.Helper()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode()
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{{}, {"--grace", "0s", "--", "true"}, {"--no-such-flag"}} {
		code, err := run(args)
		if code != 2 || err == nil {
			t.Errorf("run(%q) = %d, %v; want 2 and an error", args, code, err)
		}
	}
	out, err := exec.Command(build(t), "--", "/no/such/program").CombinedOutput()
	if code := exitCodeOf(t, err); code != 127 || !strings.Contains(string(out), "/no/such/program") {
		t.Errorf("a missing program: exit %d, %q; want 127 and its name", code, out)
	}
}
