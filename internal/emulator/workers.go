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
	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator/api"
	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator/resource"
	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator/state"
)

// workers is the Worker resource as the shared handlers serve it: what
// TaskRouter does for Workers alone, an ETag among it.
func (e *Emulator) workers() resource.Collection[state.Worker] {
	return resource.Collection[state.Worker]{Store: e.store, Name: "Worker", Key: "workers",
		Records: func(ws *state.WorkspaceState) map[string]*state.Worker { return ws.Workers },
		Seq:     (*state.Worker).Seq, Filter: state.WorkerFilter, Version: func(w *state.Worker) int { return w.Version },
		Render: renderWorker, Create: e.newWorker, Update: e.updateWorker, Delete: guardedDelete[state.Worker](e, api.KindWorker)}
}

// renderWorker renders w; lists leave attributes null, as TaskRouter does (fetch
// one worker to read them).
func renderWorker(v resource.View, w *state.Worker) any {
	ws := v.Workspace
	wsURL := v.Call.ResourceURL("/v1/Workspaces/" + w.WorkspaceSID)
	self := wsURL + "/Workers/" + w.SID
	var attributes any
	if v.Detail {
		attributes = w.Attributes
	}
	return map[string]any{
		"account_sid":         v.Call.AccountSID,
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
	return api.CheckJSONObject("Attributes", attrs)
}

// updateWorker applies an update call to w: its parameters, a new version, and
// a move to ActivitySid through setWorkerActivity, which stamps the status
// change and tells the simulation. Caller holds the lock for writing.
func (e *Emulator) updateWorker(ws *state.WorkspaceState, w *state.Worker, p api.Form) error {
	if err := applyWorkerParams(ws, w, p); err != nil {
		return err
	}
	w.DateUpdated = e.store.Timestamp()
	w.Version++
	if sid := p.Get("ActivitySid"); sid != "" {
		e.setWorkerActivity(ws, w, sid)
	}
	return nil
}
