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

// Package preview answers, before a task arrives or a queue changes, what
// TaskRouter will do: which filter of a workflow a task matches, the targets it
// goes through with their queues, and for each how many workers are eligible
// and available right now (in an available activity, with room for the task
// on its channel); or which workers a TaskQueue's new targetWorkers would
// select compared with today's. It reads the live workers (and the channels of
// those in an available activity) once and evaluates every expression locally
// with the project's expression engine, routing exactly as the emulator's
// simulation does (internal/emulator/simulation), which the tests use as the
// oracle.
package preview

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/taskrouter-operator/taskrouter-operator/internal/taskrouter"
)

// Worker is a worker as preview evaluates it: what TaskRouter's worker list
// says of it and the attributes a fetch adds.
type Worker struct {
	SID, Name string
	// Activity is the name of its current activity; Available whether that
	// activity is an available one.
	Activity  string
	Available bool
	// Attributes are its attributes, decoded.
	Attributes map[string]any
	// StatusChanged is when it entered its current activity: the longest in it
	// is offered a task first.
	StatusChanged time.Time
	// Channels are its channels by TaskChannel unique name; nil when they were
	// not read (preview reads them for workers in an available activity only:
	// no task is offered to the others), and then capacity is not considered.
	Channels map[string]Channel
}

// Channel is a worker's capacity for one TaskChannel and what it holds there now.
type Channel struct {
	// Capacity is how many tasks of the channel it takes at once.
	Capacity int
	// Available false keeps it from new tasks of the channel.
	Available bool
	// Assigned counts its assigned and wrapping tasks on the channel.
	Assigned int
	// FreePercentage is TaskRouter's available_capacity_percentage: the share of
	// the capacity not held by reserved, assigned or wrapping tasks (0 when the
	// channel is unavailable).
	FreePercentage int
}

// WorkerOf decodes a worker TaskRouter returned (fetched: a list has no
// attributes) with its channels, when they were read.
func WorkerOf(w taskrouter.Worker, channels []taskrouter.WorkerChannel) (Worker, error) {
	attrs := map[string]any{}
	if w.Attributes != "" {
		if err := json.Unmarshal([]byte(w.Attributes), &attrs); err != nil {
			return Worker{}, fmt.Errorf("worker %q (%s): attributes are not a JSON object: %w", w.FriendlyName, w.SID, err)
		}
	}
	out := Worker{SID: w.SID, Name: w.FriendlyName, Activity: w.ActivityName, Available: w.Available,
		Attributes: attrs, StatusChanged: w.DateStatusChanged}
	if channels != nil {
		out.Channels = make(map[string]Channel, len(channels))
		for _, c := range channels {
			out.Channels[c.TaskChannelUniqueName] = Channel{Capacity: c.ConfiguredCapacity, Available: c.Available,
				Assigned: c.AssignedTasks, FreePercentage: c.AvailableCapacityPercentage}
		}
	}
	return out, nil
}

// Task is the task preview routes.
type Task struct {
	// Attributes are the task's attributes, as filter and target expressions read them.
	Attributes map[string]any
	// Channel is the unique name of the task's TaskChannel; TaskRouter puts a
	// task created without one on "default".
	Channel string
	// At is when the task arrives: what TaskRouter's time-of-day keys
	// (taskrouter.currentTime, ...) read; zero leaves them missing.
	At time.Time
}

// Workforce is the workers a task may be offered to and how their workspace
// counts what they hold.
type Workforce struct {
	Workers []Worker
	// MultiTask is the workspace's multi_task_enabled: a worker takes tasks of
	// a channel up to its capacity there, channels counting apart. Without it a
	// worker takes one task at a time, whatever its capacities.
	MultiTask bool
}

// Queue is a TaskQueue as preview evaluates it.
type Queue struct {
	// Name is its friendly name.
	Name string `json:"name"`
	// SID is empty for a queue that does not exist in TaskRouter yet (a file's).
	SID string `json:"sid,omitempty"`
	// Resource is the TaskQueue resource that stands for it, when one does.
	Resource string `json:"resource,omitempty"`
	// TargetWorkers selects its eligible workers.
	TargetWorkers string `json:"targetWorkers"`
}

// Label is how output names the queue: its friendly name.
func (q Queue) Label() string { return q.Name }

// Target is one routing step: a queue and what narrows or skips it.
type Target struct {
	Queue                   Queue
	Priority, Timeout       *int32
	Expression              string
	OrderBy                 string
	SkipIf                  string
	KnownWorkerSID          string
	KnownWorkerFriendlyName string
}

// Filter is one filter of a workflow.
type Filter struct {
	Name, Expression string
	Targets          []Target
}

// Routing is a workflow's task routing with its queues resolved.
type Routing struct {
	Filters []Filter
	// Default is the default filter's queue, nil when there is none.
	Default *Target
}
