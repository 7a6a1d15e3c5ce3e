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
)

// CreateWorkspace creates a workspace from REST create parameters (FriendlyName,
// Template, ...), with the same defaults and validation as the API.
func (a *Admin) CreateWorkspace(params url.Values) (Workspace, error) {
	a.e.store.mu.Lock()
	defer a.e.store.mu.Unlock()
	ws, err := a.e.store.createWorkspace(form(params))
	if err != nil {
		return Workspace{}, err
	}
	return ws.Workspace, nil
}

// writeWorkspace runs fn on workspace sid under the write lock.
func (a *Admin) writeWorkspace(sid string, fn func(ws *workspaceState) error) error {
	a.e.store.mu.Lock()
	defer a.e.store.mu.Unlock()
	ws, err := a.e.store.workspace(sid)
	if err != nil {
		return err
	}
	return fn(ws)
}

// CreateActivity creates an activity in ws from REST create parameters.
func (a *Admin) CreateActivity(ws string, params url.Values) (out Activity, err error) {
	err = a.writeWorkspace(ws, func(w *workspaceState) error {
		x, cerr := a.e.store.createActivity(w, form(params))
		if cerr == nil {
			out = *x
		}
		return cerr
	})
	return out, err
}

// CreateTaskQueue creates a task queue in ws from REST create parameters.
func (a *Admin) CreateTaskQueue(ws string, params url.Values) (out TaskQueue, err error) {
	err = a.writeWorkspace(ws, func(w *workspaceState) error {
		x, cerr := a.e.store.createTaskQueue(w, form(params))
		if cerr == nil {
			out = *x
		}
		return cerr
	})
	return out, err
}

// CreateWorkflow creates a workflow in ws from REST create parameters.
func (a *Admin) CreateWorkflow(ws string, params url.Values) (out Workflow, err error) {
	err = a.writeWorkspace(ws, func(w *workspaceState) error {
		x, cerr := a.e.store.createWorkflow(w, form(params))
		if cerr == nil {
			out = *x
		}
		return cerr
	})
	return out, err
}

// CreateWorker creates a worker in ws from REST create parameters.
func (a *Admin) CreateWorker(ws string, params url.Values) (out Worker, err error) {
	err = a.writeWorkspace(ws, func(w *workspaceState) error {
		x, cerr := a.e.store.createWorker(w, form(params))
		if cerr == nil {
			out = *x
		}
		return cerr
	})
	return out, err
}

// CreateTaskChannel creates a task channel in ws from REST create parameters.
func (a *Admin) CreateTaskChannel(ws string, params url.Values) (out TaskChannel, err error) {
	err = a.writeWorkspace(ws, func(w *workspaceState) error {
		x, cerr := a.e.store.createTaskChannel(w, form(params))
		if cerr == nil {
			out = *x
		}
		return cerr
	})
	return out, err
}

// SetWorkerActivity moves a worker to another activity, as an agent does from
// their softphone; it stamps date_status_changed and bumps the ETag.
func (a *Admin) SetWorkerActivity(ws, workerSID, activitySID string) error {
	return a.writeWorkspace(ws, func(w *workspaceState) error {
		worker, ok := w.workers[workerSID]
		if !ok {
			return notFound("Worker", workerSID)
		}
		if _, ok := w.activities[activitySID]; !ok {
			return invalid("ActivitySid %q is not an Activity of Workspace %s", activitySID, ws)
		}
		a.e.store.setWorkerActivity(w, worker, activitySID)
		return nil
	})
}

// Delete removes the object sid out of band, as someone in the Twilio Console
// would: a workspace with everything in it, or any object of a workspace. The
// rules the API enforces on deletion (activities in use, targeted queues) apply.
func (a *Admin) Delete(sid string) error {
	a.e.store.mu.Lock()
	defer a.e.store.mu.Unlock()
	if strings.HasPrefix(sid, prefixWorkspace) {
		if _, err := a.e.store.workspace(sid); err != nil {
			return err
		}
		delete(a.e.store.workspaces, sid)
		return nil
	}
	for _, ws := range a.e.store.workspaces {
		if kind, found := ws.kindOf(sid); found {
			if err := ws.checkDeleteGuards(kind, sid); err != nil {
				return err
			}
			ws.remove(kind, sid)
			return nil
		}
	}
	return notFound("object", sid)
}

// kindOf reports which of ws's collections holds sid.
func (ws *workspaceState) kindOf(sid string) (Kind, bool) {
	switch {
	case ws.activities[sid] != nil:
		return KindActivity, true
	case ws.taskQueues[sid] != nil:
		return KindTaskQueue, true
	case ws.workflows[sid] != nil:
		return KindWorkflow, true
	case ws.workers[sid] != nil:
		return KindWorker, true
	case ws.taskChannels[sid] != nil:
		return KindTaskChannel, true
	}
	return "", false
}

// remove deletes sid from the collection of kind.
func (ws *workspaceState) remove(kind Kind, sid string) {
	switch kind {
	case KindActivity:
		delete(ws.activities, sid)
	case KindTaskQueue:
		delete(ws.taskQueues, sid)
	case KindWorkflow:
		delete(ws.workflows, sid)
	case KindWorker:
		delete(ws.workers, sid)
	case KindTaskChannel:
		delete(ws.taskChannels, sid)
	}
}
