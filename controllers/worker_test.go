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
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator"
)

func byRef(name string, capacity int32) trv1.WorkerChannelSpec {
	return trv1.WorkerChannelSpec{ChannelRef: &trv1.LocalObjectReference{Name: name}, Capacity: &capacity}
}

func byName(uniqueName string, capacity int32) trv1.WorkerChannelSpec {
	return trv1.WorkerChannelSpec{UniqueName: uniqueName, Capacity: &capacity}
}

// remoteCapacity is a worker channel's configured capacity and availability in the emulator.
func remoteCapacity(t *testing.T, wsSID, workerSID, channel string) (int, bool) {
	t.Helper()
	wc, ok := emu.Admin().WorkerChannel(wsSID, workerSID, channel)
	if !ok {
		t.Fatalf("worker %s has no %s channel in the emulator", workerSID, channel)
	}
	return wc.ConfiguredCapacity, wc.Available
}

// channelStatusOf reads a worker's mirrored channel fresh from the API server.
func channelStatusOf(t *testing.T, w *trv1.Worker, uniqueName string) (trv1.WorkerChannelStatus, bool) {
	t.Helper()
	must(t, k8s.Get(context.Background(), keyOf(w), w))
	for _, s := range w.Status.Channels {
		if s.UniqueName == uniqueName {
			return s, true
		}
	}
	return trv1.WorkerChannelStatus{}, false
}

func TestWorkerChannelsInitialThenEnforce(t *testing.T) {
	ns := newNamespace(t)
	ws := readyWorkspace(t, ns)
	ctx := context.Background()
	chat := taskChannel(ns, "chat", "")
	alice := worker(ns, "alice", `{"skills":["support"]}`)
	voice := byName("voice", 2)
	voice.Available = ptrTo(false)
	alice.Spec.Channels = []trv1.WorkerChannelSpec{byRef("chat", 3), voice}
	must(t, k8s.Create(ctx, chat))
	must(t, k8s.Create(ctx, alice))
	waitReady(t, alice)
	if c, a := remoteCapacity(t, ws.Status.SID, alice.Status.SID, "chat"); c != 3 || !a {
		t.Fatalf("emulator chat channel capacity %d available %v, want 3, true", c, a)
	}
	if c, a := remoteCapacity(t, ws.Status.SID, alice.Status.SID, "voice"); c != 2 || a {
		t.Fatalf("emulator voice channel capacity %d available %v, want 2, false", c, a)
	}
	want := []trv1.WorkerChannelStatus{
		{UniqueName: "chat", ConfiguredCapacity: 3, Available: true, AvailableCapacityPercentage: 100},
		{UniqueName: "voice", ConfiguredCapacity: 2, Available: false, AvailableCapacityPercentage: 0},
	}
	if diff := cmp.Diff(want, withoutSIDs(alice.Status.Channels)); diff != "" {
		t.Fatalf("status channels (-want +got):\n%s", diff)
	}

	// An agent takes two chats: the mirror follows at the next sync, without a write.
	_, err := emu.Admin().AssignTasks(ws.Status.SID, alice.Status.SID, "chat", 2)
	must(t, err)
	eventually(t, "status mirrors the assigned chats", func() (bool, string) {
		s, _ := channelStatusOf(t, alice, "chat")
		return s.AssignedTasks == 2 && s.AvailableCapacityPercentage == 33, fmt.Sprintf("%+v", s)
	})

	// A supervisor raises the chat capacity: with Initial it stands.
	_, err = emu.Admin().UpdateWorkerChannel(ws.Status.SID, alice.Status.SID, "chat", url.Values{"Capacity": {"5"}})
	must(t, err)
	eventually(t, "status mirrors the supervisor's capacity", func() (bool, string) {
		s, _ := channelStatusOf(t, alice, "chat")
		return s.ConfiguredCapacity == 5, fmt.Sprintf("%+v", s)
	})
	time.Sleep(2 * testSyncPeriod)
	if c, _ := remoteCapacity(t, ws.Status.SID, alice.Status.SID, "chat"); c != 5 {
		t.Fatalf("channelPolicy Initial reverted the supervisor's chat capacity to %d", c)
	}

	update(t, alice, func(w *trv1.Worker) { w.Spec.ChannelPolicy = trv1.ChannelEnforce })
	waitReady(t, alice)
	if c, _ := remoteCapacity(t, ws.Status.SID, alice.Status.SID, "chat"); c != 3 {
		t.Fatalf("channelPolicy Enforce left the chat capacity at %d, want 3", c)
	}
	if s, _ := channelStatusOf(t, alice, "chat"); s.ConfiguredCapacity != 3 {
		t.Fatalf("status chat capacity %d after Enforce, want 3", s.ConfiguredCapacity)
	}
}

