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
	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator/resource"
	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator/state"
	"github.com/taskrouter-operator/taskrouter-operator/internal/expression"
)

func (s *Simulation) taskRoutes() []api.Route {
	return api.Resource(api.KindTask, "/v1/Workspaces/{WorkspaceSid}/Tasks", "/v1/Workspaces/{WorkspaceSid}/Tasks/{Sid}",
		s.tasks().CRUD())
}

// tasks is the Task resource as the shared handlers serve it: what TaskRouter
// does for Tasks alone, an ETag among it. A deleted task leaves the
// simulation's books (events, dispatch) through removeTask.
func (s *Simulation) tasks() resource.Collection[Task] {
	return resource.Collection[Task]{Store: s.store, Name: "Task", Key: "tasks",
		Records: func(ws *state.WorkspaceState) map[string]*Task { return s.readTasks(ws).tasks },
		Seq:     func(t *Task) uint64 { return t.seq }, Filter: taskFilter, Version: func(t *Task) int { return t.Version },
		Render: renderTask, Create: s.newTask, Update: s.applyTaskUpdate,
		Delete: func(ws *state.WorkspaceState, _ string, t *Task) error {
			s.removeTask(ws, t)
			return nil
		}}
}

// renderTask renders t as of v.Now; lists leave attributes null, as the spec
// says TaskRouter does.
func renderTask(v resource.View, t *Task) any {
	ws, now := v.Workspace, v.Now
	wsURL := v.Call.ResourceURL("/v1/Workspaces/" + t.WorkspaceSID)
	self := wsURL + "/Tasks/" + t.SID
	var attributes any
	if v.Detail {
		attributes = t.Attributes
	}
	links := map[string]any{"workspace": wsURL, "reservations": self + "/Reservations"}
	if t.WorkflowSID != "" {
		links["workflow"] = wsURL + "/Workflows/" + t.WorkflowSID
	}
	if t.TaskQueueSID != "" {
		links["task_queue"] = wsURL + "/TaskQueues/" + t.TaskQueueSID
	}
	var enteredQueue any
	if !t.TaskQueueEnteredDate.IsZero() {
		enteredQueue = api.FormatTime(t.TaskQueueEnteredDate)
	}
	return map[string]any{
		"account_sid":              v.Call.AccountSID,
		"addons":                   "{}",
		"age":                      int(now.Sub(t.DateCreated) / time.Second),
		"assignment_status":        t.AssignmentStatus,
		"attributes":               attributes,
		"date_created":             api.FormatTime(t.DateCreated),
		"date_updated":             api.FormatTime(t.DateUpdated),
		"ignore_capacity":          false,
		"links":                    links,
		"priority":                 t.Priority,
		"reason":                   api.Nullable(t.Reason),
		"routing_target":           api.Nullable(t.routingTarget),
		"sid":                      t.SID,
		"task_channel_sid":         api.Nullable(t.TaskChannelSID),
		"task_channel_unique_name": api.Nullable(ws.ChannelUniqueName(t.TaskChannelSID)),
		"task_queue_entered_date":  enteredQueue,
		"task_queue_friendly_name": api.Nullable(ws.QueueName(t.TaskQueueSID)),
		"task_queue_sid":           api.Nullable(t.TaskQueueSID),
		"timeout":                  t.Timeout,
		"url":                      self,
		"virtual_start_time":       api.FormatTime(t.VirtualStartTime),
		"workflow_friendly_name":   api.Nullable(ws.WorkflowName(t.WorkflowSID)),
		"workflow_sid":             api.Nullable(t.WorkflowSID),
		"workspace_sid":            t.WorkspaceSID,
	}
}

// taskFilter builds the predicate of a Tasks list call's filters.
func taskFilter(ws *state.WorkspaceState, p api.Form) (func(*Task) bool, error) {
	checks, err := taskStatusFilter(p)
	if err != nil {
		return nil, err
	}
	for param, field := range map[string]func(*Task) string{
		"TaskQueueSid":  func(t *Task) string { return t.TaskQueueSID },
		"TaskQueueName": func(t *Task) string { return ws.QueueName(t.TaskQueueSID) },
		"WorkflowSid":   func(t *Task) string { return t.WorkflowSID },
		"WorkflowName":  func(t *Task) string { return ws.WorkflowName(t.WorkflowSID) },
		"RoutingTarget": func(t *Task) string { return t.routingTarget },
	} {
		if want := p.Get(param); want != "" {
			checks = append(checks, func(t *Task) bool { return field(t) == want })
		}
	}
	if n, present, err := p.Integer("Priority", 0, maxTaskPriority); err != nil {
		return nil, err
	} else if present {
		checks = append(checks, func(t *Task) bool { return t.Priority == n })
	}
	if src := p.Get("EvaluateTaskAttributes"); src != "" {
		expr, err := expression.Parse(src)
		if err != nil {
			return nil, api.Invalid("Invalid EvaluateTaskAttributes expression %q: %v", src, err)
		}
		checks = append(checks, func(t *Task) bool { return expr.Evaluate(t.attributeMap()) })
	}
	if hasAddons, present, err := p.Boolean("HasAddons"); err != nil {
		return nil, err
	} else if present && hasAddons {
		// The emulator installs no Add-ons, so no task has any.
		checks = append(checks, func(*Task) bool { return false })
	}
	if err := validateOrdering(p.Get("Ordering")); err != nil {
		return nil, err
	}
	return state.AllOf(checks), nil
}

// taskStatusFilter reads AssignmentStatus, repeated or comma-separated.
func taskStatusFilter(p api.Form) ([]func(*Task) bool, error) {
	want := map[string]bool{}
	for _, v := range p["AssignmentStatus"] {
		for _, status := range strings.Split(v, ",") {
			status = strings.TrimSpace(status)
			if !slices.Contains(taskStatuses, status) {
				return nil, api.Invalid("Invalid AssignmentStatus %q: it must be one of %s", status, strings.Join(taskStatuses, ", "))
			}
			want[status] = true
		}
	}
	if len(want) == 0 {
		return nil, nil
	}
	return []func(*Task) bool{func(t *Task) bool { return want[t.AssignmentStatus] }}, nil
}

// validateOrdering checks "Attribute:Order" as the spec defines Ordering. Lists
// are always served in creation order (see doc.go).
func validateOrdering(ordering string) error {
	if ordering == "" {
		return nil
	}
	for _, item := range strings.Split(ordering, ",") {
		attr, order, found := strings.Cut(strings.TrimSpace(item), ":")
		if !found || !slices.Contains([]string{"DateCreated", "Priority", "VirtualStartTime"}, attr) ||
			(order != "asc" && order != "desc") {
			return api.Invalid("Invalid Ordering %q: want Attribute:Order with DateCreated, Priority or VirtualStartTime and asc or desc", item)
		}
	}
	return nil
}
