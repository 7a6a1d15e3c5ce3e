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
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/types"
)

// item is a remote object for the listing tests.
type item struct{ sid, name string }

func newTestListing() *listing[item] {
	return listingOf(newSnapshot(time.Hour, time.Now), "workspace/WS1", "TaskQueue",
		func(i item) string { return i.sid }, func(i item) string { return i.name })
}

func lister(items ...item) func(context.Context) ([]item, error) {
	return func(context.Context) ([]item, error) { return items, nil }
}

func TestListingKeepsWritesNewerThanAList(t *testing.T) {
	l := newTestListing()
	ctx := context.Background()
	t0 := time.Unix(1000, 0)
	clock := t0
	now := func() time.Time { return clock }
	must(t, l.ensure(ctx, t0, now, lister(item{"WQ1", "a"}, item{"WQ2", "b"})))

	// Written after the next list was requested: a create it cannot have seen, and a delete.
	listStarted := t0.Add(time.Second)
	l.put(item{"WQ3", "c"}, listStarted.Add(time.Millisecond))
	l.drop("WQ2", listStarted.Add(time.Millisecond))
	clock = listStarted
	must(t, l.ensure(ctx, listStarted, now, lister(item{"WQ1", "a"}, item{"WQ2", "b"})))
	if _, ok := l.get("WQ3"); !ok {
		t.Error("a create newer than the list was lost")
	}
	if r, ok := l.get("WQ2"); !ok || !r.gone {
		t.Error("a delete newer than the list was undone")
	}
	if got := l.named("b"); len(got) != 0 {
		t.Errorf("named(b) = %v after its deletion, want none", got)
	}

	// A later list knows better than older writes.
	clock = t0.Add(time.Minute)
	must(t, l.ensure(ctx, clock, now, lister(item{"WQ1", "a"}, item{"WQ4", "c"})))
	if _, ok := l.get("WQ3"); ok {
		t.Error("a record older than the list survived it")
	}
	if diff := cmp.Diff([]item{{"WQ4", "c"}}, l.named("c"), cmp.AllowUnexported(item{})); diff != "" {
		t.Errorf("named(c) (-want +got):\n%s", diff)
	}
}

// TestListingForgetsWhatItFetchedOfVanishedObjects: a list without an object drops what was read
// of it one by one; what is still listed keeps it.
func TestListingForgetsWhatItFetchedOfVanishedObjects(t *testing.T) {
	l := newTestListing()
	ctx := context.Background()
	t0 := time.Unix(1000, 0)
	clock := t0
	now := func() time.Time { return clock }
	must(t, l.ensure(ctx, t0, now, lister(item{"WQ1", "a"}, item{"WQ2", "b"})))
	l.keepFetched("WQ1", fetchedRecord[item]{value: item{sid: "WQ1"}, at: t0})
	l.keepFetched("WQ2", fetchedRecord[item]{value: item{sid: "WQ2"}, at: t0})

	clock = t0.Add(time.Minute)
	must(t, l.ensure(ctx, clock, now, lister(item{"WQ1", "a"})))
	if _, ok := l.fetchedRecord("WQ1"); !ok {
		t.Error("what was fetched of a listed object was dropped")
	}
	if _, ok := l.fetchedRecord("WQ2"); ok {
		t.Error("what was fetched of an object the list no longer has was kept")
	}
}

func TestListingNamesInSIDOrderAndFollowsRenames(t *testing.T) {
	l := newTestListing()
	must(t, l.ensure(context.Background(), time.Time{}, time.Now, lister(item{"WQ9", "twin"}, item{"WQ1", "twin"}, item{"WQ5", "twin"})))
	for range 5 { // map order must never show
		if diff := cmp.Diff([]item{{"WQ1", "twin"}, {"WQ5", "twin"}, {"WQ9", "twin"}}, l.named("twin"), cmp.AllowUnexported(item{})); diff != "" {
			t.Fatalf("named(twin) (-want +got):\n%s", diff)
		}
	}
	l.put(item{"WQ5", "solo"}, time.Now())
	if len(l.named("twin")) != 2 || len(l.named("solo")) != 1 {
		t.Errorf("after a rename: twin %v, solo %v", l.named("twin"), l.named("solo"))
	}
}