func withoutSIDs(in []trv1.WorkerChannelStatus) []trv1.WorkerChannelStatus {
	out := make([]trv1.WorkerChannelStatus, len(in))
	for i, s := range in {
		s.SID = ""
		out[i] = s
	}
	return out
}

// TestWorkerChannelRefWaitsForItsTaskChannel: the worker waits for its channel and, once the channel
// is Ready, gets the Initial capacity although the pass that created it is long gone.
func TestWorkerChannelRefWaitsForItsTaskChannel(t *testing.T) {
	ns := newNamespace(t)
	ws := readyWorkspace(t, ns)
	ctx := context.Background()
	bob := worker(ns, "bob", `{"skills":["sales"]}`)
	bob.Spec.Channels = []trv1.WorkerChannelSpec{byRef("texts", 4)}
	must(t, k8s.Create(ctx, bob))
	c := waitReason(t, bob, trv1.ConditionReconciling, metav1.ConditionTrue, "WaitingForReference")
	if !strings.Contains(c.Message, "spec.channels[0].channelRef") {
		t.Fatalf("WaitingForReference message does not name the field: %s", c.Message)
	}
	must(t, k8s.Create(ctx, taskChannel(ns, "texts", "sms")))
	waitReady(t, bob)
	if c, _ := remoteCapacity(t, ws.Status.SID, bob.Status.SID, "sms"); c != 4 {
		t.Fatalf("emulator sms capacity %d once the channel was Ready, want 4", c)
	}
}

// TestWorkerWithChannelsCostsOneListPerSync: each sync reads the listed channels once, in one list,
// and a steady state writes nothing.
func TestWorkerWithChannelsCostsOneListPerSync(t *testing.T) {
	ns := newNamespace(t)
	ws := readyWorkspace(t, ns)
	ctx := context.Background()
	carol := worker(ns, "carol", `{"skills":["support"]}`)
	carol.Spec.Channels = []trv1.WorkerChannelSpec{byName("chat", 2), byName("voice", 1)}
	carol.Spec.ChannelPolicy = trv1.ChannelEnforce
	must(t, k8s.Create(ctx, carol))
	waitReady(t, carol)
	time.Sleep(testSyncPeriod)
	emu.ResetRequests()
	eventuallyWithin(t, time.Minute, "three syncs of the worker", func() (bool, string) {
		n := workerSweeps(ws.Status.SID)
		return n >= 3, fmt.Sprintf("%d syncs", n)
	})
	self := "/Workers/" + carol.Status.SID
	syncs := workerSweeps(ws.Status.SID)
	lists := emu.CountRequests(func(r emulator.Request) bool { return r.Method == "GET" && strings.HasSuffix(r.Path, self+"/Channels") })
	others := emu.CountRequests(func(r emulator.Request) bool { return strings.Contains(r.Path, self+"/Channels/") })
	// A sync is a sweep of the workspace's workers (one list of them); a window's edge may cut one
	// sweep from its channel list.
	if syncs < 2 || lists < syncs-1 || lists > syncs+1 || others != 0 {
		t.Fatalf("over three sync periods: %d syncs, %d channel lists, %d single-channel calls; want one list per sync and no other channel call", syncs, lists, others)
	}
	if n := countWrites(func(r emulator.Request) bool { return strings.Contains(r.Path, ws.Status.SID+"/") }); n != 0 {
		t.Fatalf("a steady worker with channels made %d writes", n)
	}
}

