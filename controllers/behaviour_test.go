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
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/internal/capability"
	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator"
)

func TestAdoptionByNameAndBySID(t *testing.T) {
	ns := newNamespace(t)
	ws := readyWorkspace(t, ns)
	ctx := context.Background()
	existing, err := emu.Admin().CreateTaskQueue(ws.Status.SID, url.Values{"FriendlyName": {"Existing"}, "TargetWorkers": {"1==1"}})
	must(t, err)
	other, err := emu.Admin().CreateTaskQueue(ws.Status.SID, url.Values{"FriendlyName": {"Other"}})
	must(t, err)

	byName := taskQueue(ns, "by-name", "1==1")
	byName.Spec.FriendlyName = "Existing"
	bySID := taskQueue(ns, "by-sid", "1==1")
	bySID.Spec.SID, bySID.Spec.FriendlyName = other.SID, "Other"
	must(t, k8s.Create(ctx, byName))
	must(t, k8s.Create(ctx, bySID))
	waitReady(t, byName)
	waitReady(t, bySID)
	if byName.Status.SID != existing.SID || byName.Status.Origin != trv1.OriginAdopted {
		t.Fatalf("by-name adopted %s (%s), want %s (Adopted)", byName.Status.SID, byName.Status.Origin, existing.SID)
	}
	if bySID.Status.SID != other.SID {
		t.Fatalf("by-sid adopted %s, want %s", bySID.Status.SID, other.SID)
	}
	if n := emu.Admin().CountByFriendlyName(emulator.KindTaskQueue, ws.Status.SID, "Existing"); n != 1 {
		t.Fatalf("%d queues named Existing after adoption, want 1", n)
	}
	// Adopted objects are orphaned by default: deleting the resource leaves the queue.
	must(t, k8s.Delete(ctx, byName))
	waitGone(t, byName)
	if _, ok := emu.Admin().TaskQueue(ws.Status.SID, existing.SID); !ok {
		t.Fatal("deleting an adopted queue's resource deleted the queue; want it orphaned")
	}
}

func TestAmbiguousNameStalls(t *testing.T) {
	ns := newNamespace(t)
	ws := readyWorkspace(t, ns)
	for i := 0; i < 2; i++ {
		_, err := emu.Admin().CreateWorkflow(ws.Status.SID, url.Values{"FriendlyName": {"Twin"},
			"Configuration": {`{"task_routing":{"filters":[]}}`}})
		must(t, err)
	}
	q := taskQueue(ns, "q", "1==1")
	must(t, k8s.Create(context.Background(), q))
	waitReady(t, q)
	wf := workflow(ns, "twin", "q")
	wf.Spec.FriendlyName = "Twin"
	must(t, k8s.Create(context.Background(), wf))
	c := waitReason(t, wf, trv1.ConditionStalled, metav1.ConditionTrue, "Ambiguous")
	if !strings.Contains(c.Message, "spec.sid") {
		t.Fatalf("Ambiguous message does not say how to fix it: %s", c.Message)
	}
	if n := emu.Admin().CountByFriendlyName(emulator.KindWorkflow, ws.Status.SID, "Twin"); n != 2 {
		t.Fatalf("%d workflows named Twin, want the 2 that existed", n)
	}
}

