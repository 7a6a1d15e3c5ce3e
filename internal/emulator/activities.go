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

// activities is the Activity resource as the shared handlers serve it: what
// TaskRouter does for Activities alone.
func (e *Emulator) activities() resource.Collection[state.Activity] {
	return resource.Collection[state.Activity]{Store: e.store, Name: "Activity", Key: "activities",
		Records: func(ws *state.WorkspaceState) map[string]*state.Activity { return ws.Activities },
		Seq:     (*state.Activity).Seq, Filter: activityFilter, Render: renderActivity,
		Create: e.newActivity, Update: e.updateActivity, Delete: guardedDelete[state.Activity](e, api.KindActivity)}
}

func renderActivity(v resource.View, a *state.Activity) any {
	wsURL := v.Call.ResourceURL("/v1/Workspaces/" + a.WorkspaceSID)
	return map[string]any{
		"account_sid":   v.Call.AccountSID,
		"available":     a.Available,
		"date_created":  api.FormatTime(a.DateCreated),
		"date_updated":  api.FormatTime(a.DateUpdated),
		"friendly_name": a.FriendlyName,
		"sid":           a.SID,
		"workspace_sid": a.WorkspaceSID,
		"url":           wsURL + "/Activities/" + a.SID,
		"links":         map[string]any{"workspace": wsURL},
	}
}

// activityFilter keeps the activities a list's FriendlyName and Available name.
func activityFilter(_ *state.WorkspaceState, p api.Form) (func(*state.Activity) bool, error) {
	name, available := p.Get("FriendlyName"), p.Get("Available")
	return func(a *state.Activity) bool {
		return (name == "" || a.FriendlyName == name) && (available == "" || a.Available == state.ParseAvailable(available))
	}, nil
}

// newActivity validates p and adds the activity to ws. Caller holds the lock
// for writing.
func (e *Emulator) newActivity(ws *state.WorkspaceState, p api.Form) (*state.Activity, error) {
	name, _, err := p.FriendlyName(true)
	if err != nil {
		return nil, err
	}
	if err := checkActivityName(ws, name, ""); err != nil {
		return nil, err
	}
	if len(ws.Activities) >= maxActivities {
		return nil, api.Invalid("Workspace %s already has the maximum of %d Activities", ws.SID, maxActivities)
	}
	return e.store.AddActivity(ws, name, state.ParseAvailable(p.Get("Available"))), nil
}

// checkActivityName refuses a name another activity (not except) already has.
func checkActivityName(ws *state.WorkspaceState, name, except string) error {
	for _, other := range ws.Activities {
		if other.SID != except && other.FriendlyName == name {
			return api.Invalid("An Activity named %q already exists in Workspace %s", name, ws.SID)
		}
	}
	return nil
}

// updateActivity renames a; Available is fixed once the activity exists.
// Caller holds the lock for writing.
func (e *Emulator) updateActivity(ws *state.WorkspaceState, a *state.Activity, p api.Form) error {
	if p.Has("Available") && state.ParseAvailable(p.Get("Available")) != a.Available {
		return api.Invalid("Activity %s: Available cannot be changed after the Activity is created", a.SID)
	}
	name, hasName, err := p.FriendlyName(false)
	if err != nil {
		return err
	}
	if hasName {
		if err := checkActivityName(ws, name, a.SID); err != nil {
			return err
		}
		a.FriendlyName = name
	}
	a.DateUpdated = e.store.Timestamp()
	return nil
}

// activityInUse refuses to delete an activity that workers are in, that is the
// workspace's default or timeout activity, or that a TaskQueue moves workers to
// (the last is assumed: it keeps every reference resolvable).
func activityInUse(ws *state.WorkspaceState, kind api.Kind, sid string) error {
	if kind != api.KindActivity {
		return nil
	}
	switch sid {
	case ws.DefaultActivitySID:
		return api.Invalid("Activity %s is the Workspace's default activity and cannot be deleted", sid)
	case ws.TimeoutActivitySID:
		return api.Invalid("Activity %s is the Workspace's timeout activity and cannot be deleted", sid)
	}
	for _, w := range ws.SortedWorkers() {
		if w.ActivitySID == sid {
			return api.Invalid("Activity %s cannot be deleted: Worker %s is in it", sid, w.SID)
		}
	}
	for _, q := range ws.SortedTaskQueues() {
		if q.ReservationActivitySID == sid || q.AssignmentActivitySID == sid {
			return api.Invalid("Activity %s cannot be deleted: TaskQueue %s uses it as reservation or assignment activity", sid, q.SID)
		}
	}
	return nil
}
