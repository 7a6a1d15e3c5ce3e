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
)

// +kubebuilder:rbac:groups=taskrouter.operator.dev,resources=workspaces,verbs=get;list;watch;update;patch
// +kubebuilder:rbac:groups=taskrouter.operator.dev,resources=workspaces/status,verbs=get;update;patch
// +kubebuilder:rbac:groups=taskrouter.operator.dev,resources=workspaces/finalizers,verbs=update

// workspaceAdapter maps a Workspace resource to a TaskRouter Workspace. Its default and timeout
// activities are Activities inside it, which cannot exist before it does: the Workspace is created
// without them, and stays Reconciling (WaitingForReference) until they are Ready and set. It mirrors
// the workspace's statistics and keeps its front-end token Secret.
type workspaceAdapter struct{}

func (workspaceAdapter) kind() string               { return "Workspace" }
func (workspaceAdapter) newObject() *trv1.Workspace { return &trv1.Workspace{} }
func (workspaceAdapter) newList() client.ObjectList { return &trv1.WorkspaceList{} }

func (workspaceAdapter) references(w *trv1.Workspace) []reference {
	var refs []reference
	for _, r := range []*trv1.LocalObjectReference{w.Spec.DefaultActivityRef, w.Spec.TimeoutActivityRef} {
		if r != nil {
			refs = append(refs, reference{kind: "Activity", name: r.Name})
		}
	}
	return refs
}

func (workspaceAdapter) collection(c connection) remoteCollection[taskrouter.Workspace, taskrouter.WorkspaceParams] {
	return c.account.Workspaces()
}

func (workspaceAdapter) identify(r taskrouter.Workspace) identity {
	return identity{sid: r.SID, name: r.FriendlyName}
}

func (workspaceAdapter) adoptionName(w *trv1.Workspace) string { return w.RemoteSpec().FriendlyName }

func (workspaceAdapter) render(ctx context.Context, refs *resolver, _ connection, w *trv1.Workspace) (desired[taskrouter.Workspace, taskrouter.WorkspaceParams], error) {
	d := &workspaceDesired{want: taskrouter.WorkspaceParams{FriendlyName: taskrouter.Ptr(w.RemoteSpec().FriendlyName)}}
	if w.Spec.EventCallbackURL != "" {
		d.want.EventCallbackURL = &w.Spec.EventCallbackURL
	}
	if len(w.Spec.EventsFilter) > 0 {
		d.want.EventsFilter = w.Spec.EventsFilter
	}
	d.want.MultiTaskEnabled = w.Spec.MultiTaskEnabled
	if w.Spec.PrioritizeQueueOrder != "" {
		d.want.PrioritizeQueueOrder = &w.Spec.PrioritizeQueueOrder
	}
	if w.Spec.Template != "" {
		d.template = &w.Spec.Template
	}
	if w.Status.SID == "" {
		return d, nil // no Activity can be ready before the workspace exists
	}
	for _, ref := range []struct {
		ref   *trv1.LocalObjectReference
		field string
		dst   **string
	}{
		{w.Spec.DefaultActivityRef, "spec.defaultActivityRef", &d.want.DefaultActivitySID},
		{w.Spec.TimeoutActivityRef, "spec.timeoutActivityRef", &d.want.TimeoutActivitySID},
	} {
		sid, err := refs.activitySID(ctx, w, ref.ref, ref.field)
		if err != nil {
			d.waiting = err
			continue
		}
		if sid != "" {
			*ref.dst = &sid
		}
	}
	return d, nil
}

func (workspaceAdapter) mirror(w *trv1.Workspace, r taskrouter.Workspace) {
	w.Status.DefaultActivitySID, w.Status.DefaultActivityName = r.DefaultActivitySID, r.DefaultActivityName
	w.Status.TimeoutActivitySID, w.Status.TimeoutActivityName = r.TimeoutActivitySID, r.TimeoutActivityName
}

