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

// Route templates, the endpoint label of metrics.
const (
	routeWorkspaces = "/v1/Workspaces"
	routeWorkspace  = "/v1/Workspaces/{Sid}"
)

func workspacePath(sid string) string { return "/v1/Workspaces/" + url.PathEscape(sid) }

// workspaceGrant scopes a token to the workspace object itself, not what lies below it.
func (a *Account) workspaceGrant(sid string) capability.Grant {
	return capability.Grant{WorkspaceSID: sid, Channel: sid, Policies: a.c.urls.WorkspaceScope(sid)}
}

// CreateWorkspace creates a Workspace (always with Basic auth: a token cannot create one).
// A create is retried only on 429, which TaskRouter never processed; any other failure is returned
// because the workspace may exist, so the caller re-observes by friendly name before creating again.
func (a *Account) CreateWorkspace(ctx context.Context, p WorkspaceParams) (*Workspace, error) {
	form, err := p.encode(opCreate)
	if err != nil {
		return nil, fmt.Errorf("create workspace: %w: %w", ErrInvalidRequest, err)
	}
	r := &request{method: http.MethodPost, path: routeWorkspaces, route: routeWorkspaces, form: form, create: true}
	var ws Workspace
	if _, err := a.decodeInto(ctx, a.basic, r, fmt.Sprintf("create workspace %q", deref(p.FriendlyName)), &ws); err != nil {
		return nil, err
	}
	return &ws, nil
}

// FetchWorkspace reads one Workspace.
func (a *Account) FetchWorkspace(ctx context.Context, sid string) (*Workspace, error) {
	r := &request{method: http.MethodGet, path: workspacePath(sid), route: routeWorkspace, grant: a.workspaceGrant(sid)}
	var ws Workspace
	if _, err := a.decodeInto(ctx, a.api, r, "fetch workspace "+sid, &ws); err != nil {
		return nil, err
	}
	return &ws, nil
}

// UpdateWorkspace changes the fields set in p.
func (a *Account) UpdateWorkspace(ctx context.Context, sid string, p WorkspaceParams) (*Workspace, error) {
	form, err := p.encode(opUpdate)
	if err != nil {
		return nil, fmt.Errorf("update workspace %s: %w: %w", sid, ErrInvalidRequest, err)
	}
	r := &request{method: http.MethodPost, path: workspacePath(sid), route: routeWorkspace, form: form, grant: a.workspaceGrant(sid)}
	var ws Workspace
	if _, err := a.decodeInto(ctx, a.api, r, "update workspace "+sid, &ws); err != nil {
		return nil, err
	}
	return &ws, nil
}

// DeleteWorkspace deletes a Workspace and everything in it (always with Basic auth). A retried delete
// whose first try succeeded returns a not-found error: callers treat IsNotFound as deleted.
func (a *Account) DeleteWorkspace(ctx context.Context, sid string) error {
	r := &request{method: http.MethodDelete, path: workspacePath(sid), route: routeWorkspace}
	_, err := a.decodeInto(ctx, a.basic, r, "delete workspace "+sid, nil)
	return err
}

// ListWorkspaces lists the account's Workspaces, all pages; a non-empty friendlyName filters by exact name.
func (a *Account) ListWorkspaces(ctx context.Context, friendlyName string) ([]Workspace, error) {
	r := &request{method: http.MethodGet, path: routeWorkspaces, route: routeWorkspaces, query: a.listQuery(friendlyName)}
	out, err := listAll[Workspace](ctx, a, a.basic, r, "workspaces")
	if err != nil {
		return nil, fmt.Errorf("list workspaces: %w", err)
	}
	return out, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