func TestObserveOnlyNeverWrites(t *testing.T) {
	ns := newNamespace(t)
	ws := readyWorkspace(t, ns)
	existing, err := emu.Admin().CreateTaskQueue(ws.Status.SID, url.Values{"FriendlyName": {"Watched"}, "TargetWorkers": {"1==1"}})
	must(t, err)
	q := taskQueue(ns, "watched", `skills HAS "x"`)
	q.Spec.FriendlyName, q.Spec.ManagementPolicy = "Watched", trv1.ObserveOnly
	emu.ResetRequests()
	must(t, k8s.Create(context.Background(), q))
	c := waitReason(t, q, trv1.ConditionReady, metav1.ConditionFalse, "Drifted")
	if !strings.Contains(c.Message, "targetWorkers") {
		t.Fatalf("Drifted message does not name the differing field: %s", c.Message)
	}
	time.Sleep(2 * testSyncPeriod)
	if n := countWrites(func(r emulator.Request) bool { return strings.Contains(r.Path, ws.Status.SID+"/") }); n != 0 {
		t.Fatalf("ObserveOnly made %d writes to TaskRouter, want 0", n)
	}
	if remote, _ := emu.Admin().TaskQueue(ws.Status.SID, existing.SID); remote.TargetWorkers != "1==1" {
		t.Fatalf("ObserveOnly changed target workers to %q", remote.TargetWorkers)
	}
	must(t, k8s.Delete(context.Background(), q))
	waitGone(t, q)
	if _, ok := emu.Admin().TaskQueue(ws.Status.SID, existing.SID); !ok {
		t.Fatal("ObserveOnly resource deletion deleted the remote queue")
	}
}

func TestDriftIsRepairedAndAgentActivityStands(t *testing.T) {
	ns := newNamespace(t)
	ws := readyWorkspace(t, ns)
	ctx := context.Background()
	avail, brk := activity(ns, "avail", true), activity(ns, "brk", false)
	must(t, k8s.Create(ctx, avail))
	must(t, k8s.Create(ctx, brk))
	q := taskQueue(ns, "support", `skills HAS "support"`)
	w := worker(ns, "agent", `{"skills":["support"]}`)
	w.Spec.ActivityRef = &trv1.LocalObjectReference{Name: "avail"}
	must(t, k8s.Create(ctx, q))
	must(t, k8s.Create(ctx, w))
	for _, o := range []object{avail, brk, q, w} {
		waitReady(t, o)
	}

	// Someone edits the queue in the console; the agent goes on break.
	must(t, emu.Admin().Delete(q.Status.SID)) // deleted out of band: recreated
	must(t, emu.Admin().SetWorkerActivity(ws.Status.SID, w.Status.SID, brk.Status.SID))
	eventually(t, "queue recreated", func() (bool, string) {
		return emu.Admin().CountByFriendlyName(emulator.KindTaskQueue, ws.Status.SID, "support") == 1, "not yet"
	})
	time.Sleep(2 * testSyncPeriod)
	if remote, _ := emu.Admin().Worker(ws.Status.SID, w.Status.SID); remote.ActivitySID != brk.Status.SID {
		t.Fatalf("activityPolicy Initial reverted the agent's activity to %s", remote.ActivitySID)
	}
	eventually(t, "worker status mirrors the break", func() (bool, string) {
		_ = k8s.Get(ctx, keyOf(w), w)
		return w.Status.ActivityName == "brk", w.Status.ActivityName
	})

	// With Enforce, the operator puts the worker back.
	update(t, w, func(w *trv1.Worker) { w.Spec.ActivityPolicy = trv1.ActivityEnforce })
	eventually(t, "Enforce restores the activity", func() (bool, string) {
		remote, _ := emu.Admin().Worker(ws.Status.SID, w.Status.SID)
		return remote.ActivitySID == avail.Status.SID, remote.ActivitySID
	})
}

func TestDeletionPolicies(t *testing.T) {
	ns := newNamespace(t)
	ws := readyWorkspace(t, ns)
	ctx := context.Background()
	orphan := taskQueue(ns, "orphan", "1==1")
	orphan.Spec.DeletionPolicy = trv1.DeletionOrphan
	del := taskQueue(ns, "del", "1==1")
	must(t, k8s.Create(ctx, orphan))
	must(t, k8s.Create(ctx, del))
	waitReady(t, orphan)
	waitReady(t, del)
	must(t, k8s.Delete(ctx, orphan))
	must(t, k8s.Delete(ctx, del))
	waitGone(t, orphan)
	waitGone(t, del)
	if _, ok := emu.Admin().TaskQueue(ws.Status.SID, orphan.Status.SID); !ok {
		t.Error("deletionPolicy Orphan deleted the remote queue")
	}
	if _, ok := emu.Admin().TaskQueue(ws.Status.SID, del.Status.SID); ok {
		t.Error("default deletion policy of a created queue left it in TaskRouter")
	}
}

