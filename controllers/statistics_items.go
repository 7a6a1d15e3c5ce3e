package controllers

import (
	"time"

	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/internal/metrics"
)

// statsItem is one object whose statistics the poller mirrors: how to ask for
// its figures, how to put them into its status and how to publish them.
type statsItem struct {
	kind string
	obj  object
	spec *trv1.StatisticsSpec
	// optIn items are read only when spec.statistics is set.
	optIn bool
	// minutes is the window of the current refresh.
	minutes int
	// plan adds the item's read to a refresh plan.
	plan func(p *statsPlan, minutes int)
	// mirror copies the item's figures from res into obj's status: found is
	// false when res has none, changed when a figure differs from the status.
	mirror func(res statsResult, minutes int, now time.Time) (found, changed bool)
	// publish sets the item's gauges from its status.
	publish func(m *metrics.Metrics, o metrics.Object)
}

// id names the item within its workspace.
func (i *statsItem) id() string { return i.kind + "/" + i.obj.GetName() }

func workspaceItem(ws *trv1.Workspace) *statsItem {
	return &statsItem{kind: "Workspace", obj: ws, spec: ws.Spec.Statistics,
		plan: func(p *statsPlan, minutes int) { p.workspaceMinutes = minutes },
		mirror: func(res statsResult, minutes int, now time.Time) (bool, bool) {
			if res.workspace == nil {
				return false, false
			}
			next := mirrorWorkspaceStatistics(res.workspace, minutes)
			return true, replaceStatistics(&ws.Status.Statistics, next, windowOf[trv1.WorkspaceStatistics], now)
		},
		publish: func(m *metrics.Metrics, o metrics.Object) { m.SetWorkspace(o, ws.Status.Statistics) },
	}
}

func taskQueueItem(q *trv1.TaskQueue) *statsItem {
	return &statsItem{kind: "TaskQueue", obj: q, spec: q.Spec.Statistics,
		plan: func(p *statsPlan, minutes int) { p.queues[minutes] = append(p.queues[minutes], q.Status.SID) },
		mirror: func(res statsResult, minutes int, now time.Time) (bool, bool) {
			s, ok := res.queues[q.Status.SID]
			if !ok {
				return false, false
			}
			next := mirrorTaskQueueStatistics(s, minutes)
			return true, replaceStatistics(&q.Status.Statistics, next, windowOf[trv1.TaskQueueStatistics], now)
		},
		publish: func(m *metrics.Metrics, o metrics.Object) { m.SetTaskQueue(o, q.Status.Statistics) },
	}
}

func workflowItem(wf *trv1.Workflow) *statsItem {
	return &statsItem{kind: "Workflow", obj: wf, spec: wf.Spec.Statistics,
		plan: func(p *statsPlan, minutes int) { p.workflows[wf.Status.SID] = minutes },
		mirror: func(res statsResult, minutes int, now time.Time) (bool, bool) {
			s, ok := res.workflows[wf.Status.SID]
			if !ok {
				return false, false
			}
			next := mirrorWorkflowStatistics(s, minutes)
			return true, replaceStatistics(&wf.Status.Statistics, next, windowOf[trv1.WorkflowStatistics], now)
		},
		publish: func(m *metrics.Metrics, o metrics.Object) { m.SetWorkflow(o, wf.Status.Statistics) },
	}
}

func workerItem(w *trv1.Worker) *statsItem {
	return &statsItem{kind: "Worker", obj: w, spec: w.Spec.Statistics, optIn: true,
		plan: func(p *statsPlan, minutes int) { p.workers[w.Status.SID] = minutes },
		mirror: func(res statsResult, minutes int, now time.Time) (bool, bool) {
			s, ok := res.workers[w.Status.SID]
			if !ok {
				return false, false
			}
			next := mirrorWorkerStatistics(s, minutes)
			return true, replaceStatistics(&w.Status.Statistics, next, windowOf[trv1.WorkerStatistics], now)
		},
		publish: func(m *metrics.Metrics, o metrics.Object) { m.SetWorker(o, w.Status.Statistics) },
	}
}

// windowed are the statistics types; each embeds a StatisticsWindow.
type windowed interface {
	trv1.WorkspaceStatistics | trv1.TaskQueueStatistics | trv1.WorkflowStatistics | trv1.WorkerStatistics
}

func windowOf[S windowed](s *S) *trv1.StatisticsWindow {
	switch v := any(s).(type) {
	case *trv1.WorkspaceStatistics:
		return &v.StatisticsWindow
	case *trv1.TaskQueueStatistics:
		return &v.StatisticsWindow
	case *trv1.WorkflowStatistics:
		return &v.StatisticsWindow
	case *trv1.WorkerStatistics:
		return &v.StatisticsWindow
	}
	return &trv1.StatisticsWindow{}
}

// replaceStatistics puts next into *cur when a figure differs, ignoring
// observedAt, and stamps it with now: observedAt is when these figures were
// first seen, so an unchanged refresh leaves the status (and the API server) alone.
func replaceStatistics[S windowed](cur **S, next *S, window func(*S) *trv1.StatisticsWindow, now time.Time) bool {
	if *cur != nil {
		old := **cur
		window(&old).ObservedAt = metav1.Time{}
		if equality.Semantic.DeepEqual(&old, next) {
			return false
		}
	}
	window(next).ObservedAt = metav1.NewTime(now.Truncate(time.Second))
	*cur = next
	return true
}
