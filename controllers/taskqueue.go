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
	"time"

	"github.com/prometheus/client_golang/prometheus"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/internal/capability"
	"github.com/taskrouter-operator/taskrouter-operator/internal/expression"
	"github.com/taskrouter-operator/taskrouter-operator/internal/metrics"
	"github.com/taskrouter-operator/taskrouter-operator/internal/taskrouter"
)

// +kubebuilder:rbac:groups=taskrouter.operator.dev,resources=taskqueues,verbs=get;list;watch;update;patch
// +kubebuilder:rbac:groups=taskrouter.operator.dev,resources=taskqueues/status,verbs=get;update;patch
// +kubebuilder:rbac:groups=taskrouter.operator.dev,resources=taskqueues/finalizers,verbs=update

// taskQueueAdapter maps a TaskQueue resource to a TaskRouter TaskQueue. Its activity references
// resolve to SIDs; fields the spec leaves unset are left as TaskRouter has them. It mirrors the
// queue's statistics (waiting tasks, longest wait, available and eligible workers) and keeps its
// front-end token Secret.
type taskQueueAdapter struct{}

func (taskQueueAdapter) kind() string               { return "TaskQueue" }
func (taskQueueAdapter) newObject() *trv1.TaskQueue { return &trv1.TaskQueue{} }
func (taskQueueAdapter) newList() client.ObjectList { return &trv1.TaskQueueList{} }

func (taskQueueAdapter) references(q *trv1.TaskQueue) []reference {
	refs := []reference{{kind: "Workspace", name: q.Spec.WorkspaceRef.Name}}
	for _, r := range []*trv1.LocalObjectReference{q.Spec.ReservationActivityRef, q.Spec.AssignmentActivityRef} {
		if r != nil {
			refs = append(refs, reference{kind: "Activity", name: r.Name})
		}
	}
	return refs
}

func (taskQueueAdapter) collection(c connection) remoteCollection[taskrouter.TaskQueue, taskrouter.TaskQueueParams] {
	return c.objects.TaskQueues()
}

func (taskQueueAdapter) identify(r taskrouter.TaskQueue) identity {
	return identity{sid: r.SID, name: r.FriendlyName}
}

func (taskQueueAdapter) adoptionName(q *trv1.TaskQueue) string { return q.RemoteSpec().FriendlyName }

// validate reports a targetWorkers syntax error with its position before TaskRouter sees it.
func (taskQueueAdapter) validate(q *trv1.TaskQueue) error {
	if q.Spec.TargetWorkers == "" {
		return nil
	}
	if _, err := expression.Parse(q.Spec.TargetWorkers); err != nil {
		return stall(reasonInvalidSpec, "spec.targetWorkers: %v", err)
	}
	return nil
}

func (taskQueueAdapter) render(ctx context.Context, refs *resolver, _ connection, q *trv1.TaskQueue) (desired[taskrouter.TaskQueue, taskrouter.TaskQueueParams], error) {
	d := taskQueueDesired{want: taskrouter.TaskQueueParams{FriendlyName: taskrouter.Ptr(q.RemoteSpec().FriendlyName)}}
	if q.Spec.TargetWorkers != "" {
		d.want.TargetWorkers = &q.Spec.TargetWorkers
	}
	if q.Spec.MaxReservedWorkers != nil {
		d.want.MaxReservedWorkers = taskrouter.Ptr(int(*q.Spec.MaxReservedWorkers))
	}
	if q.Spec.TaskOrder != "" {
		d.want.TaskOrder = &q.Spec.TaskOrder
	}
	for _, ref := range []struct {
		ref   *trv1.LocalObjectReference
		field string
		dst   **string
	}{
		{q.Spec.ReservationActivityRef, "spec.reservationActivityRef", &d.want.ReservationActivitySID},
		{q.Spec.AssignmentActivityRef, "spec.assignmentActivityRef", &d.want.AssignmentActivitySID},
	} {
		sid, err := refs.activitySID(ctx, q, ref.ref, ref.field)
		if err != nil {
			return nil, err
		}
		if sid != "" {
			*ref.dst = &sid
		}
	}
	return d, nil
}

func (taskQueueAdapter) mirror(q *trv1.TaskQueue, r taskrouter.TaskQueue) {
	q.Status.ReservationActivitySID = r.ReservationActivitySID
	q.Status.AssignmentActivitySID = r.AssignmentActivitySID
}

// taskQueueDesired is a TaskQueue's rendered spec.
type taskQueueDesired struct {
	want taskrouter.TaskQueueParams
}

func (d taskQueueDesired) create() taskrouter.TaskQueueParams { return d.want }

func (d taskQueueDesired) diff(r taskrouter.TaskQueue) change[taskrouter.TaskQueueParams] {
	var c change[taskrouter.TaskQueueParams]
	differs := func(field string, want *string, have string, dst **string) {
		c.fields = sendIfDiffers(c.fields, field, want, have, dst)
	}
	differs("friendlyName", d.want.FriendlyName, r.FriendlyName, &c.update.FriendlyName)
	differs("targetWorkers", d.want.TargetWorkers, r.TargetWorkers, &c.update.TargetWorkers)
	differs("taskOrder", d.want.TaskOrder, r.TaskOrder, &c.update.TaskOrder)
	differs("reservationActivityRef", d.want.ReservationActivitySID, r.ReservationActivitySID, &c.update.ReservationActivitySID)
	differs("assignmentActivityRef", d.want.AssignmentActivitySID, r.AssignmentActivitySID, &c.update.AssignmentActivitySID)
	if d.want.MaxReservedWorkers != nil && *d.want.MaxReservedWorkers != r.MaxReservedWorkers {
		c.fields, c.update.MaxReservedWorkers = append(c.fields, "maxReservedWorkers"), d.want.MaxReservedWorkers
	}
	return c
}

