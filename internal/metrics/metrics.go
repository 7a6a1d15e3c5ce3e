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

// Package metrics holds the operator's Prometheus metrics: the TaskRouter
// statistics it mirrors (one gauge family per figure, labelled namespace, name,
// sid, workspace; which figure goes to which gauge is each kind's own business,
// in its adapter) and its own health (TaskRouter requests, rate-limit waits,
// tokens minted, statistics refresh duration). No label ever holds a credential:
// labels are Kubernetes names, TaskRouter sids, route templates and status codes.
package metrics

import (
	"fmt"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Object labels every mirrored figure carries.
var objectLabels = []string{"namespace", "name", "sid", "workspace"}

// Object identifies the resource a mirrored figure belongs to. Workspace is
// the name of the Workspace resource (in Namespace) the object belongs to.
type Object struct {
	Namespace string
	Name      string
	SID       string
	Workspace string
}

// Labels are the object's labels plus extra name/value pairs, for setting one of its gauges.
func (o Object) Labels(extra ...string) prometheus.Labels {
	l := prometheus.Labels{"namespace": o.Namespace, "name": o.Name, "sid": o.SID, "workspace": o.Workspace}
	for i := 0; i+1 < len(extra); i += 2 {
		l[extra[i]] = extra[i+1]
	}
	return l
}

// Metrics is every collector the operator registers; create it once per registry.
type Metrics struct {
	// Mirrored statistics.
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

	// The operator's own.
	Requests         *prometheus.CounterVec
	RequestDuration  *prometheus.HistogramVec
	RateLimitWait    prometheus.Histogram
	TokensMinted     *prometheus.CounterVec
	TokenSecrets     *prometheus.CounterVec
	RefreshDuration  *prometheus.HistogramVec
	RefreshErrors    *prometheus.CounterVec
	StatisticsWrites *prometheus.CounterVec

	// What the alerts read (alerting.go).
	alerting
}

func gauge(name, help string, extra ...string) *prometheus.GaugeVec {
	return prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: name, Help: help}, append(append([]string{}, objectLabels...), extra...))
}

// New creates the collectors and registers them on reg (controller-runtime's
// metrics.Registry in the manager), so they appear on the manager's /metrics.
func New(reg prometheus.Registerer) (*Metrics, error) {
	m := &Metrics{
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

		Requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "taskrouter_operator_requests_total",
			Help: "TaskRouter HTTP attempts by route template, method and status code (0: no response)."}, []string{"endpoint", "method", "code"}),
		RequestDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "taskrouter_operator_request_duration_seconds",
			Help: "TaskRouter HTTP attempt latency.", Buckets: prometheus.DefBuckets}, []string{"endpoint", "method"}),
		RateLimitWait: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "taskrouter_operator_rate_limit_wait_seconds",
			Help: "Time calls waited for the per-account rate limiter.", Buckets: []float64{.001, .01, .05, .1, .25, .5, 1, 2.5, 5, 10}}),
		TokensMinted: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "taskrouter_operator_tokens_minted_total",
			Help: "Capability tokens minted for the operator's own calls, by channel kind."}, []string{"kind"}),
		TokenSecrets: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "taskrouter_operator_token_secrets_written_total",
			Help: "Front-end token Secrets written (created or renewed), by owner kind."}, []string{"kind"}),
		RefreshDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "taskrouter_operator_statistics_refresh_duration_seconds",
			Help: "Duration of one workspace's statistics refresh.", Buckets: prometheus.DefBuckets}, []string{"namespace", "workspace"}),
		RefreshErrors: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "taskrouter_operator_statistics_refresh_errors_total",
			Help: "Statistics refreshes that failed, by workspace."}, []string{"namespace", "workspace"}),
		StatisticsWrites: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "taskrouter_operator_statistics_status_writes_total",
			Help: "Status writes of changed statistics, by kind."}, []string{"kind"}),
		alerting: newAlerting(),
	}
	for _, c := range m.collectors() {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("register operator metrics: %w", err)
		}
	}
	return m, nil
}

