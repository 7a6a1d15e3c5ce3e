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
	"net/url"
	"strings"
	"testing"

	eventsv1 "k8s.io/api/events/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator"
)

// TestTwoResourcesClaimingOneRemoteObject: the younger claimant stalls instead of
// fighting the older one over the same queue.
func TestTwoResourcesClaimingOneRemoteObject(t *testing.T) {
	ns := newNamespace(t)
	readyWorkspace(t, ns)
	ctx := context.Background()
	first := taskQueue(ns, "first", "1==1")
	first.Spec.FriendlyName = "Shared"
	must(t, k8s.Create(ctx, first))
	waitReady(t, first)
	second := taskQueue(ns, "second", `skills HAS "x"`)
	second.Spec.FriendlyName = "Shared"
	must(t, k8s.Create(ctx, second))
	c := waitReason(t, second, trv1.ConditionStalled, metav1.ConditionTrue, "Conflict")
	if !strings.Contains(c.Message, "first") {
		t.Fatalf("Conflict message does not name the other resource: %s", c.Message)
	}
	waitReady(t, first)
	remote, _ := emu.Admin().TaskQueue(wsSID(t, ns), first.Status.SID)
	if remote.TargetWorkers != "1==1" {
		t.Fatalf("the younger claimant changed the queue: target workers %q", remote.TargetWorkers)
	}
}

// TestReferencedSIDChangeRerendersWorkflow: when a TaskQueue resource points at
// another remote queue, the Workflow routing to it follows.
func TestReferencedSIDChangeRerendersWorkflow(t *testing.T) {
	ns := newNamespace(t)
	ws := readyWorkspace(t, ns)
	ctx := context.Background()
	one, err := emu.Admin().CreateTaskQueue(ws.Status.SID, url.Values{"FriendlyName": {"One"}})
	must(t, err)
	two, err := emu.Admin().CreateTaskQueue(ws.Status.SID, url.Values{"FriendlyName": {"Two"}})
	must(t, err)
	q := taskQueue(ns, "q", "")
	q.Spec.SID, q.Spec.FriendlyName = one.SID, "One"
	must(t, k8s.Create(ctx, q))
	wf := workflow(ns, "wf", "q")
	must(t, k8s.Create(ctx, wf))
	waitReady(t, wf)
	update(t, q, func(q *trv1.TaskQueue) { q.Spec.SID, q.Spec.FriendlyName = two.SID, "Two" })
	eventually(t, "workflow routes to the new queue", func() (bool, string) {
		remote, _ := emu.Admin().Workflow(ws.Status.SID, wf.Status.SID)
		return strings.Contains(remote.Configuration, two.SID) && !strings.Contains(remote.Configuration, one.SID), remote.Configuration
	})
}

// TestTransientErrorsRetryAndRejectionsStall: 5xx is Reconciling with backoff and
// recovers by itself; a 400 is Stalled with TaskRouter's code and message.
func TestTransientErrorsRetryAndRejectionsStall(t *testing.T) {
	ns := newNamespace(t)
	readyWorkspace(t, ns)
	ctx := context.Background()

	// A workflow targeting a queue SID that does not exist: TaskRouter answers 400.
	wf := workflow(ns, "bad", "unused")
	wf.Spec.Configuration.TaskRouting.Filters[0].Targets = []trv1.WorkflowTarget{{QueueSelector: trv1.QueueSelector{QueueSid: "WQ" + strings.Repeat("0", 32)}}}
	wf.Spec.Configuration.TaskRouting.DefaultFilter = nil
	must(t, k8s.Create(ctx, wf))
	c := waitReason(t, wf, trv1.ConditionStalled, metav1.ConditionTrue, reasonRejected)
	if !strings.Contains(c.Message, "20001") {
		t.Fatalf("Rejected message lacks TaskRouter's code: %s", c.Message)
	}
	eventually(t, "a Warning event for the rejection", func() (bool, string) {
		var list eventsv1.EventList
		if err := k8s.List(ctx, &list, client.InNamespace(ns)); err != nil {
			return false, err.Error()
		}
		for _, e := range list.Items {
			if e.Regarding.Name == "bad" && e.Type == "Warning" && e.Reason == reasonRejected && strings.Contains(e.Note, "20001") {
				return true, ""
			}
		}
		return false, "none yet"
	})

	emu.SetFaults(emulator.Faults{ServerError: 1})
	q := taskQueue(ns, "flaky", "1==1")
	must(t, k8s.Create(ctx, q))
	waitReason(t, q, trv1.ConditionReconciling, metav1.ConditionTrue, reasonRetrying)
	emu.SetFaults(emulator.Faults{})
	waitReady(t, q)
}

// TestEventsAreRecorded: create, update and delete each leave a Kubernetes Event.
func TestEventsAreRecorded(t *testing.T) {
	ns := newNamespace(t)
	readyWorkspace(t, ns)
	ctx := context.Background()
	a := activity(ns, "evented", true)
	must(t, k8s.Create(ctx, a))
	waitReady(t, a)
	update(t, a, func(a *trv1.Activity) { a.Spec.FriendlyName = "Evented" })
	waitReady(t, a)
	must(t, k8s.Delete(ctx, a))
	waitGone(t, a)
	eventually(t, "Created, Updated and Deleted events", func() (bool, string) {
		var list eventsv1.EventList
		if err := k8s.List(ctx, &list, client.InNamespace(ns)); err != nil {
			return false, err.Error()
		}
		seen := map[string]bool{}
		for _, e := range list.Items {
			if e.Regarding.Name == "evented" {
				seen[e.Reason] = true
			}
		}
		return seen["Created"] && seen["Updated"] && seen["Deleted"], "seen " + strings.Join(keys(seen), ",")
	})
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func wsSID(t *testing.T, ns string) string {
	t.Helper()
	var ws trv1.Workspace
	must(t, k8s.Get(context.Background(), client.ObjectKey{Namespace: ns, Name: "ws"}, &ws))
	return ws.Status.SID
}
