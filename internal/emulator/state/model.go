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

// Package state is the emulator's in-memory TaskRouter account: the workspaces
// and the objects the conformance core serves (Activities, TaskQueues,
// Workflows, Workers, TaskChannels), stored as records with the primitives to
// add, find, sort and remove them. Validation lives with the handlers of package
// emulator; tasks and what derives from them live in package simulation, which
// reads and changes this state through the same types.
package state

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"time"
)

// SID prefixes, as TaskRouter issues them.
const (
	PrefixWorkspace     = "WS"
	PrefixActivity      = "WA"
	PrefixTaskQueue     = "WQ"
	PrefixWorkflow      = "WW"
	PrefixWorker        = "WK"
	PrefixTaskChannel   = "TC"
	PrefixWorkerChannel = "WC"
)

// Workspace is the emulator's record of a TaskRouter Workspace.
type Workspace struct {
	SID                  string
	AccountSID           string
	FriendlyName         string
	EventCallbackURL     string
	EventsFilter         string
	MultiTaskEnabled     bool
	PrioritizeQueueOrder string
	DefaultActivitySID   string
	TimeoutActivitySID   string
	DateCreated          time.Time
	DateUpdated          time.Time
	seq                  uint64
}

// Activity is the emulator's record of a TaskRouter Activity.
type Activity struct {
	SID          string
	WorkspaceSID string
	FriendlyName string
	Available    bool
	DateCreated  time.Time
	DateUpdated  time.Time
	seq          uint64
}

// TaskQueue is the emulator's record of a TaskRouter TaskQueue.
type TaskQueue struct {
	SID                    string
	WorkspaceSID           string
	FriendlyName           string
	TargetWorkers          string
	MaxReservedWorkers     int
	TaskOrder              string
	ReservationActivitySID string
	AssignmentActivitySID  string
	DateCreated            time.Time
	DateUpdated            time.Time
	seq                    uint64
}

// Workflow is the emulator's record of a TaskRouter Workflow.
type Workflow struct {
	SID                           string
	WorkspaceSID                  string
	FriendlyName                  string
	Configuration                 string
	AssignmentCallbackURL         string
	FallbackAssignmentCallbackURL string
	TaskReservationTimeout        int
	DateCreated                   time.Time
	DateUpdated                   time.Time
	// Routing is Configuration parsed once at write time, for the router.
	Routing *TaskRouting
	seq     uint64
}

// Worker is the emulator's record of a TaskRouter Worker.
type Worker struct {
	SID               string
	WorkspaceSID      string
	FriendlyName      string
	ActivitySID       string
	Attributes        string
	DateCreated       time.Time
	DateUpdated       time.Time
	DateStatusChanged time.Time
	// Version backs the ETag; it grows on every change of the worker.
	Version int
	seq     uint64
}

// AttributeMap is the worker's attributes as an expression context.
func (w *Worker) AttributeMap() map[string]any { return AttributeMap(w.Attributes) }

// AttributeMap reads stored attributes (a worker's, a task's) as an expression
// context. They were validated as a JSON object when written, so there is no
// error to report.
func AttributeMap(attributes string) map[string]any {
	m := map[string]any{}
	_ = json.Unmarshal([]byte(attributes), &m)
	return m
}

// TaskChannel is the emulator's record of a TaskRouter TaskChannel.
type TaskChannel struct {
	SID                     string
	WorkspaceSID            string
	FriendlyName            string
	UniqueName              string
	ChannelOptimizedRouting bool
	DateCreated             time.Time
	DateUpdated             time.Time
	seq                     uint64
}

// WorkerChannel is the emulator's record of a Worker's capacity for one
// TaskChannel. What it carries is configured (capacity, availability); the
// tasks it holds are counted from the simulation when it is reported.
type WorkerChannel struct {
	SID            string
	WorkspaceSID   string
	WorkerSID      string
	TaskChannelSID string
	// Capacity is how many tasks of the channel the worker takes at once.
	Capacity int
	// Available false keeps the worker from new tasks of the channel.
	Available   bool
	DateCreated time.Time
	DateUpdated time.Time
	seq         uint64
}

// ChannelLoad is what a worker holds on one channel: tasks reserved to it, and
// tasks assigned to it (assigned or wrapping, until completed).
type ChannelLoad struct {
	Reserved, Assigned int
}

// NewSID returns prefix + 32 lowercase hex digits, the shape of every Twilio SID.
func NewSID(prefix string) string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		// crypto/rand never fails on supported platforms; a panic beats a duplicate SID.
		panic("emulator: crypto/rand: " + err.Error())
	}
	return prefix + hex.EncodeToString(b[:])
}

// IsSID reports whether s has the shape prefix + 32 hex digits.
func IsSID(s, prefix string) bool {
	if len(s) != 34 || s[:2] != prefix {
		return false
	}
	_, err := hex.DecodeString(s[2:])
	return err == nil
}