// workspaceDesired is a Workspace's rendered spec.
type workspaceDesired struct {
	want     taskrouter.WorkspaceParams
	template *string
	// waiting holds why an activity reference could not be set yet.
	waiting error
}

func (d *workspaceDesired) create() taskrouter.WorkspaceParams {
	p := d.want
	p.Template = d.template
	p.DefaultActivitySID, p.TimeoutActivitySID = nil, nil // update-only in TaskRouter
	return p
}

func (d *workspaceDesired) diff(r taskrouter.Workspace) change[taskrouter.WorkspaceParams] {
	var c change[taskrouter.WorkspaceParams]
	differs := func(field string, want *string, have string, dst **string) {
		c.fields = sendIfDiffers(c.fields, field, want, have, dst)
	}
	differs("friendlyName", d.want.FriendlyName, r.FriendlyName, &c.update.FriendlyName)
	differs("eventCallbackUrl", d.want.EventCallbackURL, r.EventCallbackURL, &c.update.EventCallbackURL)
	differs("prioritizeQueueOrder", d.want.PrioritizeQueueOrder, r.PrioritizeQueueOrder, &c.update.PrioritizeQueueOrder)
	differs("defaultActivityRef", d.want.DefaultActivitySID, r.DefaultActivitySID, &c.update.DefaultActivitySID)
	differs("timeoutActivityRef", d.want.TimeoutActivitySID, r.TimeoutActivitySID, &c.update.TimeoutActivitySID)
	if d.want.EventsFilter != nil && !sameSet(d.want.EventsFilter, r.EventsFilterList()) {
		c.fields, c.update.EventsFilter = append(c.fields, "eventsFilter"), d.want.EventsFilter
	}
	if d.want.MultiTaskEnabled != nil && *d.want.MultiTaskEnabled != r.MultiTaskEnabled {
		c.fields, c.update.MultiTaskEnabled = append(c.fields, "multiTaskEnabled"), d.want.MultiTaskEnabled
	}
	return c
}

// pending reports an activity reference that could not be set yet.
func (d *workspaceDesired) pending() error { return d.waiting }

// Statistics: the workspace's own figures, one call per refresh and one more per channel in
// spec.statistics.taskChannels.

func (workspaceAdapter) statisticsSpec(w *trv1.Workspace) *trv1.StatisticsSpec {
	if w.Spec.Statistics == nil {
		return nil
	}
	return &w.Spec.Statistics.StatisticsSpec
}

func (workspaceAdapter) planStatistics(w *trv1.Workspace, p *statsPlan, minutes int) {
	p.addWorkspace(minutes, w.Spec.Statistics)
}

func (workspaceAdapter) mirrorStatistics(w *trv1.Workspace, res statsResult, minutes int, now time.Time) (bool, bool) {
	s, ok := res.workspace[statsKey{minutes: minutes}]
	if !ok {
		return false, false
	}
	channels, thresholds := splitSpec(w.Spec.Statistics)
	next := workspaceStatistics(s, minutes, thresholds)
	var previous []trv1.WorkspaceChannelStatistics
	if w.Status.Statistics != nil {
		previous = w.Status.Statistics.Channels
	}
	next.Channels = channelEntries(channels, func(ch string) (trv1.WorkspaceChannelStatistics, bool) {
		cs, ok := res.workspace[statsKey{minutes: minutes, channel: ch}]
		return trv1.WorkspaceChannelStatistics{TaskChannel: ch, Realtime: workspaceRealtime(cs.RealTime), Cumulative: workspaceCumulative(cs.Cumulative, thresholds)}, ok
	}, previous, func(c trv1.WorkspaceChannelStatistics) string { return c.TaskChannel })
	return true, replaceStatistics(&w.Status.Statistics, next, now)
}

