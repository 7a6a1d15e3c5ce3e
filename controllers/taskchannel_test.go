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

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator"
)

func taskChannel(ns, name, uniqueName string) *trv1.TaskChannel {
	return &trv1.TaskChannel{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns},
		Spec: trv1.TaskChannelSpec{WorkspaceRef: trv1.LocalObjectReference{Name: "ws"}, UniqueName: uniqueName}}
}

// remoteChannel finds a workspace's channel by unique name in the emulator, and counts those with it.
func remoteChannel(wsSID, uniqueName string) (emulator.TaskChannel, int) {
	var found emulator.TaskChannel
	n := 0
	for _, tc := range emu.Admin().TaskChannels(wsSID) {
		if tc.UniqueName == uniqueName {
			found, n = tc, n+1
		}
	}
	return found, n
}

func TestTaskChannelLifecycle(t *testing.T) {
	ns := newNamespace(t)
	ws := readyWorkspace(t, ns)
	ctx := context.Background()
	tc := taskChannel(ns, "callbacks", "callback")
	tc.Spec.FriendlyName, tc.Spec.ChannelOptimizedRouting = "Callbacks", ptrTo(true)
	must(t, k8s.Create(ctx, tc))
	waitReady(t, tc)
	remote, n := remoteChannel(ws.Status.SID, "callback")
	if n != 1 || remote.SID != tc.Status.SID || remote.FriendlyName != "Callbacks" || !remote.ChannelOptimizedRouting {
		t.Fatalf("emulator channel = %+v (%d named callback); want %s named Callbacks, optimized", remote, n, tc.Status.SID)
	}
	if tc.Status.Origin != trv1.OriginCreated || tc.Status.UniqueName != "callback" || tc.Status.ChannelOptimizedRouting == nil || !*tc.Status.ChannelOptimizedRouting {
		t.Fatalf("status origin %q unique name %q optimized %v; want Created, callback, true", tc.Status.Origin, tc.Status.UniqueName, tc.Status.ChannelOptimizedRouting)
	}

	update(t, tc, func(c *trv1.TaskChannel) {
		c.Spec.FriendlyName, c.Spec.ChannelOptimizedRouting = "Call-backs", ptrTo(false)
	})
	waitReady(t, tc)
	if remote, _ = emu.Admin().TaskChannel(ws.Status.SID, tc.Status.SID); remote.FriendlyName != "Call-backs" || remote.ChannelOptimizedRouting {
		t.Fatalf("emulator channel after update = %+v; want Call-backs, not optimized", remote)
	}

	must(t, k8s.Delete(ctx, tc))
	waitGone(t, tc)
	if _, ok := emu.Admin().TaskChannel(ws.Status.SID, remote.SID); ok {
		t.Fatal("remote channel still exists after its resource was deleted")
	}
}

// TestBuiltInChannelsAreAdoptedNotDuplicated: a new workspace's chat channel is adopted by unique
// name without a single write (its friendly name "chat" is not the spec's business unless set), and
// deleting the resource leaves it in TaskRouter.
func TestBuiltInChannelsAreAdoptedNotDuplicated(t *testing.T) {
	ns := newNamespace(t)
	ws := readyWorkspace(t, ns)
	ctx := context.Background()
	before, n := remoteChannel(ws.Status.SID, "chat")
	if n != 1 {
		t.Fatalf("a new workspace has %d chat channels, want the built-in one", n)
	}
	emu.ResetRequests()
	tc := taskChannel(ns, "chat", "")
	must(t, k8s.Create(ctx, tc))
	waitReady(t, tc)
	if tc.Status.SID != before.SID || tc.Status.Origin != trv1.OriginAdopted {
		t.Fatalf("resource took %s (%s), want the built-in %s (Adopted)", tc.Status.SID, tc.Status.Origin, before.SID)
	}
	if w := countWrites(func(r emulator.Request) bool { return strings.Contains(r.Path, ws.Status.SID+"/") }); w != 0 {
		t.Fatalf("adopting the built-in chat channel made %d writes, want 0", w)
	}
	if after, n := remoteChannel(ws.Status.SID, "chat"); n != 1 || after != before {
		t.Fatalf("chat channel after adoption = %+v (%d of them), want it untouched: %+v", after, n, before)
	}

	must(t, k8s.Delete(ctx, tc))
	waitGone(t, tc)
	if _, n := remoteChannel(ws.Status.SID, "chat"); n != 1 {
		t.Fatal("deleting an adopted channel's resource deleted the channel; want it orphaned")
	}
}

// TestChannelDeletionTaskRouterRefusesIsBlockedNotStuck: a channel a worker holds tasks on cannot
// be deleted (DeletionBlocked, finalizer kept) until the tasks end; the default channel never can,
// and switching the resource to Orphan lets it go.
func TestChannelDeletionTaskRouterRefusesIsBlockedNotStuck(t *testing.T) {
	ns := newNamespace(t)
	ws := readyWorkspace(t, ns)
	ctx := context.Background()
	callback, deflt := taskChannel(ns, "callback", ""), taskChannel(ns, "default", "")
	deflt.Spec.DeletionPolicy = trv1.DeletionDelete
	must(t, k8s.Create(ctx, callback))
	must(t, k8s.Create(ctx, deflt))
	waitReady(t, callback)
	waitReady(t, deflt)
	agent, err := emu.Admin().CreateWorker(ws.Status.SID, url.Values{"FriendlyName": {"agent"}})
	must(t, err)
	tasks, err := emu.Admin().AssignTasks(ws.Status.SID, agent.SID, "callback", 2)
	must(t, err)

	must(t, k8s.Delete(ctx, callback))
	must(t, k8s.Delete(ctx, deflt))
	for _, tc := range []*trv1.TaskChannel{callback, deflt} {
		c := waitReason(t, tc, trv1.ConditionStalled, metav1.ConditionTrue, "DeletionBlocked")
		if !strings.Contains(c.Message, tc.Status.SID) {
			t.Fatalf("DeletionBlocked message does not name the channel: %s", c.Message)
		}
	}
	if _, ok := emu.Admin().TaskChannel(ws.Status.SID, callback.Status.SID); !ok {
		t.Fatal("the channel a worker holds tasks on was deleted")
	}

	for _, task := range tasks {
		_, err := emu.Admin().UpdateTask(ws.Status.SID, task.SID, url.Values{"AssignmentStatus": {"completed"}, "Reason": {"done"}})
		must(t, err)
	}
	waitGone(t, callback)
	if _, ok := emu.Admin().TaskChannel(ws.Status.SID, callback.Status.SID); ok {
		t.Fatal("the channel is still in TaskRouter after its tasks ended and its resource went")
	}
	update(t, deflt, func(c *trv1.TaskChannel) { c.Spec.DeletionPolicy = trv1.DeletionOrphan })
	waitGone(t, deflt)
	if _, n := remoteChannel(ws.Status.SID, "default"); n != 1 {
		t.Fatal("the default channel left TaskRouter")
	}
}

func ptrTo[T any](v T) *T { return &v }
