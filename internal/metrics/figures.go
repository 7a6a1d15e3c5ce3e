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
	"slices"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
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
	figure := func(name, help string, extra ...string) *Figure { return newFigure(name, help, out, extra...) }
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
	c(newFigures(&scrape{ch: ch, seed: maphash.MakeSeed(), seen: map[uint64]bool{}, pairs: map[labelPair]*dto.LabelPair{}}))
}

// scrape is where one scrape's series go.
type scrape struct {
	ch   chan<- prometheus.Metric
	seed maphash.Seed
	// seen holds a hash of each series sent: a series set twice in one scrape is sent once (the
	// first value), as a scrape with one series twice would fail whole.
	seen map[uint64]bool
	// The registry holds every series of a scrape at once until it is written out, so each one
	// should be small. Their label pairs are shared: the figures of one object are set one after
	// the other and share its four pairs (object, objectPairs), and a figure's own labels (status,
	// activity, channel, threshold) take few values (pairs). A series then costs a slice of
	// pointers and its value instead of a copy of every label: a third of the memory at 35,000
	// series.
	object      Object
	objectPairs [4]*dto.LabelPair
	pairs       map[labelPair]*dto.LabelPair
}

type labelPair struct{ name, value string }

// labelPairs returns the series' label pairs in the order of the figure's sorted label names,
// shared with the other series of the scrape where they are equal, and the series' hash.
func (out *scrape) labelPairs(f *Figure, o Object, extra []string) ([]*dto.LabelPair, uint64) {
	if o != out.object || out.objectPairs[0] == nil {
		out.object = o
		for i, name := range objectLabels {
			if name == "namespace" || name == "workspace" {
				// Few values across all objects.
				out.objectPairs[i] = out.pair(name, o.value(i))
			} else {
				out.objectPairs[i] = newLabelPair(name, o.value(i))
			}
		}
	}
	var h maphash.Hash
	h.SetSeed(out.seed)
	_, _ = h.WriteString(f.name)
	pairs := make([]*dto.LabelPair, len(f.sorted))
	for i, l := range f.sorted {
		if l.object >= 0 {
			pairs[i] = out.objectPairs[l.object]
		} else {
			pairs[i] = out.pair(l.name, extraValue(l.name, extra))
		}
		_ = h.WriteByte(0)
		_, _ = h.WriteString(pairs[i].GetValue())
	}
	return pairs, h.Sum64()
}

func (out *scrape) pair(name, value string) *dto.LabelPair {
	k := labelPair{name, value}
	p, ok := out.pairs[k]
	if !ok {
		p = newLabelPair(name, value)
		out.pairs[k] = p
	}
	return p
}

func newLabelPair(name, value string) *dto.LabelPair {
	return &dto.LabelPair{Name: &name, Value: &value}
}

// extraValue is the value of the label name among a figure's own name, value pairs; "" when not
// given, as a gauge vector has it.
func extraValue(name string, extra []string) string {
	v := ""
	for j := 0; j+1 < len(extra); j += 2 {
		if extra[j] == name {
			v = extra[j+1]
		}
	}
	return v
}

// Figure is one mirrored gauge during a scrape.
type Figure struct {
	name string
	desc *prometheus.Desc
	// labels are the figure's label names as its description declares them: the object's, then
	// its own.
	labels []string
	// sorted are the figure's labels by name, the order the exposition wants them in.
	sorted []figureLabel
	out    *scrape
}

// figureLabel is one label of a figure: one of the object's (object is its index in
// objectLabels) or one of the figure's own (object is -1).
type figureLabel struct {
	name   string
	object int
}

func newFigure(name, help string, out *scrape, extra ...string) *Figure {
	labels := append(append([]string{}, objectLabels...), extra...)
	sorted := make([]figureLabel, len(labels))
	for i, l := range labels {
		sorted[i] = figureLabel{name: l, object: -1}
		if i < len(objectLabels) {
			sorted[i].object = i
		}
	}
	slices.SortFunc(sorted, func(a, b figureLabel) int { return strings.Compare(a.name, b.name) })
	return &Figure{name: name, desc: prometheus.NewDesc(name, help, labels, nil), labels: labels, sorted: sorted, out: out}
}

// With selects the object's series of the figure, extra being the figure's own labels as name,
// value pairs.
func (f *Figure) With(o Object, extra ...string) Series {
	return Series{figure: f, object: o, extra: extra}
}

// Series is one series of a Figure.
type Series struct {
	figure *Figure
	object Object
	extra  []string
}

// Set sends the series with value v to the scrape.
func (s Series) Set(v float64) {
	out := s.figure.out
	if out == nil {
		return
	}
	pairs, key := out.labelPairs(s.figure, s.object, s.extra)
	if out.seen[key] {
		return
	}
	out.seen[key] = true
	out.ch <- &figureMetric{desc: s.figure.desc, labels: pairs, value: v}
}

// figureMetric is one series as the registry gathers it: a gauge whose label pairs are already
// sorted and may be shared with other series of the scrape (the registry only reads them).
type figureMetric struct {
	desc   *prometheus.Desc
	labels []*dto.LabelPair
	value  float64
}

// Desc implements prometheus.Metric.
func (m *figureMetric) Desc() *prometheus.Desc { return m.desc }

// Write implements prometheus.Metric.
func (m *figureMetric) Write(out *dto.Metric) error {
	out.Label = m.labels
	out.Gauge = &dto.Gauge{Value: &m.value}
	return nil
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
