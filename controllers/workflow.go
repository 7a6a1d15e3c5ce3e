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
	"fmt"
	"time"

	"sigs.k8s.io/controller-runtime/pkg/client"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/internal/metrics"
	"github.com/taskrouter-operator/taskrouter-operator/internal/routing"
	"github.com/taskrouter-operator/taskrouter-operator/internal/taskrouter"
	"github.com/taskrouter-operator/taskrouter-operator/internal/validate"
)

// maxConfigurationBytes is TaskRouter's limit on a workflow configuration.
const maxConfigurationBytes = 1 << 20

// +kubebuilder:rbac:groups=taskrouter.operator.dev,resources=workflows,verbs=get;list;watch;update;patch
// +kubebuilder:rbac:groups=taskrouter.operator.dev,resources=workflows/status,verbs=get;update;patch
// +kubebuilder:rbac:groups=taskrouter.operator.dev,resources=workflows/finalizers,verbs=update

// workflowAdapter maps a Workflow resource to a TaskRouter Workflow. The structured configuration
// is rendered to TaskRouter's task_routing JSON with each queueRef replaced by the TaskQueue's SID,
// and compared as a JSON document. reEvaluateTasks, which TaskRouter takes on update only, is sent
// at most once per generation (status.reEvaluatedGeneration). It mirrors the workflow's statistics.
type workflowAdapter struct{}

func (workflowAdapter) kind() string               { return "Workflow" }
func (workflowAdapter) newObject() *trv1.Workflow  { return &trv1.Workflow{} }
func (workflowAdapter) newList() client.ObjectList { return &trv1.WorkflowList{} }

func (workflowAdapter) references(w *trv1.Workflow) []reference {
	refs := []reference{{kind: "Workspace", name: w.Spec.WorkspaceRef.Name}}
	forEachQueue(w, func(_ string, q trv1.QueueSelector) {
		if q.QueueRef != nil {
			refs = append(refs, reference{kind: "TaskQueue", name: q.QueueRef.Name})
		}
	})
	return refs
}

func (workflowAdapter) collection(c connection) remoteCollection[taskrouter.Workflow, taskrouter.WorkflowParams] {
	return c.objects.Workflows()
}

func (workflowAdapter) identify(r taskrouter.Workflow) identity {
	return identity{sid: r.SID, name: r.FriendlyName}
}

func (workflowAdapter) adoptionName(w *trv1.Workflow) string { return w.RemoteSpec().FriendlyName }

// validate reports every expression (filters, target expressions, orderBy, skipIf) that does not
// parse, with its field and position, before TaskRouter sees it, as the admission webhook and lint do
// (internal/validate).
func (workflowAdapter) validate(w *trv1.Workflow) error {
	if errs := validate.Workflow(w); len(errs) > 0 {
		return stall(reasonInvalidSpec, "%s", validate.Summary(errs))
	}
	return nil
}

func (workflowAdapter) render(ctx context.Context, refs *resolver, _ connection, w *trv1.Workflow) (desired[taskrouter.Workflow, taskrouter.WorkflowParams], error) {
	config, err := renderConfiguration(ctx, refs, w)
	if err != nil {
		return nil, err
	}
	d := workflowDesired{want: taskrouter.WorkflowParams{FriendlyName: taskrouter.Ptr(w.RemoteSpec().FriendlyName), Configuration: &config}}
	if w.Spec.AssignmentCallbackURL != "" {
		d.want.AssignmentCallbackURL = &w.Spec.AssignmentCallbackURL
	}
	if w.Spec.FallbackAssignmentCallbackURL != "" {
		d.want.FallbackAssignmentCallbackURL = &w.Spec.FallbackAssignmentCallbackURL
	}
	if w.Spec.TaskReservationTimeout != nil {
		d.want.TaskReservationTimeout = taskrouter.Ptr(int(*w.Spec.TaskReservationTimeout))
	}
	d.reEvaluate = reEvaluationDue(w)
	return d, nil
}

// reEvaluationDue says whether this pass should send ReEvaluateTasks: asked for, not yet sent for
// this generation, written by this resource, and on a workflow it already owns. A workflow created
// on this pass has no pending task to re-route, so its generation counts as done (mirror).
func reEvaluationDue(w *trv1.Workflow) bool {
	return w.Spec.ReEvaluateTasks && w.RemoteSpec().Policies.ManagementPolicy == trv1.Manage &&
		w.Status.SID != "" && w.Status.ReEvaluatedGeneration != w.Generation
}

// mirror records that reEvaluateTasks was acted on for this generation: the core mirrors only after
// the update that carried it succeeded (or when nothing needed sending).
func (workflowAdapter) mirror(w *trv1.Workflow, _ taskrouter.Workflow) {
	if w.Spec.ReEvaluateTasks && w.RemoteSpec().Policies.ManagementPolicy == trv1.Manage {
		w.Status.ReEvaluatedGeneration = w.Generation
	}
}

// workflowDesired is a Workflow's rendered spec.
type workflowDesired struct {
	want taskrouter.WorkflowParams
	// reEvaluate sends ReEvaluateTasks with this pass's update, or alone when nothing else differs.
	reEvaluate bool
}

func (d workflowDesired) create() taskrouter.WorkflowParams { return d.want }

