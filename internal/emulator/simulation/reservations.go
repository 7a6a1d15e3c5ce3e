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

// A task's life: pending in a queue, reserved to one worker, assigned when the
// worker accepts, wrapping, completed; canceled while pending or reserved. Every
// step records the event statistics count. All functions here run with the store
// lock held for writing.

// touch stamps a change of t.
func touch(t *Task, now time.Time) {
	t.DateUpdated = now
	t.Version++
}

// taskEvent is the event of kind about t, with the task's current scope.
func taskEvent(kind eventKind, t *Task, now time.Time) statEvent {
	return statEvent{at: now, kind: kind, task: t.SID, queue: t.TaskQueueSID, workflow: t.WorkflowSID,
		worker: t.WorkerSID, channel: t.TaskChannelSID}
}

// reserve offers t to w: the task is reserved and, when the queue says so, the
// worker moves to the queue's reservation activity.
func (s *Simulation) reserve(ws *state.WorkspaceState, st *taskState, t *Task, w *state.Worker) {
	now := s.timestamp()
	t.AssignmentStatus, t.WorkerSID, t.ReservedAt = TaskReserved, w.SID, now
	touch(t, now)
	st.record(taskEvent(evReservationCreated, t, now))
	if q := ws.TaskQueues[t.TaskQueueSID]; q != nil && q.ReservationActivitySID != "" {
		if _, ok := ws.Activities[q.ReservationActivitySID]; ok {
			s.setWorkerActivity(ws, w, q.ReservationActivitySID)
		}
	}
}

// accept assigns a reserved task to its worker, moving the worker to the queue's
// assignment activity when it has one.
func (s *Simulation) accept(ws *state.WorkspaceState, st *taskState, t *Task) error {
	if t.AssignmentStatus != TaskReserved {
		return api.Invalid("Task %s is %s; only a reserved Task's reservation can be accepted", t.SID, t.AssignmentStatus)
	}
	now := s.timestamp()
	t.AssignmentStatus = TaskAssigned
	touch(t, now)
	ev := taskEvent(evReservationAccepted, t, now)
	ev.wait, ev.queueWait = now.Sub(t.DateCreated), now.Sub(t.TaskQueueEnteredDate)
	st.record(ev)
	q, w := ws.TaskQueues[t.TaskQueueSID], ws.Workers[t.WorkerSID]
	if q != nil && w != nil && q.AssignmentActivitySID != "" {
		if _, ok := ws.Activities[q.AssignmentActivitySID]; ok {
			s.setWorkerActivity(ws, w, q.AssignmentActivitySID)
		}
	}
	return nil
}

// release ends t's reservation without assignment (rejected, timed out or
// rescinded): the task is pending again and not offered to that worker anew.
func (s *Simulation) release(ws *state.WorkspaceState, st *taskState, t *Task, kind eventKind) error {
	if t.AssignmentStatus != TaskReserved {
		return api.Invalid("Task %s is %s; only a reserved Task's reservation can be rejected", t.SID, t.AssignmentStatus)
	}
	now := s.timestamp()
	st.record(taskEvent(kind, t, now))
	if t.rejectedBy == nil {
		t.rejectedBy = map[string]bool{}
	}
	t.rejectedBy[t.WorkerSID] = true
	worker := ws.Workers[t.WorkerSID]
	t.AssignmentStatus, t.WorkerSID, t.ReservedAt = TaskPending, "", time.Time{}
	touch(t, now)
	if kind == evReservationTimedOut && worker != nil && ws.TimeoutActivitySID != "" {
		// TaskRouter moves a worker who lets a reservation time out to the
		// workspace's timeout activity.
		s.setWorkerActivity(ws, worker, ws.TimeoutActivitySID)
	}
	s.dispatch(ws, st)
	return nil
}

// setTaskStatus applies an AssignmentStatus update as TaskRouter allows it:
// canceled from pending or reserved, wrapping from assigned, completed from
// assigned or wrapping.
func (s *Simulation) setTaskStatus(ws *state.WorkspaceState, st *taskState, t *Task, status, reason string) error {
	if status == t.AssignmentStatus {
		return nil
	}
	if err := checkTransition(t, status); err != nil {
		return err
	}
	now := s.timestamp()
	switch status {
	case TaskCanceled:
		s.cancelTask(st, t, reason, now)
	case TaskWrapping:
		t.AssignmentStatus = TaskWrapping
	case TaskCompleted:
		t.AssignmentStatus, t.Reason = TaskCompleted, reason
		st.record(taskEvent(evTaskCompleted, t, now))
	}
	touch(t, now)
	if status != TaskWrapping {
		s.dispatch(ws, st)
	}
	return nil
}

// cancelTask cancels a pending or reserved task, canceling its reservation.
func (s *Simulation) cancelTask(st *taskState, t *Task, reason string, now time.Time) {
	if t.AssignmentStatus == TaskReserved {
		st.record(taskEvent(evReservationCanceled, t, now))
	}
	t.AssignmentStatus, t.Reason, t.WorkerSID = TaskCanceled, reason, ""
	ev := taskEvent(evTaskCanceled, t, now)
	ev.wait = now.Sub(t.DateCreated)
	st.record(ev)
	touch(t, now)
}

// removeTask removes t; a pending reservation of it is canceled and its worker
// is free for other tasks.
func (s *Simulation) removeTask(ws *state.WorkspaceState, t *Task) {
	st := s.tasksOf(ws)
	now := s.timestamp()
	if t.AssignmentStatus == TaskReserved {
		st.record(taskEvent(evReservationCanceled, t, now))
	}
	st.record(taskEvent(evTaskDeleted, t, now))
	delete(st.tasks, t.SID)
	s.dispatch(ws, st)
}

// expireTimers applies the clocks TaskRouter runs: a task older than its
// Timeout is canceled ("Task TTL Exceeded"), and a reservation older than its
// workflow's TaskReservationTimeout times out.
func (s *Simulation) expireTimers(ws *state.WorkspaceState, st *taskState) {
	now := s.timestamp()
	for _, t := range st.sortedTasks() {
		switch {
		case (t.AssignmentStatus == TaskPending || t.AssignmentStatus == TaskReserved) &&
			now.Sub(t.DateCreated) >= time.Duration(t.Timeout)*time.Second:
			s.cancelTask(st, t, "Task TTL Exceeded", now)
		case t.AssignmentStatus == TaskReserved && ws.Workers[t.WorkerSID] == nil:
			// The worker was deleted: TaskRouter rescinds its reservations.
			_ = s.release(ws, st, t, evReservationRescinded)
		case t.AssignmentStatus == TaskReserved && now.Sub(t.ReservedAt) >= reservationTimeout(ws, t):
			_ = s.release(ws, st, t, evReservationTimedOut)
		}
	}
	s.dispatch(ws, st)
}

// reservationTimeout is the workflow's TaskReservationTimeout, or TaskRouter's
// default for tasks routed without one.
func reservationTimeout(ws *state.WorkspaceState, t *Task) time.Duration {
	if wf := ws.Workflows[t.WorkflowSID]; wf != nil && wf.TaskReservationTimeout > 0 {
		return time.Duration(wf.TaskReservationTimeout) * time.Second
	}
	return defaultReservationTimeout * time.Second
}
