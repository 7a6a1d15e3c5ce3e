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
	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator/api"
	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator/simulation"
	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator/state"
)

// The records Admin returns and the names tests use, defined where they live
// (package state for the core's objects, simulation for tasks, api for errors)
// and named here so callers need only this package.
type (
	// Workspace is the emulator's record of a TaskRouter Workspace.
	Workspace = state.Workspace
	// Activity is the emulator's record of a TaskRouter Activity.
	Activity = state.Activity
	// TaskQueue is the emulator's record of a TaskRouter TaskQueue.
	TaskQueue = state.TaskQueue
	// Workflow is the emulator's record of a TaskRouter Workflow.
	Workflow = state.Workflow
	// Worker is the emulator's record of a TaskRouter Worker.
	Worker = state.Worker
	// TaskChannel is the emulator's record of a TaskRouter TaskChannel.
	TaskChannel = state.TaskChannel
	// Task is the emulator's record of a TaskRouter Task.
	Task = simulation.Task
	// Kind names a TaskRouter resource type.
	Kind = api.Kind
	// APIError is a Twilio error: the HTTP status and the JSON body
	// {"code","message","more_info","status"}.
	APIError = api.Error
)

// The resource kinds.
const (
	KindWorkspace     = api.KindWorkspace
	KindActivity      = api.KindActivity
	KindTaskQueue     = api.KindTaskQueue
	KindWorkflow      = api.KindWorkflow
	KindWorker        = api.KindWorker
	KindTaskChannel   = api.KindTaskChannel
	KindWorkerChannel = api.KindWorkerChannel
	KindTask          = api.KindTask
	KindStatistics    = api.KindStatistics
)

// Twilio error codes the emulator answers with.
const (
	CodeInvalidParameter = api.CodeInvalidParameter
	CodeAuthenticate     = api.CodeAuthenticate
	CodeMethodNotAllowed = api.CodeMethodNotAllowed
	CodeNotFound         = api.CodeNotFound
	CodeTooManyRequests  = api.CodeTooManyRequests
	CodeInternal         = api.CodeInternal
	CodePrecondition     = api.CodePrecondition
)

// Task assignment statuses, as TaskRouter names them.
const (
	TaskPending   = simulation.TaskPending
	TaskReserved  = simulation.TaskReserved
	TaskAssigned  = simulation.TaskAssigned
	TaskWrapping  = simulation.TaskWrapping
	TaskCompleted = simulation.TaskCompleted
	TaskCanceled  = simulation.TaskCanceled
)

// Limits TaskRouter enforces per workspace and per field, checked by the
// conformance core's handlers.
const (
	maxActivities         = 100
	maxTaskQueues         = 5000
	maxWorkerAttributes   = 4096
	maxReservedWorkersMax = 50
	maxReservationTimeout = 86400
)
