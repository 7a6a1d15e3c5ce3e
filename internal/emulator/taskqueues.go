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

package emulator

import (
	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator/api"
	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator/resource"
	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator/state"
	"github.com/taskrouter-operator/taskrouter-operator/internal/expression"
)

// taskQueues is the TaskQueue resource as the shared handlers serve it: what
// TaskRouter does for TaskQueues alone.
func (e *Emulator) taskQueues() resource.Collection[state.TaskQueue] {
	return resource.Collection[state.TaskQueue]{Store: e.store, Name: "TaskQueue", Key: "task_queues",
		Records: func(ws *state.WorkspaceState) map[string]*state.TaskQueue { return ws.TaskQueues },
		Seq:     (*state.TaskQueue).Seq, Filter: byFriendlyName(func(q *state.TaskQueue) string { return q.FriendlyName }),
		Render: renderTaskQueue, Create: e.newTaskQueue, Update: e.updateTaskQueue,
		Delete: guardedDelete[state.TaskQueue](e, api.KindTaskQueue)}
}

func renderTaskQueue(v resource.View, q *state.TaskQueue) any {
	ws := v.Workspace
	wsURL := v.Call.ResourceURL("/v1/Workspaces/" + q.WorkspaceSID)
	self := wsURL + "/TaskQueues/" + q.SID
	links := map[string]any{
		"workspace":                 wsURL,
		"statistics":                self + "/Statistics",
		"real_time_statistics":      self + "/RealTimeStatistics",
		"cumulative_statistics":     self + "/CumulativeStatistics",
		"list_statistics":           wsURL + "/TaskQueues/Statistics",
		"bulk_real_time_statistics": wsURL + "/TaskQueues/RealTimeStatistics",
	}
	if q.AssignmentActivitySID != "" {
		links["assignment_activity"] = wsURL + "/Activities/" + q.AssignmentActivitySID
	}
	if q.ReservationActivitySID != "" {
		links["reservation_activity"] = wsURL + "/Activities/" + q.ReservationActivitySID
	}
	return map[string]any{
		"account_sid":               v.Call.AccountSID,
		"assignment_activity_name":  api.Nullable(ws.ActivityName(q.AssignmentActivitySID)),
		"assignment_activity_sid":   api.Nullable(q.AssignmentActivitySID),
		"date_created":              api.FormatTime(q.DateCreated),
		"date_updated":              api.FormatTime(q.DateUpdated),
		"friendly_name":             q.FriendlyName,
		"max_reserved_workers":      q.MaxReservedWorkers,
		"reservation_activity_name": api.Nullable(ws.ActivityName(q.ReservationActivitySID)),
		"reservation_activity_sid":  api.Nullable(q.ReservationActivitySID),
		"sid":                       q.SID,
		"target_workers":            q.TargetWorkers,
		"task_order":                q.TaskOrder,
		"url":                       self,
		"workspace_sid":             q.WorkspaceSID,
		"links":                     links,
	}
}

// newTaskQueue validates p and adds the queue to ws. Caller holds the lock for
// writing.
func (e *Emulator) newTaskQueue(ws *state.WorkspaceState, p api.Form) (*state.TaskQueue, error) {
	if len(ws.TaskQueues) >= maxTaskQueues {
		return nil, api.Invalid("Workspace %s already has the maximum of %d TaskQueues", ws.SID, maxTaskQueues)
	}
	q := state.TaskQueue{TargetWorkers: "1==1", MaxReservedWorkers: 1, TaskOrder: "FIFO"}
	if _, _, err := p.FriendlyName(true); err != nil {
		return nil, err
	}
	if err := applyTaskQueueParams(ws, &q, p); err != nil {
		return nil, err
	}
	return e.store.AddTaskQueue(ws, q), nil
}

// applyTaskQueueParams validates every create/update parameter of p, then applies
// them all to q; on error q is unchanged.
func applyTaskQueueParams(ws *state.WorkspaceState, q *state.TaskQueue, p api.Form) error {
	next := *q
	name, hasName, err := p.FriendlyName(false)
	if err != nil {
		return err
	}
	if hasName {
		for _, other := range ws.TaskQueues {
			if other.SID != q.SID && other.FriendlyName == name {
				return api.Invalid("A TaskQueue named %q already exists in Workspace %s", name, ws.SID)
			}
		}
		next.FriendlyName = name
	}
	if p.Has("TargetWorkers") {
		if err := validateExpression("TargetWorkers", p.Get("TargetWorkers")); err != nil {
			return err
		}
		next.TargetWorkers = p.Get("TargetWorkers")
	}
	if n, present, err := p.Integer("MaxReservedWorkers", 1, maxReservedWorkersMax); err != nil {
		return err
	} else if present {
		next.MaxReservedWorkers = n
	}
	if order, present, err := p.Enum("TaskOrder", "FIFO", "LIFO"); err != nil {
		return err
	} else if present {
		next.TaskOrder = order
	}
	if sid, present, err := activityRef(ws, p, "ReservationActivitySid"); err != nil {
		return err
	} else if present {
		next.ReservationActivitySID = sid
	}
	if sid, present, err := activityRef(ws, p, "AssignmentActivitySid"); err != nil {
		return err
	} else if present {
		next.AssignmentActivitySID = sid
	}
	*q = next
	return nil
}

// validateExpression parses a TaskRouter expression, answering 400 with the
// parser's position and explanation when it is not valid.
func validateExpression(param, src string) error {
	if src == "" {
		return api.Invalid("%s must not be empty", param)
	}
	if _, err := expression.Parse(src); err != nil {
		return api.Invalid("Invalid %s expression %q: %v", param, src, err)
	}
	return nil
}

// updateTaskQueue applies an update call to q. Caller holds the lock for
// writing.
func (e *Emulator) updateTaskQueue(ws *state.WorkspaceState, q *state.TaskQueue, p api.Form) error {
	if err := applyTaskQueueParams(ws, q, p); err != nil {
		return err
	}
	q.DateUpdated = e.store.Timestamp()
	return nil
}

// taskQueueTargeted refuses to delete a queue a workflow still routes to.
func taskQueueTargeted(ws *state.WorkspaceState, kind api.Kind, sid string) error {
	if kind != api.KindTaskQueue {
		return nil
	}
	for _, wf := range ws.SortedWorkflows() {
		if wf.Routing != nil && wf.Routing.Targets(sid) {
			return api.Invalid("TaskQueue %s cannot be deleted: Workflow %s (%s) targets it", sid, wf.SID, wf.FriendlyName)
		}
	}
	return nil
}
