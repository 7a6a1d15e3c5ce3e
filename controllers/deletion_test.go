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
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator"
)

// TestBlockedDeletionsSayHowOutAndProceedAtOnce: deleting the Workspace's default activity and a
// queue a Workflow targets is refused by TaskRouter. Each says what still refers to it; the
// Workspace and the Workflow say their reference is being deleted instead of pretending to wait.
// Once the references move, both deletions go through at once: after twenty seconds of refusals
// the work queue's backoff alone would wait about as long again.
func TestBlockedDeletionsSayHowOutAndProceedAtOnce(t *testing.T) {
	ns := newNamespace(t)
	ws := readyWorkspace(t, ns, func(w *trv1.Workspace) { w.Spec.DefaultActivityRef = &trv1.LocalObjectReference{Name: "idle"} })
	ctx := context.Background()
	idle, other := activity(ns, "idle", false), activity(ns, "other", false)
	q, spare := taskQueue(ns, "q", "1==1"), taskQueue(ns, "spare", "1==1")
	for _, o := range []object{idle, other, q, spare} {
		must(t, k8s.Create(ctx, o))
	}
	wf := workflow(ns, "wf", "q")
	must(t, k8s.Create(ctx, wf))
	for _, o := range []object{idle, other, q, spare, wf, ws} {
		waitReady(t, o)
	}

	must(t, k8s.Delete(ctx, idle))
	must(t, k8s.Delete(ctx, q))
	for _, blocked := range []struct {
		obj      object
		referrer string
	}{{idle, "Workspace ws"}, {q, "Workflow wf"}} {
		c := waitReason(t, blocked.obj, trv1.ConditionStalled, metav1.ConditionTrue, reasonDeletionBlocked)
		if !strings.Contains(c.Message, blocked.referrer) || !strings.Contains(c.Message, "change those references first") {
			t.Fatalf("%s DeletionBlocked does not say what refers to it and what to do: %s", blocked.obj.GetName(), c.Message)
		}
	}
	for _, referrer := range []struct {
		obj   object
		field string
	}{{ws, "spec.defaultActivityRef"}, {wf, "queueRef"}} {
		c := waitReason(t, referrer.obj, trv1.ConditionStalled, metav1.ConditionTrue, reasonReferenceDeleting)
		if !strings.Contains(c.Message, referrer.field) || !strings.Contains(c.Message, "point") {
			t.Fatalf("%s does not say its reference is being deleted and how out: %s", referrer.obj.GetName(), c.Message)
		}
	}

	time.Sleep(20 * time.Second) // refusals pile up, and so does the work queue's backoff
	update(t, ws, func(w *trv1.Workspace) { w.Spec.DefaultActivityRef.Name = "other" })
	update(t, wf, func(w *trv1.Workflow) {
		w.Spec.Configuration.TaskRouting.Filters[0].Targets[0].QueueRef.Name = "spare"
		w.Spec.Configuration.TaskRouting.DefaultFilter.QueueRef.Name = "spare"
	})
	moved := time.Now()
	for _, o := range []object{idle, q} {
		eventuallyWithin(t, 10*time.Second-time.Since(moved), o.GetName()+" deleted once nothing refers to it", func() (bool, string) {
			err := k8s.Get(ctx, keyOf(o), o)
			return err != nil, "still there"
		})
	}
	t.Logf("both deletions done %s after the references moved", time.Since(moved).Round(100*time.Millisecond))
	waitReady(t, ws)
	waitReady(t, wf)
}

// TestChildrenOfADeletedWorkspace: with the Workspace gone, and its remote workspace with it, a
// child says so instead of waiting forever, and deleting it is not held by its finalizer.
func TestChildrenOfADeletedWorkspace(t *testing.T) {
	ns := newNamespace(t)
	ws := readyWorkspace(t, ns)
	ctx := context.Background()
	q := taskQueue(ns, "q", "1==1")
	must(t, k8s.Create(ctx, q))
	waitReady(t, q)
	must(t, k8s.Delete(ctx, ws))
	waitGone(t, ws)
	c := waitReason(t, q, trv1.ConditionStalled, metav1.ConditionTrue, reasonWorkspaceDeleted)
	if !strings.Contains(c.Message, `Workspace "ws"`) || !strings.Contains(c.Message, "delete this resource") {
		t.Fatalf("WorkspaceDeleted message does not say what happened and what to do: %s", c.Message)
	}
	emu.ResetRequests()
	must(t, k8s.Delete(ctx, q))
	waitGone(t, q)
	if n := emu.CountRequests(func(r emulator.Request) bool { return r.Method == "DELETE" && strings.Contains(r.Path, q.Status.SID) }); n != 0 {
		t.Fatalf("deleting a child of a deleted workspace sent %d deletes to TaskRouter", n)
	}
}
