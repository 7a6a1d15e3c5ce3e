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

// Package proctree reads the Linux process tree from /proc, so a supervisor can
// find everything below it and a test can check that nothing a run started is
// left. A process is identified by its pid and start time together, so a pid
// the kernel reused for someone else's process is never mistaken for ours.
package proctree

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Process is one entry of /proc.
type Process struct {
	PID  int
	PPID int
	// State is the one-letter state: R running, S sleeping, Z zombie (exited, not yet reaped) ...
	State string
	// Start is the start time in clock ticks since boot (field 22 of /proc/PID/stat).
	Start uint64
	// Command is the command line with arguments separated by spaces.
	Command string
}

// Read returns the process pid, or false when it no longer exists.
func Read(pid int) (Process, bool) {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return Process{}, false
	}
	p, err := parseStat(string(data))
	if err != nil {
		return Process{}, false
	}
	if cmdline, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline"); err == nil {
		p.Command = strings.TrimSpace(strings.ReplaceAll(string(cmdline), "\x00", " "))
	}
	return p, true
}

// parseStat parses "pid (comm) state ppid ... starttime ...". comm may hold
// spaces and parentheses, so the fields are counted after the last ')'.
func parseStat(stat string) (Process, error) {
	open, end := strings.IndexByte(stat, '('), strings.LastIndexByte(stat, ')')
	if open < 1 || end < open {
		return Process{}, fmt.Errorf("malformed stat %q", stat)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(stat[:open]))
	if err != nil {
		return Process{}, fmt.Errorf("malformed pid in stat %q", stat)
	}
	// After comm: state(0) ppid(1) ... starttime is field 22 of the whole line, index 19 here.
	fields := strings.Fields(stat[end+1:])
	if len(fields) < 20 {
		return Process{}, fmt.Errorf("short stat %q", stat)
	}
	ppid, err := strconv.Atoi(fields[1])
	if err != nil {
		return Process{}, fmt.Errorf("malformed ppid in stat %q", stat)
	}
	start, err := strconv.ParseUint(fields[19], 10, 64)
	if err != nil {
		return Process{}, fmt.Errorf("malformed start time in stat %q", stat)
	}
	return Process{PID: pid, PPID: ppid, State: fields[0], Start: start}, nil
}

// Descendants returns every process below root, parents before their children.
func Descendants(root int) []Process {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	children := map[int][]Process{}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if p, ok := Read(pid); ok {
			children[p.PPID] = append(children[p.PPID], p)
		}
	}
	var out []Process
	queue := []int{root}
	for len(queue) > 0 {
		next := queue[0]
		queue = queue[1:]
		for _, c := range children[next] {
			out = append(out, c)
			queue = append(queue, c.PID)
		}
	}
	return out
}

// Alive reports whether p is still running: same pid, same start time, not a zombie.
func (p Process) Alive() bool {
	now, ok := Read(p.PID)
	return ok && now.Start == p.Start && now.State != "Z"
}
