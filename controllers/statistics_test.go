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
	"io"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	ctrlmetrics "sigs.k8s.io/controller-runtime/pkg/metrics"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator"
	"github.com/taskrouter-operator/taskrouter-operator/internal/taskrouter"
)

// everySecond polls statistics each second over the default window.
func everySecond() *trv1.StatisticsSpec {
	return &trv1.StatisticsSpec{Interval: &metav1.Duration{Duration: time.Second}}
}

// everySecondSplit is everySecond for the kinds whose statistics split per channel and wait time.
func everySecondSplit() *trv1.SplitStatisticsSpec {
	return &trv1.SplitStatisticsSpec{StatisticsSpec: *everySecond()}
}

// statsScenario is a small call centre: English and Spanish queues, a workflow
// routing by language, three agents in various activities, five tasks of
// which one was canceled.
type statsScenario struct {
	ns               string
	ws               *trv1.Workspace
	english, spanish *trv1.TaskQueue
	route            *trv1.Workflow
	alice            *trv1.Worker
}

func newStatsScenario(t *testing.T) *statsScenario {
	ctx := context.Background()
	s := &statsScenario{ns: newNamespace(t)}
	s.ws = readyWorkspace(t, s.ns, func(w *trv1.Workspace) { w.Spec.Statistics = everySecondSplit() })
	avail, brk := activity(s.ns, "avail", true), activity(s.ns, "brk", false)
	s.english, s.spanish = taskQueue(s.ns, "english", `languages HAS "en"`), taskQueue(s.ns, "spanish", `languages HAS "es"`)
	s.english.Spec.Statistics, s.spanish.Spec.Statistics = everySecondSplit(), everySecondSplit()
	s.route = workflow(s.ns, "route", "spanish")
	s.route.Spec.Configuration.TaskRouting.DefaultFilter = &trv1.QueueSelector{QueueRef: &trv1.LocalObjectReference{Name: "english"}}
	s.route.Spec.Statistics = everySecond()
	s.alice = worker(s.ns, "alice", `{"languages":["en"]}`)
	s.alice.Spec.ActivityRef, s.alice.Spec.Statistics = &trv1.LocalObjectReference{Name: "avail"}, everySecond()
	bob := worker(s.ns, "bob", `{"languages":["es"]}`)
	bob.Spec.ActivityRef = &trv1.LocalObjectReference{Name: "brk"}
	carol := worker(s.ns, "carol", `{"languages":["en","es"]}`)
	carol.Spec.ActivityRef = &trv1.LocalObjectReference{Name: "avail"}
	for _, o := range []object{avail, brk, s.english, s.spanish, s.route, s.alice, bob, carol} {
		must(t, k8s.Create(ctx, o))
	}
	for _, o := range []object{avail, brk, s.english, s.spanish, s.route, s.alice, bob, carol} {
		waitReady(t, o)
	}
	wsSID := s.ws.Status.SID
	var spanishTasks []string
	for i, lang := range []string{"en", "en", "en", "es", "es"} {
		task, err := emu.Admin().CreateTask(wsSID, url.Values{"WorkflowSid": {s.route.Status.SID},
			"Attributes": {fmt.Sprintf(`{"language":%q,"n":%d}`, lang, i)}})
		must(t, err)
		if lang == "es" {
			spanishTasks = append(spanishTasks, task.SID)
		}
	}
	_, err := emu.Admin().UpdateTask(wsSID, spanishTasks[1], url.Values{"AssignmentStatus": {"canceled"}, "Reason": {"hung up"}})
	must(t, err)
	return s
}

// emulatorCount is the hand count of the emulator's tasks in a queue ("" for all) by status.
func emulatorCount(wsSID, queueSID string) map[string]int64 {
	counts := map[string]int64{}
	for _, task := range emu.Admin().Tasks(wsSID) {
		if queueSID == "" || task.TaskQueueSID == queueSID {
			counts[task.AssignmentStatus]++
		}
	}
	return counts
}

// openOnly drops the statuses with no task, so a hand count and TaskRouter's full map compare.
func openOnly(m map[string]int64) map[string]int64 {
	out := map[string]int64{}
	for k, v := range m {
		if v > 0 {
			out[k] = v
		}
	}
	return out
}