// Statistics: every queue of a window comes from the one paged TaskQueues/Statistics list.

func (taskQueueAdapter) statisticsSpec(q *trv1.TaskQueue) *trv1.StatisticsSpec {
	if q.Spec.Statistics == nil {
		return nil
	}
	return &q.Spec.Statistics.StatisticsSpec
}

func (taskQueueAdapter) planStatistics(q *trv1.TaskQueue, p *statsPlan, minutes int) {
	p.queues[minutes] = append(p.queues[minutes], q.Status.SID)
}

func (taskQueueAdapter) mirrorStatistics(q *trv1.TaskQueue, res statsResult, minutes int, now time.Time) (bool, bool) {
	s, ok := res.queues[q.Status.SID]
	if !ok {
		return false, false
	}
	return true, replaceStatistics(&q.Status.Statistics, taskQueueStatistics(s, minutes), now)
}

// taskQueueStatistics turns TaskRouter's queue statistics into the status type.
func taskQueueStatistics(s taskrouter.TaskQueueStatistics, minutes int) *trv1.TaskQueueStatistics {
	r, c := s.RealTime, s.Cumulative
	return &trv1.TaskQueueStatistics{
		StatisticsWindow: trv1.StatisticsWindow{Minutes: int32(minutes)},
		Realtime: &trv1.TaskQueueRealtime{
			WaitingTasks:                  waitingTasks(r.TotalTasks, r.TasksByStatus, r.LongestTaskWaitingAge, r.LongestTaskWaitingSID),
			LongestRelativeTaskAgeInQueue: int64(r.LongestRelativeTaskAgeInQueue),
			TotalAvailableWorkers:         int64(r.TotalAvailableWorkers),
			TotalEligibleWorkers:          int64(r.TotalEligibleWorkers),
			ActivityStatistics:            activityCounts(r.ActivityStatistics),
		},
		Cumulative: &trv1.TaskQueueCumulative{
			TasksEntered:      int64(c.TasksEntered),
			TaskCounts:        taskCounts(c.TasksCompleted, c.TasksCanceled, c.TasksDeleted, c.TasksMoved, c.AvgTaskAcceptanceTime),
			ReservationCounts: reservationCounts(c.ReservationCounts),
		},
	}
}

func (taskQueueAdapter) publishStatistics(m *metrics.Metrics, q *trv1.TaskQueue, o metrics.Object) {
	s := q.Status.Statistics
	if s == nil {
		return
	}
	if r := s.Realtime; r != nil {
		metrics.SetByStatus(m.QueueTasks, o, r.TasksByStatus)
		m.QueueLongestWait.With(o.Labels()).Set(float64(r.LongestTaskWaitingAge))
		m.QueueAvailableWorkers.With(o.Labels()).Set(float64(r.TotalAvailableWorkers))
		m.QueueEligibleWorkers.With(o.Labels()).Set(float64(r.TotalEligibleWorkers))
	}
	if c := s.Cumulative; c != nil {
		m.QueueTasksEntered.With(o.Labels()).Set(float64(c.TasksEntered))
		m.QueueTasksCanceled.With(o.Labels()).Set(float64(c.TasksCanceled))
		m.QueueTasksCompleted.With(o.Labels()).Set(float64(c.TasksCompleted))
		m.QueueAvgAcceptance.With(o.Labels()).Set(float64(c.AvgTaskAcceptanceTime))
	}
}

func (taskQueueAdapter) statisticsGauges(m *metrics.Metrics) []*prometheus.GaugeVec {
	return []*prometheus.GaugeVec{m.QueueTasks, m.QueueLongestWait, m.QueueAvailableWorkers, m.QueueEligibleWorkers,
		m.QueueTasksEntered, m.QueueTasksCanceled, m.QueueTasksCompleted, m.QueueAvgAcceptance}
}

// Front-end token: the task queue capabilities of TaskRouter.js.

func (taskQueueAdapter) tokenSecret(q *trv1.TaskQueue) (string, *metav1.Duration) {
	if q.Spec.TokenSecret == nil {
		return "", nil
	}
	return q.Spec.TokenSecret.Name, q.Spec.TokenSecret.TTL
}

func (taskQueueAdapter) tokenStatus(q *trv1.TaskQueue) **trv1.TokenSecretStatus {
	return &q.Status.TokenSecret
}

func (taskQueueAdapter) tokenPolicies(urls capability.URLs, q *trv1.TaskQueue, wsSID string) ([]capability.Policy, error) {
	caps := capabilitiesAs[capability.TaskQueueCapability](q.Spec.TokenSecret.Capabilities)
	return urls.TaskQueuePolicies(wsSID, q.Status.SID, caps...)
}
