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
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/taskrouter-operator/taskrouter-operator/internal/expression"
)

func init() {
	registerRoutes(taskRoutes)
	deleteGuards = append(deleteGuards, queueHasWaitingTasks)
}

func taskRoutes() []route {
	const coll, item = "/v1/Workspaces/{WorkspaceSid}/Tasks", "/v1/Workspaces/{WorkspaceSid}/Tasks/{Sid}"
	return []route{
		{method: http.MethodGet, pattern: coll, kind: KindTask, list: true, handle: listTasks},
		{method: http.MethodPost, pattern: coll, kind: KindTask, create: true, handle: createTask},
		{method: http.MethodGet, pattern: item, kind: KindTask, handle: fetchTask},
		{method: http.MethodPost, pattern: item, kind: KindTask, handle: updateTask},
		{method: http.MethodDelete, pattern: item, kind: KindTask, handle: deleteTask},
	}
}

// taskETag is the task's version as an ETag.
func taskETag(t *Task) string { return `"` + strconv.Itoa(t.Version) + `"` }

// checkTaskIfMatch answers 412 when If-Match names another version of t.
func checkTaskIfMatch(c *call, t *Task) error {
	want := c.header.Get("If-Match")
	if want == "" || want == "*" || strings.Trim(want, `" `) == strconv.Itoa(t.Version) {
		return nil
	}
	return &APIError{Status: 412, Code: CodePrecondition,
		Message: "Task " + t.SID + " has changed: If-Match " + want + " does not match ETag " + taskETag(t)}
}

// renderTask renders t; lists leave attributes null, as the spec says TaskRouter does.
func renderTask(c *call, ws *workspaceState, t *Task, now time.Time, withAttributes bool) map[string]any {
	wsURL := c.resourceURL("/v1/Workspaces/" + t.WorkspaceSID)
	self := wsURL + "/Tasks/" + t.SID
	var attributes any
	if withAttributes {
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
		enteredQueue = formatTime(t.TaskQueueEnteredDate)
	}
	return map[string]any{
		"account_sid":              accountOf(c),
		"addons":                   "{}",
		"age":                      int(now.Sub(t.DateCreated) / time.Second),
		"assignment_status":        t.AssignmentStatus,
		"attributes":               attributes,
		"date_created":             formatTime(t.DateCreated),
		"date_updated":             formatTime(t.DateUpdated),
		"ignore_capacity":          false,
		"links":                    links,
		"priority":                 t.Priority,
		"reason":                   nullable(t.Reason),
		"routing_target":           nullable(t.routingTarget),
		"sid":                      t.SID,
		"task_channel_sid":         nullable(t.TaskChannelSID),
		"task_channel_unique_name": nullable(ws.channelUniqueName(t.TaskChannelSID)),
		"task_queue_entered_date":  enteredQueue,
		"task_queue_friendly_name": nullable(ws.queueName(t.TaskQueueSID)),
		"task_queue_sid":           nullable(t.TaskQueueSID),
		"timeout":                  t.Timeout,
		"url":                      self,
		"virtual_start_time":       formatTime(t.VirtualStartTime),
		"workflow_friendly_name":   nullable(ws.workflowName(t.WorkflowSID)),
		"workflow_sid":             nullable(t.WorkflowSID),
		"workspace_sid":            t.WorkspaceSID,
	}
}

// queueName is the friendly name of queue sid, or "" when it does not exist.
func (ws *workspaceState) queueName(sid string) string {
	if q, ok := ws.taskQueues[sid]; ok {
		return q.FriendlyName
	}
	return ""
}

// workflowName is the friendly name of workflow sid, or "" when it does not exist.
func (ws *workspaceState) workflowName(sid string) string {
	if w, ok := ws.workflows[sid]; ok {
		return w.FriendlyName
	}
	return ""
}

// channelUniqueName is the unique name of task channel sid, or "".
func (ws *workspaceState) channelUniqueName(sid string) string {
	if c, ok := ws.taskChannels[sid]; ok {
		return c.UniqueName
	}
	return ""
}

// taskChannelRef resolves a TaskChannel parameter (unique name or SID).
func (ws *workspaceState) taskChannelRef(ref string) (string, bool) {
	for _, c := range ws.taskChannels {
		if c.SID == ref || c.UniqueName == ref {
			return c.SID, true
		}
	}
	return "", false
}

// taskReply adds the task's ETag to rep.
func taskReply(rep *reply, t *Task) *reply {
	rep.header.Set("ETag", taskETag(t))
	return rep
}

// lookupTask finds a task of the call's workspace. Caller holds mu.
func (e *Emulator) lookupTask(c *call) (*workspaceState, *Task, error) {
	return lookupObject(e, c, "Task", func(w *workspaceState) map[string]*Task { return readTasks(w).tasks })
}

func createTask(e *Emulator, c *call) (*reply, error) {
	e.store.mu.Lock()
	defer e.store.mu.Unlock()
	ws, err := e.store.workspace(c.vars["WorkspaceSid"])
	if err != nil {
		return nil, err
	}
	t, err := e.store.createTask(ws, c.params)
	if err != nil {
		return nil, err
	}
	return taskReply(created(renderTask(c, ws, t, e.store.timestamp(), true)), t), nil
}