// mirrorAge compares what the statistics mirror read with a fresher read: equal, except that the
// ages of waiting tasks grew since the mirror's read, by at most the time since its oldest
// ObservedAt (plus a second for the stamp's and the ages' whole seconds). Comparing ages exactly
// would ask every poll to land in the same second as the test's own read, which a loaded machine
// does not promise.
func mirrorAge(observed ...trv1.StatisticsWindow) cmp.Option {
	var lag int64
	for _, w := range observed {
		if s := int64(time.Since(w.ObservedAt.Time)/time.Second) + 2; s > lag {
			lag = s
		}
	}
	ages := func(p cmp.Path) bool {
		f, ok := p.Last().(cmp.StructField)
		return ok && (f.Name() == "LongestTaskWaitingAge" || f.Name() == "LongestRelativeTaskAgeInQueue")
	}
	return cmp.Options{
		cmpopts.IgnoreFields(trv1.StatisticsWindow{}, "ObservedAt"),
		cmp.FilterPath(ages, cmp.Comparer(func(a, b int64) bool { return a-b <= lag && b-a <= lag })),
	}
}

// queueStatistics reads one queue's statistics from the workspace's list, as the poller does.
func queueStatistics(ctx context.Context, wc *taskrouter.WorkspaceClient, sid string) (taskrouter.TaskQueueStatistics, error) {
	all, err := wc.ListTaskQueueStatistics(ctx, window(defaultStatisticsMinutes))
	if err != nil {
		return taskrouter.TaskQueueStatistics{}, err
	}
	for _, s := range all {
		if s.TaskQueueSID == sid {
			return s, nil
		}
	}
	return taskrouter.TaskQueueStatistics{}, fmt.Errorf("no statistics for queue %s", sid)
}

