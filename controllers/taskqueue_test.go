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
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/client_golang/prometheus"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/internal/metrics"
	"github.com/taskrouter-operator/taskrouter-operator/internal/metrics/metricstest"
)

func TestQueueGaugesFollowTheStatus(t *testing.T) {
	// Figures are made fresh at each scrape: publish into a new set, as the collector does.
	scrape := func(q *trv1.TaskQueue, o metrics.Object) *prometheus.Registry {
		reg := prometheus.NewRegistry()
		reg.MustRegister(metrics.FiguresCollector(func(f *metrics.Figures) { taskQueueAdapter{}.publishStatistics(f, q, o) }))
		return reg
	}
	o := metrics.Object{Namespace: "cc", Name: "support", SID: "WQ1", Workspace: "ws"}
	q := &trv1.TaskQueue{Status: trv1.TaskQueueStatus{Statistics: &trv1.TaskQueueStatistics{
		Realtime: &trv1.TaskQueueRealtime{
			WaitingTasks:          trv1.WaitingTasks{TasksByStatus: map[string]int64{"pending": 3, "reserved": 1}, LongestTaskWaitingAge: 42},
			TotalAvailableWorkers: 2, TotalEligibleWorkers: 5,
		},
		Cumulative: &trv1.TaskQueueCumulative{TasksEntered: 9, TaskCounts: trv1.TaskCounts{TasksCanceled: 1, TasksCompleted: 4, AvgTaskAcceptanceTime: 7}},
	}}}
	labels := "name=support,namespace=cc,sid=WQ1"
	want := []string{
		"taskrouter_taskqueue_available_workers{" + labels + ",workspace=ws} 2",
		"taskrouter_taskqueue_avg_task_acceptance_time_seconds{" + labels + ",workspace=ws} 7",
		"taskrouter_taskqueue_eligible_workers{" + labels + ",workspace=ws} 5",
		"taskrouter_taskqueue_longest_task_waiting_age_seconds{" + labels + ",workspace=ws} 42",
		"taskrouter_taskqueue_tasks{" + labels + ",status=pending,workspace=ws} 3",
		"taskrouter_taskqueue_tasks{" + labels + ",status=reserved,workspace=ws} 1",
		"taskrouter_taskqueue_tasks_canceled{" + labels + ",workspace=ws} 1",
		"taskrouter_taskqueue_tasks_completed{" + labels + ",workspace=ws} 4",
		"taskrouter_taskqueue_tasks_entered{" + labels + ",workspace=ws} 9",
	}
	if diff := cmp.Diff(want, metricstest.Series(t, scrape(q, o), "taskrouter_taskqueue")); diff != "" {
		t.Fatalf("queue gauges (-want +got):\n%s", diff)
	}

	// A status that disappears takes its series with it.
	q.Status.Statistics.Realtime.TasksByStatus = map[string]int64{"pending": 0}
	for _, s := range metricstest.Series(t, scrape(q, o), "taskrouter_taskqueue_tasks{") {
		if strings.Contains(s, "status=reserved") {
			t.Fatalf("stale series %s", s)
		}
	}
	// An alert threshold that is not a duration publishes nothing and is reported.
	q.Annotations = map[string]string{metrics.WaitAlertAnnotation: "soon"}
	if got := metricstest.Series(t, scrape(q, o), "taskrouter_taskqueue_longest_task_waiting_age_threshold"); len(got) != 0 {
		t.Fatalf("threshold series %v from an unusable annotation", got)
	}
	if err := (taskQueueAdapter{}).figureSettingsError(q); err == nil || !strings.Contains(err.Error(), metrics.WaitAlertAnnotation) {
		t.Fatalf("figureSettingsError = %v, want one naming %s", err, metrics.WaitAlertAnnotation)
	}
}
