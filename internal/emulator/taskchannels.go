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

// TaskRouter's limit on TaskChannels per workspace, the default channel
// included (TaskRouter resource limits).
const maxTaskChannels = 15

// defaultChannelName is the TaskChannel every workspace has and tasks created
// without a TaskChannel go to.
const defaultChannelName = "default"

// taskChannels is the TaskChannel resource as the shared handlers serve it:
// what TaskRouter does for TaskChannels alone. An item is found by SID or, as
// TaskRouter allows, by unique name; the list's key is "channels", as the spec
// names it, not "task_channels".
func (e *Emulator) taskChannels() resource.Collection[state.TaskChannel] {
	return resource.Collection[state.TaskChannel]{Store: e.store, Name: "TaskChannel", Key: "channels",
		Records: func(ws *state.WorkspaceState) map[string]*state.TaskChannel { return ws.TaskChannels },
		Seq:     (*state.TaskChannel).Seq, Ref: (*state.WorkspaceState).TaskChannelRef, Render: renderTaskChannel,
		Create: e.newTaskChannel, Update: e.updateTaskChannel, Delete: guardedDelete[state.TaskChannel](e, api.KindTaskChannel)}
}

func renderTaskChannel(v resource.View, tc *state.TaskChannel) any {
	wsURL := v.Call.ResourceURL("/v1/Workspaces/" + tc.WorkspaceSID)
	return map[string]any{
		"account_sid":               v.Call.AccountSID,
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

// updateTaskChannel changes FriendlyName and ChannelOptimizedRouting. The spec
// gives the update no UniqueName: a call that tries to change it is refused,
// as an Activity's Available is, rather than ignored, so a client that expects
// a rename finds out.
func (e *Emulator) updateTaskChannel(_ *state.WorkspaceState, tc *state.TaskChannel, p api.Form) error {
	if p.Has("UniqueName") && p.Get("UniqueName") != tc.UniqueName {
		return api.Invalid("TaskChannel %s: UniqueName cannot be changed after the TaskChannel is created", tc.SID)
	}
	name, hasName, err := p.FriendlyName(false)
	if err != nil {
		return err
	}
	optimized, hasOptimized, err := p.Boolean("ChannelOptimizedRouting")
	if err != nil {
		return err
	}
	if hasName {
		tc.FriendlyName = name
	}
	if hasOptimized {
		tc.ChannelOptimizedRouting = optimized
	}
	tc.DateUpdated = e.store.Timestamp()
	return nil
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
