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
	"bytes"
	"context"
	"net"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/taskrouter-operator/taskrouter-operator/internal/testenv"
)

// TestMakeDemo runs the README's main command headless, as a new user's first
// run would, and checks what it prints and that it leaves nothing running.
func TestMakeDemo(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "make", "-s", "-C", testenv.RepoRoot(), "demo", "EXIT_WHEN_READY=1")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("make demo EXIT_WHEN_READY=1: %v\n%s", err, out.String())
	}
	text := out.String()
	for _, want := range []string{"$ kubectl get taskrouter", "export KUBECONFIG=", "kubectl get taskqueues -w"} {
		if !strings.Contains(text, want) {
			t.Errorf("demo output lacks %q:\n%s", want, text)
		}
	}
	checkQueueFigures(t, text)
	checkChannels(t, text)
	for _, addr := range regexp.MustCompile(`(?:emulator \(--simulate\) at|control plane at) https?://(127\.0\.0\.1:\d+)`).FindAllStringSubmatch(text, -1) {
		if conn, err := net.DialTimeout("tcp", addr[1], time.Second); err == nil {
			conn.Close()
			t.Errorf("%s still answers after the demo exited", addr[1])
		}
	}
	if leftovers := demoProcesses(t); len(leftovers) > 0 {
		t.Errorf("processes left behind by the demo: %v", leftovers)
	}
}

// checkQueueFigures asserts every TaskQueue row shows its live figures.
func checkQueueFigures(t *testing.T, text string) {
	t.Helper()
	rows := 0
	for _, line := range strings.Split(text, "\n") {
		if !strings.HasPrefix(line, "taskqueue.taskrouter.operator.dev/") {
			continue
		}
		rows++
		// NAME SID READY WAITING LONGEST-WAIT AVAILABLE ELIGIBLE AGE
		if fields := strings.Fields(line); len(fields) != 8 {
			t.Errorf("taskqueue row has %d columns, want 8 with every figure filled: %q", len(fields), line)
		}
	}
	if rows != 3 {
		t.Errorf("demo printed %d taskqueue rows, want the 3 samples:\n%s", rows, text)
	}
}

// checkChannels asserts the demo shows the sample chat channel and each agent's capacity per channel.
func checkChannels(t *testing.T, text string) {
	t.Helper()
	if !regexp.MustCompile(`(?m)^taskchannel\.taskrouter\.operator\.dev/chat\s+TC[0-9a-f]{32}\s+chat\s+true\s+True\s`).MatchString(text) {
		t.Errorf("demo output lacks a Ready chat TaskChannel row:\n%s", text)
	}
	// NAME CHANNELS CAPACITY ASSIGNED FREE%, as config/samples/workers.yaml sets them.
	for _, want := range []string{`(?m)^alice\s+chat,voice\s+3,1\s`, `(?m)^bob\s+chat\s+1\s`, `(?m)^carmen\s+chat,voice\s+2,1\s`} {
		if !regexp.MustCompile(want).MatchString(text) {
			t.Errorf("demo output lacks the worker channels row %s:\n%s", want, text)
		}
	}
}

// demoProcesses lists running processes started from this checkout's demo.
func demoProcesses(t *testing.T) []string {
	t.Helper()
	root := testenv.RepoRoot()
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil // not Linux: nothing to inspect
	}
	var found []string
	for _, e := range entries {
		cmdline, err := os.ReadFile("/proc/" + e.Name() + "/cmdline")
		if err != nil {
			continue
		}
		line := strings.ReplaceAll(string(cmdline), "\x00", " ")
		if strings.Contains(line, root+"/bin/taskrouter-demo") ||
			(strings.Contains(line, root+"/bin/manager") && strings.Contains(line, root+"/bin/demo/kubeconfig")) {
			found = append(found, line)
		}
	}
	return found
}