func TestRefusedDeleteHoldsFinalizer(t *testing.T) {
	ns := newNamespace(t)
	readyWorkspace(t, ns)
	ctx := context.Background()
	q := taskQueue(ns, "targeted", "1==1")
	wf := workflow(ns, "routes", "targeted")
	must(t, k8s.Create(ctx, q))
	must(t, k8s.Create(ctx, wf))
	waitReady(t, wf)
	must(t, k8s.Delete(ctx, q))
	c := waitReason(t, q, trv1.ConditionStalled, metav1.ConditionTrue, reasonDeletionBlocked)
	if !strings.Contains(c.Message, "Workflow") && !strings.Contains(c.Message, "workflow") {
		t.Fatalf("DeletionBlocked message does not carry TaskRouter's reason: %s", c.Message)
	}
	if err := k8s.Get(ctx, keyOf(q), q); err != nil || len(q.Finalizers) == 0 {
		t.Fatalf("queue resource gone or finalizer released while TaskRouter refuses the delete (err %v)", err)
	}
	must(t, k8s.Delete(ctx, wf)) // once nothing targets it, the retry succeeds by itself
	waitGone(t, q)
}

func TestWorkspaceDeletionWithChildrenLeavesNothingTerminating(t *testing.T) {
	ns := newNamespace(t)
	ws := readyWorkspace(t, ns, func(w *trv1.Workspace) { w.Spec.DefaultActivityRef = &trv1.LocalObjectReference{Name: "idle"} })
	ctx := context.Background()
	idle := activity(ns, "idle", false)
	q := taskQueue(ns, "q", "1==1")
	wf := workflow(ns, "wf", "q")
	w := worker(ns, "w", `{}`)
	for _, o := range []object{idle, q, wf, w} {
		must(t, k8s.Create(ctx, o))
	}
	for _, o := range []object{idle, q, wf, w, ws} {
		waitReady(t, o)
	}
	for _, o := range []object{ws, idle, q, wf, w} {
		must(t, k8s.Delete(ctx, o))
	}
	for _, o := range []object{ws, idle, q, wf, w} {
		waitGone(t, o)
	}
	if _, ok := emu.Admin().Workspace(ws.Status.SID); ok {
		t.Fatal("remote workspace survived its resource")
	}
}

