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

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/internal/capability"
	"github.com/taskrouter-operator/taskrouter-operator/internal/metrics"
	"github.com/taskrouter-operator/taskrouter-operator/internal/taskrouter"
	"github.com/taskrouter-operator/taskrouter-operator/internal/validate"
)

// +kubebuilder:rbac:groups=taskrouter.operator.dev,resources=taskqueues,verbs=get;list;watch;update;patch
// +kubebuilder:rbac:groups=taskrouter.operator.dev,resources=taskqueues/status,verbs=get;update;patch
// +kubebuilder:rbac:groups=taskrouter.operator.dev,resources=taskqueues/finalizers,verbs=update

// taskQueueAdapter maps a TaskQueue resource to a TaskRouter TaskQueue. Its activity references
// resolve to SIDs; fields the spec leaves unset are left as TaskRouter has them. It mirrors the
// queue's statistics (waiting tasks, longest wait, available and eligible workers; per channel and
// service levels when asked) and keeps its front-end token Secret.
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

// validate reports a targetWorkers syntax error with its position before TaskRouter sees it, as the
// admission webhook and lint do (internal/validate).
func (taskQueueAdapter) validate(q *trv1.TaskQueue) error {
	if errs := validate.TaskQueue(q); len(errs) > 0 {
		return stall(reasonInvalidSpec, "%s", validate.Summary(errs))
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

// Statistics: every queue of a window comes from the one paged TaskQueues/Statistics list, and
// each channel in spec.statistics.taskChannels from one more list of that window.

func (taskQueueAdapter) statisticsSpec(q *trv1.TaskQueue) *trv1.StatisticsSpec {
	if q.Spec.Statistics == nil {
		return nil
	}
	return &q.Spec.Statistics.StatisticsSpec
}

func (taskQueueAdapter) planStatistics(q *trv1.TaskQueue, p *statsPlan, minutes int) {
	p.addQueue(q.Status.SID, minutes, q.Spec.Statistics)
}

func (taskQueueAdapter) mirrorStatistics(q *trv1.TaskQueue, res statsResult, minutes int, now time.Time) (bool, bool) {
	s, ok := res.queue(statsKey{minutes: minutes}, q.Status.SID)
	if !ok {
		return false, false
	}
	channels, thresholds := splitSpec(q.Spec.Statistics)
	next := taskQueueStatistics(s, minutes, thresholds)
	var previous []trv1.TaskQueueChannelStatistics
	if q.Status.Statistics != nil {
		previous = q.Status.Statistics.Channels
	}
	next.Channels = channelEntries(channels, func(ch string) (trv1.TaskQueueChannelStatistics, bool) {
		cs, ok := res.queue(statsKey{minutes: minutes, channel: ch}, q.Status.SID)
		return trv1.TaskQueueChannelStatistics{TaskChannel: ch, Realtime: queueRealtime(cs.RealTime), Cumulative: queueCumulative(cs.Cumulative, thresholds)}, ok
	}, previous, func(c trv1.TaskQueueChannelStatistics) string { return c.TaskChannel })
	return true, replaceStatistics(&q.Status.Statistics, next, now)
}

// taskQueueStatistics turns one read of a queue's statistics into the status type, channels aside.
func taskQueueStatistics(s taskrouter.TaskQueueStatistics, minutes int, thresholds []int32) *trv1.TaskQueueStatistics {
	return &trv1.TaskQueueStatistics{StatisticsWindow: trv1.StatisticsWindow{Minutes: int32(minutes)},
		Realtime: queueRealtime(s.RealTime), Cumulative: queueCumulative(s.Cumulative, thresholds)}
}

// queueRealtime and queueCumulative turn TaskRouter's queue statistics into the status types.
func queueRealtime(r taskrouter.TaskQueueRealTimeStatistics) *trv1.TaskQueueRealtime {
	return &trv1.TaskQueueRealtime{
		WaitingTasks:                  waitingTasks(r.TotalTasks, r.TasksByStatus, r.LongestTaskWaitingAge, r.LongestTaskWaitingSID),
		LongestRelativeTaskAgeInQueue: int64(r.LongestRelativeTaskAgeInQueue),
		TotalAvailableWorkers:         int64(r.TotalAvailableWorkers),
		TotalEligibleWorkers:          int64(r.TotalEligibleWorkers),
		ActivityStatistics:            activityCounts(busyActivities(r.ActivityStatistics)),
	}
}

func queueCumulative(c taskrouter.TaskQueueCumulativeStatistics, thresholds []int32) *trv1.TaskQueueCumulative {
	return &trv1.TaskQueueCumulative{
		TasksEntered:      int64(c.TasksEntered),
		TaskCounts:        taskCounts(c.TasksCompleted, c.TasksCanceled, c.TasksDeleted, c.TasksMoved, c.AvgTaskAcceptanceTime),
		ReservationCounts: reservationCounts(c.ReservationCounts),
		ServiceLevel:      serviceLevels(c.SplitByWaitTime, thresholds),
	}
}

// publishStatistics also publishes the queue's opt-in longest-wait alert threshold (the annotation
// metrics.WaitAlertAnnotation), which the QueueLongestWaitHigh alert compares the wait with.
func (taskQueueAdapter) publishStatistics(f *metrics.Figures, q *trv1.TaskQueue, o metrics.Object) {
	_ = f.SetQueueWaitThreshold(o, q.Annotations) // an unusable value is reported by figureSettingsError
	s := q.Status.Statistics
	if s == nil {
		return
	}
	if r := s.Realtime; r != nil {
		metrics.SetByStatus(f.QueueTasks, o, r.TasksByStatus)
		f.QueueLongestWait.With(o).Set(float64(r.LongestTaskWaitingAge))
		f.QueueAvailableWorkers.With(o).Set(float64(r.TotalAvailableWorkers))
		f.QueueEligibleWorkers.With(o).Set(float64(r.TotalEligibleWorkers))
	}
	levels := map[string][]trv1.ServiceLevel{}
	if c := s.Cumulative; c != nil {
		f.QueueTasksEntered.With(o).Set(float64(c.TasksEntered))
		f.QueueTasksCanceled.With(o).Set(float64(c.TasksCanceled))
		f.QueueTasksCompleted.With(o).Set(float64(c.TasksCompleted))
		f.QueueAvgAcceptance.With(o).Set(float64(c.AvgTaskAcceptanceTime))
		levels[""] = c.ServiceLevel
	}
	for _, ch := range s.Channels {
		if r := ch.Realtime; r != nil {
			publishChannelTasks(f.QueueChannelTasks, f.QueueChannelLongestWait, o, ch.TaskChannel, r.WaitingTasks)
			f.QueueChannelAvailableWorkers.With(o, "channel", ch.TaskChannel).Set(float64(r.TotalAvailableWorkers))
		}
		if ch.Cumulative != nil {
			levels[ch.TaskChannel] = ch.Cumulative.ServiceLevel
		}
	}
	publishServiceLevels(f.QueueServiceLevel, f.QueueWaitTimeSplit, o, levels)
}

// figureSettingsError reports an alert threshold annotation that is not a positive duration.
func (taskQueueAdapter) figureSettingsError(q *trv1.TaskQueue) error {
	_, _, err := metrics.QueueWaitThreshold(q.Annotations)
	return err
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
