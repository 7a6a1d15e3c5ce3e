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

	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator/state"
)

// prefixTask is the SID prefix TaskRouter gives Tasks.
const prefixTask = "WT"

// Task assignment statuses, as TaskRouter names them.
const (
	TaskPending   = "pending"
	TaskReserved  = "reserved"
	TaskAssigned  = "assigned"
	TaskWrapping  = "wrapping"
	TaskCompleted = "completed"
	TaskCanceled  = "canceled"
)

// taskStatuses lists every assignment status in the order statistics report them.
var taskStatuses = []string{TaskPending, TaskReserved, TaskAssigned, TaskWrapping, TaskCompleted, TaskCanceled}

// Task limits from the spec.
const (
	defaultTaskTimeout = 86400
	maxTaskTimeout     = 1209600
	maxTaskPriority    = 1<<31 - 1
	// defaultReservationTimeout applies to tasks routed without a workflow.
	defaultReservationTimeout = 120
)

// Task is the emulator's record of a TaskRouter Task.
type Task struct {
	SID              string
	WorkspaceSID     string
	WorkflowSID      string
	TaskQueueSID     string
	TaskChannelSID   string
	Attributes       string
	AssignmentStatus string
	Priority         int
	Timeout          int
	Reason           string
	// WorkerSID is the worker holding the task's reservation or assignment.
	WorkerSID            string
	DateCreated          time.Time
	DateUpdated          time.Time
	TaskQueueEnteredDate time.Time
	VirtualStartTime     time.Time
	// ReservedAt is when the current reservation was created.
	ReservedAt time.Time
	// Version backs the ETag; it grows on every change of the task.
	Version int
	// routingTarget is the RoutingTarget the task was created with.
	routingTarget string
	// knownWorker restricts the task to one worker (RoutingTarget WK..., or a
	// target's known_worker_sid / known_worker_friendly_name).
	knownWorker string
	// workerFilter is the matched target's worker expression, when it has one.
	workerFilter *state.RoutingTarget
	// rejectedBy are the workers that rejected or let time out a reservation of
	// the task; TaskRouter does not offer it to them again.
	rejectedBy map[string]bool
	seq        uint64
}

// Open reports whether t still waits for or occupies a worker.
func (t *Task) Open() bool {
	switch t.AssignmentStatus {
	case TaskPending, TaskReserved, TaskAssigned, TaskWrapping:
		return true
	}
	return false
}

// attributeMap is the task's attributes as an expression context.
func (t *Task) attributeMap() map[string]any { return state.AttributeMap(t.Attributes) }

// taskState is what the simulation keeps per workspace beyond the core's state:
// the tasks, the events statistics are counted from, and where each worker's
// time went.
type taskState struct {
	tasks  map[string]*Task
	events []statEvent
	// activitySince is when each worker entered its current activity, and spans
	// the finished stays, for activity_durations.
	activitySince map[string]time.Time
	spans         []activitySpan
}

func newTaskState() *taskState {
	return &taskState{tasks: map[string]*Task{}, activitySince: map[string]time.Time{}}
}

// sortedTasks returns the tasks in creation order.
func (st *taskState) sortedTasks() []*Task {
	return state.SortedBySeq(st.tasks, func(t *Task) uint64 { return t.seq })
}
