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

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator"
)

func activity(ns, name string, available bool) *trv1.Activity {
	return &trv1.Activity{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns},
		Spec: trv1.ActivitySpec{WorkspaceRef: trv1.LocalObjectReference{Name: "ws"}, Available: &available}}
}

func taskQueue(ns, name, target string) *trv1.TaskQueue {
	return &trv1.TaskQueue{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns},
		Spec: trv1.TaskQueueSpec{WorkspaceRef: trv1.LocalObjectReference{Name: "ws"}, TargetWorkers: target}}
}

func worker(ns, name, attrs string) *trv1.Worker {
	return &trv1.Worker{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns},
		Spec: trv1.WorkerSpec{WorkspaceRef: trv1.LocalObjectReference{Name: "ws"}, Attributes: &apiextensionsv1.JSON{Raw: []byte(attrs)}}}
}

func workflow(ns, name string, queues ...string) *trv1.Workflow {
	wf := &trv1.Workflow{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns},
		Spec: trv1.WorkflowSpec{WorkspaceRef: trv1.LocalObjectReference{Name: "ws"}}}
	var targets []trv1.WorkflowTarget
	for _, q := range queues {
		targets = append(targets, trv1.WorkflowTarget{QueueSelector: trv1.QueueSelector{QueueRef: &trv1.LocalObjectReference{Name: q}}})
	}
	wf.Spec.Configuration.TaskRouting.Filters = []trv1.WorkflowFilter{{FilterFriendlyName: "Spanish", Expression: `language == "es"`, Targets: targets}}
	wf.Spec.Configuration.TaskRouting.DefaultFilter = &trv1.QueueSelector{QueueRef: &trv1.LocalObjectReference{Name: queues[0]}}
	return wf
}

// update re-reads obj, applies mutate and writes it, retrying on conflicts with the manager's writes.
func update[T client.Object](t *testing.T, obj T, mutate func(T)) {
	t.Helper()
	eventually(t, "update "+obj.GetName(), func() (bool, string) {
		if err := k8s.Get(context.Background(), client.ObjectKeyFromObject(obj), obj); err != nil {
			return false, err.Error()
		}
		mutate(obj)
		if err := k8s.Update(context.Background(), obj); err != nil {
			return false, err.Error()
		}
		return true, ""
	})
}

// readyWorkspace creates the test's Workspace and waits until it is Ready.
func readyWorkspace(t *testing.T, ns string, mutate ...func(*trv1.Workspace)) *trv1.Workspace {
	t.Helper()
	ws := workspace(ns, mutate...)
	must(t, k8s.Create(context.Background(), ws))
	waitReady(t, ws)
	return ws
}

func TestWorkspaceLifecycle(t *testing.T) {
	ns := newNamespace(t)
	ws := readyWorkspace(t, ns)
	remote, ok := emu.Admin().Workspace(ws.Status.SID)
	if !ok || remote.FriendlyName != ns {
		t.Fatalf("emulator workspace %s = %+v, %v; want friendly name %q", ws.Status.SID, remote, ok, ns)
	}
	if ws.Status.Origin != trv1.OriginCreated || ws.Status.DefaultActivityName != "Offline" {
		t.Fatalf("status origin %q default activity %q; want Created, Offline", ws.Status.Origin, ws.Status.DefaultActivityName)
	}

	update(t, ws, func(w *trv1.Workspace) {
		w.Spec.PrioritizeQueueOrder = "LIFO"
		w.Spec.EventsFilter = []string{"task.created", "task.canceled"}
	})
	waitReady(t, ws)
	remote, _ = emu.Admin().Workspace(ws.Status.SID)
	if remote.PrioritizeQueueOrder != "LIFO" || !sameSet(strings.Split(remote.EventsFilter, ","), []string{"task.canceled", "task.created"}) {
		t.Fatalf("emulator workspace after update: order %q events %q", remote.PrioritizeQueueOrder, remote.EventsFilter)
	}

	must(t, k8s.Delete(context.Background(), ws))
	waitGone(t, ws)
	if _, ok := emu.Admin().Workspace(remote.SID); ok {
		t.Fatalf("remote workspace %s still exists after its resource was deleted", remote.SID)
	}
}

func TestActivityLifecycle(t *testing.T) {
	ns := newNamespace(t)
	ws := readyWorkspace(t, ns)
	act := activity(ns, "break", false)
	must(t, k8s.Create(context.Background(), act))
	waitReady(t, act)
	remote, ok := emu.Admin().Activity(ws.Status.SID, act.Status.SID)
	if !ok || remote.FriendlyName != "break" || remote.Available {
		t.Fatalf("emulator activity = %+v, %v; want break, unavailable", remote, ok)
	}

	update(t, act, func(a *trv1.Activity) { a.Spec.FriendlyName = "Coffee Break" })
	waitReady(t, act)
	if remote, _ = emu.Admin().Activity(ws.Status.SID, act.Status.SID); remote.FriendlyName != "Coffee Break" {
		t.Fatalf("emulator activity name %q after update, want Coffee Break", remote.FriendlyName)
	}

	must(t, k8s.Delete(context.Background(), act))
	waitGone(t, act)
	if _, ok := emu.Admin().Activity(ws.Status.SID, remote.SID); ok {
		t.Fatal("remote activity still exists after its resource was deleted")
	}
}