// workspaceStatistics turns one read of the workspace's statistics into the status type, channels aside.
func workspaceStatistics(s taskrouter.WorkspaceStatistics, minutes int, thresholds []int32) *trv1.WorkspaceStatistics {
	return &trv1.WorkspaceStatistics{StatisticsWindow: trv1.StatisticsWindow{Minutes: int32(minutes)},
		Realtime: workspaceRealtime(s.RealTime), Cumulative: workspaceCumulative(s.Cumulative, thresholds)}
}

// workspaceRealtime and workspaceCumulative turn TaskRouter's workspace statistics into the status types.
func workspaceRealtime(r taskrouter.WorkspaceRealTimeStatistics) *trv1.WorkspaceRealtime {
	return &trv1.WorkspaceRealtime{
		WaitingTasks:       waitingTasks(r.TotalTasks, r.TasksByStatus, r.LongestTaskWaitingAge, r.LongestTaskWaitingSID),
		TotalWorkers:       int64(r.TotalWorkers),
		ActivityStatistics: activityCounts(r.ActivityStatistics),
	}
}

func workspaceCumulative(c taskrouter.WorkspaceCumulativeStatistics, thresholds []int32) *trv1.WorkspaceCumulative {
	return &trv1.WorkspaceCumulative{
		TasksCreated:            int64(c.TasksCreated),
		TasksTimedOutInWorkflow: int64(c.TasksTimedOutInWorkflow),
		TaskCounts:              taskCounts(c.TasksCompleted, c.TasksCanceled, c.TasksDeleted, c.TasksMoved, c.AvgTaskAcceptanceTime),
		ReservationCounts:       reservationCounts(c.ReservationCounts),
		ServiceLevel:            serviceLevels(c.SplitByWaitTime, thresholds),
	}
}

func (workspaceAdapter) publishStatistics(m *metrics.Figures, w *trv1.Workspace, o metrics.Object) {
	s := w.Status.Statistics
	if s == nil || s.Realtime == nil {
		return
	}
	metrics.SetByStatus(m.WorkspaceTasks, o, s.Realtime.TasksByStatus)
	m.WorkspaceLongestWait.With(o).Set(float64(s.Realtime.LongestTaskWaitingAge))
	m.WorkspaceWorkers.With(o).Set(float64(s.Realtime.TotalWorkers))
	for _, a := range s.Realtime.ActivityStatistics {
		m.WorkspaceActivityWorkers.With(o, "activity", a.FriendlyName).Set(float64(a.Workers))
	}
	levels := map[string][]trv1.ServiceLevel{}
	if s.Cumulative != nil {
		levels[""] = s.Cumulative.ServiceLevel
	}
	for _, ch := range s.Channels {
		if ch.Realtime != nil {
			publishChannelTasks(m.WorkspaceChannelTasks, m.WorkspaceChannelLongestWait, o, ch.TaskChannel, ch.Realtime.WaitingTasks)
		}
		if ch.Cumulative != nil {
			levels[ch.TaskChannel] = ch.Cumulative.ServiceLevel
		}
	}
	publishServiceLevels(m.WorkspaceServiceLevel, m.WorkspaceWaitTimeSplit, o, levels)
}

// Front-end token: the workspace capabilities of TaskRouter.js.

func (workspaceAdapter) tokenSecret(w *trv1.Workspace) (string, *metav1.Duration) {
	if w.Spec.TokenSecret == nil {
		return "", nil
	}
	return w.Spec.TokenSecret.Name, w.Spec.TokenSecret.TTL
}

func (workspaceAdapter) tokenStatus(w *trv1.Workspace) **trv1.TokenSecretStatus {
	return &w.Status.TokenSecret
}

func (workspaceAdapter) tokenPolicies(urls capability.URLs, w *trv1.Workspace, wsSID string) ([]capability.Policy, error) {
	caps := capabilitiesAs[capability.WorkspaceCapability](w.Spec.TokenSecret.Capabilities)
	return urls.WorkspacePolicies(wsSID, caps...)
}
