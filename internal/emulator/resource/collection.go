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

// Package resource is the handler skeleton every workspace-scoped TaskRouter
// resource shares, whether the core (Activities, TaskQueues, Workflows,
// Workers, TaskChannels) or the simulation (Tasks) serves it: take the store's
// lock, find the workspace and the record (404 when either is unknown), honour
// If-Match where the kind has an ETag, run what the kind does, render the
// answer. A kind says what TaskRouter does differently for it (its parameters,
// rules, guards and rendering) in a Collection of plain functions, written
// next to its handlers and passed where the routes are wired; nothing
// registers itself.
package resource

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator/api"
	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator/state"
)

// View is what one answer renders a record with.
type View struct {
	Call      *api.Call
	Workspace *state.WorkspaceState
	// Now is when the answer is given, taken once so every record of a list
	// is rendered at the same instant (a Task's age).
	Now time.Time
	// Detail is false in lists, which leave out what TaskRouter leaves out
	// there (a Worker's or a Task's attributes).
	Detail bool
}

// Collection describes one workspace-scoped kind to the shared handlers. Every
// function runs with the store's lock held, for writing in Create, Update and
// Delete.
type Collection[T any] struct {
	Store *state.Store
	// Name is the kind as a 404 and a 412 name it ("Activity").
	Name string
	// Key is the list envelope's meta.key ("activities").
	Key string
	// Records are the workspace's records of the kind by SID.
	Records func(ws *state.WorkspaceState) map[string]*T
	// Seq is a record's creation sequence number: lists and pages follow it.
	Seq func(*T) uint64
	// Ref, when set, resolves an item path's {Sid} that may also be another
	// name of the record (a TaskChannel's unique name); nil takes it as the SID.
	Ref func(ws *state.WorkspaceState, ref string) (sid string, found bool)
	// Filter, when set, builds the list predicate from the call's filter
	// parameters; nil lists every record.
	Filter func(ws *state.WorkspaceState, p api.Form) (func(*T) bool, error)
	// Version, when set, is the record's version: answers carry it as the ETag,
	// and an update or delete whose If-Match names another version is refused.
	Version func(*T) int
	// Render is the record's JSON resource.
	Render func(v View, record *T) any
	// Create validates the create parameters and adds the record.
	Create func(ws *state.WorkspaceState, p api.Form) (*T, error)
	// Update validates the update parameters and applies them to the record;
	// on error the record is unchanged.
	Update func(ws *state.WorkspaceState, record *T, p api.Form) error
	// Delete applies the kind's delete rules and removes record sid.
	Delete func(ws *state.WorkspaceState, sid string, record *T) error
}

// CRUD are the five handlers of the kind, for api.Resource.
func (k Collection[T]) CRUD() api.CRUD {
	return api.CRUD{List: k.list, Create: k.create, Fetch: k.fetch, Update: k.update, Delete: k.delete}
}

func (k Collection[T]) list(c *api.Call) (*api.Reply, error) {
	k.Store.RLock()
	defer k.Store.RUnlock()
	ws, err := k.Store.Workspace(c.Vars["WorkspaceSid"])
	if err != nil {
		return nil, err
	}
	items := state.SortedBySeq(k.Records(ws), k.Seq)
	if k.Filter != nil {
		match, err := k.Filter(ws, c.Params)
		if err != nil {
			return nil, err
		}
		items = slices.DeleteFunc(items, func(t *T) bool { return !match(t) })
	}
	v := View{Call: c, Workspace: ws, Now: k.Store.Timestamp()}
	return api.Paginate(c, k.Key, items, k.Seq, func(t *T) any { return k.Render(v, t) })
}

func (k Collection[T]) create(c *api.Call) (*api.Reply, error) {
	k.Store.Lock()
	defer k.Store.Unlock()
	ws, err := k.Store.Workspace(c.Vars["WorkspaceSid"])
	if err != nil {
		return nil, err
	}
	t, err := k.Create(ws, c.Params)
	if err != nil {
		return nil, err
	}
	return k.reply(api.Created, c, ws, t), nil
}

func (k Collection[T]) fetch(c *api.Call) (*api.Reply, error) {
	k.Store.RLock()
	defer k.Store.RUnlock()
	ws, _, t, err := k.lookup(c)
	if err != nil {
		return nil, err
	}
	return k.reply(api.OK, c, ws, t), nil
}

func (k Collection[T]) update(c *api.Call) (*api.Reply, error) {
	k.Store.Lock()
	defer k.Store.Unlock()
	ws, _, t, err := k.lookupToChange(c)
	if err != nil {
		return nil, err
	}
	if err := k.Update(ws, t, c.Params); err != nil {
		return nil, err
	}
	return k.reply(api.OK, c, ws, t), nil
}

func (k Collection[T]) delete(c *api.Call) (*api.Reply, error) {
	k.Store.Lock()
	defer k.Store.Unlock()
	ws, sid, t, err := k.lookupToChange(c)
	if err != nil {
		return nil, err
	}
	if err := k.Delete(ws, sid, t); err != nil {
		return nil, err
	}
	return api.NoContent(), nil
}

// lookup finds the workspace and the record a call's {WorkspaceSid} and {Sid}
// name, or answers 404 naming the one that is unknown.
func (k Collection[T]) lookup(c *api.Call) (*state.WorkspaceState, string, *T, error) {
	ws, err := k.Store.Workspace(c.Vars["WorkspaceSid"])
	if err != nil {
		return nil, "", nil, err
	}
	sid, found := c.Vars["Sid"], true
	if k.Ref != nil {
		sid, found = k.Ref(ws, sid)
	}
	t, ok := k.Records(ws)[sid]
	if !found || !ok {
		return nil, "", nil, api.NotFound(k.Name, c.Vars["Sid"])
	}
	return ws, sid, t, nil
}

// lookupToChange is lookup for an update or a delete, which the record's
// If-Match must also allow.
func (k Collection[T]) lookupToChange(c *api.Call) (*state.WorkspaceState, string, *T, error) {
	ws, sid, t, err := k.lookup(c)
	if err == nil {
		err = k.checkIfMatch(c, sid, t)
	}
	if err != nil {
		return nil, "", nil, err
	}
	return ws, sid, t, nil
}

// reply renders one record, with its ETag where the kind has one.
func (k Collection[T]) reply(status func(body any) *api.Reply, c *api.Call, ws *state.WorkspaceState, t *T) *api.Reply {
	rep := status(k.Render(View{Call: c, Workspace: ws, Now: k.Store.Timestamp(), Detail: true}, t))
	if k.Version != nil {
		rep.Header.Set("ETag", etag(k.Version(t)))
	}
	return rep
}

// checkIfMatch answers 412 when the If-Match header names another version of
// the record than the one it has.
func (k Collection[T]) checkIfMatch(c *api.Call, sid string, t *T) error {
	if k.Version == nil {
		return nil
	}
	want, version := c.Header.Get("If-Match"), k.Version(t)
	if want == "" || want == "*" || strings.Trim(want, `" `) == strconv.Itoa(version) {
		return nil
	}
	return api.PreconditionFailed(k.Name + " " + sid + " has changed: If-Match " + want + " does not match ETag " + etag(version))
}

// etag is a version as TaskRouter spells an ETag.
func etag(version int) string { return `"` + strconv.Itoa(version) + `"` }
