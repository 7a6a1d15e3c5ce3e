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
	"regexp"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator"
)

// Issue 11 at a hundred objects: the costs the scale benchmark (make bench-scale) measures at
// thousands, asserted as counts of TaskRouter requests at the emulator, never as times.

// hundred is the shape: 4 Activities, 40 TaskQueues, 2 Workflows, 54 Workers in one Workspace.
func hundred(ns string) []object {
	var objs []object
	for i := range 4 {
		objs = append(objs, activity(ns, fmt.Sprintf("a%d", i), i == 0))
	}
	for i := range 40 {
		objs = append(objs, taskQueue(ns, fmt.Sprintf("q%02d", i), fmt.Sprintf(`skills HAS "s%d"`, i%8)))
	}
	objs = append(objs, workflow(ns, "wf0", "q00", "q01"), workflow(ns, "wf1", "q02", "q03"))
	for i := range 54 {
		objs = append(objs, worker(ns, fmt.Sprintf("w%02d", i), fmt.Sprintf(`{"skills":["s%d"],"level":%d}`, i%8, i%5)))
	}
	return objs
}

func createAll(t *testing.T, objs []object) {
	t.Helper()
	for _, o := range objs {
		must(t, k8s.Create(context.Background(), o))
	}
	for _, o := range objs {
		waitReady(t, o)
	}
}

// singleObject matches a request for one object (a fetch, an update), as opposed to a list or a
// statistics read.
var singleObject = regexp.MustCompile(`/(Activities|TaskQueues|Workflows|Workers|TaskChannels)/W[A-Z][0-9a-f]{32}$`)

// TestSweepCostIsFlat: once a hundred objects are Ready, a drift sweep costs one paged list per
// kind, not a request per object.
func TestSweepCostIsFlat(t *testing.T) {
	ns := newNamespace(t)
	ws := readyWorkspace(t, ns)
	objs := hundred(ns)
	createAll(t, objs)
	time.Sleep(2 * testSyncPeriod)
	emu.ResetRequests()
	eventuallyWithin(t, 2*time.Minute, "five sweeps", func() (bool, string) {
		n := workerSweeps(ws.Status.SID)
		return n >= 5, fmt.Sprintf("%d sweeps", n)
	})
	mine := func(r emulator.Request) bool { return strings.Contains(r.Path, ws.Status.SID+"/") }
	sweeps := workerSweeps(ws.Status.SID)
	requests := emu.CountRequests(mine)
	singles := emu.CountRequests(func(r emulator.Request) bool { return mine(r) && singleObject.MatchString(r.Path) })
	// Four kinds live in the workspace here; TaskChannels are listed only when a TaskChannel resource
	// asks. A window's edge may cut a sweep, hence the one extra.
	if perSweep := float64(requests) / float64(sweeps); singles != 0 || requests > 4*(sweeps+1) {
		t.Fatalf("%d sweeps of %d objects cost %d requests (%.1f a sweep), %d of them for single objects; want one list per kind per sweep and none for single objects",
			sweeps, len(objs), requests, perSweep, singles)
	}
	if n := countWrites(mine); n != 0 {
		t.Fatalf("steady sweeps wrote %d times", n)
	}
}

// TestAdoptingMatchingObjectsWritesNothing: a hundred objects that already exist in TaskRouter
// exactly as the resources describe them (workers' attributes included, which lists do not carry)
// are adopted without a single write.
func TestAdoptingMatchingObjectsWritesNothing(t *testing.T) {
	ns := newNamespace(t)
	ws := readyWorkspace(t, ns)
	admin := emu.Admin()
	var objs []object
	for i := range 40 {
		target := fmt.Sprintf(`skills HAS "s%d"`, i%8)
		name := fmt.Sprintf("q%02d", i)
		_, err := admin.CreateTaskQueue(ws.Status.SID, url.Values{"FriendlyName": {name}, "TargetWorkers": {target}})
		must(t, err)
		objs = append(objs, taskQueue(ns, name, target))
	}
	for i := range 60 {
		attrs := fmt.Sprintf(`{"skills":["s%d"],"level":%d}`, i%8, i%5)
		name := fmt.Sprintf("w%02d", i)
		_, err := admin.CreateWorker(ws.Status.SID, url.Values{"FriendlyName": {name}, "Attributes": {attrs}})
		must(t, err)
		w := worker(ns, name, attrs)
		w.Spec.DeletionPolicy = trv1.DeletionOrphan
		objs = append(objs, w)
	}
	emu.ResetRequests()
	createAll(t, objs)
	for _, o := range objs {
		if o.RemoteStatus().Origin != trv1.OriginAdopted {
			t.Fatalf("%s origin %q, want Adopted", o.GetName(), o.RemoteStatus().Origin)
		}
	}
	time.Sleep(2 * testSyncPeriod)
	if n := countWrites(func(r emulator.Request) bool { return strings.Contains(r.Path, ws.Status.SID+"/") }); n != 0 {
		t.Fatalf("adopting %d matching objects made %d writes, want 0", len(objs), n)
	}
}

