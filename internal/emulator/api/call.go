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

// Package api is the vocabulary every handler of the emulator speaks, whether the
// call came as a REST request or inside an event-bridge channel message: the
// call and its parameters, the reply, the route that serves it, Twilio's error
// body and the paged list envelope. It knows nothing of the emulator's state, so
// the conformance core (package emulator) and the simulation (package
// simulation) both build on it.
package api

import (
	"net/http"
)

// Kind names a TaskRouter resource type; channel answers are "<kind>.<verb>".
type Kind string

// The resource kinds the emulator serves.
const (
	KindWorkspace     Kind = "workspace"
	KindActivity      Kind = "activity"
	KindTaskQueue     Kind = "task_queue"
	KindWorkflow      Kind = "workflow"
	KindWorker        Kind = "worker"
	KindTaskChannel   Kind = "task_channel"
	KindWorkerChannel Kind = "worker_channel"
	KindTask          Kind = "task"
	KindStatistics    Kind = "statistics"
)

// Call is one TaskRouter API call, whether it came as a REST request or inside an
// event-bridge channel message.
type Call struct {
	Method string
	Path   string
	// Vars are the values of the route's {placeholders}.
	Vars   map[string]string
	Params Form
	Header http.Header
	// BaseURL is scheme://host the caller used; links in answers use it.
	BaseURL string
	// AccountSID is the account every resource of the call belongs to.
	AccountSID string
}

// ResourceURL joins the caller's base URL with an API path.
func (c *Call) ResourceURL(path string) string { return c.BaseURL + path }

// Reply is what a handler answers: status, JSON body (nil for 204) and headers.
type Reply struct {
	Status int
	Body   any
	Header http.Header
}

// OK, Created and NoContent build the success replies.
func OK(body any) *Reply { return &Reply{Status: http.StatusOK, Body: body, Header: http.Header{}} }

// Created is the 201 answer of a create.
func Created(body any) *Reply {
	return &Reply{Status: http.StatusCreated, Body: body, Header: http.Header{}}
}

// NoContent is the 204 answer of a delete.
func NoContent() *Reply { return &Reply{Status: http.StatusNoContent, Header: http.Header{}} }

// Handler serves one route. Errors are *Error; anything else is a bug and
// answers 500.
type Handler func(c *Call) (*Reply, error)

// Route is one method and path template of the API.
type Route struct {
	Method string
	// Pattern is the path template, e.g. /v1/Workspaces/{WorkspaceSid}/TaskQueues/{Sid}.
	Pattern string
	Kind    Kind
	// Create marks a POST to a collection: the calls commitfail acts on.
	Create bool
	// List marks a GET of a collection.
	List bool
	// JSONBody marks the one POST whose REST body is a JSON object rather than
	// form-encoded (the bulk TaskQueue statistics call, as the spec says).
	JSONBody bool
	Handle   Handler
}

// CRUD are the five handlers of a resource with a collection and items.
type CRUD struct {
	List, Create, Fetch, Update, Delete Handler
}

// Resource lists the five routes of a resource kind: list and create on the
// collection path, fetch, update and delete on the item path.
func Resource(kind Kind, collection, item string, h CRUD) []Route {
	return []Route{
		{Method: http.MethodGet, Pattern: collection, Kind: kind, List: true, Handle: h.List},
		{Method: http.MethodPost, Pattern: collection, Kind: kind, Create: true, Handle: h.Create},
		{Method: http.MethodGet, Pattern: item, Kind: kind, Handle: h.Fetch},
		{Method: http.MethodPost, Pattern: item, Kind: kind, Handle: h.Update},
		{Method: http.MethodDelete, Pattern: item, Kind: kind, Handle: h.Delete},
	}
}
