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

// Package simulation is the part of the emulator that makes work flow through
// the objects the conformance core (package emulator) keeps: tasks, routing,
// reservations, the statistics counted from them, and a Run that plays callers
// and agents for demos. The core builds it with New, serves its Routes, and
// calls it where something happens, each call explicit where it is made: after
// a worker's activity changed (WorkerActivityChanged) or a worker channel's
// capacity or availability did (WorkerChannelChanged), before an object is
// deleted (MayDelete), after a workspace is deleted (WorkspaceDeleted), and to
// report what a worker holds on its channels (WorkerLoad). It reads and changes
// the core's records through package state, under the store's lock.
//
// Tasks (tasks.go, task_write.go): create, fetch, update, list and delete
// under /v1/Workspaces/{WS}/Tasks with every property of the spec's task schema,
// SIDs WT + 32 hex, ETag and If-Match, attributes null in lists. Create takes
// RoutingTarget (workflow, queue or worker), else WorkflowSid, else TaskQueueSid,
// else the workspace's only workflow. List filters: AssignmentStatus (repeated or
// comma-separated), TaskQueueSid/Name, WorkflowSid/Name, Priority,
// EvaluateTaskAttributes, RoutingTarget, HasAddons. Ordering is validated, but
// lists are always in creation order (TaskRouter's default) so page tokens stay
// stable.
//
// Routing (routing.go): a task's workflow sends it to the first filter whose
// expression matches the task attributes (default_filter when none does), and to
// that filter's first target whose skip_if is false; skip_if sees
// workers.available, the available workers the target would offer the task to.
// When every target is skipped the default filter takes the task; with no default
// filter either the task stays pending without a queue until it times out. A
// target's priority applies unless the task was given one; its expression
// (worker.*, task.* and taskrouter.* keys) narrows the eligible workers; known_worker_sid and
// known_worker_friendly_name restrict the task to that worker. Target timeouts,
// order_by and queue escalation are not modelled. Updating a pending task's
// attributes routes it again; a queue change counts as tasks_moved.
//
// Time of day: filter and target expressions may read TaskRouter's
// taskrouter.currentTime (HHMM as a number), currentHour and currentMin
// (two-digit strings) and dayOfWeek (Mon..Sun), in UTC by the emulator's clock
// (Config.Now); any other taskrouter.* key is missing. Simplified: a filter is
// evaluated when the task is routed (created, or its attributes updated), never
// again as the clock moves; a target expression at every offer. In filters the
// keys replace a task attribute named "taskrouter".
//
// Eligibility and availability: a worker is eligible for a queue when the queue's
// TargetWorkers matches its attributes, available when its activity is.
//
// Capacity (capacity.go): a worker has room for a task when its activity is
// available and its WorkerChannel for the task's channel is available; then,
// in a workspace with multi_task_enabled, when it holds fewer tasks on that
// channel than the channel's capacity (channels count apart: one voice call
// and three chats at once), and without multitasking when it holds no task at
// all. Reserved, assigned and wrapping tasks hold capacity; assigned and
// wrapping ones are a WorkerChannel's assigned_tasks.
//
// Reservations (reservations.go), simplified: a task has at most one
// reservation at a time (MaxReservedWorkers is stored, not used). A pending
// task is reserved to an available, eligible worker with room for it, longest
// in its current activity first; a worker takes as many tasks as it has room
// for; tasks are offered by priority, then in their queue's FIFO/LIFO order.
// Offers happen when a task is created, routed again or released, when a
// worker's activity changes (any path: REST, channel, Admin), when a worker
// channel's capacity or availability changes, when a task a worker held ends,
// and at every Admin.RunTimers and simulation step (which catch workers
// created directly in an available activity or whose attributes changed). A reservation moves the worker to the queue's
// ReservationActivitySid, acceptance to its AssignmentActivitySid, when set.
// There is no Reservations REST resource: a reservation is accepted or rejected
// with Admin.AcceptReservation / Admin.RejectReservation, or by a Run.
// A rejected (or timed-out) reservation puts the task back to pending and it is
// not offered to that worker again. Through the Task resource TaskRouter's rules
// apply: canceled from pending or reserved, wrapping from assigned, completed
// from assigned or wrapping; anything else is 400. Timers run when tasks are
// written, at Admin.RunTimers and at each simulation step: a task older than its
// Timeout is canceled with reason "Task TTL Exceeded"; a reservation older than
// the workflow's TaskReservationTimeout times out and its worker moves to the
// workspace's timeout activity; a reservation of a deleted worker is rescinded.
// Deleting a queue with pending or reserved tasks is refused with 400.
//
// Statistics (statistics*.go) are computed from this state and from recorded
// events, with the emulator clock: real-time figures from the tasks present now
// (completed and canceled tasks count until deleted; the longest waiting task is
// the oldest pending or reserved one); cumulative figures from the events inside
// the window (Minutes, default 15, ending now or at EndDate; StartDate overrides
// Minutes; both ends inclusive). TaskChannel (SID or unique name) narrows both
// to the tasks and events of one channel, and a queue's total_available_workers
// to workers with room on it (assumed). Wait durations are
// whole seconds from task creation (and queue entry, for the queue figure) to
// acceptance or cancellation; avg_task_acceptance_time is served with a decimal
// point as TaskRouter serves it; split_by_wait_time is null unless
// SplitByWaitTime ("20,60": thresholds in seconds) is given, and then counts,
// per threshold, tasks canceled and reservations accepted above and below it. tasks_timed_out_in_workflow is always 0 (TTL expiry
// counts as a cancellation). Worker activity_durations add up, per activity,
// each worker's time in it within the window; min, max and avg are over the
// workers who spent time there. Each workspace keeps at most 100,000 events and
// activity spans; past that the older half is dropped.
//
// A Run (run.go; the emulator's Simulate) steps every workspace on a ticker:
// tasks arrive on every workflow (attributes borrowed from a random worker, plus
// "simulated": true)
// while the workspace has fewer than the cap of open tasks; reserved tasks are
// accepted or rejected, assigned ones wrap up, wrapping ones complete, waiting
// ones are sometimes abandoned, and free workers change activity. Only the 50
// newest finished tasks of a workspace are kept. It uses a PCG source seeded with
// the simulation's seed (Config.Seed, or the Seed option), so the same seed and
// clock give the same run.
package simulation
