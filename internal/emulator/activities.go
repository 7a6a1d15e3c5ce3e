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
	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator/state"
)

func renderActivity(c *api.Call, a *state.Activity) map[string]any {
	wsURL := c.ResourceURL("/v1/Workspaces/" + a.WorkspaceSID)
	return map[string]any{
		"account_sid":   c.AccountSID,
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

// lookupActivity finds an activity of the call's workspace. Caller holds the lock.
func (e *Emulator) lookupActivity(c *api.Call) (*state.WorkspaceState, *state.Activity, error) {
	return state.Lookup(e.store, c, "Activity", func(w *state.WorkspaceState) map[string]*state.Activity { return w.Activities })
}

func (e *Emulator) listActivities(c *api.Call) (*api.Reply, error) {
	e.store.RLock()
	defer e.store.RUnlock()
	ws, err := e.store.Workspace(c.Vars["WorkspaceSid"])
	if err != nil {
		return nil, err
	}
	name, availFilter := c.Params.Get("FriendlyName"), c.Params.Get("Available")
	var items []*state.Activity
	for _, a := range ws.SortedActivities() {
		if name != "" && a.FriendlyName != name {
			continue
		}
		if availFilter != "" && a.Available != state.ParseAvailable(availFilter) {
			continue
		}
		items = append(items, a)
	}
	return api.Paginate(c, "activities", items, func(a *state.Activity) uint64 { return a.Seq() },
		func(a *state.Activity) any { return renderActivity(c, a) })
}

func (e *Emulator) createActivity(c *api.Call) (*api.Reply, error) {
	e.store.Lock()
	defer e.store.Unlock()
	ws, err := e.store.Workspace(c.Vars["WorkspaceSid"])
	if err != nil {
		return nil, err
	}
	a, err := e.newActivity(ws, c.Params)
	if err != nil {
		return nil, err
	}
	return api.Created(renderActivity(c, a)), nil
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

func (e *Emulator) fetchActivity(c *api.Call) (*api.Reply, error) {
	e.store.RLock()
	defer e.store.RUnlock()
	_, a, err := e.lookupActivity(c)
	if err != nil {
		return nil, err
	}
	return api.OK(renderActivity(c, a)), nil
}

func (e *Emulator) updateActivity(c *api.Call) (*api.Reply, error) {
	e.store.Lock()
	defer e.store.Unlock()
	ws, a, err := e.lookupActivity(c)
	if err != nil {
		return nil, err
	}
	if c.Params.Has("Available") && state.ParseAvailable(c.Params.Get("Available")) != a.Available {
		return nil, api.Invalid("Activity %s: Available cannot be changed after the Activity is created", a.SID)
	}
	name, hasName, err := c.Params.FriendlyName(false)
	if err != nil {
		return nil, err
	}
	if hasName {
		if err := checkActivityName(ws, name, a.SID); err != nil {
			return nil, err
		}
		a.FriendlyName = name
	}
	a.DateUpdated = e.store.Timestamp()
	return api.OK(renderActivity(c, a)), nil
}

func (e *Emulator) deleteActivity(c *api.Call) (*api.Reply, error) {
	e.store.Lock()
	defer e.store.Unlock()
	ws, a, err := e.lookupActivity(c)
	if err != nil {
		return nil, err
	}
	if err := e.mayDelete(ws, api.KindActivity, a.SID); err != nil {
		return nil, err
	}
	ws.Remove(api.KindActivity, a.SID)
	return api.NoContent(), nil
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
