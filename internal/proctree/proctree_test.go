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

package proctree

import (
	"os"
	"os/exec"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseStat(t *testing.T) {
	// comm "(sd pam) x" holds spaces and parentheses, as comm may.
	line := "4242 ((sd pam) x) S 17 4242 4242 0 -1 4194560 49 0 0 0 0 0 0 0 20 0 1 0 987654 1000 10 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n"
	got, err := parseStat(line)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(Process{PID: 4242, PPID: 17, State: "S", Start: 987654}, got); diff != "" {
		t.Fatalf("parseStat (-want +got):\n%s", diff)
	}
	for _, bad := range []string{"", "12 (x", "x (y) S 1", "12 (y) S notapid 1"} {
		if _, err := parseStat(bad); err == nil {
			t.Errorf("parseStat(%q) succeeded, want an error", bad)
		}
	}
}

func TestDescendantsAndAlive(t *testing.T) {
	cmd := exec.Command("sleep", "60")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var child Process
	for _, p := range Descendants(os.Getpid()) {
		if p.PID == cmd.Process.Pid {
			child = p
		}
	}
	if child.PID == 0 || child.Command != "sleep 60" || !child.Alive() {
		t.Fatalf("the sleep child is not listed alive below the test: %+v", child)
	}
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
	if child.Alive() {
		t.Fatalf("%+v still alive after it was killed and reaped", child)
	}
	if reused := (Process{PID: child.PID, Start: child.Start + 1}); reused.Alive() {
		t.Fatal("a process with another start time counts as alive")
	}
}