func TestStatisticsMirrorTheEmulator(t *testing.T) {
	s := newStatsScenario(t)
	ctx := context.Background()
	acct, err := taskrouter.New(taskrouter.Config{TaskRouterBaseURL: base, EventBridgeBaseURL: base}).Account(taskrouter.Credentials{
		AccountSID: emulator.DevAccountSID, AuthToken: emulator.DevAuthToken}, taskrouter.AuthBasic)
	must(t, err)
	wc := acct.Workspace(s.ws.Status.SID)

	for _, q := range []*trv1.TaskQueue{s.english, s.spanish} {
		eventually(t, "queue "+q.Name+" statistics equal the emulator's", func() (bool, string) {
			must(t, k8s.Get(ctx, keyOf(q), q))
			live, err := queueStatistics(ctx, wc, q.Status.SID)
			if err != nil {
				return false, err.Error()
			}
			if q.Status.Statistics == nil || q.Status.Statistics.Realtime == nil {
				return false, "no statistics"
			}
			if diff := cmp.Diff(taskQueueStatistics(live, defaultStatisticsMinutes, nil), q.Status.Statistics,
				mirrorAge(q.Status.Statistics.StatisticsWindow)); diff != "" {
				return false, diff
			}
			got := openOnly(q.Status.Statistics.Realtime.TasksByStatus)
			if diff := cmp.Diff(emulatorCount(s.ws.Status.SID, q.Status.SID), got); diff != "" {
				return false, "hand count: " + diff
			}
			return true, ""
		})
	}
	// Hand-counted figures: the Spanish queue got two tasks, one canceled; both
	// queues have two eligible agents (bob on break, carol in both).
	figures := map[string][3]int64{"english": {3, 0, 2}, "spanish": {2, 1, 2}}
	for _, q := range []*trv1.TaskQueue{s.english, s.spanish} {
		got := q.Status.Statistics
		want := figures[q.Name]
		if got.Cumulative.TasksEntered != want[0] || got.Cumulative.TasksCanceled != want[1] || got.Realtime.TotalEligibleWorkers != want[2] {
			t.Errorf("%s: entered %d canceled %d eligible %d; want %v", q.Name, got.Cumulative.TasksEntered,
				got.Cumulative.TasksCanceled, got.Realtime.TotalEligibleWorkers, want)
		}
		// The breakdown names only the activities eligible workers are in, and accounts for all of
		// them, while TaskRouter lists every activity of the workspace for every queue.
		var inBreakdown int64
		for _, a := range got.Realtime.ActivityStatistics {
			if a.Workers <= 0 {
				t.Errorf("%s: activityStatistics lists %s with %d workers; want only activities in use", q.Name, a.FriendlyName, a.Workers)
			}
			inBreakdown += a.Workers
		}
		if inBreakdown != got.Realtime.TotalEligibleWorkers {
			t.Errorf("%s: activityStatistics counts %d workers; want the %d eligible", q.Name, inBreakdown, got.Realtime.TotalEligibleWorkers)
		}
		live, err := queueStatistics(ctx, wc, q.Status.SID)
		must(t, err)
		if len(live.RealTime.ActivityStatistics) <= len(got.Realtime.ActivityStatistics) {
			t.Errorf("%s: TaskRouter lists %d activities and the status %d; the scenario has activities nobody is in",
				q.Name, len(live.RealTime.ActivityStatistics), len(got.Realtime.ActivityStatistics))
		}
	}

	eventually(t, "workspace, workflow and worker statistics equal the emulator's", func() (bool, string) {
		must(t, k8s.Get(ctx, keyOf(s.ws), s.ws))
		must(t, k8s.Get(ctx, keyOf(s.route), s.route))
		must(t, k8s.Get(ctx, keyOf(s.alice), s.alice))
		wsLive, err1 := wc.FetchWorkspaceStatistics(ctx, window(defaultStatisticsMinutes))
		wfLive, err2 := wc.FetchWorkflowStatistics(ctx, s.route.Status.SID, window(defaultStatisticsMinutes))
		wkLive, err3 := wc.FetchWorkerStatistics(ctx, s.alice.Status.SID, window(defaultStatisticsMinutes))
		if err1 != nil || err2 != nil || err3 != nil {
			return false, fmt.Sprint(err1, err2, err3)
		}
		if s.ws.Status.Statistics == nil || s.route.Status.Statistics == nil || s.alice.Status.Statistics == nil {
			return false, "no statistics yet"
		}
		diff := cmp.Diff(workspaceStatistics(wsLive, defaultStatisticsMinutes, nil), s.ws.Status.Statistics, mirrorAge(s.ws.Status.Statistics.StatisticsWindow)) +
			cmp.Diff(workflowStatistics(wfLive, defaultStatisticsMinutes), s.route.Status.Statistics, mirrorAge(s.route.Status.Statistics.StatisticsWindow)) +
			cmp.Diff(workerStatistics(wkLive, defaultStatisticsMinutes), s.alice.Status.Statistics, mirrorAge(s.alice.Status.Statistics.StatisticsWindow))
		return diff == "", diff
	})
	if got := s.ws.Status.Statistics.Realtime; got.TotalWorkers != 3 || got.TotalTasks != 5 {
		t.Errorf("workspace: %d workers, %d tasks; want 3 and 5", got.TotalWorkers, got.TotalTasks)
	}
	if diff := cmp.Diff(emulatorCount(s.ws.Status.SID, ""), openOnly(s.ws.Status.Statistics.Realtime.TasksByStatus)); diff != "" {
		t.Errorf("workspace tasks by status differ from the hand count: %s", diff)
	}
	if got := s.route.Status.Statistics.Cumulative; got.TasksEntered != 5 || got.TasksCanceled != 1 {
		t.Errorf("workflow: %d entered, %d canceled; want 5 and 1", got.TasksEntered, got.TasksCanceled)
	}

	t.Run("gauges on /metrics", func(t *testing.T) {
		body := scrape(t)
		q := s.english
		must(t, k8s.Get(ctx, keyOf(q), q))
		pending := q.Status.Statistics.Realtime.TasksByStatus["pending"]
		labels := fmt.Sprintf(`name="english",namespace=%q,sid=%q`, s.ns, q.Status.SID)
		for _, want := range []string{
			fmt.Sprintf(`taskrouter_taskqueue_tasks{%s,status="pending",workspace="ws"} %d`, labels, pending),
			fmt.Sprintf(`taskrouter_taskqueue_eligible_workers{%s,workspace="ws"} 2`, labels),
			fmt.Sprintf(`taskrouter_workspace_workers{name="ws",namespace=%q,sid=%q,workspace="ws"} 3`, s.ns, s.ws.Status.SID),
			fmt.Sprintf(`taskrouter_worker_available{activity="avail",name="alice",namespace=%q,sid=%q,workspace="ws"} 1`, s.ns, s.alice.Status.SID),
			`taskrouter_operator_statistics_refresh_duration_seconds_count{namespace="` + s.ns + `",workspace="ws"}`,
			`taskrouter_operator_requests_total{code="200",endpoint="/v1/Workspaces/{WorkspaceSid}/TaskQueues/Statistics",method="GET"}`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("/metrics lacks %s", want)
			}
		}
		if strings.Contains(body, emulator.DevAuthToken) || strings.Contains(body, emulator.DevAPIKeySecret) {
			t.Error("/metrics contains a credential")
		}
	})

	t.Run("gauges go with the object", func(t *testing.T) {
		must(t, k8s.Delete(ctx, s.alice))
		waitGone(t, s.alice)
		eventually(t, "alice's gauges removed", func() (bool, string) {
			return !strings.Contains(scrape(t), fmt.Sprintf(`name="alice",namespace=%q`, s.ns)), "still exported"
		})
	})
}

