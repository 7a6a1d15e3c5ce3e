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

package testenv

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// stopGrace is how long a process gets to exit after SIGTERM before SIGKILL.
const stopGrace = 10 * time.Second

// Process is a program of this repository (the manager, the emulator) run by a
// tool such as the demo or the scale benchmark. It runs in its own process
// group, so stopping it also stops anything it started, and it receives SIGTERM
// when the tool that started it dies, so nothing outlives a crashed tool.
type Process struct {
	Name string
	// Log is the file its standard output and error go to.
	Log string
	cmd *exec.Cmd
	// exited is closed when the process has exited; err is its exit status then.
	exited chan struct{}
	err    error
}

// StartProcess starts binary with args, logging to logPath.
func StartProcess(name, binary, logPath string, args ...string) (*Process, error) {
	return StartProcessWithEnv(name, binary, logPath, nil, args...)
}

// StartProcessWithEnv is StartProcess with env ("KEY=value") added to the inherited environment.
func StartProcessWithEnv(name, binary, logPath string, env []string, args ...string) (*Process, error) {
	if _, err := os.Stat(binary); err != nil {
		return nil, fmt.Errorf("%s not built (%w): run `make build`", binary, err)
	}
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, fmt.Errorf("create log of %s: %w", name, err)
	}
	cmd := exec.Command(binary, args...)
	if len(env) > 0 {
		cmd.Env = append(os.Environ(), env...)
	}
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	p := &Process{Name: name, Log: logPath, cmd: cmd, exited: make(chan struct{})}
	go func() { p.err = cmd.Wait(); logFile.Close(); close(p.exited) }()
	return p, nil
}

// Pid is the process id.
func (p *Process) Pid() int { return p.cmd.Process.Pid }

// Exited reports whether the process has exited.
func (p *Process) Exited() bool {
	select {
	case <-p.exited:
		return true
	default:
		return false
	}
}

// Failure describes an exited process with the end of its log.
func (p *Process) Failure() error {
	// The exit status (nil when it exited 0) is shown, not wrapped: callers read the message and the log.
	return fmt.Errorf("%s exited (%v); the end of its log %s:\n%s", p.Name, p.err, p.Log, Tail(p.Log, 20)) //nolint:errorlint
}

// Check returns Failure when the process has exited, else nil.
func (p *Process) Check() error {
	if p.Exited() {
		return p.Failure()
	}
	return nil
}

// WaitHTTP waits until url answers 200, the process exits, ctx ends or timeout passes.
func (p *Process) WaitHTTP(ctx context.Context, url string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if p.Exited() {
			return p.Failure()
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	return fmt.Errorf("%s did not answer %s within %s; its log %s:\n%s", p.Name, url, timeout, p.Log, Tail(p.Log, 20))
}

// Stop sends SIGTERM to the process group and waits; SIGKILL after stopGrace.
// Only this process's own group is signalled.
func (p *Process) Stop() {
	if p.Exited() {
		return
	}
	_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(stopGrace):
		_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
		<-p.exited
	}
}

// FreeAddress returns a loopback address with a port nobody listens on now.
func FreeAddress() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// Tail returns the last n lines of the file at path, or why it cannot.
func Tail(path string, n int) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