func TestNoDuplicateCreatesUnderCommitThenFail(t *testing.T) {
	ns := newNamespace(t)
	ctx := context.Background()
	emu.SetFaults(emulator.Faults{CommitFail: 1})
	t.Cleanup(func() { emu.SetFaults(emulator.Faults{}) })
	// CreateOnly refuses to adopt: only the recorded create attempt lets the
	// operator claim the object its lost create made, instead of stalling or creating again.
	ws := workspace(ns, func(w *trv1.Workspace) { w.Spec.AdoptionPolicy = trv1.CreateOnly })
	must(t, k8s.Create(ctx, ws))
	waitReady(t, ws)
	a, q, w, wf := activity(ns, "a", false), taskQueue(ns, "q", "1==1"), worker(ns, "w", `{"x":1}`), workflow(ns, "wf", "q")
	a.Spec.AdoptionPolicy, q.Spec.AdoptionPolicy, w.Spec.AdoptionPolicy, wf.Spec.AdoptionPolicy = trv1.CreateOnly, trv1.CreateOnly, trv1.CreateOnly, trv1.CreateOnly
	objs := []object{a, q, w, wf}
	for _, o := range objs {
		must(t, k8s.Create(ctx, o))
	}
	for _, o := range objs {
		waitReady(t, o)
		if o.RemoteStatus().Origin != trv1.OriginCreated {
			t.Errorf("%s origin %q, want Created", o.GetName(), o.RemoteStatus().Origin)
		}
	}
	if n := emu.CountRequests(func(r emulator.Request) bool { return r.Method == "POST" && r.Status == 500 }); n < 5 {
		t.Fatalf("only %d creates failed after commit; the fault was not exercised", n)
	}
	count := map[emulator.Kind]string{emulator.KindActivity: "a", emulator.KindTaskQueue: "q", emulator.KindWorker: "w", emulator.KindWorkflow: "wf"}
	for kind, name := range count {
		if n := emu.Admin().CountByFriendlyName(kind, ws.Status.SID, name); n != 1 {
			t.Errorf("%d %s objects named %q after commit-then-fail creates, want 1", n, kind, name)
		}
	}
	n := 0
	for _, w := range emu.Admin().Workspaces() {
		if w.FriendlyName == ns {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d workspaces named %q after commit-then-fail creates, want 1", n, ns)
	}
}

func TestSteadyStateSendsNoWrites(t *testing.T) {
	ns := newNamespace(t)
	ws := readyWorkspace(t, ns)
	ctx := context.Background()
	objs := []object{activity(ns, "a", true), taskQueue(ns, "q", "1==1"), worker(ns, "w", `{"skills":["a"]}`), workflow(ns, "wf", "q")}
	for _, o := range objs {
		must(t, k8s.Create(ctx, o))
	}
	for _, o := range objs {
		waitReady(t, o)
	}
	time.Sleep(testSyncPeriod) // let the last status writes settle
	emu.ResetRequests()
	statusBefore := statusWrites.Load()
	time.Sleep(2*testSyncPeriod + testSyncPeriod/2)
	mine := func(r emulator.Request) bool { return strings.Contains(r.Path, ws.Status.SID) }
	if n := countWrites(mine); n != 0 {
		t.Fatalf("steady state sent %d writes to TaskRouter over two sync periods, want 0", n)
	}
	if reads := emu.CountRequests(mine); reads == 0 {
		t.Fatal("no drift checks at all over two sync periods")
	}
	if n := statusWrites.Load() - statusBefore; n != 0 {
		t.Fatalf("steady state wrote status %d times, want 0", n)
	}
}

func TestLeastPrivilegeTokens(t *testing.T) {
	ns := newNamespace(t)
	ws := readyWorkspace(t, ns)
	ctx := context.Background()
	emu.ResetRequests()
	q := taskQueue(ns, "q", "1==1")
	a := activity(ns, "a", true)
	must(t, k8s.Create(ctx, q))
	must(t, k8s.Create(ctx, a))
	waitReady(t, q)
	waitReady(t, a)
	urls := capability.URLs{TaskRouter: base, EventBridge: base}
	checked := 0
	for _, r := range emu.Requests() {
		if r.Claims == nil || !strings.Contains(r.Path, ws.Status.SID) {
			continue
		}
		checked++
		for _, forbidden := range []struct{ method, path string }{
			{"DELETE", "Workspaces/" + ws.Status.SID},
			{"GET", "Workspaces/" + ws.Status.SID + "/Workers"},
			{"POST", "Workspaces/" + ws.Status.SID + "/Workflows"},
		} {
			if capability.Allowed(r.Claims.Policies, forbidden.method, urls.Resource(forbidden.path), nil, nil) {
				t.Errorf("token for %s %s also allows %s %s", r.Method, r.Path, forbidden.method, forbidden.path)
			}
		}
		if strings.Contains(r.Route, "/TaskQueues/{Sid}") && capability.Allowed(r.Claims.Policies, "GET", urls.Resource("Workspaces/"+ws.Status.SID+"/Activities/"+a.Status.SID), nil, nil) {
			t.Errorf("the TaskQueue controller's token for %s can read an Activity", r.Path)
		}
		if strings.Contains(r.Route, "/Activities/{Sid}") && capability.Allowed(r.Claims.Policies, "GET", urls.Resource("Workspaces/"+ws.Status.SID+"/TaskQueues/"+q.Status.SID), nil, nil) {
			t.Errorf("the Activity controller's token for %s can read a TaskQueue", r.Path)
		}
	}
	if checked == 0 {
		t.Fatal("no capability-token calls were recorded")
	}
}