// scrape reads the manager's metrics registry as the /metrics endpoint serves it.
func scrape(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(promhttp.HandlerFor(ctrlmetrics.Registry, promhttp.HandlerOpts{}))
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL)
	must(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	must(t, err)
	return string(b)
}

func statisticsCalls(wsSID string) int {
	return emu.CountRequests(func(r emulator.Request) bool {
		return strings.Contains(r.Path, wsSID+"/TaskQueues/Statistics")
	})
}

func TestUnchangedStatisticsAreNotWritten(t *testing.T) {
	ns := newNamespace(t)
	ws := readyWorkspace(t, ns)
	q := taskQueue(ns, "quiet", "1==1")
	q.Spec.Statistics = everySecondSplit()
	must(t, k8s.Create(context.Background(), q))
	waitReady(t, q)
	// Steady state: statistics mirrored and the create bookkeeping of the spec controller finished.
	eventually(t, "first statistics", func() (bool, string) {
		must(t, k8s.Get(context.Background(), keyOf(q), q))
		return q.Status.Statistics != nil && q.Status.CreateAttemptedAt == nil, "not yet"
	})
	version, stamp := q.ResourceVersion, q.Status.Statistics.ObservedAt
	first := q.DeepCopy()
	calls := statisticsCalls(ws.Status.SID)
	eventually(t, "three more refreshes", func() (bool, string) {
		n := statisticsCalls(ws.Status.SID)
		return n >= calls+3, fmt.Sprintf("%d refreshes", n-calls)
	})
	must(t, k8s.Get(context.Background(), keyOf(q), q))
	if q.ResourceVersion != version || !q.Status.Statistics.ObservedAt.Equal(&stamp) {
		t.Fatalf("unchanged figures were written: %s", cmp.Diff(first, q))
	}
	if q.Generation != 1 {
		t.Fatalf("statistics bumped the generation to %d", q.Generation)
	}
}

func TestSpecChangeDuringStatisticsStorm(t *testing.T) {
	ns := newNamespace(t)
	ws := readyWorkspace(t, ns, func(w *trv1.Workspace) { w.Spec.Statistics = everySecondSplit() })
	ctx := context.Background()
	var queues []*trv1.TaskQueue
	for i := 0; i < 8; i++ {
		q := taskQueue(ns, fmt.Sprintf("q%d", i), "1==1")
		q.Spec.Statistics = everySecondSplit()
		must(t, k8s.Create(ctx, q))
		queues = append(queues, q)
	}
	for _, q := range queues {
		waitReady(t, q)
	}
	wf := workflow(ns, "wf", "q0")
	wf.Spec.Statistics = everySecond()
	must(t, k8s.Create(ctx, wf))
	waitReady(t, wf)
	// The storm: tasks keep arriving, so every refresh changes figures and writes status.
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(200 * time.Millisecond):
				_, _ = emu.Admin().CreateTask(ws.Status.SID, url.Values{"WorkflowSid": {wf.Status.SID}, "Attributes": {`{}`}})
			}
		}
	}()
	calls := statisticsCalls(ws.Status.SID)
	eventually(t, "statistics storm under way", func() (bool, string) {
		return statisticsCalls(ws.Status.SID) >= calls+2, "no refresh yet"
	})
	update(t, queues[3], func(q *trv1.TaskQueue) { q.Spec.TargetWorkers = `skills HAS "storm"` })
	eventually(t, "spec change applied during the storm", func() (bool, string) {
		remote, _ := emu.Admin().TaskQueue(ws.Status.SID, queues[3].Status.SID)
		return remote.TargetWorkers == `skills HAS "storm"`, remote.TargetWorkers
	})
	waitReady(t, queues[3])
}
