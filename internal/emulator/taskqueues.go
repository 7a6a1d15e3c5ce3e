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
	"net/http"

	"github.com/taskrouter-operator/taskrouter-operator/internal/expression"
)

func init() {
	registerRoutes(taskQueueRoutes)
	deleteGuards = append(deleteGuards, taskQueueTargeted)
}

func taskQueueRoutes() []route {
	const coll, item = "/v1/Workspaces/{WorkspaceSid}/TaskQueues", "/v1/Workspaces/{WorkspaceSid}/TaskQueues/{Sid}"
	return []route{
		{method: http.MethodGet, pattern: coll, kind: KindTaskQueue, list: true, handle: listTaskQueues},
		{method: http.MethodPost, pattern: coll, kind: KindTaskQueue, create: true, handle: createTaskQueue},
		{method: http.MethodGet, pattern: item, kind: KindTaskQueue, handle: fetchTaskQueue},
		{method: http.MethodPost, pattern: item, kind: KindTaskQueue, handle: updateTaskQueue},
		{method: http.MethodDelete, pattern: item, kind: KindTaskQueue, handle: deleteTaskQueue},
	}
}

func renderTaskQueue(c *call, ws *workspaceState, q *TaskQueue) map[string]any {
	wsURL := c.resourceURL("/v1/Workspaces/" + q.WorkspaceSID)
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
		"account_sid":               accountOf(c),
		"assignment_activity_name":  nullable(ws.activityName(q.AssignmentActivitySID)),
		"assignment_activity_sid":   nullable(q.AssignmentActivitySID),
		"date_created":              formatTime(q.DateCreated),
		"date_updated":              formatTime(q.DateUpdated),
		"friendly_name":             q.FriendlyName,
		"max_reserved_workers":      q.MaxReservedWorkers,
		"reservation_activity_name": nullable(ws.activityName(q.ReservationActivitySID)),
		"reservation_activity_sid":  nullable(q.ReservationActivitySID),
		"sid":                       q.SID,
		"target_workers":            q.TargetWorkers,
		"task_order":                q.TaskOrder,
		"url":                       self,
		"workspace_sid":             q.WorkspaceSID,
		"links":                     links,
	}
}

func (e *Emulator) lookupTaskQueue(c *call) (*workspaceState, *TaskQueue, error) {
	return lookupObject(e, c, "TaskQueue", func(w *workspaceState) map[string]*TaskQueue { return w.taskQueues })
}

func listTaskQueues(e *Emulator, c *call) (*reply, error) {
	e.store.mu.RLock()
	defer e.store.mu.RUnlock()
	ws, err := e.store.workspace(c.vars["WorkspaceSid"])
	if err != nil {
		return nil, err
	}
	name := c.params.get("FriendlyName")
	var items []*TaskQueue
	for _, q := range ws.sortedTaskQueues() {
		if name == "" || q.FriendlyName == name {
			items = append(items, q)
		}
	}
	return paginate(c, "task_queues", items, func(q *TaskQueue) uint64 { return q.seq },
		func(q *TaskQueue) any { return renderTaskQueue(c, ws, q) })
}

func createTaskQueue(e *Emulator, c *call) (*reply, error) {
	e.store.mu.Lock()
	defer e.store.mu.Unlock()
	ws, err := e.store.workspace(c.vars["WorkspaceSid"])
	if err != nil {
		return nil, err
	}
	q, err := e.store.createTaskQueue(ws, c.params)
	if err != nil {
		return nil, err
	}
	return created(renderTaskQueue(c, ws, q)), nil
}

// createTaskQueue validates p and adds the queue to ws. Caller holds mu.
func (s *store) createTaskQueue(ws *workspaceState, p form) (*TaskQueue, error) {
	if len(ws.taskQueues) >= maxTaskQueues {
		return nil, invalid("Workspace %s already has the maximum of %d TaskQueues", ws.SID, maxTaskQueues)
	}
	q := TaskQueue{TargetWorkers: "1==1", MaxReservedWorkers: 1, TaskOrder: "FIFO"}
	if _, _, err := p.friendlyName(true); err != nil {
		return nil, err
	}
	if err := applyTaskQueueParams(ws, &q, p); err != nil {
		return nil, err
	}
	return s.addTaskQueue(ws, q), nil
}

