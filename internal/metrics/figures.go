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
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Figures are the gauges of what the operator mirrors of TaskRouter objects: their statistics, a
// Worker's live activity, a queue's alert threshold. They are made fresh for each scrape from the
// objects' status in the informer cache (the figures collector in the controllers), like
// kube-state-metrics does, rather than kept between scrapes: thousands of queues and workers would
// otherwise hold tens of thousands of series, the largest part of the manager's memory at 10,000
// objects, and a gone object's series would have to be found and deleted.
type Figures struct {
	WorkspaceTasks           *prometheus.GaugeVec
	WorkspaceLongestWait     *prometheus.GaugeVec
	WorkspaceWorkers         *prometheus.GaugeVec
	WorkspaceActivityWorkers *prometheus.GaugeVec
	QueueTasks               *prometheus.GaugeVec
	QueueLongestWait         *prometheus.GaugeVec
	QueueAvailableWorkers    *prometheus.GaugeVec
	QueueEligibleWorkers     *prometheus.GaugeVec
	QueueTasksEntered        *prometheus.GaugeVec
	QueueTasksCanceled       *prometheus.GaugeVec
	QueueTasksCompleted      *prometheus.GaugeVec
	QueueAvgAcceptance       *prometheus.GaugeVec
	// Service levels and per-channel figures of queues and workspaces (spec.statistics
	// splitByWaitTime and taskChannels); channel "" is every channel together.
	QueueServiceLevel            *prometheus.GaugeVec
	QueueWaitTimeSplit           *prometheus.GaugeVec
	QueueChannelTasks            *prometheus.GaugeVec
	QueueChannelLongestWait      *prometheus.GaugeVec
	QueueChannelAvailableWorkers *prometheus.GaugeVec
	WorkspaceServiceLevel        *prometheus.GaugeVec
	WorkspaceWaitTimeSplit       *prometheus.GaugeVec
	WorkspaceChannelTasks        *prometheus.GaugeVec
	WorkspaceChannelLongestWait  *prometheus.GaugeVec
	WorkflowTasks                *prometheus.GaugeVec
	WorkflowLongestWait          *prometheus.GaugeVec
	WorkerAvailable              *prometheus.GaugeVec
	WorkerActivitySeconds        *prometheus.GaugeVec
	// QueueWaitThreshold is a queue's opt-in longest-wait alert threshold.
	QueueWaitThreshold *prometheus.GaugeVec
}

