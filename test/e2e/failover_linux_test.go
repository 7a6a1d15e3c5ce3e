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
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/leaderelection"
	"sigs.k8s.io/controller-runtime/pkg/envtest"

	"github.com/taskrouter-operator/taskrouter-operator/internal/testenv"
)

// The acceptance: a SIGTERM'd leader hands over in under this.
const gracefulHandoverBound = 5 * time.Second

// TestLeaderFailover runs two manager processes against one API server, as
// two replicas of the Deployment, and times the handover of the Lease from
// the Lease's own timestamps (acquireTime, renewTime), so a slow test process
// or a loaded machine does not move the figures.
func TestLeaderFailover(t *testing.T) {
	env, err := testenv.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = env.Stop() })
	admin, err := env.AddUser(envtest.User{Name: "failover-admin", Groups: []string{"system:masters"}})
	if err != nil {
		t.Fatal(err)
	}
	data, err := admin.KubeConfig()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	kubeconfig := filepath.Join(dir, "kubeconfig")
	must(t, os.WriteFile(kubeconfig, data, 0o600))
	// Built aside, not into bin/: make demo may be running bin/manager.
	manager := filepath.Join(dir, "manager")
	build := exec.Command("go", "build", "-o", manager, "./cmd/manager")
	build.Dir = testenv.RepoRoot()
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/manager: %v\n%s", err, out)
	}
	kube := kubernetes.NewForConfigOrDie(env.Config)
	r := replicas{t: t, kube: kube, binary: manager, kubeconfig: kubeconfig}

	t.Run("SIGTERM hands over at once with the default timings", func(t *testing.T) {
		r := r.in(t, "graceful")
		testGracefulHandover(t, r)
	})
	t.Run("SIGKILL is taken over once the lease expires", func(t *testing.T) {
		r := r.in(t, "crash")
		testCrashTakeover(t, r)
	})
}

// testGracefulHandover stops the leader as a rolling update does, once the
// standby is Ready, and checks the Lease went to the standby because the
// leader released it, in under gracefulHandoverBound.
func testGracefulHandover(t *testing.T, r replicas) {
	leases := r.watchLease()
	leader := r.start("leader")
	first := leases.waitFor(t, "the first replica to lead", func(l leaseRecord) bool { return l.holder != "" })
	leader.waitForLog(t, "Successfully acquired lease")
	standby := r.start("standby")
	standby.waitReady(t)
	standby.waitForLog(t, "Attempting to acquire leader lease")

	sigterm := time.Now()
	leader.signal(t, syscall.SIGTERM)
	taken := leases.waitFor(t, "the standby to take the Lease", func(l leaseRecord) bool {
		return l.holder != "" && l.holder != first.holder
	})
	if err := leader.wait(time.Minute); err != nil {
		t.Errorf("the leader did not stop cleanly on SIGTERM: %v\n%s", err, leader.log.String())
	}
	standby.waitForLog(t, "Successfully acquired lease")

	released, ok := leases.find(func(l leaseRecord) bool { return l.holder == "" && l.acquire.After(first.acquire) })
	if !ok {
		t.Fatalf("the leader never released the Lease; records seen: %v", leases.snapshot())
	}
	handover := taken.acquire.Sub(sigterm)
	t.Logf("graceful handover: SIGTERM → Lease released %v → acquired by the standby %v (lease %ds)",
		released.acquire.Sub(sigterm).Round(time.Millisecond), handover.Round(time.Millisecond), first.durationSeconds)
	if handover >= gracefulHandoverBound {
		t.Errorf("the standby acquired the Lease %v after the leader's SIGTERM, want under %v", handover, gracefulHandoverBound)
	}
}

// Short timings keep the crash case quick; the bound is computed from them.
const (
	crashLease   = 4 * time.Second
	crashRenew   = 3 * time.Second
	crashRetry   = time.Second
	apiRoundTrip = time.Second // one Lease read under load, between the standby's clock reading and its observation
)

// testCrashTakeover kills the leader and checks the standby waits out the
// lease from the last renewal (no two leaders; it sees every renewal because
// the manager requires a retry period of at least the Lease's 1s resolution)
// and takes over within lease duration + retry period, where client-go
// jitters each of the standby's two waits for its next retry (to see the last
// renewal, then to take the expired Lease) by up to JitterFactor.
func testCrashTakeover(t *testing.T, r replicas) {
	timings := []string{"--leader-elect-lease-duration=" + crashLease.String(), "--leader-elect-renew-deadline=" + crashRenew.String(),
		"--leader-elect-retry-period=" + crashRetry.String()}
	leases := r.watchLease()
	leader := r.start("leader", timings...)
	first := leases.waitFor(t, "the first replica to lead", func(l leaseRecord) bool { return l.holder != "" })
	standby := r.start("standby", timings...)
	standby.waitReady(t)
	standby.waitForLog(t, "Attempting to acquire leader lease")
	// Let the leader renew a few times while the standby watches.
	leases.waitFor(t, "renewals", func(l leaseRecord) bool {
		return l.holder == first.holder && l.renew.Sub(first.acquire) > 2*crashRetry
	})

	sigkill := time.Now()
	leader.signal(t, syscall.SIGKILL)
	taken := leases.waitFor(t, "the standby to take the Lease", func(l leaseRecord) bool {
		return l.holder != "" && l.holder != first.holder
	})
	standby.waitForLog(t, "Successfully acquired lease")
	last, _ := leases.last(func(l leaseRecord) bool { return l.holder == first.holder })
	if _, released := leases.find(func(l leaseRecord) bool { return l.holder == "" }); released {
		t.Errorf("a killed leader cannot release its Lease; records seen: %v", leases.snapshot())
	}

	sinceRenewal, sinceKill := taken.acquire.Sub(last.renew), taken.acquire.Sub(sigkill)
	bound := crashLease + 2*time.Duration((1+leaderelection.JitterFactor)*float64(crashRetry)) + apiRoundTrip
	t.Logf("crash takeover: SIGKILL → acquired by the standby %v, %v after the last renewal (lease %v, retry %v, bound %v)",
		sinceKill.Round(time.Millisecond), sinceRenewal.Round(time.Millisecond), crashLease, crashRetry, bound)
	if sinceRenewal <= crashLease {
		t.Errorf("the standby took the Lease %v after the last renewal, before the lease duration %v: two leaders", sinceRenewal, crashLease)
	}
	if sinceKill > bound {
		t.Errorf("the standby took the Lease %v after SIGKILL, want within %v", sinceKill, bound)
	}
}

// in gives a subtest its own Lease namespace and cleanup.
func (r replicas) in(t *testing.T, namespace string) replicas {
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: namespace}}
	if _, err := r.kube.CoreV1().Namespaces().Create(context.Background(), ns, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	r.t, r.namespace = t, namespace
	return r
}
