package metrics

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/client_golang/prometheus"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
)

// series gathers reg into sorted "name{labels} value" lines of the families starting with prefix.
func series(t *testing.T, reg *prometheus.Registry, prefix string) []string {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range families {
		if !strings.HasPrefix(f.GetName(), prefix) {
			continue
		}
		for _, m := range f.GetMetric() {
			var labels []string
			for _, l := range m.GetLabel() {
				labels = append(labels, l.GetName()+"="+l.GetValue())
			}
			value := m.GetGauge().GetValue() + m.GetCounter().GetValue()
			out = append(out, f.GetName()+"{"+strings.Join(labels, ",")+"} "+strconv.FormatFloat(value, 'f', -1, 64))
		}
	}
	return out
}

func TestQueueGaugesFollowTheStatus(t *testing.T) {
	reg := prometheus.NewRegistry()
	m, err := New(reg)
	if err != nil {
		t.Fatal(err)
	}
	q := Object{Namespace: "cc", Name: "support", SID: "WQ1", Workspace: "ws"}
	stats := &trv1.TaskQueueStatistics{
		Realtime: &trv1.TaskQueueRealtime{
			WaitingTasks:          trv1.WaitingTasks{TasksByStatus: map[string]int64{"pending": 3, "reserved": 1}, LongestTaskWaitingAge: 42},
			TotalAvailableWorkers: 2, TotalEligibleWorkers: 5,
		},
		Cumulative: &trv1.TaskQueueCumulative{TasksEntered: 9, TaskCounts: trv1.TaskCounts{TasksCanceled: 1, TasksCompleted: 4, AvgTaskAcceptanceTime: 7}},
	}
	m.SetTaskQueue(q, stats)
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
	if diff := cmp.Diff(want, series(t, reg, "taskrouter_taskqueue")); diff != "" {
		t.Fatalf("queue gauges (-want +got):\n%s", diff)
	}

	// A status that disappears takes its series with it.
	stats.Realtime.TasksByStatus = map[string]int64{"pending": 0}
	m.SetTaskQueue(q, stats)
	for _, s := range series(t, reg, "taskrouter_taskqueue_tasks{") {
		if strings.Contains(s, "status=reserved") {
			t.Fatalf("stale series %s", s)
		}
	}
	m.Forget(m.QueueVecs(), "cc", "support")
	if got := series(t, reg, "taskrouter_taskqueue"); len(got) != 0 {
		t.Fatalf("after Forget: %v", got)
	}
}

func TestOperatorMetrics(t *testing.T) {
	reg := prometheus.NewRegistry()
	m, err := New(reg)
	if err != nil {
		t.Fatal(err)
	}
	m.ObserveRequest("/v1/Workspaces/{WorkspaceSid}/TaskQueues/Statistics", "GET", 200, time.Millisecond)
	m.ObserveRequest("/v1/Workspaces/{WorkspaceSid}/TaskQueues/Statistics", "GET", 200, time.Millisecond)
	m.ObserveRequest("/v1/Workspaces", "POST", 429, time.Millisecond)
	m.ObserveTokenMinted("TaskQueue")
	m.SetWorkspace(Object{Namespace: "cc", Name: "ws", SID: "WS1", Workspace: "ws"}, &trv1.WorkspaceStatistics{Realtime: &trv1.WorkspaceRealtime{TotalWorkers: 4}})
	m.ForgetWorkspace("cc", "ws")
	want := []string{
		"taskrouter_operator_requests_total{code=200,endpoint=/v1/Workspaces/{WorkspaceSid}/TaskQueues/Statistics,method=GET} 2",
		"taskrouter_operator_requests_total{code=429,endpoint=/v1/Workspaces,method=POST} 1",
		"taskrouter_operator_tokens_minted_total{kind=TaskQueue} 1",
	}
	got := append(series(t, reg, "taskrouter_operator_requests_total"), series(t, reg, "taskrouter_operator_tokens")...)
	got = append(got, series(t, reg, "taskrouter_workspace")...)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("operator metrics (-want +got):\n%s", diff)
	}
	if _, err := New(reg); err == nil {
		t.Fatal("registering twice on one registry succeeded; want an error")
	}
}
