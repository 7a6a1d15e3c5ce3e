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

package taskrouter

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"github.com/taskrouter-operator/taskrouter-operator/internal/capability"
)

// Collection is one kind of TaskRouter object: the account's Workspaces, or the Activities,
// TaskQueues, Workflows, Workers or TaskChannels of one workspace. Every kind has the same verbs
// with the same paths, tokens and retry rules; a kind differs only in its record type T and its
// write parameters P, so callers get the verbs from here and keep only what is specific to a kind.
//
// Creates are retried only on 429 (never processed); any other failure is returned because the
// object may exist, so the caller re-observes by friendly name before creating again. Deletes are
// retried, so a delete whose first try succeeded can return a not-found error: treat IsNotFound as
// deleted.
type Collection[T any, P Params] struct {
	a *Account
	k kind
	// ws is the workspace the objects live in; "" for the Workspaces collection itself.
	ws string
}

// Params are the write parameters of one kind (ActivityParams, TaskQueueParams, ...).
type Params interface {
	// encode renders the parameters for a create or an update, refusing fields the operation does not take.
	encode(writeOp) (url.Values, error)
	// name is the friendly name being written, for error messages.
	name() string
}

// kind describes one object kind's place in the API.
type kind struct {
	// capability is the kind as token scopes name it; "" for Workspaces.
	capability capability.Kind
	noun       string // in error messages: "task queue"
	listKey    string // records property of a list page: "task_queues"
	// nameFilter says whether the list endpoint takes FriendlyName.
	nameFilter bool
}

var (
	kindWorkspace   = kind{noun: "workspace", listKey: "workspaces", nameFilter: true}
	kindActivity    = kind{capability.KindActivity, "activity", "activities", true}
	kindTaskQueue   = kind{capability.KindTaskQueue, "task queue", "task_queues", true}
	kindWorkflow    = kind{capability.KindWorkflow, "workflow", "workflows", true}
	kindWorker      = kind{capability.KindWorker, "worker", "workers", true}
	kindTaskChannel = kind{capability.KindTaskChannel, "task channel", "channels", false}
)

// Workspaces is the account's Workspaces. A capability token is scoped to one workspace, so
// creating, listing and deleting Workspaces always use Basic auth; fetch and update use the
// account's mode.
func (a *Account) Workspaces() Collection[Workspace, WorkspaceParams] {
	return Collection[Workspace, WorkspaceParams]{a: a, k: kindWorkspace}
}

// Activities is the workspace's Activities.
func (w *WorkspaceClient) Activities() Collection[Activity, ActivityParams] {
	return Collection[Activity, ActivityParams]{a: w.a, k: kindActivity, ws: w.sid}
}

// TaskQueues is the workspace's TaskQueues.
func (w *WorkspaceClient) TaskQueues() Collection[TaskQueue, TaskQueueParams] {
	return Collection[TaskQueue, TaskQueueParams]{a: w.a, k: kindTaskQueue, ws: w.sid}
}

// Workflows is the workspace's Workflows.
func (w *WorkspaceClient) Workflows() Collection[Workflow, WorkflowParams] {
	return Collection[Workflow, WorkflowParams]{a: w.a, k: kindWorkflow, ws: w.sid}
}

// Workers is the workspace's Workers. Lists carry no attributes (TaskRouter returns null there):
// fetch a Worker to read them. Fetch, create and update return the Worker's ETag.
func (w *WorkspaceClient) Workers() Collection[Worker, WorkerParams] {
	return Collection[Worker, WorkerParams]{a: w.a, k: kindWorker, ws: w.sid}
}

// TaskChannels is the workspace's TaskChannels (the list takes no FriendlyName filter).
func (w *WorkspaceClient) TaskChannels() Collection[TaskChannel, TaskChannelParams] {
	return Collection[TaskChannel, TaskChannelParams]{a: w.a, k: kindTaskChannel, ws: w.sid}
}

// Create creates an object. See the retry note on Collection.
func (c Collection[T, P]) Create(ctx context.Context, p P) (T, error) {
	op := fmt.Sprintf("create %s %q%s", c.k.noun, p.name(), c.where())
	r := &request{method: http.MethodPost, path: c.collectionPath(), route: c.collectionRoute(), create: true, grant: c.collectionGrant()}
	return c.write(ctx, c.transport(true), r, op, p, opCreate)
}

// Fetch reads one object.
func (c Collection[T, P]) Fetch(ctx context.Context, sid string) (T, error) {
	r := &request{method: http.MethodGet, path: c.objectPath(sid), route: c.objectRoute(), grant: c.objectGrant(sid)}
	var out T
	resp, err := c.a.decodeInto(ctx, c.a.api, r, fmt.Sprintf("fetch %s %s", c.k.noun, sid), &out)
	return withETag(out, resp), err
}

