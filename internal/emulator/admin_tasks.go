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
	"net/url"

	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator/api"
	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator/state"
)

// CreateTask creates a task in ws from REST create parameters (WorkflowSid,
// Attributes, Priority, Timeout, TaskChannel, ...), routes it and offers it to a
// worker, exactly as POST Tasks does.
func (a *Admin) CreateTask(ws string, params url.Values) (Task, error) {
	return createRecord(a, ws, params, a.e.tasks.CreateTask)
}

// UpdateTask applies REST update parameters (AssignmentStatus, Reason,
// Attributes, Priority, ...) to a task, with the API's rules.
func (a *Admin) UpdateTask(ws, taskSID string, params url.Values) (Task, error) {
	return writeRecord(a, ws, func(w *state.WorkspaceState) (*Task, error) {
		return a.e.tasks.UpdateTask(w, taskSID, api.Form(params))
	})
}

// AcceptReservation accepts the reservation of a reserved task, as its worker
// would: the task becomes assigned.
func (a *Admin) AcceptReservation(ws, taskSID string) error {
	return a.writeWorkspace(ws, func(w *state.WorkspaceState) error { return a.e.tasks.AcceptReservation(w, taskSID) })
}

// RejectReservation rejects the reservation of a reserved task, as its worker
// would: the task is pending again and offered to another eligible worker.
func (a *Admin) RejectReservation(ws, taskSID string) error {
	return a.writeWorkspace(ws, func(w *state.WorkspaceState) error { return a.e.tasks.RejectReservation(w, taskSID) })
}

// RunTimers applies, at the emulator clock's now, the timers TaskRouter runs
// on its own: task Timeouts and reservation timeouts; then offers pending tasks
// to available workers (e.g. workers created directly in an available activity).
func (a *Admin) RunTimers() {
	a.e.store.Lock()
	defer a.e.store.Unlock()
	a.e.tasks.RunTimers()
}

// Tasks lists the tasks of workspace ws in creation order.
func (a *Admin) Tasks(ws string) (out []Task) {
	a.readWorkspace(ws, func(w *state.WorkspaceState) { out = values(a.e.tasks.Tasks(w)) })
	return out
}

// Task fetches one task.
func (a *Admin) Task(ws, sid string) (out Task, found bool) {
	a.readWorkspace(ws, func(w *state.WorkspaceState) {
		if t, ok := a.e.tasks.Task(w, sid); ok {
			out, found = *t, true
		}
	})
	return out, found
}