// NewFigures makes an empty set of figures.
func NewFigures() *Figures {
	return &Figures{
		WorkspaceTasks:           gauge("taskrouter_workspace_tasks", "Open tasks in the workspace by status.", "status"),
		WorkspaceLongestWait:     gauge("taskrouter_workspace_longest_task_waiting_age_seconds", "Age of the workspace's oldest pending task."),
		WorkspaceWorkers:         gauge("taskrouter_workspace_workers", "Workers in the workspace."),
		WorkspaceActivityWorkers: gauge("taskrouter_workspace_activity_workers", "Workers of the workspace in each activity.", "activity"),
		QueueTasks:               gauge("taskrouter_taskqueue_tasks", "Open tasks in the queue by status.", "status"),
		QueueLongestWait:         gauge("taskrouter_taskqueue_longest_task_waiting_age_seconds", "Age of the queue's oldest pending task."),
		QueueAvailableWorkers:    gauge("taskrouter_taskqueue_available_workers", "Eligible workers of the queue in an available activity."),
		QueueEligibleWorkers:     gauge("taskrouter_taskqueue_eligible_workers", "Workers matching the queue's targetWorkers."),
		QueueTasksEntered:        gauge("taskrouter_taskqueue_tasks_entered", "Tasks that entered the queue in the statistics window."),
		QueueTasksCanceled:       gauge("taskrouter_taskqueue_tasks_canceled", "Tasks of the queue canceled in the statistics window."),
		QueueTasksCompleted:      gauge("taskrouter_taskqueue_tasks_completed", "Tasks of the queue completed in the statistics window."),
		QueueAvgAcceptance:       gauge("taskrouter_taskqueue_avg_task_acceptance_time_seconds", "Average seconds from task creation to acceptance in the window."),
		QueueServiceLevel: gauge("taskrouter_taskqueue_service_level_percent",
			"Reservations of the queue accepted within the threshold, as a percentage of those accepted plus the tasks canceled after it, over the window.", "threshold", "channel"),
		QueueWaitTimeSplit: gauge("taskrouter_taskqueue_wait_time_split",
			"Reservations accepted and tasks canceled in the queue within or after each wait-time threshold, over the window.", "threshold", "channel", "outcome", "wait"),
		QueueChannelTasks:            gauge("taskrouter_taskqueue_channel_tasks", "Open tasks of one TaskChannel in the queue by status.", "channel", "status"),
		QueueChannelLongestWait:      gauge("taskrouter_taskqueue_channel_longest_task_waiting_age_seconds", "Age of the queue's oldest pending task of one TaskChannel.", "channel"),
		QueueChannelAvailableWorkers: gauge("taskrouter_taskqueue_channel_available_workers", "Eligible workers of the queue with room on one TaskChannel.", "channel"),
		WorkspaceServiceLevel: gauge("taskrouter_workspace_service_level_percent",
			"Reservations of the workspace accepted within the threshold, as a percentage of those accepted plus the tasks canceled after it, over the window.", "threshold", "channel"),
		WorkspaceWaitTimeSplit: gauge("taskrouter_workspace_wait_time_split",
			"Reservations accepted and tasks canceled in the workspace within or after each wait-time threshold, over the window.", "threshold", "channel", "outcome", "wait"),
		WorkspaceChannelTasks:       gauge("taskrouter_workspace_channel_tasks", "Open tasks of one TaskChannel in the workspace by status.", "channel", "status"),
		WorkspaceChannelLongestWait: gauge("taskrouter_workspace_channel_longest_task_waiting_age_seconds", "Age of the workspace's oldest pending task of one TaskChannel.", "channel"),
		WorkflowTasks:               gauge("taskrouter_workflow_tasks", "Open tasks of the workflow by status.", "status"),
		WorkflowLongestWait:         gauge("taskrouter_workflow_longest_task_waiting_age_seconds", "Age of the workflow's oldest pending task."),
		WorkerAvailable:             gauge("taskrouter_worker_available", "1 when the worker can be offered tasks, by its current activity.", "activity"),
		WorkerActivitySeconds:       gauge("taskrouter_worker_activity_seconds", "Seconds the worker spent in each activity over the window.", "activity"),

		QueueWaitThreshold: gauge("taskrouter_taskqueue_longest_task_waiting_age_threshold_seconds",
			"The queue's longest-wait alert threshold, from its "+WaitAlertAnnotation+" annotation; absent when it has none."),
	}
}

func (f *Figures) vecs() []*prometheus.GaugeVec {
	return []*prometheus.GaugeVec{f.WorkspaceTasks, f.WorkspaceLongestWait, f.WorkspaceWorkers, f.WorkspaceActivityWorkers,
		f.QueueTasks, f.QueueLongestWait, f.QueueAvailableWorkers, f.QueueEligibleWorkers, f.QueueTasksEntered,
		f.QueueTasksCanceled, f.QueueTasksCompleted, f.QueueAvgAcceptance, f.QueueWaitThreshold,
		f.QueueServiceLevel, f.QueueWaitTimeSplit, f.QueueChannelTasks, f.QueueChannelLongestWait, f.QueueChannelAvailableWorkers,
		f.WorkspaceServiceLevel, f.WorkspaceWaitTimeSplit, f.WorkspaceChannelTasks, f.WorkspaceChannelLongestWait,
		f.WorkflowTasks, f.WorkflowLongestWait, f.WorkerAvailable, f.WorkerActivitySeconds}
}

// Describe implements prometheus.Collector.
func (f *Figures) Describe(ch chan<- *prometheus.Desc) {
	for _, v := range f.vecs() {
		v.Describe(ch)
	}
}

// Collect implements prometheus.Collector.
func (f *Figures) Collect(ch chan<- prometheus.Metric) {
	for _, v := range f.vecs() {
		v.Collect(ch)
	}
}

// SetQueueWaitThreshold publishes the queue's opt-in longest-wait threshold from its annotations.
// Without the annotation there is no series; with a value that is not a positive duration there is
// none either, and the error names the annotation and the fix, for the caller to report on the
// TaskQueue.
func (f *Figures) SetQueueWaitThreshold(o Object, annotations map[string]string) error {
	d, ok, err := QueueWaitThreshold(annotations)
	if ok {
		f.QueueWaitThreshold.With(o.Labels()).Set(d.Seconds())
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
