package metrics

import (
	"github.com/prometheus/client_golang/prometheus"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
)

// The setters below publish exactly the figures mirrored into status, so a
// dashboard and `kubectl get` never disagree.

// SetWorkspace publishes a Workspace's mirrored statistics.
func (m *Metrics) SetWorkspace(o Object, s *trv1.WorkspaceStatistics) {
	if s == nil || s.Realtime == nil {
		return
	}
	setTasks(m.WorkspaceTasks, o, s.Realtime.TasksByStatus)
	m.WorkspaceLongestWait.With(o.labels()).Set(float64(s.Realtime.LongestTaskWaitingAge))
	m.WorkspaceWorkers.With(o.labels()).Set(float64(s.Realtime.TotalWorkers))
	m.WorkspaceActivityWorkers.DeletePartialMatch(o.labels())
	for _, a := range s.Realtime.ActivityStatistics {
		m.WorkspaceActivityWorkers.With(o.labels("activity", a.FriendlyName)).Set(float64(a.Workers))
	}
}

// SetTaskQueue publishes a TaskQueue's mirrored statistics.
func (m *Metrics) SetTaskQueue(o Object, s *trv1.TaskQueueStatistics) {
	if s == nil {
		return
	}
	if r := s.Realtime; r != nil {
		setTasks(m.QueueTasks, o, r.TasksByStatus)
		m.QueueLongestWait.With(o.labels()).Set(float64(r.LongestTaskWaitingAge))
		m.QueueAvailableWorkers.With(o.labels()).Set(float64(r.TotalAvailableWorkers))
		m.QueueEligibleWorkers.With(o.labels()).Set(float64(r.TotalEligibleWorkers))
	}
	if c := s.Cumulative; c != nil {
		m.QueueTasksEntered.With(o.labels()).Set(float64(c.TasksEntered))
		m.QueueTasksCanceled.With(o.labels()).Set(float64(c.TasksCanceled))
		m.QueueTasksCompleted.With(o.labels()).Set(float64(c.TasksCompleted))
		m.QueueAvgAcceptance.With(o.labels()).Set(float64(c.AvgTaskAcceptanceTime))
	}
}

// SetWorkflow publishes a Workflow's mirrored statistics.
func (m *Metrics) SetWorkflow(o Object, s *trv1.WorkflowStatistics) {
	if s == nil || s.Realtime == nil {
		return
	}
	setTasks(m.WorkflowTasks, o, s.Realtime.TasksByStatus)
	m.WorkflowLongestWait.With(o.labels()).Set(float64(s.Realtime.LongestTaskWaitingAge))
}

// SetWorkerActivity publishes a Worker's live activity and availability (from its
// status, which the Worker controller keeps); it costs no TaskRouter call.
func (m *Metrics) SetWorkerActivity(o Object, activity string, available bool) {
	m.WorkerAvailable.DeletePartialMatch(o.labels())
	v := 0.0
	if available {
		v = 1
	}
	m.WorkerAvailable.With(o.labels("activity", activity)).Set(v)
}

// SetWorker publishes a Worker's opt-in cumulative statistics.
func (m *Metrics) SetWorker(o Object, s *trv1.WorkerStatistics) {
	if s == nil || s.Cumulative == nil {
		return
	}
	m.WorkerActivitySeconds.DeletePartialMatch(o.labels())
	for _, d := range s.Cumulative.ActivityDurations {
		m.WorkerActivitySeconds.With(o.labels("activity", d.FriendlyName)).Set(float64(d.TotalSeconds))
	}
}

// setTasks sets one gauge per task status, removing statuses that disappeared.
func setTasks(v *prometheus.GaugeVec, o Object, byStatus map[string]int64) {
	v.DeletePartialMatch(o.labels())
	for status, n := range byStatus {
		v.With(o.labels("status", status)).Set(float64(n))
	}
}
