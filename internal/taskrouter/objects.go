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

// The five object kinds share one shape of CRUD; these helpers hold it once, and the typed methods in
// the kind files only name the kind and the parameters.

// kind describes an object kind under a workspace.
type kind struct {
	capability capability.Kind
	noun       string // in error messages: "task queue"
	listKey    string // records property of a list page: "task_queues"
}

var (
	kindActivity    = kind{capability.KindActivity, "activity", "activities"}
	kindTaskQueue   = kind{capability.KindTaskQueue, "task queue", "task_queues"}
	kindWorkflow    = kind{capability.KindWorkflow, "workflow", "workflows"}
	kindWorker      = kind{capability.KindWorker, "worker", "workers"}
	kindTaskChannel = kind{capability.KindTaskChannel, "task channel", "channels"}
)

func (w *WorkspaceClient) collectionPath(k kind) string {
	return workspacePath(w.sid) + "/" + k.capability.Collection()
}

func (w *WorkspaceClient) objectPath(k kind, sid string) string {
	return w.collectionPath(k) + "/" + url.PathEscape(sid)
}

func collectionRoute(k kind) string {
	return "/v1/Workspaces/{WorkspaceSid}/" + k.capability.Collection()
}

func objectRoute(k kind) string { return collectionRoute(k) + "/{Sid}" }

// objectGrant allows GET, POST and DELETE on exactly one object. The channel is the object's own for a
// TaskQueue (WQ) or a Worker (WK), as TaskRouter.js opens them, and the workspace's for the other kinds.
func (w *WorkspaceClient) objectGrant(k kind, sid string) capability.Grant {
	channel := w.sid
	if k.capability == capability.KindTaskQueue || k.capability == capability.KindWorker {
		channel = sid
	}
	return capability.Grant{WorkspaceSID: w.sid, Channel: channel, Policies: w.a.c.urls.ObjectScope(w.sid, k.capability, sid)}
}

// collectionGrant allows listing and creating one kind on the workspace channel.
func (w *WorkspaceClient) collectionGrant(k kind) capability.Grant {
	return capability.Grant{WorkspaceSID: w.sid, Channel: w.sid, Policies: w.a.c.urls.CollectionScope(w.sid, k.capability)}
}

// encoder is implemented by every parameter struct.
type encoder interface {
	encode(writeOp) (url.Values, error)
}

func createObject[T any](ctx context.Context, w *WorkspaceClient, k kind, p encoder, name string) (*T, *response, error) {
	op := fmt.Sprintf("create %s %q in workspace %s", k.noun, name, w.sid)
	form, err := p.encode(opCreate)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w: %w", op, ErrInvalidRequest, err)
	}
	r := &request{method: http.MethodPost, path: w.collectionPath(k), route: collectionRoute(k), form: form,
		create: true, grant: w.collectionGrant(k)}
	var out T
	resp, err := w.a.decodeInto(ctx, w.a.api, r, op, &out)
	if err != nil {
		return nil, nil, err
	}
	return &out, resp, nil
}

func fetchObject[T any](ctx context.Context, w *WorkspaceClient, k kind, sid string) (*T, *response, error) {
	r := &request{method: http.MethodGet, path: w.objectPath(k, sid), route: objectRoute(k), grant: w.objectGrant(k, sid)}
	var out T
	resp, err := w.a.decodeInto(ctx, w.a.api, r, fmt.Sprintf("fetch %s %s", k.noun, sid), &out)
	if err != nil {
		return nil, nil, err
	}
	return &out, resp, nil
}

func updateObject[T any](ctx context.Context, w *WorkspaceClient, k kind, sid string, p encoder, ifMatch string) (*T, *response, error) {
	op := fmt.Sprintf("update %s %s", k.noun, sid)
	form, err := p.encode(opUpdate)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w: %w", op, ErrInvalidRequest, err)
	}
	r := &request{method: http.MethodPost, path: w.objectPath(k, sid), route: objectRoute(k), form: form,
		ifMatch: ifMatch, grant: w.objectGrant(k, sid)}
	var out T
	resp, err := w.a.decodeInto(ctx, w.a.api, r, op, &out)
	if err != nil {
		return nil, nil, err
	}
	return &out, resp, nil
}

func deleteObject(ctx context.Context, w *WorkspaceClient, k kind, sid string) error {
	r := &request{method: http.MethodDelete, path: w.objectPath(k, sid), route: objectRoute(k), grant: w.objectGrant(k, sid)}
	_, err := w.a.decodeInto(ctx, w.a.api, r, fmt.Sprintf("delete %s %s", k.noun, sid), nil)
	return err
}

func listObjects[T any](ctx context.Context, w *WorkspaceClient, k kind, query url.Values) ([]T, error) {
	r := &request{method: http.MethodGet, path: w.collectionPath(k), route: collectionRoute(k), query: query,
		grant: w.collectionGrant(k)}
	out, err := listAll[T](ctx, w.a, w.a.api, r, k.listKey)
	if err != nil {
		return nil, fmt.Errorf("list %s in workspace %s: %w", k.capability.Collection(), w.sid, err)
	}
	return out, nil
}
