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

package simulation

import (
	"slices"
	"strings"
	"time"

	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator/api"
	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator/state"
)

// taskSpec is a validated Task create call.
type taskSpec struct {
	attributes    string
	priority      *int
	timeout       int
	channel       string
	virtualStart  time.Time
	workflow      string
	queue         string
	worker        string
	routingTarget string
}

// parseTaskCreate validates the create parameters of a Task against ws.
func parseTaskCreate(ws *state.WorkspaceState, p api.Form) (taskSpec, error) {
	spec := taskSpec{attributes: "{}", timeout: defaultTaskTimeout}
	if p.Has("Attributes") {
		if err := api.CheckJSONObject("Attributes", p.Get("Attributes")); err != nil {
			return spec, err
		}
		spec.attributes = p.Get("Attributes")
	}
	if n, present, err := p.Integer("Priority", 0, maxTaskPriority); err != nil {
		return spec, err
	} else if present {
		spec.priority = &n
	}
	if n, present, err := p.Integer("Timeout", 1, maxTaskTimeout); err != nil {
		return spec, err
	} else if present {
		spec.timeout = n
	}
	channel, err := parseTaskChannel(ws, p, true)
	if err != nil {
		return spec, err
	}
	spec.channel = channel
	if spec.virtualStart, err = parseVirtualStart(p); err != nil {
		return spec, err
	}
	return spec, resolveTaskRoute(ws, p, &spec)
}

// resolveTaskRoute decides where a new task goes: RoutingTarget (a workflow,
// queue or worker), else WorkflowSid, else TaskQueueSid, else the workspace's
// only workflow, as the spec describes WorkflowSid.
func resolveTaskRoute(ws *state.WorkspaceState, p api.Form, spec *taskSpec) error {
	ref, param := p.Get("RoutingTarget"), "RoutingTarget"
	switch {
	case ref != "":
		spec.routingTarget = ref
	case p.Get("WorkflowSid") != "":
		ref, param = p.Get("WorkflowSid"), "WorkflowSid"
	case p.Get("TaskQueueSid") != "":
		ref, param = p.Get("TaskQueueSid"), "TaskQueueSid"
	case len(ws.Workflows) == 1:
		for sid := range ws.Workflows {
			ref = sid
		}
	default:
		return api.MissingParam("WorkflowSid")
	}
	switch {
	case ws.Workflows[ref] != nil && param != "TaskQueueSid":
		spec.workflow = ref
	case ws.TaskQueues[ref] != nil && param != "WorkflowSid":
		spec.queue = ref
	case ws.Workers[ref] != nil && param == "RoutingTarget":
		spec.worker = ref
	default:
		return api.Invalid("%s %q is not a %s of Workspace %s", param, ref, map[string]string{
			"RoutingTarget": "Workflow, TaskQueue or Worker", "WorkflowSid": "Workflow", "TaskQueueSid": "TaskQueue"}[param], ws.SID)
	}
	return nil
}

// parseTaskChannel resolves TaskChannel (unique name or SID); on create an
// absent one means the workspace's "default" channel.
func parseTaskChannel(ws *state.WorkspaceState, p api.Form, create bool) (string, error) {
	ref := p.Get("TaskChannel")
	if ref == "" {
		if !create {
			return "", nil
		}
		sid, _ := ws.TaskChannelRef("default")
		return sid, nil
	}
	sid, ok := ws.TaskChannelRef(ref)
	if !ok {
		return "", api.Invalid("TaskChannel %q is not a TaskChannel of Workspace %s", ref, ws.SID)
	}
	return sid, nil
}

// parseVirtualStart reads VirtualStartTime (ISO 8601); zero when absent.
func parseVirtualStart(p api.Form) (time.Time, error) {
	v := p.Get("VirtualStartTime")
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil || t.Year() < 1900 {
		return time.Time{}, api.Invalid("VirtualStartTime %q is not an ISO 8601 date-time after 1900", v)
	}
	return t.UTC(), nil
}

