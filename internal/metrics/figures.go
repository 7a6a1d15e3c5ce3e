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

package metrics

import (
	"fmt"
	"hash/maphash"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Figures are the gauges of what the operator mirrors of TaskRouter objects: their statistics, a
// Worker's live activity, a queue's alert threshold. They exist only while a scrape runs: the
// collector FiguresCollector returns makes them from the objects' status in the informer cache (see
// the controllers), like kube-state-metrics, and each series goes to the scrape as it is set. Kept
// as gauge series between scrapes, thousands of queues and workers would hold tens of thousands of
// series, the largest part of the manager's memory at 10,000 objects, and a gone object's series
// would have to be found and deleted; made as gauge vectors at each scrape, they would all be held
// at once until the scrape ends.
type Figures struct {
	WorkspaceTasks           *Figure
	WorkspaceLongestWait     *Figure
	WorkspaceWorkers         *Figure
	WorkspaceActivityWorkers *Figure
	QueueTasks               *Figure
	QueueLongestWait         *Figure
	QueueAvailableWorkers    *Figure
	QueueEligibleWorkers     *Figure
	QueueTasksEntered        *Figure
	QueueTasksCanceled       *Figure
	QueueTasksCompleted      *Figure
	QueueAvgAcceptance       *Figure
	// Service levels and per-channel figures of queues and workspaces (spec.statistics
	// splitByWaitTime and taskChannels); channel "" is every channel together.
	QueueServiceLevel            *Figure
	QueueWaitTimeSplit           *Figure
	QueueChannelTasks            *Figure
	QueueChannelLongestWait      *Figure
	QueueChannelAvailableWorkers *Figure
	WorkspaceServiceLevel        *Figure
	WorkspaceWaitTimeSplit       *Figure
	WorkspaceChannelTasks        *Figure
	WorkspaceChannelLongestWait  *Figure
	WorkflowTasks                *Figure
	WorkflowLongestWait          *Figure
	WorkerAvailable              *Figure
	WorkerActivitySeconds        *Figure
	// QueueWaitThreshold is a queue's opt-in longest-wait alert threshold.
	QueueWaitThreshold *Figure
}

// newFigures makes the figures of one scrape, which send their series to out.
func newFigures(out *scrape) *Figures {
	figure := func(name, help string, extra ...string) *Figure {
		labels := append(append([]string{}, objectLabels...), extra...)
		return &Figure{name: name, desc: prometheus.NewDesc(name, help, labels, nil), labels: labels, out: out}
	}
	return &Figures{
		WorkspaceTasks:           figure("taskrouter_workspace_tasks", "Open tasks in the workspace by status.", "status"),
		WorkspaceLongestWait:     figure("taskrouter_workspace_longest_task_waiting_age_seconds", "Age of the workspace's oldest pending task."),
		WorkspaceWorkers:         figure("taskrouter_workspace_workers", "Workers in the workspace."),
		WorkspaceActivityWorkers: figure("taskrouter_workspace_activity_workers", "Workers of the workspace in each activity.", "activity"),
		QueueTasks:               figure("taskrouter_taskqueue_tasks", "Open tasks in the queue by status.", "status"),
		QueueLongestWait:         figure("taskrouter_taskqueue_longest_task_waiting_age_seconds", "Age of the queue's oldest pending task."),
		QueueAvailableWorkers:    figure("taskrouter_taskqueue_available_workers", "Eligible workers of the queue in an available activity."),
		QueueEligibleWorkers:     figure("taskrouter_taskqueue_eligible_workers", "Workers matching the queue's targetWorkers."),
		QueueTasksEntered:        figure("taskrouter_taskqueue_tasks_entered", "Tasks that entered the queue in the statistics window."),
		QueueTasksCanceled:       figure("taskrouter_taskqueue_tasks_canceled", "Tasks of the queue canceled in the statistics window."),
		QueueTasksCompleted:      figure("taskrouter_taskqueue_tasks_completed", "Tasks of the queue completed in the statistics window."),
		QueueAvgAcceptance:       figure("taskrouter_taskqueue_avg_task_acceptance_time_seconds", "Average seconds from task creation to acceptance in the window."),
		QueueServiceLevel: figure("taskrouter_taskqueue_service_level_percent",
			"Reservations of the queue accepted within the threshold, as a percentage of those accepted plus the tasks canceled after it, over the window.", "threshold", "channel"),
		QueueWaitTimeSplit: figure("taskrouter_taskqueue_wait_time_split",
			"Reservations accepted and tasks canceled in the queue within or after each wait-time threshold, over the window.", "threshold", "channel", "outcome", "wait"),
		QueueChannelTasks:            figure("taskrouter_taskqueue_channel_tasks", "Open tasks of one TaskChannel in the queue by status.", "channel", "status"),
		QueueChannelLongestWait:      figure("taskrouter_taskqueue_channel_longest_task_waiting_age_seconds", "Age of the queue's oldest pending task of one TaskChannel.", "channel"),
		QueueChannelAvailableWorkers: figure("taskrouter_taskqueue_channel_available_workers", "Eligible workers of the queue with room on one TaskChannel.", "channel"),
		WorkspaceServiceLevel: figure("taskrouter_workspace_service_level_percent",
			"Reservations of the workspace accepted within the threshold, as a percentage of those accepted plus the tasks canceled after it, over the window.", "threshold", "channel"),
		WorkspaceWaitTimeSplit: figure("taskrouter_workspace_wait_time_split",
			"Reservations accepted and tasks canceled in the workspace within or after each wait-time threshold, over the window.", "threshold", "channel", "outcome", "wait"),
		WorkspaceChannelTasks:       figure("taskrouter_workspace_channel_tasks", "Open tasks of one TaskChannel in the workspace by status.", "channel", "status"),
		WorkspaceChannelLongestWait: figure("taskrouter_workspace_channel_longest_task_waiting_age_seconds", "Age of the workspace's oldest pending task of one TaskChannel.", "channel"),
		WorkflowTasks:               figure("taskrouter_workflow_tasks", "Open tasks of the workflow by status.", "status"),
		WorkflowLongestWait:         figure("taskrouter_workflow_longest_task_waiting_age_seconds", "Age of the workflow's oldest pending task."),
		WorkerAvailable:             figure("taskrouter_worker_available", "1 when the worker can be offered tasks, by its current activity.", "activity"),
		WorkerActivitySeconds:       figure("taskrouter_worker_activity_seconds", "Seconds the worker spent in each activity over the window.", "activity"),

		QueueWaitThreshold: figure("taskrouter_taskqueue_longest_task_waiting_age_threshold_seconds",
			"The queue's longest-wait alert threshold, from its "+WaitAlertAnnotation+" annotation; absent when it has none."),
	}
}

func (f *Figures) all() []*Figure {
	return []*Figure{f.WorkspaceTasks, f.WorkspaceLongestWait, f.WorkspaceWorkers, f.WorkspaceActivityWorkers,
		f.QueueTasks, f.QueueLongestWait, f.QueueAvailableWorkers, f.QueueEligibleWorkers, f.QueueTasksEntered,
		f.QueueTasksCanceled, f.QueueTasksCompleted, f.QueueAvgAcceptance, f.QueueWaitThreshold,
		f.QueueServiceLevel, f.QueueWaitTimeSplit, f.QueueChannelTasks, f.QueueChannelLongestWait, f.QueueChannelAvailableWorkers,
		f.WorkspaceServiceLevel, f.WorkspaceWaitTimeSplit, f.WorkspaceChannelTasks, f.WorkspaceChannelLongestWait,
		f.WorkflowTasks, f.WorkflowLongestWait, f.WorkerAvailable, f.WorkerActivitySeconds}
}

// FiguresCollector is the collector of the figures: at each scrape, publish sets them.
func FiguresCollector(publish func(*Figures)) prometheus.Collector {
	return figuresCollector(publish)
}

type figuresCollector func(*Figures)

// Describe implements prometheus.Collector.
func (c figuresCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, f := range newFigures(nil).all() {
		ch <- f.desc
	}
}

// Collect implements prometheus.Collector.
func (c figuresCollector) Collect(ch chan<- prometheus.Metric) {
	c(newFigures(&scrape{ch: ch, seed: maphash.MakeSeed(), seen: map[uint64]bool{}}))
}

// scrape is where one scrape's series go.
type scrape struct {
	ch   chan<- prometheus.Metric
	seed maphash.Seed
	// seen holds a hash of each series sent: a series set twice in one scrape is sent once (the
	// first value), as a scrape with one series twice would fail whole.
	seen map[uint64]bool
}

// Figure is one mirrored gauge during a scrape.
type Figure struct {
	name   string
	desc   *prometheus.Desc
	labels []string
	out    *scrape
}

// With selects the object's series of the figure, extra being the figure's own labels as name,
// value pairs. It takes the values as they are, with no map of labels: a scrape sets tens of
// thousands of series.
func (f *Figure) With(o Object, extra ...string) Series {
	values := make([]string, len(f.labels))
	copy(values, o.values())
	for i := len(objectLabels); i < len(f.labels); i++ {
		for j := 0; j+1 < len(extra); j += 2 {
			if extra[j] == f.labels[i] {
				values[i] = extra[j+1]
			}
		}
	}
	return Series{figure: f, values: values}
}

// Series is one series of a Figure.
type Series struct {
	figure *Figure
	values []string
}

// Set sends the series with value v to the scrape.
func (s Series) Set(v float64) {
	out := s.figure.out
	if out == nil {
		return
	}
	var h maphash.Hash
	h.SetSeed(out.seed)
	_, _ = h.WriteString(s.figure.name)
	for _, v := range s.values {
		_ = h.WriteByte(0)
		_, _ = h.WriteString(v)
	}
	key := h.Sum64()
	if out.seen[key] {
		return
	}
	out.seen[key] = true
	out.ch <- prometheus.MustNewConstMetric(s.figure.desc, prometheus.GaugeValue, v, s.values...)
}

// SetQueueWaitThreshold publishes the queue's opt-in longest-wait threshold from its annotations.
// Without the annotation there is no series; with a value that is not a positive duration there is
// none either, and the error names the annotation and the fix, for the caller to report on the
// TaskQueue.
func (f *Figures) SetQueueWaitThreshold(o Object, annotations map[string]string) error {
	d, ok, err := QueueWaitThreshold(annotations)
	if ok {
		f.QueueWaitThreshold.With(o).Set(d.Seconds())
	}
	return err
}

// QueueWaitThreshold reads a queue's longest-wait alert threshold from its annotations: ok is false
// when it has none or it is not a positive duration (then err says so).
func QueueWaitThreshold(annotations map[string]string) (time.Duration, bool, error) {
	raw, ok := annotations[WaitAlertAnnotation]
	if !ok {
		return 0, false, nil
	}
	d, err := time.ParseDuration(raw)
	if err != nil || d <= 0 {
		return 0, false, fmt.Errorf("annotation %s=%q: want a positive duration such as 90s or 2m", WaitAlertAnnotation, raw)
	}
	return d, true, nil
}