// Update changes the fields set in p; a Worker update is guarded by WorkerParams.IfMatch when set.
func (c Collection[T, P]) Update(ctx context.Context, sid string, p P) (T, error) {
	r := &request{method: http.MethodPost, path: c.objectPath(sid), route: c.objectRoute(), grant: c.objectGrant(sid)}
	if g, ok := any(p).(guarded); ok {
		r.ifMatch = g.ifMatch()
	}
	return c.write(ctx, c.a.api, r, fmt.Sprintf("update %s %s", c.k.noun, sid), p, opUpdate)
}

// Delete deletes one object. See the retry note on Collection.
func (c Collection[T, P]) Delete(ctx context.Context, sid string) error {
	r := &request{method: http.MethodDelete, path: c.objectPath(sid), route: c.objectRoute(), grant: c.objectGrant(sid)}
	_, err := c.a.decodeInto(ctx, c.transport(true), r, fmt.Sprintf("delete %s %s", c.k.noun, sid), nil)
	return err
}

// List reads every page of the collection; a non-empty friendlyName filters by name where
// TaskRouter supports it (callers still compare names themselves: the filter is a first cut).
func (c Collection[T, P]) List(ctx context.Context, friendlyName string) ([]T, error) {
	query := url.Values{"PageSize": {fmt.Sprint(c.a.c.cfg.PageSize)}}
	if friendlyName != "" && c.k.nameFilter {
		query.Set("FriendlyName", friendlyName)
	}
	r := &request{method: http.MethodGet, path: c.collectionPath(), route: c.collectionRoute(), query: query, grant: c.collectionGrant()}
	out, err := listAll[T](ctx, c.a, c.transport(true), r, c.k.listKey)
	if err != nil {
		return nil, fmt.Errorf("list %ss%s: %w", c.k.noun, c.where(), err)
	}
	return out, nil
}

// write encodes p for op, sends r and decodes the object it returns.
func (c Collection[T, P]) write(ctx context.Context, t transport, r *request, op string, p P, wop writeOp) (T, error) {
	var out T
	form, err := p.encode(wop)
	if err != nil {
		return out, fmt.Errorf("%s: %w: %w", op, ErrInvalidRequest, err)
	}
	r.form = form
	resp, err := c.a.decodeInto(ctx, t, r, op, &out)
	return withETag(out, resp), err
}

// transport is the account's mode, except that Workspaces are created, listed and deleted with
// Basic auth (basicOnly marks those verbs): a token cannot reach above one workspace.
func (c Collection[T, P]) transport(basicOnly bool) transport {
	if c.ws == "" && basicOnly {
		return c.a.basic
	}
	return c.a.api
}

func (c Collection[T, P]) where() string {
	if c.ws == "" {
		return ""
	}
	return " in workspace " + c.ws
}

func (c Collection[T, P]) collectionPath() string {
	if c.ws == "" {
		return "/v1/Workspaces"
	}
	return workspacePath(c.ws) + "/" + c.k.capability.Collection()
}

func (c Collection[T, P]) objectPath(sid string) string {
	return c.collectionPath() + "/" + url.PathEscape(sid)
}

// collectionRoute and objectRoute are the path templates, the low-cardinality endpoint label of metrics.
func (c Collection[T, P]) collectionRoute() string {
	if c.ws == "" {
		return "/v1/Workspaces"
	}
	return "/v1/Workspaces/{WorkspaceSid}/" + c.k.capability.Collection()
}

func (c Collection[T, P]) objectRoute() string { return c.collectionRoute() + "/{Sid}" }

// objectGrant allows GET, POST and DELETE on exactly one object. The channel is the object's own for
// a TaskQueue (WQ) or a Worker (WK), as TaskRouter.js opens them, and the workspace's otherwise; a
// workspace token reaches the workspace itself and nothing below it.
func (c Collection[T, P]) objectGrant(sid string) capability.Grant {
	urls := c.a.urls
	if c.ws == "" {
		return capability.Grant{WorkspaceSID: sid, Channel: sid, Policies: urls.WorkspaceScope(sid)}
	}
	channel := c.ws
	if c.k.capability == capability.KindTaskQueue || c.k.capability == capability.KindWorker {
		channel = sid
	}
	return capability.Grant{WorkspaceSID: c.ws, Channel: channel, Policies: urls.ObjectScope(c.ws, c.k.capability, sid)}
}

// collectionGrant allows listing and creating one kind on the workspace channel (unused for
// Workspaces, whose collection is reached with Basic auth only).
func (c Collection[T, P]) collectionGrant() capability.Grant {
	if c.ws == "" {
		return capability.Grant{}
	}
	return capability.Grant{WorkspaceSID: c.ws, Channel: c.ws, Policies: c.a.urls.CollectionScope(c.ws, c.k.capability)}
}

func workspacePath(sid string) string { return "/v1/Workspaces/" + url.PathEscape(sid) }

// guarded is implemented by parameters that carry an If-Match precondition (WorkerParams).
type guarded interface{ ifMatch() string }

// tagged is implemented by records that carry their response's ETag (Worker).
type tagged interface{ setETag(string) }

// withETag copies the response's ETag into records that carry one.
func withETag[T any](out T, resp *response) T {
	if t, ok := any(&out).(tagged); ok && resp != nil {
		t.setETag(resp.header.Get("ETag"))
	}
	return out
}
