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

// Package emulator is an in-memory Twilio TaskRouter. No machine of this project
// reaches Twilio, so the operator's tests, `make demo`, local development and
// users' own CI run against this emulator instead; what it answers is meant to be
// what TaskRouter would answer.
//
// One http.Handler plays both hosts: the REST API under /v1/Workspaces (Basic
// auth with AccountSid:AuthToken or an API key) and the event-bridge channel
// POST /v1/wschannels/{AccountSid}/{Channel} that TaskRouter.js uses with
// capability tokens. It also serves /metrics (its own Prometheus registry) and
// /healthz.
//
// Modelled faithfully:
//   - Workspaces, Activities, TaskQueues, Workflows, Workers, TaskChannels and
//     WorkerChannels: parameters, defaults and enums of the official OpenAPI
//     spec, every property of every response schema, SIDs, links and the list
//     envelope (records under meta.key; TaskChannels and WorkerChannels use
//     "channels" as the spec says).
//   - What a new workspace contains: Activities Offline, Available, Unavailable
//     (default and timeout activity Offline) and the TaskChannels default,
//     voice, chat, sms and video (the five TaskRouter's multitasking guide
//     names); Template=FIFO adds "Sample Queue" (1==1) and a "Default Fifo
//     Workflow" routing every task to it. A Flex project's workspace
//     (Admin.CreateFlexWorkspace, the program's --flex-workspace) adds the
//     email channel, the Break activity, the "Everyone" queue and the "Assign
//     to Anyone" workflow (flex.go).
//   - TaskChannels: unique_name unique in its workspace and never changed, at
//     most 15 per workspace; the default channel, and a channel open tasks
//     are on (pending, or held by a worker), cannot be deleted.
//   - WorkerChannels: one per TaskChannel on every worker (a new channel
//     appears on every worker), capacity 1 and available at first, capacity
//     0..50; fetched by WC SID or by the TaskChannel's unique name;
//     assigned_tasks and available_capacity_percentage follow the worker's
//     tasks.
//   - The rules TaskRouter enforces, answered 400/20001 with Twilio's error body;
//     unknown SIDs 404/20404; authentication 401/20003; policy denials 403.
//   - Capability tokens: signature, expiry, account, channel, workspace and the
//     policy URL matching of internal/capability.
//   - Pagination that stays stable while objects are added and removed (page
//     tokens carry the creation sequence of the last object seen).
//   - Worker ETag and If-Match; attributes null in Worker lists.
//   - Rate-limit headers on every answer, 429s, 500s and lost responses
//     (commitfail) on demand, with a seed for reproducible runs.
//   - Parameters are read as TaskRouter reads them: the query string for GET
//     and DELETE, a form-encoded POST body everywhere but the bulk TaskQueue
//     statistics call, whose body is JSON as the spec says. A body in another
//     encoding is not read: a create is refused for its missing required
//     parameter, an update changes nothing and answers 200 with the resource
//     as it was (the recorded Request shows no parameters). Every text
//     parameter, through REST or the channel, must be UTF-8; one that is not is
//     refused 400 (20001) naming it, lone JSON surrogate escapes included.
//   - A body is at most 4 MiB (a 1 MB Workflow configuration, form-encoded);
//     a larger one, or one shorter than its Content-Length, is answered 400.
//     The program (cmd/taskrouter-emulator) adds read, header, write and idle
//     timeouts, so a client that stops sending is answered within seconds.
//
// Simplified (assumptions are marked where they are made in the code):
//   - One account; state lives in memory and is gone when the process ends.
//   - Timestamps use the spec's ISO 8601 format at one-second resolution.
//   - Workflow configurations with unknown keys are refused; deleting an
//     Activity a TaskQueue uses as reservation or assignment activity is refused.
//   - The channel answers each call with event_type "<resource>.<verb>" (created,
//     updated, deleted, fetched, listed); Workspace create, list and delete are
//     refused on the channel because a token is scoped to one workspace.
//   - No callbacks are sent to EventCallbackUrl or assignment callback URLs.
//
// Admin gives tests a back door to read and change the state without
// authentication, faults or recording; Requests records every API call.
//
// Layout. This package is the conformance core: the HTTP entry points (REST and
// channel), authentication, fault injection, request records and metrics, and
// the handlers and rules of the resources the operator manages. Four packages
// below it keep the rest apart, so the core can be read alone:
//   - api: what every handler speaks (call, reply, route, parameters, Twilio's
//     error body, the paged list envelope); it knows no state.
//   - state: the account's records (workspaces and what they hold) and the
//     primitives to store and find them, under one lock; validation is not
//     there but in this package's handlers.
//   - resource: the handler steps every workspace-scoped kind shares (lock,
//     find the workspace and the record or answer 404, If-Match where the kind
//     has an ETag, render), written once and generic over the record type.
//     Each kind (activities.go, ..., the simulation's tasks.go) passes a
//     resource.Collection of plain functions with only what TaskRouter does
//     differently for it: its filters, rules, guards and rendering.
//     Workspaces (not inside a workspace) and WorkerChannels (inside a
//     worker, with no create or delete) keep handlers of their own.
//   - simulation: tasks, routing, reservations, statistics and Simulate's runs.
//     It reads and changes state's records, and the core reaches it only
//     through the simulationHooks interface: its routes; the points where a
//     worker's activity or channel changed, an object is about to be deleted,
//     or a workspace was deleted; and what a worker holds on its channels.
//
// New wires it all explicitly: every route and every delete guard is listed
// there; nothing registers itself.
package emulator
