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

	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator/api"
	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator/state"
)

// CreateFlexWorkspace creates a workspace named friendlyName (empty: "Flex Task
// Assignment") with what a Flex project's workspace has beyond a plain one: the
// email TaskChannel, the Break activity, the "Everyone" queue and the "Assign to
// Anyone" workflow, multitasking on (see flex.go).
func (a *Admin) CreateFlexWorkspace(friendlyName string) (Workspace, error) {
	if friendlyName == "" {
		friendlyName = DefaultFlexWorkspaceName
	}
	a.e.store.Lock()
	defer a.e.store.Unlock()
	ws, err := a.e.newFlexWorkspace(friendlyName)
	if err != nil {
		return Workspace{}, err
	}
	return ws.Workspace, nil
}

// WorkerChannels lists a worker's channels, one per TaskChannel of its
// workspace, as the WorkerChannel resource reports them.
func (a *Admin) WorkerChannels(ws, workerSID string) (out []WorkerChannel) {
	a.readWorkspace(ws, func(w *state.WorkspaceState) { out = a.e.workerChannelViews(w, workerSID) })
	return out
}

// WorkerChannel fetches one of a worker's channels by its SID (WC...) or its
// TaskChannel's unique name.
func (a *Admin) WorkerChannel(ws, workerSID, channel string) (out WorkerChannel, found bool) {
	a.readWorkspace(ws, func(w *state.WorkspaceState) {
		if wc, ok := w.WorkerChannel(workerSID, channel); ok {
			out, found = a.e.workerChannelNow(w, wc), true
		}
	})
	return out, found
}

// UpdateWorkerChannel applies REST update parameters (Capacity, Available) to
// one of a worker's channels, with the API's rules, and offers waiting tasks
// to the room it made.
func (a *Admin) UpdateWorkerChannel(ws, workerSID, channel string, params url.Values) (out WorkerChannel, err error) {
	err = a.writeWorkspace(ws, func(w *state.WorkspaceState) error {
		if _, ok := w.Workers[workerSID]; !ok {
			return api.NotFound("Worker", workerSID)
		}
		wc, ok := w.WorkerChannel(workerSID, channel)
		if !ok {
			return api.NotFound("WorkerChannel", channel)
		}
		if uerr := a.e.applyWorkerChannelParams(w, wc, api.Form(params)); uerr != nil {
			return uerr
		}
		out = a.e.workerChannelNow(w, wc)
		return nil
	})
	return out, err
}

// AssignTasks gives a worker n tasks on channel (a unique name or TC SID),
// already assigned, as if it had accepted them, so tests can set what a
// WorkerChannel holds (assigned_tasks) or block a channel's deletion. They are
// not routed and belong to no queue or workflow; the worker's activity and
// capacity are not consulted, as when a capacity is lowered under what a
// worker holds. Statistics count them as created, reserved and accepted.
func (a *Admin) AssignTasks(ws, workerSID, channel string, n int) (out []Task, err error) {
	err = a.writeWorkspace(ws, func(w *state.WorkspaceState) error {
		tasks, aerr := a.e.tasks.AssignTasks(w, workerSID, channel, n)
		out = values(tasks)
		return aerr
	})
	return out, err
}
