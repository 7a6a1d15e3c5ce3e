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

package controllers

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator"
)

// Issue 12: owners never fight, order never matters, every dead end says how out.

// TestOneOwnerAcrossNamespaces: two Workspaces with one friendly name and one account, in two
// namespaces and with different settings, end with one owner; the other stalls with Conflict
// naming it, and nothing is rewritten afterwards.
func TestOneOwnerAcrossNamespaces(t *testing.T) {
	a, b := newNamespace(t), newNamespace(t)
	ctx := context.Background()
	name := fmt.Sprintf("Shared WS %d", time.Now().UnixNano())
	first := workspace(a, func(w *trv1.Workspace) { w.Spec.FriendlyName, w.Spec.PrioritizeQueueOrder = name, "FIFO" })
	second := workspace(b, func(w *trv1.Workspace) { w.Spec.FriendlyName, w.Spec.PrioritizeQueueOrder = name, "LIFO" })
	must(t, k8s.Create(ctx, first))
	waitReady(t, first)
	time.Sleep(time.Second) // creation times have whole seconds: the second resource is the younger
	must(t, k8s.Create(ctx, second))
	c := waitReason(t, second, trv1.ConditionStalled, metav1.ConditionTrue, reasonConflict)
	if !strings.Contains(c.Message, a+"/ws") {
		t.Fatalf("Conflict message does not name the owner in the other namespace: %s", c.Message)
	}
	time.Sleep(testSyncPeriod) // let the settling writes land
	emu.ResetRequests()
	time.Sleep(10 * testSyncPeriod)
	if n := countWrites(func(r emulator.Request) bool { return strings.Contains(r.Path, first.Status.SID) }); n != 0 {
		t.Fatalf("%d writes to the shared workspace over ten sync periods after both settled, want 0", n)
	}
	remote, _ := emu.Admin().Workspace(first.Status.SID)
	if remote.PrioritizeQueueOrder != "FIFO" {
		t.Fatalf("the shared workspace is %s, want the owner's FIFO", remote.PrioritizeQueueOrder)
	}
	if n := countByName(name); n != 1 {
		t.Fatalf("%d remote workspaces named %q, want 1", n, name)
	}
}

func countByName(name string) int {
	n := 0
	for _, w := range emu.Admin().Workspaces() {
		if w.FriendlyName == name {
			n++
		}
	}
	return n
}

// TestSameNameInOneBatchCreatesOne: two Workflows with one friendly name applied together; exactly
// one remote workflow exists, one resource owns it and the other says why it does not.
func TestSameNameInOneBatchCreatesOne(t *testing.T) {
	ns := newNamespace(t)
	ws := readyWorkspace(t, ns)
	ctx := context.Background()
	q := taskQueue(ns, "q", "1==1")
	must(t, k8s.Create(ctx, q))
	waitReady(t, q)
	one, two := workflow(ns, "one", "q"), workflow(ns, "two", "q")
	one.Spec.FriendlyName, two.Spec.FriendlyName = "Inbound", "Inbound"
	must(t, k8s.Create(ctx, one))
	must(t, k8s.Create(ctx, two))
	eventually(t, "one owner and one Conflict", func() (bool, string) {
		var ready, conflict int
		for _, wf := range []*trv1.Workflow{one, two} {
			if c := condition(t, wf, trv1.ConditionReady); c != nil && c.Status == metav1.ConditionTrue {
				ready++
			}
			if c := condition(t, wf, trv1.ConditionStalled); c != nil && c.Status == metav1.ConditionTrue && (c.Reason == reasonConflict || c.Reason == reasonAmbiguous) {
				conflict++
			}
		}
		return ready == 1 && conflict == 1, fmt.Sprintf("%d ready, %d in conflict", ready, conflict)
	})
	if n := emu.Admin().CountByFriendlyName(emulator.KindWorkflow, ws.Status.SID, "Inbound"); n != 1 {
		t.Fatalf("%d remote workflows named Inbound, want 1", n)
	}
}

// TestSecretAfterWorkspaceIsNoticedAtOnce: a Workspace applied before its credentials Secret (as
// External Secrets or Sealed Secrets deliver it) is Ready within seconds of the Secret's arrival,
// and so are its children. The retry period of stalled objects is ten minutes here, so only the
// Secret watch can explain it.
func TestSecretAfterWorkspaceIsNoticedAtOnce(t *testing.T) {
	saved := stalledRetryPeriod
	stalledRetryPeriod = 10 * time.Minute
	t.Cleanup(func() { stalledRetryPeriod = saved })
	ns := newNamespace(t)
	ctx := context.Background()
	ws := workspace(ns, func(w *trv1.Workspace) { w.Spec.CredentialsRef.Name = "late-creds" })
	q := taskQueue(ns, "q", "1==1")
	must(t, k8s.Create(ctx, ws))
	must(t, k8s.Create(ctx, q))
	waitReason(t, ws, trv1.ConditionStalled, metav1.ConditionTrue, reasonCredentials)
	time.Sleep(30 * time.Second)
	must(t, k8s.Create(ctx, &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Name: "late-creds", Namespace: ns},
		StringData: map[string]string{keyAccountSID: emulator.DevAccountSID, keyAuthToken: emulator.DevAuthToken},
	}))
	arrived := time.Now()
	for _, o := range []object{ws, q} {
		eventuallyWithin(t, 10*time.Second-time.Since(arrived), o.GetName()+" Ready after its Secret arrived", func() (bool, string) {
			c := condition(t, o, trv1.ConditionReady)
			if c == nil {
				return false, "no Ready condition"
			}
			return c.Status == metav1.ConditionTrue, c.Reason + ": " + c.Message
		})
	}
	t.Logf("Workspace and TaskQueue Ready %s after the Secret was created", time.Since(arrived).Round(100*time.Millisecond))
}