func (d workflowDesired) diff(r taskrouter.Workflow) change[taskrouter.WorkflowParams] {
	var c change[taskrouter.WorkflowParams]
	differs := func(field string, want *string, have string, dst **string) {
		c.fields = sendIfDiffers(c.fields, field, want, have, dst)
	}
	differs("friendlyName", d.want.FriendlyName, r.FriendlyName, &c.update.FriendlyName)
	differs("assignmentCallbackUrl", d.want.AssignmentCallbackURL, r.AssignmentCallbackURL, &c.update.AssignmentCallbackURL)
	differs("fallbackAssignmentCallbackUrl", d.want.FallbackAssignmentCallbackURL, r.FallbackAssignmentCallbackURL, &c.update.FallbackAssignmentCallbackURL)
	if !sameJSON(*d.want.Configuration, r.Configuration) {
		c.fields, c.update.Configuration = append(c.fields, "configuration"), d.want.Configuration
	}
	if d.want.TaskReservationTimeout != nil && *d.want.TaskReservationTimeout != r.TaskReservationTimeout {
		c.fields, c.update.TaskReservationTimeout = append(c.fields, "taskReservationTimeout"), d.want.TaskReservationTimeout
	}
	if d.reEvaluate {
		c.fields, c.update.ReEvaluateTasks = append(c.fields, "reEvaluateTasks"), taskrouter.Ptr(true)
	}
	return c
}

// forEachQueue calls fn for every queue selector in the configuration, with its field path.
func forEachQueue(w *trv1.Workflow, fn func(path string, q trv1.QueueSelector)) {
	for i, f := range w.Spec.Configuration.TaskRouting.Filters {
		for j, t := range f.Targets {
			fn(fmt.Sprintf("spec.configuration.taskRouting.filters[%d].targets[%d]", i, j), t.QueueSelector)
		}
	}
	if d := w.Spec.Configuration.TaskRouting.DefaultFilter; d != nil {
		fn("spec.configuration.taskRouting.defaultFilter", *d)
	}
}

// renderConfiguration produces TaskRouter's configuration JSON, resolving each queueRef to the SID
// of a Ready TaskQueue of the same Workspace.
func renderConfiguration(ctx context.Context, refs *resolver, w *trv1.Workflow) (string, error) {
	sids := map[string]string{}
	var resolveErr error
	forEachQueue(w, func(path string, q trv1.QueueSelector) {
		if resolveErr != nil || q.QueueRef == nil {
			return
		}
		sids[q.QueueRef.Name], resolveErr = refs.taskQueueSID(ctx, w, q.QueueRef, path+".queueRef")
	})
	if resolveErr != nil {
		return "", resolveErr
	}
	out := routing.Render(w.Spec.Configuration, func(q trv1.QueueSelector) string {
		if q.QueueRef != nil {
			return sids[q.QueueRef.Name]
		}
		return q.QueueSid
	}).JSON()
	if len(out) > maxConfigurationBytes {
		return "", stall(reasonInvalidSpec, "spec.configuration renders to %d bytes; TaskRouter allows at most %d", len(out), maxConfigurationBytes)
	}
	return out, nil
}

// Statistics: one call per workflow and refresh.

func (workflowAdapter) statisticsSpec(w *trv1.Workflow) *trv1.StatisticsSpec {
	return w.Spec.Statistics
}

func (workflowAdapter) planStatistics(w *trv1.Workflow, p *statsPlan, minutes int) {
	p.workflows[w.Status.SID] = minutes
}

func (workflowAdapter) mirrorStatistics(w *trv1.Workflow, res statsResult, minutes int, now time.Time) (bool, bool) {
	s, ok := res.workflows[w.Status.SID]
	if !ok {
		return false, false
	}
	return true, replaceStatistics(&w.Status.Statistics, workflowStatistics(s, minutes), now)
}

// workflowStatistics turns TaskRouter's workflow statistics into the status type.
func workflowStatistics(s taskrouter.WorkflowStatistics, minutes int) *trv1.WorkflowStatistics {
	r, c := s.RealTime, s.Cumulative
	w := waitingTasks(r.TotalTasks, r.TasksByStatus, r.LongestTaskWaitingAge, r.LongestTaskWaitingSID)
	return &trv1.WorkflowStatistics{
		StatisticsWindow: trv1.StatisticsWindow{Minutes: int32(minutes)},
		Realtime:         &w,
		Cumulative: &trv1.WorkflowCumulative{
			TasksEntered:            int64(c.TasksEntered),
			TasksTimedOutInWorkflow: int64(c.TasksTimedOutInWorkflow),
			TaskCounts:              taskCounts(c.TasksCompleted, c.TasksCanceled, c.TasksDeleted, c.TasksMoved, c.AvgTaskAcceptanceTime),
			ReservationCounts:       reservationCounts(c.ReservationCounts),
		},
	}
}

func (workflowAdapter) publishStatistics(m *metrics.Figures, w *trv1.Workflow, o metrics.Object) {
	s := w.Status.Statistics
	if s == nil || s.Realtime == nil {
		return
	}
	metrics.SetByStatus(m.WorkflowTasks, o, s.Realtime.TasksByStatus)
	m.WorkflowLongestWait.With(o).Set(float64(s.Realtime.LongestTaskWaitingAge))
}
