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
	"testing"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
)

func TestSIDKeys(t *testing.T) {
	for _, c := range []struct{ kind, name, want string }{
		{"Workflow", "inbound", "WORKFLOW_INBOUND"},
		{"TaskChannel", "chat", "TASKCHANNEL_CHAT"},
		{"TaskQueue", "general-support", "TASKQUEUE_GENERAL_SUPPORT"},
		{"Worker", "alice.smith", "WORKER_ALICE_SMITH"},
	} {
		if got := sidKey(c.kind, c.name); got != c.want {
			t.Errorf("sidKey(%s, %s) = %s, want %s", c.kind, c.name, got, c.want)
		}
	}
}

// sidData reads the ConfigMap's data, nil when there is none.
func sidData(t *testing.T, ns, name string) map[string]string {
	t.Helper()
	var cm corev1.ConfigMap
	if err := k8s.Get(context.Background(), keyOf(&corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name}}), &cm); err != nil {
		return nil
	}
	return cm.Data
}

// TestSIDConfigMap: the Workspace keeps one key per object with its SID, owned by it, through
// creation, recreation out of band and deletion; it never overwrites a ConfigMap it does not own,
// and deletes its own when the field goes.
func TestSIDConfigMap(t *testing.T) {
	ns := newNamespace(t)
	ws := readyWorkspace(t, ns, func(w *trv1.Workspace) { w.Spec.SIDConfigMap = &trv1.LocalObjectReference{Name: "sids"} })
	ctx := context.Background()
	q, chat := taskQueue(ns, "general-support", "1==1"), taskChannel(ns, "chat", "chat")
	must(t, k8s.Create(ctx, q))
	must(t, k8s.Create(ctx, chat))
	wf := workflow(ns, "inbound", "general-support")
	must(t, k8s.Create(ctx, wf))
	for _, o := range []object{q, chat, wf} {
		waitReady(t, o)
	}
	want := func() map[string]string {
		return map[string]string{"WORKSPACE_WS": ws.Status.SID, "TASKQUEUE_GENERAL_SUPPORT": q.Status.SID,
			"TASKCHANNEL_CHAT": chat.Status.SID, "WORKFLOW_INBOUND": wf.Status.SID}
	}
	eventually(t, "the ConfigMap lists every SID", func() (bool, string) {
		diff := cmp.Diff(want(), sidData(t, ns, "sids"))
		return diff == "", diff
	})
	var cm corev1.ConfigMap
	must(t, k8s.Get(ctx, keyOf(&corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "sids"}}), &cm))
	if !ownedBy(&cm, ws) {
		t.Fatalf("the ConfigMap is not owned by the Workspace: %v", cm.OwnerReferences)
	}

	// Deleted in TaskRouter and recreated by the operator: the new SID replaces the old.
	old := wf.Status.SID
	must(t, emu.Admin().Delete(old))
	eventually(t, "the recreated workflow's SID in the ConfigMap", func() (bool, string) {
		must(t, k8s.Get(ctx, keyOf(wf), wf))
		got := sidData(t, ns, "sids")["WORKFLOW_INBOUND"]
		return wf.Status.SID != old && got == wf.Status.SID, got
	})
	must(t, k8s.Delete(ctx, wf))
	waitGone(t, wf)
	eventually(t, "the deleted workflow's key gone", func() (bool, string) {
		_, ok := sidData(t, ns, "sids")["WORKFLOW_INBOUND"]
		return !ok, "still listed"
	})

	// A ConfigMap of the user's under the name asked for is never overwritten.
	mine := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "taken", Namespace: ns}, Data: map[string]string{"keep": "me"}}
	must(t, k8s.Create(ctx, mine))
	update(t, ws, func(w *trv1.Workspace) { w.Spec.SIDConfigMap.Name = "taken" })
	c := waitReason(t, ws, trv1.ConditionStalled, metav1.ConditionTrue, reasonConfigMapConflict)
	if !cmp.Equal(sidData(t, ns, "taken"), map[string]string{"keep": "me"}) {
		t.Fatalf("the user's ConfigMap was changed: %v (condition: %s)", sidData(t, ns, "taken"), c.Message)
	}
	eventually(t, "the previous ConfigMap deleted", func() (bool, string) {
		return sidData(t, ns, "sids") == nil, "still there"
	})

	update(t, ws, func(w *trv1.Workspace) { w.Spec.SIDConfigMap = nil })
	waitReady(t, ws)
	if !cmp.Equal(sidData(t, ns, "taken"), map[string]string{"keep": "me"}) {
		t.Fatal("removing spec.sidConfigMap touched the user's ConfigMap")
	}
}
