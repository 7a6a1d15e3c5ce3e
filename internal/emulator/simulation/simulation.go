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
	"time"

	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator/api"
	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator/state"
)

// Simulation is the part of the emulator that makes work flow: tasks, routing,
// reservations, the statistics counted from them, and Run, which plays callers
// and agents. The conformance core tells it what changed (a worker's activity, a
// deleted workspace), asks it whether an object may be deleted, and serves its
// routes. It keeps its state beside the core's, guarded by the same store lock:
// every exported method expects the caller to hold it (for writing when it
// changes something), except Run's, which take it themselves.
type Simulation struct {
	store *state.Store
	// seed is the default seed of a Run.
	seed int64
	// workspaces holds each workspace's tasks and events by workspace SID.
	workspaces map[string]*taskState
}

// New returns a simulation of the workspaces in store; seed is the default
// seed of its runs.
func New(store *state.Store, seed int64) *Simulation {
	return &Simulation{store: store, seed: seed, workspaces: map[string]*taskState{}}
}

// Routes are the API paths the simulation serves: Tasks and every Statistics
// resource.
func (s *Simulation) Routes() []api.Route {
	return append(s.taskRoutes(), s.statisticsRoutes()...)
}

// WorkerActivityChanged closes w's stay in its previous activity (for
// activity_durations) and, when w became available, offers it a task. The core
// calls it after every change of a worker's activity (REST, channel or Admin).
func (s *Simulation) WorkerActivityChanged(ws *state.WorkspaceState, w *state.Worker, previousActivitySID string) {
	st := s.tasksOf(ws)
	now := w.DateStatusChanged
	since, ok := st.activitySince[w.SID]
	if !ok {
		since = w.DateCreated
	}
	st.recordSpan(activitySpan{worker: w.SID, activity: previousActivitySID, from: since, to: now})
	st.activitySince[w.SID] = now
	if ws.WorkerAvailable(w) {
		s.dispatch(ws, st)
	}
}

// WorkerChannelChanged offers waiting tasks after a worker's channel changed
// capacity or availability.
func (s *Simulation) WorkerChannelChanged(ws *state.WorkspaceState) {
	s.dispatch(ws, s.tasksOf(ws))
}

// WorkerLoad is what worker holds on each of its channels, by TaskChannel SID.
func (s *Simulation) WorkerLoad(ws *state.WorkspaceState, worker string) map[string]state.ChannelLoad {
	return s.readTasks(ws).loads()[worker]
}

// MayDelete refuses, with TaskRouter's 400, to delete a queue that tasks still
// wait in (pending or reserved), or a TaskChannel that open tasks are on:
// waiting in a queue, or held by a worker's channel.
func (s *Simulation) MayDelete(ws *state.WorkspaceState, kind api.Kind, sid string) error {
	for _, t := range s.readTasks(ws).sortedTasks() {
		switch {
		case kind == api.KindTaskQueue && t.TaskQueueSID == sid &&
			(t.AssignmentStatus == TaskPending || t.AssignmentStatus == TaskReserved):
			return api.Invalid("TaskQueue %s cannot be deleted: Task %s is %s in it", sid, t.SID, t.AssignmentStatus)
		case kind == api.KindTaskChannel && t.TaskChannelSID == sid && t.AssignmentStatus == TaskPending:
			return api.Invalid("TaskChannel %s cannot be deleted: Task %s is pending on it", sid, t.SID)
		case kind == api.KindTaskChannel && t.TaskChannelSID == sid && t.Open():
			return api.Invalid("TaskChannel %s cannot be deleted: Worker %s holds Task %s (%s) on it",
				sid, t.WorkerSID, t.SID, t.AssignmentStatus)
		}
	}
	return nil
}

// WorkspaceDeleted forgets the tasks and events of a deleted workspace.
func (s *Simulation) WorkspaceDeleted(sid string) { delete(s.workspaces, sid) }

// tasksOf returns ws's task state, creating it. Caller holds the lock for writing.
func (s *Simulation) tasksOf(ws *state.WorkspaceState) *taskState {
	st := s.workspaces[ws.SID]
	if st == nil {
		st = newTaskState()
		s.workspaces[ws.SID] = st
	}
	return st
}

// readTasks returns ws's task state, or an empty one, without changing anything;
// safe under the read lock.
func (s *Simulation) readTasks(ws *state.WorkspaceState) *taskState {
	if st := s.workspaces[ws.SID]; st != nil {
		return st
	}
	return newTaskState()
}

// timestamp is the store's "now" at the resolution the API reports.
func (s *Simulation) timestamp() time.Time { return s.store.Timestamp() }

// setWorkerActivity moves w to activity sid and tells the simulation, as the
// core does for changes it makes.
func (s *Simulation) setWorkerActivity(ws *state.WorkspaceState, w *state.Worker, activitySID string) {
	if previous, changed := s.store.SetWorkerActivity(w, activitySID); changed {
		s.WorkerActivityChanged(ws, w, previous)
	}
}
