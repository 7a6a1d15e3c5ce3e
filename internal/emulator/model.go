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
	"crypto/rand"
	"encoding/hex"
	"time"
)

// Kind names a TaskRouter resource type the emulator stores.
type Kind string

// The resource kinds of the core store.
const (
	KindWorkspace   Kind = "workspace"
	KindActivity    Kind = "activity"
	KindTaskQueue   Kind = "task_queue"
	KindWorkflow    Kind = "workflow"
	KindWorker      Kind = "worker"
	KindTaskChannel Kind = "task_channel"
)

// SID prefixes, as TaskRouter issues them.
const (
	prefixWorkspace   = "WS"
	prefixActivity    = "WA"
	prefixTaskQueue   = "WQ"
	prefixWorkflow    = "WW"
	prefixWorker      = "WK"
	prefixTaskChannel = "TC"
)

// Limits TaskRouter enforces per workspace and per field.
const (
	maxFriendlyNameLen    = 64
	maxActivities         = 100
	maxTaskQueues         = 5000
	maxWorkerAttributes   = 4096
	maxWorkflowConfigSize = 1 << 20
	maxReservedWorkersMax = 50
	maxReservationTimeout = 86400
)

// timeFormat is the spec's date-time format (ISO 8601 in UTC, whole seconds), the
// one every TaskRouter v1 example uses.
const timeFormat = "2006-01-02T15:04:05Z"

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
	// routing is Configuration parsed once at write time, for the router.
	routing *taskRouting
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

// newSID returns prefix + 32 lowercase hex digits, the shape of every Twilio SID.
func newSID(prefix string) string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		// crypto/rand never fails on supported platforms; a panic beats a duplicate SID.
		panic("emulator: crypto/rand: " + err.Error())
	}
	return prefix + hex.EncodeToString(b[:])
}

// isSID reports whether s has the shape prefix + 32 hex digits.
func isSID(s, prefix string) bool {
	if len(s) != 34 || s[:2] != prefix {
		return false
	}
	_, err := hex.DecodeString(s[2:])
	return err == nil
}

func formatTime(t time.Time) string { return t.UTC().Format(timeFormat) }
