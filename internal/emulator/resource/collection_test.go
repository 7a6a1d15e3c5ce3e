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

package resource

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator/api"
	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator/state"
)

// note is a record of a made-up kind, so the skeleton is tested apart from
// any TaskRouter kind's own rules.
type note struct {
	sid, text string
	version   int
	seq       uint64
}

// notebook is one workspace holding the notes N1 ("first") and N2 ("kept",
// which the kind refuses to delete), served by a Collection with or without
// an ETag.
type notebook struct {
	store *state.Store
	ws    string
	notes map[string]*note
	kind  Collection[note]
}

var testNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func newNotebook(withVersion bool) *notebook {
	store := state.NewStore("AC1", func() time.Time { return testNow })
	store.Lock()
	ws := store.AddWorkspace(state.Workspace{FriendlyName: "notes"})
	store.Unlock()
	b := &notebook{store: store, ws: ws.SID, notes: map[string]*note{
		"N1": {sid: "N1", text: "first", version: 1, seq: 1},
		"N2": {sid: "N2", text: "kept", version: 1, seq: 2},
	}}
	b.kind = Collection[note]{Store: store, Name: "Note", Key: "notes",
		Records: func(*state.WorkspaceState) map[string]*note { return b.notes },
		Seq:     func(n *note) uint64 { return n.seq },
		// A note is also found by its text, as a TaskChannel is by its unique name.
		Ref: func(_ *state.WorkspaceState, ref string) (string, bool) {
			for _, n := range b.notes {
				if n.sid == ref || n.text == ref {
					return n.sid, true
				}
			}
			return "", false
		},
		Filter: func(_ *state.WorkspaceState, p api.Form) (func(*note) bool, error) {
			if p.Get("Text") == "?" {
				return nil, api.Invalid("Text %q is not a filter", "?")
			}
			return func(n *note) bool { return p.Get("Text") == "" || n.text == p.Get("Text") }, nil
		},
		Render: func(v View, n *note) any {
			return map[string]any{"sid": n.sid, "text": n.text, "detail": v.Detail, "now": v.Now.Format(time.RFC3339)}
		},
		Create: func(_ *state.WorkspaceState, p api.Form) (*note, error) {
			text, err := p.Required("Text")
			if err != nil {
				return nil, err
			}
			n := &note{sid: "N3", text: text, version: 1, seq: 3}
			b.notes[n.sid] = n
			return n, nil
		},
		Update: func(_ *state.WorkspaceState, n *note, p api.Form) error {
			n.text, n.version = p.Get("Text"), n.version+1
			return nil
		},
		Delete: func(_ *state.WorkspaceState, sid string, n *note) error {
			if n.text == "kept" {
				return api.Invalid("Note %s is kept", sid)
			}
			delete(b.notes, sid)
			return nil
		},
	}
	if withVersion {
		b.kind.Version = func(n *note) int { return n.version }
	}
	return b
}

// outcome is what a call answered and what the notes are afterwards.
type outcome struct {
	Status  int
	ETag    string
	Body    any
	Message string
	Notes   map[string]string
}

func (b *notebook) call(h api.Handler, workspace, sid string, params api.Form, ifMatch string) outcome {
	c := &api.Call{Method: http.MethodGet, Path: "/notes", Vars: map[string]string{"WorkspaceSid": workspace, "Sid": sid},
		Params: params, Header: http.Header{}, BaseURL: "http://emulator", AccountSID: "AC1"}
	if ifMatch != "" {
		c.Header.Set("If-Match", ifMatch)
	}
	var out outcome
	rep, err := h(c)
	var apiErr *api.Error
	switch {
	case errors.As(err, &apiErr):
		out.Status, out.Message = apiErr.Status, apiErr.Message
	case err != nil:
		out.Message = err.Error()
	default:
		out.Status, out.ETag, out.Body = rep.Status, rep.Header.Get("ETag"), rep.Body
		if body, _ := rep.Body.(map[string]any); body["notes"] != nil {
			out.Body = body["notes"] // a list's records, without api.Paginate's envelope
		}
	}
	out.Notes = map[string]string{}
	for sid, n := range b.notes {
		out.Notes[sid] = n.text
	}
	return out
}

