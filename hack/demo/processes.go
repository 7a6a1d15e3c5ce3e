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
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// processes are the programs the demo runs: each in its own process group, so
// stopping the demo stops them and anything they started.
type processes struct {
	dir   string
	procs []*child
}

type child struct {
	name string
	cmd  *exec.Cmd
	log  string
	// exited is closed when the process has exited; err is its exit status then.
	exited chan struct{}
	err    error
}

// failure describes an exited child with the end of its log.
func (c *child) failure() error {
	// The exit status (nil when it exited 0) is shown, not wrapped: callers read the message and the log.
	return fmt.Errorf("%s exited (%v); the end of its log %s:\n%s", c.name, c.err, c.log, tail(c.log)) //nolint:errorlint
}

func freeAddress() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func (p *processes) start(name, binary string, args ...string) (*child, error) {
	if _, err := os.Stat(binary); err != nil {
		return nil, fmt.Errorf("%s not built (%w): run `make demo`, which builds it", binary, err)
	}
	logPath := filepath.Join(p.dir, name+".log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(binary, args...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	c := &child{name: name, cmd: cmd, log: logPath, exited: make(chan struct{})}
	go func() { c.err = cmd.Wait(); logFile.Close(); close(c.exited) }()
	p.procs = append(p.procs, c)
	return c, nil
}

func (p *processes) startEmulator(binary string) (string, error) {
	addr, err := freeAddress()
	if err != nil {
		return "", err
	}
	c, err := p.start("taskrouter-emulator", binary, "--listen", addr, "--simulate")
	if err != nil {
		return "", err
	}
	url := "http://" + addr
	if err := waitHTTP(url+"/healthz", c); err != nil {
		return "", err
	}
	return url, nil
}

func (p *processes) startManager(binary, kubeconfig, emulatorURL string) error {
	probe, err := freeAddress()
	if err != nil {
		return err
	}
	c, err := p.start("manager", binary,
		"--kubeconfig", kubeconfig,
		"--taskrouter-base-url", emulatorURL, "--event-bridge-base-url", emulatorURL,
		"--metrics-bind-address", "0", "--health-probe-bind-address", probe,
		"--statistics-interval", "5s", "--sync-period", "1m")
	if err != nil {
		return err
	}
	return waitHTTP("http://"+probe+"/readyz", c)
}

// waitHTTP waits until url answers 200, or the process exits.
func waitHTTP(url string, c *child) error {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-c.exited:
			return c.failure()
		default:
		}
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("%s did not answer %s within 30s; its log %s:\n%s", c.name, url, c.log, tail(c.log))
}

// check reports a child that exited on its own.
func (p *processes) check() error {
	for _, c := range p.procs {
		select {
		case <-c.exited:
			return c.failure()
		default:
		}
	}
	return nil
}

// stopAll sends SIGTERM to each process group and waits; SIGKILL after 10s.
func (p *processes) stopAll() {
	for i := len(p.procs) - 1; i >= 0; i-- {
		c := p.procs[i]
		if c.cmd.Process == nil {
			continue
		}
		_ = syscall.Kill(-c.cmd.Process.Pid, syscall.SIGTERM)
		select {
		case <-c.exited:
		case <-time.After(10 * time.Second):
			_ = syscall.Kill(-c.cmd.Process.Pid, syscall.SIGKILL)
			<-c.exited
		}
	}
}

func tail(path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(lines) > 20 {
		lines = lines[len(lines)-20:]
	}
	return strings.Join(lines, "\n")
}