// addTaskQueue stores a validated queue. Caller holds mu for writing.
func (s *store) addTaskQueue(ws *workspaceState, q TaskQueue) *TaskQueue {
	now := s.timestamp()
	q.SID, q.WorkspaceSID, q.DateCreated, q.DateUpdated, q.seq = newSID(prefixTaskQueue), ws.SID, now, now, s.nextSeq()
	ws.taskQueues[q.SID] = &q
	return &q
}

// applyTaskQueueParams validates every create/update parameter of p, then applies
// them all to q; on error q is unchanged.
func applyTaskQueueParams(ws *workspaceState, q *TaskQueue, p form) error {
	next := *q
	name, hasName, err := p.friendlyName(false)
	if err != nil {
		return err
	}
	if hasName {
		for _, other := range ws.taskQueues {
			if other.SID != q.SID && other.FriendlyName == name {
				return invalid("A TaskQueue named %q already exists in Workspace %s", name, ws.SID)
			}
		}
		next.FriendlyName = name
	}
	if p.has("TargetWorkers") {
		if err := validateExpression("TargetWorkers", p.get("TargetWorkers")); err != nil {
			return err
		}
		next.TargetWorkers = p.get("TargetWorkers")
	}
	if n, present, err := p.integer("MaxReservedWorkers", 1, maxReservedWorkersMax); err != nil {
		return err
	} else if present {
		next.MaxReservedWorkers = n
	}
	if order, present, err := p.enum("TaskOrder", "FIFO", "LIFO"); err != nil {
		return err
	} else if present {
		next.TaskOrder = order
	}
	if sid, present, err := p.activityRef(ws, "ReservationActivitySid"); err != nil {
		return err
	} else if present {
		next.ReservationActivitySID = sid
	}
	if sid, present, err := p.activityRef(ws, "AssignmentActivitySid"); err != nil {
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
		return invalid("%s must not be empty", param)
	}
	if _, err := expression.Parse(src); err != nil {
		return invalid("Invalid %s expression %q: %v", param, src, err)
	}
	return nil
}

func fetchTaskQueue(e *Emulator, c *call) (*reply, error) {
	e.store.mu.RLock()
	defer e.store.mu.RUnlock()
	ws, q, err := e.lookupTaskQueue(c)
	if err != nil {
		return nil, err
	}
	return ok(renderTaskQueue(c, ws, q)), nil
}

func updateTaskQueue(e *Emulator, c *call) (*reply, error) {
	e.store.mu.Lock()
	defer e.store.mu.Unlock()
	ws, q, err := e.lookupTaskQueue(c)
	if err != nil {
		return nil, err
	}
	if err := applyTaskQueueParams(ws, q, c.params); err != nil {
		return nil, err
	}
	q.DateUpdated = e.store.timestamp()
	return ok(renderTaskQueue(c, ws, q)), nil
}

func deleteTaskQueue(e *Emulator, c *call) (*reply, error) {
	e.store.mu.Lock()
	defer e.store.mu.Unlock()
	ws, q, err := e.lookupTaskQueue(c)
	if err != nil {
		return nil, err
	}
	if err := ws.checkDeleteGuards(KindTaskQueue, q.SID); err != nil {
		return nil, err
	}
	delete(ws.taskQueues, q.SID)
	return noContent(), nil
}

// taskQueueTargeted refuses to delete a queue a workflow still routes to.
func taskQueueTargeted(ws *workspaceState, kind Kind, sid string) error {
	if kind != KindTaskQueue {
		return nil
	}
	for _, wf := range ws.sortedWorkflows() {
		if wf.routing != nil && wf.routing.targets(sid) {
			return invalid("TaskQueue %s cannot be deleted: Workflow %s (%s) targets it", sid, wf.SID, wf.FriendlyName)
		}
	}
	return nil
}