// workerSweeps counts the lists of a workspace's workers the emulator answered: one per sync of them.
func workerSweeps(ws string) int {
	return emu.CountRequests(func(r emulator.Request) bool {
		return r.Method == "GET" && strings.HasSuffix(r.Path, "/Workspaces/"+ws+"/Workers")
	})
}

// ssoAttributes is what an SSO login wrote: keys the spec does not own, spelled as TaskRouter keeps
// them (escapes, spacing, a number's spelling), which must survive byte for byte.
const ssoAttributes = `{"contact_uri":"client:ivy_40example_2Ecom", "full_name":"Ivy \u00c9lise <ivy>","email":"ivy@example.com",` +
	`"routing":{"skills":["support"],"levels":{"support":3.0}},"sso":{"groups":["agents"],"issued":1.7e9}}`

func TestMergeKeepsUnownedKeysByteForByte(t *testing.T) {
	ns := newNamespace(t)
	ws := readyWorkspace(t, ns)
	ctx := context.Background()
	remote, err := emu.Admin().CreateWorker(ws.Status.SID, url.Values{"FriendlyName": {"ivy@example.com"}, "Attributes": {ssoAttributes}})
	must(t, err)
	ivy := worker(ns, "ivy", `{"routing":{"skills":["support"]}}`)
	ivy.Spec.FriendlyName = "ivy@example.com"
	ivy.Spec.AdoptionPolicy, ivy.Spec.AttributesPolicy, ivy.Spec.DeletionPolicy = trv1.AdoptOnly, trv1.AttributesMerge, trv1.DeletionOrphan
	emu.ResetRequests()
	must(t, k8s.Create(ctx, ivy))
	waitReady(t, ivy)
	mine := func(r emulator.Request) bool { return strings.Contains(r.Path, remote.SID) }
	eventuallyWithin(t, 3*time.Minute, "ten syncs of the worker", func() (bool, string) {
		n := workerSweeps(ws.Status.SID)
		return n >= 10, fmt.Sprintf("%d sweeps", n)
	})
	if n := countWrites(mine); n != 0 {
		t.Fatalf("ten syncs of a Merge worker whose owned keys match made %d writes", n)
	}
	if got, _ := emu.Admin().Worker(ws.Status.SID, remote.SID); got.Attributes != ssoAttributes {
		t.Fatalf("attributes changed without a write:\n got %s\nwant %s", got.Attributes, ssoAttributes)
	}

	update(t, ivy, func(w *trv1.Worker) {
		w.Spec.Attributes = &apiextensionsv1.JSON{Raw: []byte(`{"routing":{"skills":["support","billing"]}}`)}
	})
	waitReady(t, ivy)
	got, _ := emu.Admin().Worker(ws.Status.SID, remote.SID)
	want := `{"contact_uri":"client:ivy_40example_2Ecom","full_name":"Ivy \u00c9lise <ivy>","email":"ivy@example.com",` +
		`"routing":{"skills":["support","billing"],"levels":{"support":3.0}},"sso":{"groups":["agents"],"issued":1.7e9}}`
	if got.Attributes != want {
		t.Fatalf("attributes after an update of an owned key:\n got %s\nwant %s", got.Attributes, want)
	}
	if n := countWrites(mine); n != 1 {
		t.Fatalf("the owned key's update took %d writes, want 1", n)
	}
	for _, r := range emu.Requests() {
		if mine(r) && r.Write && r.Params.Get("Attributes") != want {
			t.Fatalf("the update sent %v, want only the merged attributes", r.Params)
		}
	}
}