func TestListingSharesOneListCall(t *testing.T) {
	l := newTestListing()
	var calls atomic.Int32
	release := make(chan struct{})
	list := func(context.Context) ([]item, error) {
		calls.Add(1)
		<-release
		return []item{{"WQ1", "a"}}, nil
	}
	var wg sync.WaitGroup
	asked := time.Now() // every reader wants a list no older than this
	for range 10 {
		wg.Go(func() { must(t, l.ensure(context.Background(), asked, time.Now, list)) })
	}
	time.Sleep(50 * time.Millisecond)
	close(release)
	wg.Wait()
	if n := calls.Load(); n != 1 {
		t.Fatalf("%d list calls for 10 concurrent readers, want 1", n)
	}

	// A failed list fails its waiters too, and the next caller lists again.
	failing := errors.New("429")
	block := make(chan struct{})
	var failed atomic.Int32
	fail := func(context.Context) ([]item, error) { failed.Add(1); <-block; return nil, failing }
	errs := make(chan error, 3)
	later := time.Now().Add(time.Hour)
	for range 3 {
		go func() { errs <- l.ensure(context.Background(), later, time.Now, fail) }()
	}
	time.Sleep(50 * time.Millisecond)
	close(block)
	for range 3 {
		if err := <-errs; !errors.Is(err, failing) {
			t.Fatalf("waiter got %v, want the list's error", err)
		}
	}
	if n := failed.Load(); n != 1 {
		t.Fatalf("%d list calls for 3 waiters of a failing list, want 1", n)
	}
}

// TestListingForgetsIdleNameLocksAndOldClaims: what the listing keeps per name and per claim goes
// once nothing needs it, so churn over months does not grow it; a name's lock still serialises
// every reconcile that asks for it meanwhile.
func TestListingForgetsIdleNameLocksAndOldClaims(t *testing.T) {
	l := newTestListing()
	unlock := l.lockName("sales")
	second := make(chan struct{})
	go func() {
		defer close(second)
		l.lockName("sales")()
	}()
	// The second waits on the first's lock: the name's lock is still known.
	deadline := time.Now().Add(5 * time.Second)
	for {
		l.mu.Lock()
		users := l.names["sales"].users
		l.mu.Unlock()
		if users == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the second locker did not wait on the name's lock (users %d)", users)
		}
		time.Sleep(time.Millisecond)
	}
	select {
	case <-second:
		t.Fatal("a second reconcile took the name's lock while the first held it")
	case <-time.After(20 * time.Millisecond):
	}
	unlock()
	<-second
	l.mu.Lock()
	left := len(l.names)
	l.mu.Unlock()
	if left != 0 {
		t.Fatalf("%d name locks kept with no one holding them, want 0", left)
	}

	t0 := time.Unix(1000, 0)
	l.own("WQ1", owner{key: types.NamespacedName{Namespace: "cc", Name: "old"}}, t0)
	l.own("WQ2", owner{key: types.NamespacedName{Namespace: "cc", Name: "new"}}, t0.Add(claimMemory))
	must(t, l.ensure(context.Background(), t0.Add(claimMemory+time.Second), func() time.Time { return t0.Add(claimMemory + time.Second) }, lister()))
	if _, ok := l.ownerOf("WQ1"); ok {
		t.Error("a claim older than claimMemory survived a list")
	}
	if o, ok := l.ownerOf("WQ2"); !ok || o.key.Name != "new" {
		t.Errorf("a recent claim was lost: %v, %v", o, ok)
	}
	later := t0.Add(2*claimMemory + time.Second)
	must(t, l.ensure(context.Background(), later, func() time.Time { return later }, lister()))
	l.mu.Lock()
	owners := l.owners
	l.mu.Unlock()
	if owners != nil {
		t.Errorf("with every claim forgotten the listing keeps a map of %d, want none (a map keeps its room)", len(owners))
	}
}