// newTask validates p, creates the task, routes it and offers it to a worker.
// Caller holds the lock for writing.
func (s *Simulation) newTask(ws *state.WorkspaceState, p api.Form) (*Task, error) {
	spec, err := parseTaskCreate(ws, p)
	if err != nil {
		return nil, err
	}
	st := s.tasksOf(ws)
	s.expireTimers(ws, st)
	now := s.timestamp()
	t := &Task{SID: state.NewSID(prefixTask), WorkspaceSID: ws.SID, WorkflowSID: spec.workflow, TaskChannelSID: spec.channel,
		Attributes: spec.attributes, AssignmentStatus: TaskPending, Timeout: spec.timeout, DateCreated: now,
		DateUpdated: now, VirtualStartTime: now, Version: 1, routingTarget: spec.routingTarget,
		knownWorker: spec.worker, seq: s.store.NextSeq()}
	if spec.priority != nil {
		t.Priority = *spec.priority
	}
	if !spec.virtualStart.IsZero() {
		t.VirtualStartTime = spec.virtualStart
	}
	st.tasks[t.SID] = t
	st.record(taskEvent(evTaskCreated, t, now))
	s.routeTask(ws, st, t, spec.queue, spec.priority != nil)
	s.dispatch(ws, st)
	return t, nil
}

// applyTaskUpdate applies an update call: attributes (re-routing a pending task),
// priority, channel, virtual start time, then the status change. Every parameter
// is validated before anything changes. Caller holds the lock for writing.
func (s *Simulation) applyTaskUpdate(ws *state.WorkspaceState, t *Task, p api.Form) error {
	if !t.Open() {
		return api.Invalid("Task %s is %s and can no longer be updated", t.SID, t.AssignmentStatus)
	}
	status, hasStatus, err := p.Enum("AssignmentStatus", taskStatuses...)
	if err != nil {
		return err
	}
	if p.Has("Attributes") {
		if err := api.CheckJSONObject("Attributes", p.Get("Attributes")); err != nil {
			return err
		}
	}
	priority, hasPriority, err := p.Integer("Priority", 0, maxTaskPriority)
	if err != nil {
		return err
	}
	channel, err := parseTaskChannel(ws, p, false)
	if err != nil {
		return err
	}
	virtualStart, err := parseVirtualStart(p)
	if err != nil {
		return err
	}
	st := s.tasksOf(ws)
	if hasStatus {
		// Check the transition before changing anything else.
		if err := checkTransition(t, status); err != nil {
			return err
		}
	}
	now := s.timestamp()
	if hasPriority {
		t.Priority = priority
	}
	if channel != "" {
		t.TaskChannelSID = channel
	}
	if !virtualStart.IsZero() {
		t.VirtualStartTime = virtualStart
	}
	if p.Has("Attributes") && p.Get("Attributes") != t.Attributes {
		t.Attributes = p.Get("Attributes")
		if t.AssignmentStatus == TaskPending && t.WorkflowSID != "" {
			// TaskRouter re-evaluates the workflow when a waiting task's attributes change.
			s.routeTask(ws, st, t, "", hasPriority)
		}
	}
	touch(t, now)
	if hasStatus {
		return s.setTaskStatus(ws, st, t, status, p.Get("Reason"))
	}
	s.dispatch(ws, st)
	return nil
}

// checkTransition refuses a status change TaskRouter does not allow through the
// Task resource (reservations are accepted through the worker, not the task).
func checkTransition(t *Task, status string) error {
	if status == t.AssignmentStatus {
		return nil
	}
	allowed := map[string][]string{
		TaskCanceled:  {TaskPending, TaskReserved},
		TaskWrapping:  {TaskAssigned},
		TaskCompleted: {TaskAssigned, TaskWrapping},
	}[status]
	if !slices.Contains(allowed, t.AssignmentStatus) {
		return api.Invalid("Task %s cannot move from %s to %s: a Task may be canceled while %s, "+
			"wrapped up while assigned, and completed while assigned or wrapping",
			t.SID, t.AssignmentStatus, status, strings.Join([]string{TaskPending, TaskReserved}, " or "))
	}
	return nil
}