func TestTaskQueueLifecycle(t *testing.T) {
	ns := newNamespace(t)
	ws := readyWorkspace(t, ns)
	wrap := activity(ns, "wrap-up", false)
	must(t, k8s.Create(context.Background(), wrap))
	q := taskQueue(ns, "billing", `skills HAS "billing"`)
	q.Spec.AssignmentActivityRef = &trv1.LocalObjectReference{Name: "wrap-up"}
	must(t, k8s.Create(context.Background(), q))
	waitReady(t, q)
	waitReady(t, wrap)
	remote, ok := emu.Admin().TaskQueue(ws.Status.SID, q.Status.SID)
	if !ok || remote.TargetWorkers != `skills HAS "billing"` || remote.AssignmentActivitySID != wrap.Status.SID {
		t.Fatalf("emulator queue = %+v; want target workers and assignment activity %s", remote, wrap.Status.SID)
	}

	update(t, q, func(q *trv1.TaskQueue) { n := int32(3); q.Spec.MaxReservedWorkers = &n })
	waitReady(t, q)
	if remote, _ = emu.Admin().TaskQueue(ws.Status.SID, q.Status.SID); remote.MaxReservedWorkers != 3 {
		t.Fatalf("emulator max reserved workers %d after update, want 3", remote.MaxReservedWorkers)
	}

	must(t, k8s.Delete(context.Background(), q))
	waitGone(t, q)
	if _, ok := emu.Admin().TaskQueue(ws.Status.SID, remote.SID); ok {
		t.Fatal("remote queue still exists after its resource was deleted")
	}
}

func TestWorkerLifecycle(t *testing.T) {
	ns := newNamespace(t)
	ws := readyWorkspace(t, ns)
	avail := activity(ns, "available-now", true)
	must(t, k8s.Create(context.Background(), avail))
	w := worker(ns, "alice", `{"skills":["support"],"level":3}`)
	w.Spec.ActivityRef = &trv1.LocalObjectReference{Name: "available-now"}
	must(t, k8s.Create(context.Background(), w))
	waitReady(t, w)
	waitReady(t, avail)
	remote, ok := emu.Admin().Worker(ws.Status.SID, w.Status.SID)
	if !ok || !sameJSON(remote.Attributes, `{"level":3,"skills":["support"]}`) || remote.ActivitySID != avail.Status.SID {
		t.Fatalf("emulator worker = %+v; want attributes and activity %s", remote, avail.Status.SID)
	}
	if w.Status.ActivityName != "available-now" || w.Status.Available == nil || !*w.Status.Available {
		t.Fatalf("worker status activity %q available %v", w.Status.ActivityName, w.Status.Available)
	}

	update(t, w, func(w *trv1.Worker) {
		w.Spec.Attributes = &apiextensionsv1.JSON{Raw: []byte(`{"skills":["support","billing"],"level":3}`)}
	})
	waitReady(t, w)
	if remote, _ = emu.Admin().Worker(ws.Status.SID, w.Status.SID); !sameJSON(remote.Attributes, `{"level":3,"skills":["support","billing"]}`) {
		t.Fatalf("emulator worker attributes %s after update", remote.Attributes)
	}

	must(t, k8s.Delete(context.Background(), w))
	waitGone(t, w)
	if _, ok := emu.Admin().Worker(ws.Status.SID, remote.SID); ok {
		t.Fatal("remote worker still exists after its resource was deleted")
	}
}

func TestWorkflowLifecycle(t *testing.T) {
	ns := newNamespace(t)
	ws := readyWorkspace(t, ns)
	ctx := context.Background()
	spanish, general := taskQueue(ns, "spanish", `languages HAS "es"`), taskQueue(ns, "general", "1==1")
	wf := workflow(ns, "inbound", "spanish", "general")
	must(t, k8s.Create(ctx, wf)) // before its queues: it waits, then proceeds by itself
	waitReason(t, wf, trv1.ConditionReconciling, metav1.ConditionTrue, "WaitingForReference")
	must(t, k8s.Create(ctx, spanish))
	must(t, k8s.Create(ctx, general))
	waitReady(t, wf)
	waitReady(t, spanish)
	waitReady(t, general)
	remote, ok := emu.Admin().Workflow(ws.Status.SID, wf.Status.SID)
	want := `{"task_routing":{"filters":[{"filter_friendly_name":"Spanish","expression":"language == \"es\"","targets":[{"queue":"` +
		spanish.Status.SID + `"},{"queue":"` + general.Status.SID + `"}]}],"default_filter":{"queue":"` + spanish.Status.SID + `"}}}`
	if !ok || !sameJSON(remote.Configuration, want) {
		t.Fatalf("emulator workflow configuration\n got %s\nwant %s", remote.Configuration, want)
	}

	update(t, wf, func(w *trv1.Workflow) { n := int32(300); w.Spec.TaskReservationTimeout = &n })
	waitReady(t, wf)
	if remote, _ = emu.Admin().Workflow(ws.Status.SID, wf.Status.SID); remote.TaskReservationTimeout != 300 {
		t.Fatalf("emulator task reservation timeout %d after update, want 300", remote.TaskReservationTimeout)
	}

	must(t, k8s.Delete(ctx, wf))
	waitGone(t, wf)
	if _, ok := emu.Admin().Workflow(ws.Status.SID, remote.SID); ok {
		t.Fatal("remote workflow still exists after its resource was deleted")
	}
}

func countWrites(match func(emulator.Request) bool) int {
	return emu.CountRequests(func(r emulator.Request) bool { return r.Write && r.Status < 300 && match(r) })
}