func fetchTask(e *Emulator, c *call) (*reply, error) {
	e.store.mu.RLock()
	defer e.store.mu.RUnlock()
	ws, t, err := e.lookupTask(c)
	if err != nil {
		return nil, err
	}
	return taskReply(ok(renderTask(c, ws, t, e.store.timestamp(), true)), t), nil
}

func updateTask(e *Emulator, c *call) (*reply, error) {
	e.store.mu.Lock()
	defer e.store.mu.Unlock()
	ws, t, err := e.lookupTask(c)
	if err != nil {
		return nil, err
	}
	if err := checkTaskIfMatch(c, t); err != nil {
		return nil, err
	}
	if err := e.store.updateTask(ws, t, c.params); err != nil {
		return nil, err
	}
	return taskReply(ok(renderTask(c, ws, t, e.store.timestamp(), true)), t), nil
}

func deleteTask(e *Emulator, c *call) (*reply, error) {
	e.store.mu.Lock()
	defer e.store.mu.Unlock()
	ws, t, err := e.lookupTask(c)
	if err != nil {
		return nil, err
	}
	if err := checkTaskIfMatch(c, t); err != nil {
		return nil, err
	}
	e.store.deleteTask(ws, t)
	return noContent(), nil
}

func listTasks(e *Emulator, c *call) (*reply, error) {
	e.store.mu.RLock()
	defer e.store.mu.RUnlock()
	ws, err := e.store.workspace(c.vars["WorkspaceSid"])
	if err != nil {
		return nil, err
	}
	match, err := taskFilter(ws, c.params)
	if err != nil {
		return nil, err
	}
	var items []*Task
	for _, t := range readTasks(ws).sortedTasks() {
		if match(t) {
			items = append(items, t)
		}
	}
	now := e.store.timestamp()
	return paginate(c, "tasks", items, func(t *Task) uint64 { return t.seq },
		func(t *Task) any { return renderTask(c, ws, t, now, false) })
}

// taskFilter builds the predicate of a Tasks list call's filters.
func taskFilter(ws *workspaceState, p form) (func(*Task) bool, error) {
	checks, err := taskStatusFilter(p)
	if err != nil {
		return nil, err
	}
	for param, field := range map[string]func(*Task) string{
		"TaskQueueSid":  func(t *Task) string { return t.TaskQueueSID },
		"TaskQueueName": func(t *Task) string { return ws.queueName(t.TaskQueueSID) },
		"WorkflowSid":   func(t *Task) string { return t.WorkflowSID },
		"WorkflowName":  func(t *Task) string { return ws.workflowName(t.WorkflowSID) },
		"RoutingTarget": func(t *Task) string { return t.routingTarget },
	} {
		if want := p.get(param); want != "" {
			checks = append(checks, func(t *Task) bool { return field(t) == want })
		}
	}
	if n, present, err := p.integer("Priority", 0, maxTaskPriority); err != nil {
		return nil, err
	} else if present {
		checks = append(checks, func(t *Task) bool { return t.Priority == n })
	}
	if src := p.get("EvaluateTaskAttributes"); src != "" {
		expr, err := expression.Parse(src)
		if err != nil {
			return nil, invalid("Invalid EvaluateTaskAttributes expression %q: %v", src, err)
		}
		checks = append(checks, func(t *Task) bool { return expr.Evaluate(t.attributeMap()) })
	}
	if hasAddons, present, err := p.boolean("HasAddons"); err != nil {
		return nil, err
	} else if present && hasAddons {
		// The emulator installs no Add-ons, so no task has any.
		checks = append(checks, func(*Task) bool { return false })
	}
	if err := validateOrdering(p.get("Ordering")); err != nil {
		return nil, err
	}
	return func(t *Task) bool {
		for _, check := range checks {
			if !check(t) {
				return false
			}
		}
		return true
	}, nil
}

// taskStatusFilter reads AssignmentStatus, repeated or comma-separated.
func taskStatusFilter(p form) ([]func(*Task) bool, error) {
	want := map[string]bool{}
	for _, v := range p["AssignmentStatus"] {
		for _, status := range strings.Split(v, ",") {
			status = strings.TrimSpace(status)
			if !slices.Contains(taskStatuses, status) {
				return nil, invalid("Invalid AssignmentStatus %q: it must be one of %s", status, strings.Join(taskStatuses, ", "))
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
// are always served in creation order (see doc_routing.go).
func validateOrdering(ordering string) error {
	if ordering == "" {
		return nil
	}
	for _, item := range strings.Split(ordering, ",") {
		attr, order, found := strings.Cut(strings.TrimSpace(item), ":")
		if !found || !slices.Contains([]string{"DateCreated", "Priority", "VirtualStartTime"}, attr) ||
			(order != "asc" && order != "desc") {
			return invalid("Invalid Ordering %q: want Attribute:Order with DateCreated, Priority or VirtualStartTime and asc or desc", item)
		}
	}
	return nil
}

// queueHasWaitingTasks refuses to delete a queue that tasks still wait in
// (pending or reserved), as TaskRouter does.
func queueHasWaitingTasks(ws *workspaceState, kind Kind, sid string) error {
	if kind != KindTaskQueue {
		return nil
	}
	for _, t := range readTasks(ws).sortedTasks() {
		if t.TaskQueueSID == sid && (t.AssignmentStatus == TaskPending || t.AssignmentStatus == TaskReserved) {
			return invalid("TaskQueue %s cannot be deleted: Task %s is %s in it", sid, t.SID, t.AssignmentStatus)
		}
	}
	return nil
}
