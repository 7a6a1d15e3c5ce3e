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
	"context"
	"path/filepath"
	"time"

	"github.com/taskrouter-operator/taskrouter-operator/internal/testenv"
)

// startupTimeout bounds the wait for a started program to answer.
const startupTimeout = 30 * time.Second

// processes are the programs the demo runs: each in its own process group, so
// stopping the demo stops them and anything they started.
type processes struct {
	dir   string
	procs []*testenv.Process
}

func (p *processes) start(name, binary string, args ...string) (*testenv.Process, error) {
	c, err := testenv.StartProcess(name, binary, filepath.Join(p.dir, name+".log"), args...)
	if err != nil {
		return nil, err
	}
	p.procs = append(p.procs, c)
	return c, nil
}

func (p *processes) startEmulator(binary string) (string, error) {
	addr, err := testenv.FreeAddress()
	if err != nil {
		return "", err
	}
	c, err := p.start("taskrouter-emulator", binary, "--listen", addr, "--simulate")
	if err != nil {
		return "", err
	}
	url := "http://" + addr
	if err := c.WaitHTTP(context.Background(), url+"/healthz", startupTimeout); err != nil {
		return "", err
	}
	return url, nil
}

func (p *processes) startManager(binary, kubeconfig, emulatorURL string) error {
	probe, err := testenv.FreeAddress()
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
	return c.WaitHTTP(context.Background(), "http://"+probe+"/readyz", startupTimeout)
}

// check reports a child that exited on its own.
func (p *processes) check() error {
	for _, c := range p.procs {
		if err := c.Check(); err != nil {
			return err
		}
	}
	return nil
}

// stopAll stops the children, newest first.
func (p *processes) stopAll() {
	for i := len(p.procs) - 1; i >= 0; i-- {
		p.procs[i].Stop()
	}
}
