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
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	coordinationv1 "k8s.io/api/coordination/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/client-go/kubernetes"
)

// leaseName is the Lease cmd/manager elects its leader with.
const leaseName = "taskrouter-operator.operator.dev"

// startupTimeout bounds waits that depend on a process starting on a busy machine, not on the Lease timings.
const startupTimeout = 2 * time.Minute

// replicas starts manager processes that share one Lease namespace.
type replicas struct {
	t                  *testing.T
	kube               kubernetes.Interface
	binary, kubeconfig string
	namespace          string
}

// replica is one manager process this test started; only these are ever signalled.
type replica struct {
	name   string
	cmd    *exec.Cmd
	probe  string
	log    *syncBuffer
	exited chan struct{}
	err    error // set when exited is closed
}

// start runs a manager with leader election in r.namespace, metrics off and
// its probes on a port of its own. It is killed at the end of the test if it
// still runs, and with the test binary if that dies first.
func (r replicas) start(name string, extra ...string) *replica {
	r.t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		r.t.Fatal(err)
	}
	probe := l.Addr().String()
	l.Close()
	args := append([]string{"--kubeconfig=" + r.kubeconfig, "--leader-elect", "--leader-election-namespace=" + r.namespace,
		"--metrics-bind-address=0", "--health-probe-bind-address=" + probe}, extra...)
	p := &replica{name: name, cmd: exec.Command(r.binary, args...), probe: probe, log: &syncBuffer{}, exited: make(chan struct{})}
	p.cmd.Stdout, p.cmd.Stderr = p.log, p.log
	// Pdeathsig (Linux, hence this file's name) kills it if the test binary dies first.
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := p.cmd.Start(); err != nil {
		r.t.Fatalf("start %s: %v", name, err)
	}
	go func() { p.err = p.cmd.Wait(); close(p.exited) }()
	r.t.Cleanup(func() {
		select {
		case <-p.exited:
		default:
			_ = p.cmd.Process.Kill()
			<-p.exited
		}
		if r.t.Failed() {
			r.t.Logf("%s's log:\n%s", name, p.log.String())
		}
	})
	return p
}

// signal sends sig to this process (never to a pid that may have been reused).
func (p *replica) signal(t *testing.T, sig os.Signal) {
	t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		t.Fatalf("signal %s: %v", p.name, err)
	}
}

// wait returns the process's exit error once it exited, or an error after d.
func (p *replica) wait(d time.Duration) error {
	select {
	case <-p.exited:
		return p.err
	case <-time.After(d):
		return fmt.Errorf("%s still runs after %v", p.name, d)
	}
}

func (p *replica) waitForLog(t *testing.T, want string) {
	t.Helper()
	poll(t, p.name+" to log "+want, func() bool { return strings.Contains(p.log.String(), want) }, p)
}

// waitReady waits for /readyz as the kubelet would before a rolling update stops the old pod.
func (p *replica) waitReady(t *testing.T) {
	t.Helper()
	client := &http.Client{Timeout: time.Second}
	poll(t, p.name+" to be ready", func() bool {
		resp, err := client.Get("http://" + p.probe + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	}, p)
}

// poll checks cond until it holds; it fails the test after startupTimeout or when p exited.
func poll(t *testing.T, what string, cond func() bool, p *replica) {
	t.Helper()
	deadline := time.Now().Add(startupTimeout)
	for !cond() {
		select {
		case <-p.exited:
			t.Fatalf("%s exited (%v) while waiting for %s:\n%s", p.name, p.err, what, p.log.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("waited %v for %s:\n%s", startupTimeout, what, p.log.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// leaseRecord is one version of the Lease, as the holders wrote it.
type leaseRecord struct {
	holder          string
	acquire, renew  time.Time
	durationSeconds int32
}

func (l leaseRecord) String() string {
	return fmt.Sprintf("{holder %q acquired %s renewed %s for %ds}", l.holder,
		l.acquire.Format("15:04:05.000000"), l.renew.Format("15:04:05.000000"), l.durationSeconds)
}

// leaseHistory records every version of the Lease a watch delivers, so a
// version that lived for milliseconds (a released Lease) is seen too.
type leaseHistory struct {
	mu      sync.Mutex
	records []leaseRecord
	ended   error
}

// watchLease starts recording r.namespace's Lease until the test ends.
func (r replicas) watchLease() *leaseHistory {
	r.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r.t.Cleanup(cancel)
	w, err := r.kube.CoordinationV1().Leases(r.namespace).Watch(ctx, metav1.ListOptions{
		FieldSelector: fields.OneTermEqualSelector("metadata.name", leaseName).String()})
	if err != nil {
		r.t.Fatalf("watch the Lease: %v", err)
	}
	h := &leaseHistory{}
	go func() {
		defer w.Stop()
		for ev := range w.ResultChan() {
			if lease, ok := ev.Object.(*coordinationv1.Lease); ok {
				h.add(record(lease))
			}
		}
		h.mu.Lock()
		h.ended = errors.New("the Lease watch ended")
		h.mu.Unlock()
	}()
	return h
}

func record(l *coordinationv1.Lease) leaseRecord {
	var rec leaseRecord
	if l.Spec.HolderIdentity != nil {
		rec.holder = *l.Spec.HolderIdentity
	}
	if l.Spec.AcquireTime != nil {
		rec.acquire = l.Spec.AcquireTime.Time
	}
	if l.Spec.RenewTime != nil {
		rec.renew = l.Spec.RenewTime.Time
	}
	if l.Spec.LeaseDurationSeconds != nil {
		rec.durationSeconds = *l.Spec.LeaseDurationSeconds
	}
	return rec
}

func (h *leaseHistory) add(rec leaseRecord) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.records = append(h.records, rec)
}

func (h *leaseHistory) snapshot() []leaseRecord {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]leaseRecord(nil), h.records...)
}

// find returns the first record that matches.
func (h *leaseHistory) find(match func(leaseRecord) bool) (leaseRecord, bool) {
	for _, rec := range h.snapshot() {
		if match(rec) {
			return rec, true
		}
	}
	return leaseRecord{}, false
}

// last returns the latest record that matches.
func (h *leaseHistory) last(match func(leaseRecord) bool) (leaseRecord, bool) {
	records := h.snapshot()
	for i := len(records) - 1; i >= 0; i-- {
		if match(records[i]) {
			return records[i], true
		}
	}
	return leaseRecord{}, false
}

// waitFor returns the first record that matches, waiting up to startupTimeout for it.
func (h *leaseHistory) waitFor(t *testing.T, what string, match func(leaseRecord) bool) leaseRecord {
	t.Helper()
	deadline := time.Now().Add(startupTimeout)
	for {
		if rec, ok := h.find(match); ok {
			return rec
		}
		h.mu.Lock()
		ended := h.ended
		h.mu.Unlock()
		if ended != nil || time.Now().After(deadline) {
			t.Fatalf("waited for %s (%v); Lease records seen: %v", what, ended, h.snapshot())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// syncBuffer is a process's combined output, read while it is written.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