// TestStatisticsWritesCostNoConfigurationReads: statistics refreshed every second write status
// all the time; they wake nothing that refers to the objects written, so they cost no read of
// configuration beyond the sweeps' lists.
func TestStatisticsWritesCostNoConfigurationReads(t *testing.T) {
	ns := newNamespace(t)
	ws := readyWorkspace(t, ns, func(w *trv1.Workspace) { w.Spec.Statistics = everySecondSplit() })
	objs := hundred(ns)
	for _, o := range objs {
		if q, ok := o.(*trv1.TaskQueue); ok {
			q.Spec.Statistics = everySecondSplit()
		}
	}
	createAll(t, objs)
	// Tasks keep the figures moving, so statistics writes keep coming.
	wf := objs[44].(*trv1.Workflow)
	for i := range 20 {
		_, err := emu.Admin().CreateTask(ws.Status.SID, url.Values{"WorkflowSid": {wf.Status.SID}, "Attributes": {fmt.Sprintf(`{"n":%d}`, i)}})
		must(t, err)
	}
	time.Sleep(2 * testSyncPeriod)
	emu.ResetRequests()
	writesBefore := statusWrites.Load()
	time.Sleep(5 * testSyncPeriod)
	mine := func(r emulator.Request) bool { return strings.Contains(r.Path, ws.Status.SID+"/") }
	statistics := func(r emulator.Request) bool { return strings.Contains(r.Path, "Statistics") }
	configuration := emu.CountRequests(func(r emulator.Request) bool { return mine(r) && !statistics(r) })
	singles := emu.CountRequests(func(r emulator.Request) bool { return mine(r) && singleObject.MatchString(r.Path) })
	sweeps := workerSweeps(ws.Status.SID)
	if statusWrites.Load() == writesBefore || emu.CountRequests(func(r emulator.Request) bool { return mine(r) && statistics(r) }) == 0 {
		t.Fatal("no statistics were read or written: the test measured nothing")
	}
	if singles != 0 || configuration > 4*(sweeps+1) {
		t.Fatalf("while statistics were written, %d configuration requests (%d for single objects) over %d sweeps; want the sweeps' lists only",
			configuration, singles, sweeps)
	}
}

// TestNewQueuesShareStatisticsRefreshes: forty queues getting their SIDs one after another cost a
// statistics read of the workspace every statisticsBatch at most, not one each (their interval here
// is an hour, so every read counted is one a newcomer caused).
func TestNewQueuesShareStatisticsRefreshes(t *testing.T) {
	ns := newNamespace(t)
	ws := readyWorkspace(t, ns)
	hourly := &trv1.SplitStatisticsSpec{StatisticsSpec: trv1.StatisticsSpec{Interval: &metav1.Duration{Duration: time.Hour}}}
	var queues []object
	for i := range 40 {
		q := taskQueue(ns, fmt.Sprintf("q%02d", i), "1==1")
		q.Spec.Statistics = hourly
		queues = append(queues, q)
	}
	started := time.Now()
	createAll(t, queues)
	for _, o := range queues {
		eventually(t, o.GetName()+" has statistics", func() (bool, string) {
			q := o.(*trv1.TaskQueue)
			must(t, k8s.Get(context.Background(), keyOf(q), q))
			return q.Status.Statistics != nil, "none yet"
		})
	}
	elapsed := time.Since(started)
	reads := emu.CountRequests(func(r emulator.Request) bool {
		return strings.HasSuffix(r.Path, ws.Status.SID+"/TaskQueues/Statistics")
	})
	if most := int(elapsed/statisticsBatch) + 2; reads > most || reads == 0 {
		t.Fatalf("40 new queues over %s caused %d TaskQueues/Statistics reads; want 1 to %d (one per %s at most)",
			elapsed.Round(time.Second), reads, most, statisticsBatch)
	}
}
