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

import "net/url"

// CreateTask creates a task in ws from REST create parameters (WorkflowSid,
// Attributes, Priority, Timeout, TaskChannel, ...), routes it and offers it to a
// worker, exactly as POST Tasks does.
func (a *Admin) CreateTask(ws string, params url.Values) (out Task, err error) {
	err = a.writeWorkspace(ws, func(w *workspaceState) error {
		t, cerr := a.e.store.createTask(w, form(params))
		if cerr == nil {
			out = *t
		}
		return cerr
	})
	return out, err
}

// UpdateTask applies REST update parameters (AssignmentStatus, Reason,
// Attributes, Priority, ...) to a task, with the API's rules.
func (a *Admin) UpdateTask(ws, taskSID string, params url.Values) (out Task, err error) {
	err = a.writeTask(ws, taskSID, func(w *workspaceState, st *taskState, t *Task) error {
		if uerr := a.e.store.updateTask(w, t, form(params)); uerr != nil {
			return uerr
		}
		out = *t
		return nil
	})
	return out, err
}

// AcceptReservation accepts the reservation of a reserved task, as its worker
// would: the task becomes assigned.
func (a *Admin) AcceptReservation(ws, taskSID string) error {
	return a.writeTask(ws, taskSID, func(w *workspaceState, st *taskState, t *Task) error {
		return a.e.store.accept(w, st, t)
	})
}

// RejectReservation rejects the reservation of a reserved task, as its worker
// would: the task is pending again and offered to another eligible worker.
func (a *Admin) RejectReservation(ws, taskSID string) error {
	return a.writeTask(ws, taskSID, func(w *workspaceState, st *taskState, t *Task) error {
		return a.e.store.release(w, st, t, evReservationRejected)
	})
}

// RunTimers applies, at the emulator clock's now, the timers TaskRouter runs
// on its own: task Timeouts and reservation timeouts; then offers pending tasks
// to available workers (e.g. workers created directly in an available activity).
func (a *Admin) RunTimers() {
	a.e.store.mu.Lock()
	defer a.e.store.mu.Unlock()
	for _, ws := range a.e.store.sortedWorkspaces() {
		if peekTasks(ws) != nil {
			a.e.store.expireTimers(ws, tasksOf(ws, a.e.store))
		}
	}
}

// Tasks lists the tasks of workspace ws in creation order.
func (a *Admin) Tasks(ws string) (out []Task) {
	a.readWorkspace(ws, func(w *workspaceState) { out = values(readTasks(w).sortedTasks()) })
	return out
}

// Task fetches one task.
func (a *Admin) Task(ws, sid string) (out Task, found bool) {
	a.readWorkspace(ws, func(w *workspaceState) { out, found = lookup(readTasks(w).tasks, sid) })
	return out, found
}

// writeTask runs fn on task sid of workspace ws under the write lock.
func (a *Admin) writeTask(ws, sid string, fn func(w *workspaceState, st *taskState, t *Task) error) error {
	return a.writeWorkspace(ws, func(w *workspaceState) error {
		st := tasksOf(w, a.e.store)
		t, ok := st.tasks[sid]
		if !ok {
			return notFound("Task", sid)
		}
		return fn(w, st, t)
	})
}
