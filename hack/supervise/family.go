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
	"os"
	"os/signal"
	"sync"

	"golang.org/x/sys/unix"

	"github.com/taskrouter-operator/taskrouter-operator/internal/proctree"
)

// family reaps every process that ends below supervise (as a subreaper it
// inherits orphans) and kills what is left. Reaping and killing share a lock:
// while killAll walks the tree no orphan is reaped, so a pid it read cannot be
// freed and reused by someone else's process before the signal lands.
type family struct {
	mu      sync.Mutex
	sigchld chan os.Signal
}

func newFamily() *family {
	f := &family{sigchld: make(chan os.Signal, 1)}
	signal.Notify(f.sigchld, unix.SIGCHLD)
	return f
}

// reap collects exited children until pid exits, then reports its status.
func (f *family) reap(pid int) <-chan unix.WaitStatus {
	exited := make(chan unix.WaitStatus, 1)
	go func() {
		for range f.sigchld {
			if status, done := f.collect(pid); done {
				exited <- status
				// Keep reaping orphans until the process exits.
				go func() {
					for range f.sigchld {
						f.collect(-1)
					}
				}()
				return
			}
		}
	}()
	// A child that exited before Notify took effect has no SIGCHLD of its own.
	f.sigchld <- unix.SIGCHLD
	return exited
}

// collect reaps every exited child without blocking and reports whether pid was one.
func (f *family) collect(pid int) (unix.WaitStatus, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var found unix.WaitStatus
	done := false
	for {
		var status unix.WaitStatus
		got, err := unix.Wait4(-1, &status, unix.WNOHANG, nil)
		if err != nil || got <= 0 {
			return found, done
		}
		if got == pid {
			found, done = status, true
		}
	}
}

// killAll sends sig to every process below supervise.
func (f *family) killAll(sig unix.Signal) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, p := range proctree.Descendants(os.Getpid()) {
		_ = unix.Kill(p.PID, sig)
	}
}
