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

// Package taskrouter is the operator's typed client for Twilio TaskRouter v1: Workspaces, Activities,
// TaskQueues, Workflows, Workers and TaskChannels, each a Collection with the same five verbs (Create,
// Fetch, Update, Delete, List), and the statistics the operator mirrors.
//
// # Two transports
//
// An Account carries its calls one of two ways, chosen by AuthMode:
//
//   - Basic: REST to {TaskRouter}/v1/... with HTTP Basic auth, the API key (SK sid and secret)
//     when the credentials have one, else the account sid and auth token. Bodies are
//     application/x-www-form-urlencoded with booleans as true/false and repeated keys for lists.
//   - CapabilityToken: the TaskRouter.js way. Each call is a POST to
//     {EventBridge}/v1/wschannels/{AccountSid}/{Channel} with the JSON body
//     {"url", "method", "params", "token"}; params hold the query (GET) or form (POST) values as
//     strings, or string arrays for repeated keys. The token is minted with the auth token and allows
//     exactly that call: one object (ObjectScope on the WQ channel for a TaskQueue, the WK channel for a
//     Worker, the WS channel otherwise), one collection (list and create), the workspace itself, or one
//     statistics path. Tokens are cached until shortly before they expire. A 200 response's payload is
//     the REST resource; any other status carries a Twilio error body.
//
// A token cannot create, list or delete Workspaces, so those three always use Basic auth, with the
// API key when present and otherwise the account sid and auth token.
//
// # Hosts: per account
//
// {TaskRouter} and {EventBridge} are the account's own (Client.URLs, Account.URLs), chosen host by
// host: Config.Override when the field is set (the manager's --taskrouter-base-url and
// --event-bridge-base-url, when given); else, when the credentials name a Twilio Region and Edge
// Location, https://taskrouter.{edge}.{region}.twilio.com and the region's event-bridge host (see
// region.go: the table of valid pairs, with its sources, and the assumed event-bridge host); else
// Config.TaskRouterBaseURL and Config.EventBridgeBaseURL (Twilio's global hosts by default). Tokens are
// minted for the account's hosts, and its next_page_urls are followed only on its TaskRouter host.
// Rate limiters stay keyed by account sid.
//
// # Retries
//
// A failed attempt is repeated at most Config.MaxRetries times when repeating is safe: GET, DELETE and
// update POSTs on 429, 5xx and failures without a response. A create is repeated only on 429 (TaskRouter
// never processed it); after any other failure the object may exist, so the error goes back to the
// caller, which re-observes by friendly name. The wait is the response's Retry-After when present,
// else full jitter: uniform in [0, min(10s, 250ms·2^attempt)). A wait that would outlive the call's
// deadline is not taken: the error returns at once with RetryAfter set so the caller can requeue.
// A list page is decoded as it arrives, never held whole; one whose answer breaks off part way is
// read again like a lost answer, and its records are handed over again from the first.
// Every call is bounded by Config.Timeout (30s) unless the context already has a deadline.
//
// # Rate limit
//
// Each account (by sid, shared by all Account values for it) paces its reads (GET) and its writes
// (POST, DELETE) apart, by what TaskRouter says (see pacer): the pace starts at 10 calls per second,
// grows by a quarter each second while answers show budget left in X-Rate-Limit-Remaining (or carry
// no header), slows in proportion as the remaining budget falls to a tenth of X-Rate-Limit-Limit, and
// halves after a 429 that shows the budget spent, holding the class for Retry-After; a 429 with budget
// left is retried without slowing. Config.QPS (the manager's --api-qps) is the ceiling. Convergence
// is thus bounded by the account's own budget, not by a guess. Waits are reported to
// Metrics.ObserveRateLimitWait.
//
// # Errors
//
// Every remote failure is an *Error (Status 0 when no response arrived), classified once by
// IsNotFound, IsRetryable, IsTerminal, IsUnauthorized, IsInvalidParameter and IsPreconditionFailed.
// Error texts and debug logs name the operation, the endpoint and the object sid; they never contain
// credentials, tokens, request bodies or the Authorization header.
//
// # Choices where the sources are silent
//
//   - Through the channel, an If-Match (Worker update) is sent as the If-Match header of the channel
//     POST, and the Worker's ETag is read from the channel response's ETag header.
//   - Through the channel, a next page is requested with the next_page_url (query included) as the
//     body's url and empty params.
//   - next_page_url is followed only on the scheme and host of the account's TaskRouter base
//     (ErrForeignPageURL).
//   - A region's event-bridge host is event-bridge.{region}.twilio.com, the global host for us1, as
//     TaskRouter.js derives it (region.go).
package taskrouter
