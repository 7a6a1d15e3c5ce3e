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
	"net/url"
	"strings"

	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator/api"
	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator/state"
)

// CreateWorkspace creates a workspace from REST create parameters (FriendlyName,
// Template, ...), with the same defaults and validation as the API.
func (a *Admin) CreateWorkspace(params url.Values) (Workspace, error) {
	a.e.store.Lock()
	defer a.e.store.Unlock()
	ws, err := a.e.newWorkspace(api.Form(params))
	if err != nil {
		return Workspace{}, err
	}
	return ws.Workspace, nil
}

// writeWorkspace runs fn on workspace sid under the write lock.
func (a *Admin) writeWorkspace(sid string, fn func(ws *state.WorkspaceState) error) error {
	a.e.store.Lock()
	defer a.e.store.Unlock()
	ws, err := a.e.store.Workspace(sid)
	if err != nil {
		return err
	}
	return fn(ws)
}

// writeRecord runs fn on workspace ws under the write lock and returns a copy
// of the record fn made or changed, so the caller holds nothing the lock guards.
func writeRecord[T any](a *Admin, ws string, fn func(w *state.WorkspaceState) (*T, error)) (out T, err error) {
	err = a.writeWorkspace(ws, func(w *state.WorkspaceState) error {
		x, ferr := fn(w)
		if ferr == nil {
			out = *x
		}
		return ferr
	})
	return out, err
}

// createRecord is writeRecord for a kind's create, which validates params as
// the API does.
func createRecord[T any](a *Admin, ws string, params url.Values, create func(*state.WorkspaceState, api.Form) (*T, error)) (T, error) {
	return writeRecord(a, ws, func(w *state.WorkspaceState) (*T, error) { return create(w, api.Form(params)) })
}

// CreateActivity creates an activity in ws from REST create parameters.
func (a *Admin) CreateActivity(ws string, params url.Values) (Activity, error) {
	return createRecord(a, ws, params, a.e.newActivity)
}

// CreateTaskQueue creates a task queue in ws from REST create parameters.
func (a *Admin) CreateTaskQueue(ws string, params url.Values) (TaskQueue, error) {
	return createRecord(a, ws, params, a.e.newTaskQueue)
}

// CreateWorkflow creates a workflow in ws from REST create parameters.
func (a *Admin) CreateWorkflow(ws string, params url.Values) (Workflow, error) {
	return createRecord(a, ws, params, a.e.newWorkflow)
}

// CreateWorker creates a worker in ws from REST create parameters.
func (a *Admin) CreateWorker(ws string, params url.Values) (Worker, error) {
	return createRecord(a, ws, params, a.e.newWorker)
}

// CreateTaskChannel creates a task channel in ws from REST create parameters.
func (a *Admin) CreateTaskChannel(ws string, params url.Values) (TaskChannel, error) {
	return createRecord(a, ws, params, a.e.newTaskChannel)
}

// SetWorkerActivity moves a worker to another activity, as an agent does from
// their softphone; it stamps date_status_changed and bumps the ETag.
func (a *Admin) SetWorkerActivity(ws, workerSID, activitySID string) error {
	return a.writeWorkspace(ws, func(w *state.WorkspaceState) error {
		worker, ok := w.Workers[workerSID]
		if !ok {
			return api.NotFound("Worker", workerSID)
		}
		if _, ok := w.Activities[activitySID]; !ok {
			return api.Invalid("ActivitySid %q is not an Activity of Workspace %s", activitySID, ws)
		}
		a.e.setWorkerActivity(w, worker, activitySID)
		return nil
	})
}

// Delete removes the object sid out of band, as someone in the Twilio Console
// would: a workspace with everything in it, or any object of a workspace. The
// rules the API enforces on deletion (activities in use, targeted queues) apply.
func (a *Admin) Delete(sid string) error {
	a.e.store.Lock()
	defer a.e.store.Unlock()
	if strings.HasPrefix(sid, state.PrefixWorkspace) {
		if _, err := a.e.store.Workspace(sid); err != nil {
			return err
		}
		a.e.removeWorkspace(sid)
		return nil
	}
	for _, ws := range a.e.store.SortedWorkspaces() {
		if kind, found := ws.KindOf(sid); found {
			return a.e.removeGuarded(ws, kind, sid)
		}
	}
	return api.NotFound("object", sid)
}
