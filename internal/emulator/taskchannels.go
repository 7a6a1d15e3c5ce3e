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

// TaskRouter's limit on TaskChannels per workspace, the default channel
// included (TaskRouter resource limits).
const maxTaskChannels = 15

// defaultChannelName is the TaskChannel every workspace has and tasks created
// without a TaskChannel go to.
const defaultChannelName = "default"

func renderTaskChannel(c *api.Call, tc *state.TaskChannel) map[string]any {
	wsURL := c.ResourceURL("/v1/Workspaces/" + tc.WorkspaceSID)
	return map[string]any{
		"account_sid":               c.AccountSID,
		"date_created":              api.FormatTime(tc.DateCreated),
		"date_updated":              api.FormatTime(tc.DateUpdated),
		"friendly_name":             tc.FriendlyName,
		"sid":                       tc.SID,
		"unique_name":               tc.UniqueName,
		"workspace_sid":             tc.WorkspaceSID,
		"channel_optimized_routing": tc.ChannelOptimizedRouting,
		"url":                       wsURL + "/TaskChannels/" + tc.SID,
		"links":                     map[string]any{"workspace": wsURL},
	}
}

// lookupTaskChannel finds a channel by SID or, as TaskRouter allows, by unique name.
func (e *Emulator) lookupTaskChannel(c *api.Call) (*state.WorkspaceState, *state.TaskChannel, error) {
	ws, err := e.store.Workspace(c.Vars["WorkspaceSid"])
	if err != nil {
		return nil, nil, err
	}
	sid, found := ws.TaskChannelRef(c.Vars["Sid"])
	if !found {
		return nil, nil, api.NotFound("TaskChannel", c.Vars["Sid"])
	}
	return ws, ws.TaskChannels[sid], nil
}

func (e *Emulator) listTaskChannels(c *api.Call) (*api.Reply, error) {
	e.store.RLock()
	defer e.store.RUnlock()
	ws, err := e.store.Workspace(c.Vars["WorkspaceSid"])
	if err != nil {
		return nil, err
	}
	// The spec names this list's key "channels", not "task_channels".
	return api.Paginate(c, "channels", ws.SortedTaskChannels(), (*state.TaskChannel).Seq,
		func(tc *state.TaskChannel) any { return renderTaskChannel(c, tc) })
}

func (e *Emulator) createTaskChannel(c *api.Call) (*api.Reply, error) {
	e.store.Lock()
	defer e.store.Unlock()
	ws, err := e.store.Workspace(c.Vars["WorkspaceSid"])
	if err != nil {
		return nil, err
	}
	tc, err := e.newTaskChannel(ws, c.Params)
	if err != nil {
		return nil, err
	}
	return api.Created(renderTaskChannel(c, tc)), nil
}

// newTaskChannel validates p and adds the channel to ws, with a WorkerChannel on
// every worker. Caller holds the lock for writing.
func (e *Emulator) newTaskChannel(ws *state.WorkspaceState, p api.Form) (*state.TaskChannel, error) {
	name, _, err := p.FriendlyName(true)
	if err != nil {
		return nil, err
	}
	unique, err := p.Required("UniqueName")
	if err != nil {
		return nil, err
	}
	if ws.TaskChannelByUniqueName(unique) != nil {
		return nil, api.Invalid("A TaskChannel with UniqueName %q already exists in Workspace %s", unique, ws.SID)
	}
	optimized, _, err := p.Boolean("ChannelOptimizedRouting")
	if err != nil {
		return nil, err
	}
	if len(ws.TaskChannels) >= maxTaskChannels {
		return nil, api.Invalid("Workspace %s already has the maximum of %d TaskChannels", ws.SID, maxTaskChannels)
	}
	return e.store.AddTaskChannel(ws, name, unique, optimized), nil
}

func (e *Emulator) fetchTaskChannel(c *api.Call) (*api.Reply, error) {
	e.store.RLock()
	defer e.store.RUnlock()
	_, tc, err := e.lookupTaskChannel(c)
	if err != nil {
		return nil, err
	}
	return api.OK(renderTaskChannel(c, tc)), nil
}

// updateTaskChannel changes FriendlyName and ChannelOptimizedRouting. The spec
// gives the update no UniqueName: a call that tries to change it is refused,
// as an Activity's Available is, rather than ignored, so a client that expects
// a rename finds out.
func (e *Emulator) updateTaskChannel(c *api.Call) (*api.Reply, error) {
	e.store.Lock()
	defer e.store.Unlock()
	_, tc, err := e.lookupTaskChannel(c)
	if err != nil {
		return nil, err
	}
	if c.Params.Has("UniqueName") && c.Params.Get("UniqueName") != tc.UniqueName {
		return nil, api.Invalid("TaskChannel %s: UniqueName cannot be changed after the TaskChannel is created", tc.SID)
	}
	name, hasName, err := c.Params.FriendlyName(false)
	if err != nil {
		return nil, err
	}
	optimized, hasOptimized, err := c.Params.Boolean("ChannelOptimizedRouting")
	if err != nil {
		return nil, err
	}
	if hasName {
		tc.FriendlyName = name
	}
	if hasOptimized {
		tc.ChannelOptimizedRouting = optimized
	}
	tc.DateUpdated = e.store.Timestamp()
	return api.OK(renderTaskChannel(c, tc)), nil
}

func (e *Emulator) deleteTaskChannel(c *api.Call) (*api.Reply, error) {
	e.store.Lock()
	defer e.store.Unlock()
	ws, tc, err := e.lookupTaskChannel(c)
	if err != nil {
		return nil, err
	}
	if err := e.mayDelete(ws, api.KindTaskChannel, tc.SID); err != nil {
		return nil, err
	}
	ws.Remove(api.KindTaskChannel, tc.SID)
	return api.NoContent(), nil
}

// defaultChannelKept refuses to delete the default TaskChannel: tasks created
// without a TaskChannel go there (assumed: TaskRouter counts it in its channel
// limit as a fixture of every workspace, and no document shows it deleted).
// The simulation's guard refuses channels that tasks are on.
func defaultChannelKept(ws *state.WorkspaceState, kind api.Kind, sid string) error {
	if kind == api.KindTaskChannel && ws.ChannelUniqueName(sid) == defaultChannelName {
		return api.Invalid("TaskChannel %s is the Workspace's default channel and cannot be deleted", sid)
	}
	return nil
}
