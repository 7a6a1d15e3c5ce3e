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
	"strings"

	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator/state"
)

// Admin is a back door for tests and tools: it reads and changes the emulator's
// state directly, bypassing authentication, fault injection and request
// recording, but applying TaskRouter's validation rules like the API does.
type Admin struct{ e *Emulator }

// Admin returns the emulator's back door.
func (e *Emulator) Admin() *Admin { return &Admin{e: e} }

// Workspaces lists every workspace in creation order.
func (a *Admin) Workspaces() []Workspace {
	a.e.store.RLock()
	defer a.e.store.RUnlock()
	var out []Workspace
	for _, ws := range a.e.store.SortedWorkspaces() {
		out = append(out, ws.Workspace)
	}
	return out
}

// Workspace fetches one workspace.
func (a *Admin) Workspace(sid string) (Workspace, bool) {
	a.e.store.RLock()
	defer a.e.store.RUnlock()
	ws, err := a.e.store.Workspace(sid)
	if err != nil {
		return Workspace{}, false
	}
	return ws.Workspace, true
}

// readWorkspace runs fn on workspace sid under the read lock; an unknown
// workspace reads as empty.
func (a *Admin) readWorkspace(sid string, fn func(ws *state.WorkspaceState)) {
	a.e.store.RLock()
	defer a.e.store.RUnlock()
	if ws, err := a.e.store.Workspace(sid); err == nil {
		fn(ws)
	}
}

func values[T any](items []*T) []T {
	out := make([]T, 0, len(items))
	for _, it := range items {
		out = append(out, *it)
	}
	return out
}

func lookup[T any](m map[string]*T, sid string) (T, bool) {
	if v, ok := m[sid]; ok {
		return *v, true
	}
	var zero T
	return zero, false
}

// Activities lists the activities of workspace ws in creation order.
func (a *Admin) Activities(ws string) (out []Activity) {
	a.readWorkspace(ws, func(w *state.WorkspaceState) { out = values(w.SortedActivities()) })
	return out
}

// Activity fetches one activity.
func (a *Admin) Activity(ws, sid string) (out Activity, found bool) {
	a.readWorkspace(ws, func(w *state.WorkspaceState) { out, found = lookup(w.Activities, sid) })
	return out, found
}

// TaskQueues lists the task queues of workspace ws in creation order.
func (a *Admin) TaskQueues(ws string) (out []TaskQueue) {
	a.readWorkspace(ws, func(w *state.WorkspaceState) { out = values(w.SortedTaskQueues()) })
	return out
}

// TaskQueue fetches one task queue.
func (a *Admin) TaskQueue(ws, sid string) (out TaskQueue, found bool) {
	a.readWorkspace(ws, func(w *state.WorkspaceState) { out, found = lookup(w.TaskQueues, sid) })
	return out, found
}

// Workflows lists the workflows of workspace ws in creation order.
func (a *Admin) Workflows(ws string) (out []Workflow) {
	a.readWorkspace(ws, func(w *state.WorkspaceState) { out = values(w.SortedWorkflows()) })
	return out
}

// Workflow fetches one workflow.
func (a *Admin) Workflow(ws, sid string) (out Workflow, found bool) {
	a.readWorkspace(ws, func(w *state.WorkspaceState) { out, found = lookup(w.Workflows, sid) })
	return out, found
}

// Workers lists the workers of workspace ws in creation order.
func (a *Admin) Workers(ws string) (out []Worker) {
	a.readWorkspace(ws, func(w *state.WorkspaceState) { out = values(w.SortedWorkers()) })
	return out
}

// Worker fetches one worker.
func (a *Admin) Worker(ws, sid string) (out Worker, found bool) {
	a.readWorkspace(ws, func(w *state.WorkspaceState) { out, found = lookup(w.Workers, sid) })
	return out, found
}

// TaskChannels lists the task channels of workspace ws in creation order.
func (a *Admin) TaskChannels(ws string) (out []TaskChannel) {
	a.readWorkspace(ws, func(w *state.WorkspaceState) { out = values(w.SortedTaskChannels()) })
	return out
}

// TaskChannel fetches one task channel by SID.
func (a *Admin) TaskChannel(ws, sid string) (out TaskChannel, found bool) {
	a.readWorkspace(ws, func(w *state.WorkspaceState) { out, found = lookup(w.TaskChannels, sid) })
	return out, found
}

// CountByFriendlyName counts the objects of kind named name (in workspace ws; ws
// is ignored for KindWorkspace). Worker names compare case-insensitively, as
// TaskRouter compares them.
func (a *Admin) CountByFriendlyName(kind Kind, ws, name string) int {
	var names []string
	switch kind {
	case KindWorkspace:
		for _, w := range a.Workspaces() {
			names = append(names, w.FriendlyName)
		}
	case KindActivity:
		for _, x := range a.Activities(ws) {
			names = append(names, x.FriendlyName)
		}
	case KindTaskQueue:
		for _, x := range a.TaskQueues(ws) {
			names = append(names, x.FriendlyName)
		}
	case KindWorkflow:
		for _, x := range a.Workflows(ws) {
			names = append(names, x.FriendlyName)
		}
	case KindWorker:
		for _, x := range a.Workers(ws) {
			names = append(names, strings.ToLower(x.FriendlyName))
		}
		name = strings.ToLower(name)
	case KindTaskChannel:
		for _, x := range a.TaskChannels(ws) {
			names = append(names, x.FriendlyName)
		}
	}
	n := 0
	for _, got := range names {
		if got == name {
			n++
		}
	}
	return n
}
