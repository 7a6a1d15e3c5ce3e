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
	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator/api"
	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator/state"
)

// What the emulator's Admin does with tasks, as an agent, a caller or the
// clock would. The caller holds the store's lock (for writing when it changes
// something) and has looked up the workspace.

// CreateTask creates a task in ws from REST create parameters (WorkflowSid,
// Attributes, Priority, Timeout, TaskChannel, ...), routes it and offers it to a
// worker, exactly as POST Tasks does.
func (s *Simulation) CreateTask(ws *state.WorkspaceState, p api.Form) (*Task, error) {
	return s.newTask(ws, p)
}

// UpdateTask applies REST update parameters (AssignmentStatus, Reason,
// Attributes, Priority, ...) to task sid of ws, with the API's rules.
func (s *Simulation) UpdateTask(ws *state.WorkspaceState, sid string, p api.Form) (*Task, error) {
	t, err := s.task(ws, sid)
	if err != nil {
		return nil, err
	}
	return t, s.applyTaskUpdate(ws, t, p)
}

// AcceptReservation accepts the reservation of reserved task sid, as its worker
// would: the task becomes assigned.
func (s *Simulation) AcceptReservation(ws *state.WorkspaceState, sid string) error {
	t, err := s.task(ws, sid)
	if err != nil {
		return err
	}
	return s.accept(ws, s.tasksOf(ws), t)
}

// RejectReservation rejects the reservation of reserved task sid, as its worker
// would: the task is pending again and offered to another eligible worker.
func (s *Simulation) RejectReservation(ws *state.WorkspaceState, sid string) error {
	t, err := s.task(ws, sid)
	if err != nil {
		return err
	}
	return s.release(ws, s.tasksOf(ws), t, evReservationRejected)
}

// RunTimers applies, at the store clock's now, the timers TaskRouter runs on its
// own in every workspace with tasks: task Timeouts and reservation timeouts;
// then offers pending tasks to available workers (e.g. workers created directly
// in an available activity).
func (s *Simulation) RunTimers() {
	for _, ws := range s.store.SortedWorkspaces() {
		if st := s.workspaces[ws.SID]; st != nil {
			s.expireTimers(ws, st)
		}
	}
}

// Tasks lists the tasks of ws in creation order.
func (s *Simulation) Tasks(ws *state.WorkspaceState) []*Task { return s.readTasks(ws).sortedTasks() }

// Task finds task sid of ws.
func (s *Simulation) Task(ws *state.WorkspaceState, sid string) (*Task, bool) {
	t, ok := s.readTasks(ws).tasks[sid]
	return t, ok
}

// task finds task sid of ws or answers TaskRouter's 404.
func (s *Simulation) task(ws *state.WorkspaceState, sid string) (*Task, error) {
	if t, ok := s.readTasks(ws).tasks[sid]; ok {
		return t, nil
	}
	return nil, api.NotFound("Task", sid)
}

// maxAssignTasks bounds AssignTasks to what one channel can hold.
const maxAssignTasks = 50

// AssignTasks gives worker n tasks on channel (a unique name or TC SID),
// already assigned, as if it had accepted them: not routed, in no queue or
// workflow, whatever the worker's activity or capacity. The events are those
// of an accepted reservation, so statistics count them.
func (s *Simulation) AssignTasks(ws *state.WorkspaceState, worker, channel string, n int) ([]*Task, error) {
	if ws.Workers[worker] == nil {
		return nil, api.NotFound("Worker", worker)
	}
	channelSID, ok := ws.TaskChannelRef(channel)
	if !ok {
		return nil, api.Invalid("TaskChannel %q is not a TaskChannel of Workspace %s", channel, ws.SID)
	}
	if n < 1 || n > maxAssignTasks {
		return nil, api.Invalid("Cannot assign %d tasks: assign between 1 and %d", n, maxAssignTasks)
	}
	st := s.tasksOf(ws)
	now := s.timestamp()
	var out []*Task
	for range n {
		t := &Task{SID: state.NewSID(prefixTask), WorkspaceSID: ws.SID, TaskChannelSID: channelSID, Attributes: "{}",
			AssignmentStatus: TaskAssigned, Timeout: defaultTaskTimeout, WorkerSID: worker, DateCreated: now,
			DateUpdated: now, VirtualStartTime: now, ReservedAt: now, Version: 1, seq: s.store.NextSeq()}
		st.tasks[t.SID] = t
		for _, kind := range []eventKind{evTaskCreated, evReservationCreated, evReservationAccepted} {
			st.record(taskEvent(kind, t, now))
		}
		out = append(out, t)
	}
	return out, nil
}