func TestCollectionHandlers(t *testing.T) {
	const now = "2026-03-01T12:00:00Z"
	both := map[string]string{"N1": "first", "N2": "kept"}
	first := map[string]any{"sid": "N1", "text": "first", "detail": true, "now": now}
	type handler func(Collection[note]) api.Handler
	fetch := func(k Collection[note]) api.Handler { return k.CRUD().Fetch }
	list := func(k Collection[note]) api.Handler { return k.CRUD().List }
	create := func(k Collection[note]) api.Handler { return k.CRUD().Create }
	update := func(k Collection[note]) api.Handler { return k.CRUD().Update }
	remove := func(k Collection[note]) api.Handler { return k.CRUD().Delete }
	tests := []struct {
		name        string
		withVersion bool
		handler     handler
		workspace   string // "" means the notebook's workspace
		sid         string
		params      api.Form
		ifMatch     string
		want        outcome
	}{
		{name: "fetch by SID carries the ETag", withVersion: true, handler: fetch, sid: "N1",
			want: outcome{Status: 200, ETag: `"1"`, Body: first, Notes: both}},
		{name: "fetch by another name the kind resolves", withVersion: true, handler: fetch, sid: "first",
			want: outcome{Status: 200, ETag: `"1"`, Body: first, Notes: both}},
		{name: "a kind without a version has no ETag", handler: fetch, sid: "N1",
			want: outcome{Status: 200, Body: first, Notes: both}},
		{name: "unknown record is a 404 naming the kind and the path's Sid", handler: fetch, sid: "N9",
			want: outcome{Status: 404, Message: "The requested resource Note N9 was not found", Notes: both}},
		{name: "unknown workspace is a 404 naming the workspace", handler: fetch, workspace: "WS0", sid: "N1",
			want: outcome{Status: 404, Message: "The requested resource Workspace WS0 was not found", Notes: both}},
		{name: "list renders without detail, filtered", handler: list, params: api.Form{"Text": {"kept"}},
			want: outcome{Status: 200, Body: []any{map[string]any{"sid": "N2", "text": "kept", "detail": false, "now": now}},
				Notes: both}},
		{name: "list filter error is the answer", handler: list, params: api.Form{"Text": {"?"}},
			want: outcome{Status: 400, Message: `Text "?" is not a filter`, Notes: both}},
		{name: "create answers 201 with the ETag", withVersion: true, handler: create, params: api.Form{"Text": {"new"}},
			want: outcome{Status: 201, ETag: `"1"`, Body: map[string]any{"sid": "N3", "text": "new", "detail": true, "now": now},
				Notes: map[string]string{"N1": "first", "N2": "kept", "N3": "new"}}},
		{name: "create error changes nothing", handler: create,
			want: outcome{Status: 400, Message: "Missing required parameter Text in the post body", Notes: both}},
		{name: "update with the current version", withVersion: true, handler: update, sid: "N1",
			params: api.Form{"Text": {"second"}}, ifMatch: `"1"`,
			want: outcome{Status: 200, ETag: `"2"`, Body: map[string]any{"sid": "N1", "text": "second", "detail": true, "now": now},
				Notes: map[string]string{"N1": "second", "N2": "kept"}}},
		{name: "update with a stale version is refused", withVersion: true, handler: update, sid: "first",
			params: api.Form{"Text": {"second"}}, ifMatch: `"7"`,
			want: outcome{Status: 412, Message: `Note N1 has changed: If-Match "7" does not match ETag "1"`, Notes: both}},
		{name: "If-Match * matches any version", withVersion: true, handler: update, sid: "N1",
			params: api.Form{"Text": {"second"}}, ifMatch: "*",
			want: outcome{Status: 200, ETag: `"2"`, Body: map[string]any{"sid": "N1", "text": "second", "detail": true, "now": now},
				Notes: map[string]string{"N1": "second", "N2": "kept"}}},
		{name: "a kind without a version ignores If-Match", handler: update, sid: "N1",
			params: api.Form{"Text": {"second"}}, ifMatch: `"7"`,
			want: outcome{Status: 200, Body: map[string]any{"sid": "N1", "text": "second", "detail": true, "now": now},
				Notes: map[string]string{"N1": "second", "N2": "kept"}}},
		{name: "delete by another name removes the record", withVersion: true, handler: remove, sid: "first",
			want: outcome{Status: 204, Notes: map[string]string{"N2": "kept"}}},
		{name: "delete with a stale version is refused", withVersion: true, handler: remove, sid: "N1", ifMatch: `"2"`,
			want: outcome{Status: 412, Message: `Note N1 has changed: If-Match "2" does not match ETag "1"`, Notes: both}},
		{name: "delete refused by the kind's rule", handler: remove, sid: "N2",
			want: outcome{Status: 400, Message: "Note N2 is kept", Notes: both}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newNotebook(tt.withVersion)
			workspace := tt.workspace
			if workspace == "" {
				workspace = b.ws
			}
			got := b.call(tt.handler(b.kind), workspace, tt.sid, tt.params, tt.ifMatch)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("outcome (-want +got):\n%s", diff)
			}
		})
	}
}