// TestFlexWorkspaceAdoptedWithoutWritesItsSpecDoesNotAsk adopts a Flex project's workspace as
// docs/adopting-a-workspace.md shows: its built-in channels, activities and queue, and workers
// created by SSO with attributes of their own (AdoptOnly + Merge + Orphan). Nothing the spec leaves
// unset is written; the one thing it asks for (a chat capacity of 2) is the one write.
func TestFlexWorkspaceAdoptedWithoutWritesItsSpecDoesNotAsk(t *testing.T) {
	ns := newNamespace(t)
	ctx := context.Background()
	flex, err := emu.Admin().CreateFlexWorkspace(ns)
	must(t, err)
	var agents []emulator.Worker
	for _, name := range []string{"ann@example.com", "ben@example.com"} {
		attrs := fmt.Sprintf(`{"contact_uri":"client:%s","email":"%s","routing":{"skills":["support"],"levels":{"support":2}},"full_name":"%s"}`,
			strings.NewReplacer("@", "_40", ".", "_2E").Replace(name), name, strings.ToUpper(name[:1])+name[1:3])
		w, err := emu.Admin().CreateWorker(flex.SID, url.Values{"FriendlyName": {name}, "Attributes": {attrs}})
		must(t, err)
		agents = append(agents, w)
	}
	channelsBefore := emu.Admin().TaskChannels(flex.SID)
	emu.ResetRequests()

	objs := []object{workspace(ns, func(w *trv1.Workspace) {
		w.Spec.SID, w.Spec.FriendlyName, w.Spec.DeletionPolicy = flex.SID, ns, trv1.DeletionOrphan
	})}
	for _, unique := range []string{"voice", "chat", "email"} {
		objs = append(objs, taskChannel(ns, unique, ""))
	}
	everyone := taskQueue(ns, "everyone", "")
	everyone.Spec.FriendlyName = "Everyone"
	brk := activity(ns, "break", false)
	brk.Spec.FriendlyName = "Break"
	objs = append(objs, everyone, brk)
	for i, a := range agents {
		w := worker(ns, fmt.Sprintf("agent-%d", i), `{"routing":{"skills":["support"]}}`)
		w.Spec.FriendlyName = a.FriendlyName
		w.Spec.AdoptionPolicy, w.Spec.AttributesPolicy, w.Spec.DeletionPolicy = trv1.AdoptOnly, trv1.AttributesMerge, trv1.DeletionOrphan
		w.Spec.Channels = []trv1.WorkerChannelSpec{byRef("voice", 1)}
		if i == 0 {
			w.Spec.Channels = append(w.Spec.Channels, byRef("chat", 2))
		}
		objs = append(objs, w)
	}
	for _, o := range objs {
		must(t, k8s.Create(ctx, o))
	}
	for _, o := range objs {
		waitReady(t, o)
		if o.RemoteStatus().Origin != trv1.OriginAdopted {
			t.Errorf("%T %s origin %q, want Adopted", o, o.GetName(), o.RemoteStatus().Origin)
		}
	}
	time.Sleep(testSyncPeriod)
	var writes []string
	for _, r := range emu.Requests() {
		if r.Write && r.Status < 300 && strings.Contains(r.Path, flex.SID) {
			writes = append(writes, r.Method+" "+strings.TrimPrefix(r.Path, "/v1/Workspaces/"+flex.SID)+" "+r.Params.Encode())
		}
	}
	want := []string{"POST /Workers/" + agents[0].SID + "/Channels/chat Capacity=2"}
	if diff := cmp.Diff(want, writes); diff != "" {
		t.Fatalf("writes to the Flex workspace (-want +got):\n%s", diff)
	}
	for _, a := range agents {
		if got, _ := emu.Admin().Worker(flex.SID, a.SID); got.Attributes != a.Attributes || got.ActivitySID != a.ActivitySID {
			t.Errorf("SSO worker %s changed: attributes %s activity %s", a.FriendlyName, got.Attributes, got.ActivitySID)
		}
	}
	if diff := cmp.Diff(channelsBefore, emu.Admin().TaskChannels(flex.SID), cmp.Comparer(sameChannel)); diff != "" {
		t.Errorf("the built-in channels changed (-before +after):\n%s", diff)
	}
}

func sameChannel(a, b emulator.TaskChannel) bool {
	return a.SID == b.SID && a.UniqueName == b.UniqueName && a.FriendlyName == b.FriendlyName &&
		a.ChannelOptimizedRouting == b.ChannelOptimizedRouting && a.DateUpdated.Equal(b.DateUpdated)
}