func (m *Metrics) collectors() []prometheus.Collector {
	return append(append(m.figureVecs(), m.Requests, m.RequestDuration, m.RateLimitWait, m.TokensMinted, m.TokenSecrets,
		m.RefreshDuration, m.RefreshErrors, m.StatisticsWrites), m.alerting.collectors()...)
}

// figureVecs are the gauges of mirrored figures, the ones Forget clears.
func (m *Metrics) figureVecs() []prometheus.Collector {
	return []prometheus.Collector{m.WorkspaceTasks, m.WorkspaceLongestWait, m.WorkspaceWorkers, m.WorkspaceActivityWorkers,
		m.QueueTasks, m.QueueLongestWait, m.QueueAvailableWorkers, m.QueueEligibleWorkers, m.QueueTasksEntered,
		m.QueueTasksCanceled, m.QueueTasksCompleted, m.QueueAvgAcceptance, m.QueueWaitThreshold,
		m.QueueServiceLevel, m.QueueWaitTimeSplit, m.QueueChannelTasks, m.QueueChannelLongestWait, m.QueueChannelAvailableWorkers,
		m.WorkspaceServiceLevel, m.WorkspaceWaitTimeSplit, m.WorkspaceChannelTasks, m.WorkspaceChannelLongestWait,
		m.WorkflowTasks, m.WorkflowLongestWait, m.WorkerAvailable, m.WorkerActivitySeconds}
}

// ObserveRequest implements taskrouter.Metrics.
func (m *Metrics) ObserveRequest(endpoint, method string, code int, d time.Duration) {
	m.Requests.WithLabelValues(endpoint, method, strconv.Itoa(code)).Inc()
	m.RequestDuration.WithLabelValues(endpoint, method).Observe(d.Seconds())
}

// ObserveRateLimitWait implements taskrouter.Metrics.
func (m *Metrics) ObserveRateLimitWait(d time.Duration) { m.RateLimitWait.Observe(d.Seconds()) }

// ObserveTokenMinted implements taskrouter.Metrics.
func (m *Metrics) ObserveTokenMinted(channelKind string) {
	m.TokensMinted.WithLabelValues(channelKind).Inc()
}

// ObserveRefresh records one workspace's statistics refresh, and when it
// succeeded the time of that success (the StatisticsStale alert reads it).
func (m *Metrics) ObserveRefresh(namespace, workspace string, d time.Duration, err error) {
	m.RefreshDuration.WithLabelValues(namespace, workspace).Observe(d.Seconds())
	if err != nil {
		m.RefreshErrors.WithLabelValues(namespace, workspace).Inc()
		return
	}
	m.RefreshSucceeded.WithLabelValues(namespace, workspace).SetToCurrentTime()
}

// Forget deletes every mirrored figure of the object (namespace, name) of one
// kind's gauges, when the object goes away or stops polling.
func (m *Metrics) Forget(vecs []*prometheus.GaugeVec, namespace, name string) {
	for _, v := range vecs {
		v.DeletePartialMatch(prometheus.Labels{"namespace": namespace, "name": name})
	}
}

// ForgetWorkspace deletes every mirrored figure of every object of a workspace.
func (m *Metrics) ForgetWorkspace(namespace, workspace string) {
	for _, c := range m.figureVecs() {
		c.(*prometheus.GaugeVec).DeletePartialMatch(prometheus.Labels{"namespace": namespace, "workspace": workspace})
	}
	m.RefreshDuration.DeletePartialMatch(prometheus.Labels{"namespace": namespace, "workspace": workspace})
	m.RefreshErrors.DeletePartialMatch(prometheus.Labels{"namespace": namespace, "workspace": workspace})
	m.RefreshSucceeded.DeletePartialMatch(prometheus.Labels{"namespace": namespace, "workspace": workspace})
}

// SetByStatus sets one series of v per task status, removing the statuses that disappeared, so a
// status that empties out does not linger at its last value.
func SetByStatus(v *prometheus.GaugeVec, o Object, byStatus map[string]int64) {
	v.DeletePartialMatch(o.Labels())
	for status, n := range byStatus {
		v.With(o.Labels("status", status)).Set(float64(n))
	}
}
