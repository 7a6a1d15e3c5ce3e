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
	"net/http"
	"strings"
)

func init() {
	registerRoutes(activityRoutes)
	deleteGuards = append(deleteGuards, activityInUse)
}

func activityRoutes() []route {
	const coll, item = "/v1/Workspaces/{WorkspaceSid}/Activities", "/v1/Workspaces/{WorkspaceSid}/Activities/{Sid}"
	return []route{
		{method: http.MethodGet, pattern: coll, kind: KindActivity, list: true, handle: listActivities},
		{method: http.MethodPost, pattern: coll, kind: KindActivity, create: true, handle: createActivity},
		{method: http.MethodGet, pattern: item, kind: KindActivity, handle: fetchActivity},
		{method: http.MethodPost, pattern: item, kind: KindActivity, handle: updateActivity},
		{method: http.MethodDelete, pattern: item, kind: KindActivity, handle: deleteActivity},
	}
}

func renderActivity(c *call, a *Activity) map[string]any {
	wsURL := c.resourceURL("/v1/Workspaces/" + a.WorkspaceSID)
	return map[string]any{
		"account_sid":   accountOf(c),
		"available":     a.Available,
		"date_created":  formatTime(a.DateCreated),
		"date_updated":  formatTime(a.DateUpdated),
		"friendly_name": a.FriendlyName,
		"sid":           a.SID,
		"workspace_sid": a.WorkspaceSID,
		"url":           wsURL + "/Activities/" + a.SID,
		"links":         map[string]any{"workspace": wsURL},
	}
}

// accountOf is the account SID the call was made against; child resources carry
// it as their account_sid.
func accountOf(c *call) string { return c.accountSID }

// lookupActivity finds an activity of the call's workspace. Caller holds mu.
func (e *Emulator) lookupActivity(c *call) (*workspaceState, *Activity, error) {
	return lookupObject(e, c, "Activity", func(w *workspaceState) map[string]*Activity { return w.activities })
}

func listActivities(e *Emulator, c *call) (*reply, error) {
	e.store.mu.RLock()
	defer e.store.mu.RUnlock()
	ws, err := e.store.workspace(c.vars["WorkspaceSid"])
	if err != nil {
		return nil, err
	}
	name, availFilter := c.params.get("FriendlyName"), c.params.get("Available")
	var items []*Activity
	for _, a := range ws.sortedActivities() {
		if name != "" && a.FriendlyName != name {
			continue
		}
		if availFilter != "" && a.Available != parseAvailable(availFilter) {
			continue
		}
		items = append(items, a)
	}
	return paginate(c, "activities", items, func(a *Activity) uint64 { return a.seq },
		func(a *Activity) any { return renderActivity(c, a) })
}

// parseAvailable reads an Activity's Available flag the way the spec says
// TaskRouter does: true, 1 or yes mean available, anything else does not.
func parseAvailable(v string) bool {
	switch strings.ToLower(v) {
	case "true", "1", "yes":
		return true
	}
	return false
}

func createActivity(e *Emulator, c *call) (*reply, error) {
	e.store.mu.Lock()
	defer e.store.mu.Unlock()
	ws, err := e.store.workspace(c.vars["WorkspaceSid"])
	if err != nil {
		return nil, err
	}
	a, err := e.store.createActivity(ws, c.params)
	if err != nil {
		return nil, err
	}
	return created(renderActivity(c, a)), nil
}

// createActivity validates p and adds the activity to ws. Caller holds mu.
func (s *store) createActivity(ws *workspaceState, p form) (*Activity, error) {
	name, _, err := p.friendlyName(true)
	if err != nil {
		return nil, err
	}
	if err := ws.checkActivityName(name, ""); err != nil {
		return nil, err
	}
	if len(ws.activities) >= maxActivities {
		return nil, invalid("Workspace %s already has the maximum of %d Activities", ws.SID, maxActivities)
	}
	return s.addActivity(ws, name, parseAvailable(p.get("Available"))), nil
}

// addActivity stores a validated activity. Caller holds mu for writing.
func (s *store) addActivity(ws *workspaceState, name string, available bool) *Activity {
	now := s.timestamp()
	a := &Activity{SID: newSID(prefixActivity), WorkspaceSID: ws.SID, FriendlyName: name, Available: available,
		DateCreated: now, DateUpdated: now, seq: s.nextSeq()}
	ws.activities[a.SID] = a
	return a
}

// checkActivityName refuses a name another activity (not except) already has.
func (ws *workspaceState) checkActivityName(name, except string) error {
	for _, other := range ws.activities {
		if other.SID != except && other.FriendlyName == name {
			return invalid("An Activity named %q already exists in Workspace %s", name, ws.SID)
		}
	}
	return nil
}

func fetchActivity(e *Emulator, c *call) (*reply, error) {
	e.store.mu.RLock()
	defer e.store.mu.RUnlock()
	_, a, err := e.lookupActivity(c)
	if err != nil {
		return nil, err
	}
	return ok(renderActivity(c, a)), nil
}

func updateActivity(e *Emulator, c *call) (*reply, error) {
	e.store.mu.Lock()
	defer e.store.mu.Unlock()
	ws, a, err := e.lookupActivity(c)
	if err != nil {
		return nil, err
	}
	if c.params.has("Available") && parseAvailable(c.params.get("Available")) != a.Available {
		return nil, invalid("Activity %s: Available cannot be changed after the Activity is created", a.SID)
	}
	name, hasName, err := c.params.friendlyName(false)
	if err != nil {
		return nil, err
	}
	if hasName {
		if err := ws.checkActivityName(name, a.SID); err != nil {
			return nil, err
		}
		a.FriendlyName = name
	}
	a.DateUpdated = e.store.timestamp()
	return ok(renderActivity(c, a)), nil
}

func deleteActivity(e *Emulator, c *call) (*reply, error) {
	e.store.mu.Lock()
	defer e.store.mu.Unlock()
	ws, a, err := e.lookupActivity(c)
	if err != nil {
		return nil, err
	}
	if err := ws.checkDeleteGuards(KindActivity, a.SID); err != nil {
		return nil, err
	}
	delete(ws.activities, a.SID)
	return noContent(), nil
}

// activityInUse refuses to delete an activity that workers are in, that is the
// workspace's default or timeout activity, or that a TaskQueue moves workers to
// (the last is assumed: it keeps every reference resolvable).
func activityInUse(ws *workspaceState, kind Kind, sid string) error {
	if kind != KindActivity {
		return nil
	}
	switch sid {
	case ws.DefaultActivitySID:
		return invalid("Activity %s is the Workspace's default activity and cannot be deleted", sid)
	case ws.TimeoutActivitySID:
		return invalid("Activity %s is the Workspace's timeout activity and cannot be deleted", sid)
	}
	for _, w := range ws.sortedWorkers() {
		if w.ActivitySID == sid {
			return invalid("Activity %s cannot be deleted: Worker %s is in it", sid, w.SID)
		}
	}
	for _, q := range ws.sortedTaskQueues() {
		if q.ReservationActivitySID == sid || q.AssignmentActivitySID == sid {
			return invalid("Activity %s cannot be deleted: TaskQueue %s uses it as reservation or assignment activity", sid, q.SID)
		}
	}
	return nil
}
