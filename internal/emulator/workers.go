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

package emulator

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator/api"
	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator/state"
)

// renderWorker renders w; lists leave attributes null, as TaskRouter does (fetch
// one worker to read them).
func renderWorker(c *api.Call, ws *state.WorkspaceState, w *state.Worker, withAttributes bool) map[string]any {
	wsURL := c.ResourceURL("/v1/Workspaces/" + w.WorkspaceSID)
	self := wsURL + "/Workers/" + w.SID
	var attributes any
	if withAttributes {
		attributes = w.Attributes
	}
	return map[string]any{
		"account_sid":         c.AccountSID,
		"activity_name":       api.Nullable(ws.ActivityName(w.ActivitySID)),
		"activity_sid":        w.ActivitySID,
		"attributes":          attributes,
		"available":           ws.WorkerAvailable(w),
		"date_created":        api.FormatTime(w.DateCreated),
		"date_status_changed": api.FormatTime(w.DateStatusChanged),
		"date_updated":        api.FormatTime(w.DateUpdated),
		"friendly_name":       w.FriendlyName,
		"sid":                 w.SID,
		"workspace_sid":       w.WorkspaceSID,
		"url":                 self,
		"links": map[string]any{
			"channels":              self + "/Channels",
			"activity":              wsURL + "/Activities/" + w.ActivitySID,
			"workspace":             wsURL,
			"statistics":            wsURL + "/Workers/Statistics",
			"real_time_statistics":  wsURL + "/Workers/RealTimeStatistics",
			"cumulative_statistics": wsURL + "/Workers/CumulativeStatistics",
			"worker_statistics":     self + "/Statistics",
			"worker_channels":       self + "/Channels",
			"reservations":          self + "/Reservations",
		},
	}
}

// etag is the worker's version as TaskRouter spells an ETag.
func etag(w *state.Worker) string { return `"` + strconv.Itoa(w.Version) + `"` }

func workerReply(rep *api.Reply, w *state.Worker) *api.Reply {
	rep.Header.Set("ETag", etag(w))
	return rep
}

// checkIfMatch answers 412 when the If-Match header names another version.
func checkIfMatch(c *api.Call, w *state.Worker) error {
	want := c.Header.Get("If-Match")
	if want == "" || want == "*" || strings.Trim(want, `" `) == strconv.Itoa(w.Version) {
		return nil
	}
	return api.PreconditionFailed("Worker " + w.SID + " has changed: If-Match " + want + " does not match ETag " + etag(w))
}

func (e *Emulator) lookupWorker(c *api.Call) (*state.WorkspaceState, *state.Worker, error) {
	return state.Lookup(e.store, c, "Worker", func(w *state.WorkspaceState) map[string]*state.Worker { return w.Workers })
}

func (e *Emulator) listWorkers(c *api.Call) (*api.Reply, error) {
	e.store.RLock()
	defer e.store.RUnlock()
	ws, err := e.store.Workspace(c.Vars["WorkspaceSid"])
	if err != nil {
		return nil, err
	}
	match, err := state.WorkerFilter(ws, c.Params)
	if err != nil {
		return nil, err
	}
	var items []*state.Worker
	for _, w := range ws.SortedWorkers() {
		if match(w) {
			items = append(items, w)
		}
	}
	return api.Paginate(c, "workers", items, (*state.Worker).Seq,
		func(w *state.Worker) any { return renderWorker(c, ws, w, false) })
}

func (e *Emulator) createWorker(c *api.Call) (*api.Reply, error) {
	e.store.Lock()
	defer e.store.Unlock()
	ws, err := e.store.Workspace(c.Vars["WorkspaceSid"])
	if err != nil {
		return nil, err
	}
	w, err := e.newWorker(ws, c.Params)
	if err != nil {
		return nil, err
	}
	return workerReply(api.Created(renderWorker(c, ws, w, true)), w), nil
}

// newWorker validates p and adds the worker to ws. Caller holds the lock for
// writing.
func (e *Emulator) newWorker(ws *state.WorkspaceState, p api.Form) (*state.Worker, error) {
	if _, _, err := p.FriendlyName(true); err != nil {
		return nil, err
	}
	w := state.Worker{ActivitySID: ws.DefaultActivitySID, Attributes: "{}"}
	if err := applyWorkerParams(ws, &w, p); err != nil {
		return nil, err
	}
	return e.store.AddWorker(ws, w), nil
}

// applyWorkerParams validates FriendlyName and Attributes of p and applies them to
// w, plus ActivitySid on create (an update moves the worker through
// setWorkerActivity so the status change is stamped). On error w is unchanged.
func applyWorkerParams(ws *state.WorkspaceState, w *state.Worker, p api.Form) error {
	next := *w
	if name, present, err := p.FriendlyName(false); err != nil {
		return err
	} else if present {
		if other := ws.WorkerByName(name); other != nil && other.SID != w.SID {
			return api.Invalid("A Worker named %q already exists in Workspace %s", other.FriendlyName, ws.SID)
		}
		next.FriendlyName = name
	}
	if p.Has("Attributes") {
		if err := validateAttributes(p.Get("Attributes")); err != nil {
			return err
		}
		next.Attributes = p.Get("Attributes")
	}
	if sid, present, err := activityRef(ws, p, "ActivitySid"); err != nil {
		return err
	} else if present && w.SID == "" {
		next.ActivitySID = sid
	}
	if _, _, err := p.Boolean("RejectPendingReservations"); err != nil {
		return err
	}
	*w = next
	return nil
}

// validateAttributes requires a JSON object of at most 4,096 characters.
func validateAttributes(attrs string) error {
	if n := len([]rune(attrs)); n > maxWorkerAttributes {
		return api.Invalid("Attributes are %d characters long; the maximum is %d", n, maxWorkerAttributes)
	}
	var obj map[string]any
	if err := json.Unmarshal([]byte(attrs), &obj); err != nil || obj == nil {
		return api.Invalid("Attributes must be a JSON object")
	}
	return nil
}

func (e *Emulator) fetchWorker(c *api.Call) (*api.Reply, error) {
	e.store.RLock()
	defer e.store.RUnlock()
	ws, w, err := e.lookupWorker(c)
	if err != nil {
		return nil, err
	}
	return workerReply(api.OK(renderWorker(c, ws, w, true)), w), nil
}

func (e *Emulator) updateWorker(c *api.Call) (*api.Reply, error) {
	e.store.Lock()
	defer e.store.Unlock()
	ws, w, err := e.lookupWorker(c)
	if err != nil {
		return nil, err
	}
	if err := checkIfMatch(c, w); err != nil {
		return nil, err
	}
	if err := applyWorkerParams(ws, w, c.Params); err != nil {
		return nil, err
	}
	w.DateUpdated = e.store.Timestamp()
	w.Version++
	if sid := c.Params.Get("ActivitySid"); sid != "" {
		e.setWorkerActivity(ws, w, sid)
	}
	return workerReply(api.OK(renderWorker(c, ws, w, true)), w), nil
}

func (e *Emulator) deleteWorker(c *api.Call) (*api.Reply, error) {
	e.store.Lock()
	defer e.store.Unlock()
	ws, w, err := e.lookupWorker(c)
	if err != nil {
		return nil, err
	}
	if err := checkIfMatch(c, w); err != nil {
		return nil, err
	}
	if err := e.mayDelete(ws, api.KindWorker, w.SID); err != nil {
		return nil, err
	}
	ws.Remove(api.KindWorker, w.SID)
	return api.NoContent(), nil
}
