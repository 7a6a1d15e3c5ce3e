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

// Package capability mints, verifies and evaluates TaskRouter capability tokens: the JWTs
// TaskRouter.js v1 presents to the event-bridge channel
// (POST {event-bridge}/v1/wschannels/{AccountSid}/{Channel}) in place of Basic auth.
// The operator's client mints them per call class; the emulator verifies them and applies
// their policies with Allowed; the Secret writer hands them to browser apps.
//
// # Tokens
//
// A token is HS256-signed with the account's auth token (an API key secret cannot sign
// one). Its claims are laid out exactly as the official helper libraries write them
// (twilio-node lib/jwt/taskrouter, twilio-php Jwt/TaskRouter, twilio-python
// twilio/jwt/taskrouter): iss and account_sid (the AccountSid), exp (now + TTL, one hour by
// default), version "v1", friendly_name (defaults to the channel), channel, workspace_sid,
// policies, and worker_sid or taskqueue_sid when the channel is a WK or WQ sid. Every
// policy has url, method, query_filter and post_filter (always objects, {} when empty)
// and allow. Mint always puts the channel's own GET and POST policies first, as twilio-php
// and twilio-python do. No iat, nbf or jti is written (twilio-php writes none; twilio-node's
// signer adds iat and twilio-python nbf); Verify ignores iat and honours nbf.
//
// Verify accepts HS256 only (alg "none" and every other algorithm are signature errors),
// strict base64url, a signature by the auth token, iss and account_sid both equal to the
// account, version "v1", and now < exp with no leeway. It reports ErrMalformed,
// ErrSignature, ErrExpired or ErrWrongAccount; the signature is checked before any claim.
//
// # Capability sets
//
// WorkspacePolicies, TaskQueuePolicies and WorkerPolicies build the TaskRouter.js
// capability tables by their documented names (FetchSubresources = GET self/**, Updates =
// POST self, UpdatesSubresources = POST self/**, Delete = DELETE self,
// DeleteSubresources = DELETE self/**). Each set starts with GET on the resource itself,
// which twilio-php and twilio-python grant unconditionally ("fetch self") and the
// TaskRouter.js Workspace sample grants explicitly. A Worker always gets the default
// worker set (GET itself, the workspace's Activities, Tasks/**, its own Reservations/**);
// ActivityUpdates adds POST on itself with post_filter {"ActivitySid": {"required": true}},
// ReservationUpdates adds POST on Tasks/** and its Reservations/**.
//
// # Least-privilege scopes
//
// The operator never needs a workspace-wide token. ObjectScope, CollectionScope,
// WorkspaceScope, StatisticsScope and BulkQueueStatisticsScope grant one call class
// each, using literal URLs only, so a token minted for TaskQueue WQ1 cannot touch WQ2,
// WQ1's subresources or another kind.
//
// # Policy matching
//
// The rules come from TaskRouter's "Constructing JWTs" page (summarised in the project's
// reference notes); where it is silent the choice is written here.
//
//   - A URL is compared by scheme and host (case-insensitive, default port dropped) and path
//     (case-sensitive, segment by segment); the query string and a trailing slash are
//     ignored. Request paths with empty, "." or ".." segments or an encoded "/" are denied:
//     a server could resolve them to a resource other than the one matched.
//   - A literal policy URL matches exactly that path. A trailing "/*" matches exactly one
//     more segment. A trailing "/**" matches one or more more segments, never the path
//     itself (".../Workspaces/WS1/**" does not cover ".../Workspaces/WS1"). "*" and "**"
//     anywhere else are literal text.
//   - Methods compare case-insensitively.
//   - query_filter is checked against the query parameters and post_filter against the form
//     parameters. Each entry maps a parameter to a literal (the parameter is required and
//     must equal it) or to {"required": bool, "value": literal} (value optional; when given,
//     a present parameter must equal it). Parameters not named are unrestricted. A repeated
//     parameter must match on every occurrence. Strings compare exactly, booleans
//     case-insensitively, numbers by value. A filter that is not of this shape fails closed:
//     an allow policy carrying it grants nothing, a deny policy carrying it always applies.
//   - Of the policies whose URL, method and filters match, the most specific decides.
//     Specificity compares, in order: the length of the URL prefix before any wildcard
//     (longer wins), then the wildcard (literal beats "/*" beats "/**"), then the number of
//     filtered parameters (more wins, so a filtered policy beats an unfiltered one). For one
//     request these orders agree: a literal match always has the longest prefix.
//   - If equally specific policies disagree, deny wins. No matching policy denies.
//
// # Caching
//
// Cache keeps one token per key (GrantKey or Minter.CacheKey, SHA-256 digests that cover
// account, auth token and grant) and renews it when less than max(20 % of its lifetime,
// 5 minutes) remains, capped at half the lifetime. It keeps at most 1,000 tokens, dropping the
// least recently used: one per object of a large workspace would otherwise stay until it expires.
package capability
