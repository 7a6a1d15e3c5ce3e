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
	"time"

	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator/api"
	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator/state"
)

// maxWorkerCapacity is TaskRouter's limit on a WorkerChannel's capacity
// ("Channel Capacity per Worker", TaskRouter resource limits); 0 is allowed and
// stops new reservations on the channel.
const maxWorkerCapacity = 50

// WorkerChannel is a worker's capacity for one TaskChannel as the
// WorkerChannel resource reports it: what is configured, and what the worker
// holds on the channel now.
type WorkerChannel struct {
	SID                   string
	WorkspaceSID          string
	WorkerSID             string
	TaskChannelSID        string
	TaskChannelUniqueName string
	// ConfiguredCapacity is how many tasks of the channel the worker takes at once.
	ConfiguredCapacity int
	// Available false keeps the worker from new tasks of the channel.
	Available bool
	// AssignedTasks counts the worker's assigned and wrapping tasks on the channel.
	AssignedTasks int
	// AvailableCapacityPercentage is the share of the capacity not taken by
	// reserved, assigned or wrapping tasks; 0 when the channel is unavailable.
	AvailableCapacityPercentage int
	DateCreated                 time.Time
	DateUpdated                 time.Time
}

// workerChannelView reports wc with the load the worker carries on it.
func workerChannelView(ws *state.WorkspaceState, wc *state.WorkerChannel, load state.ChannelLoad) WorkerChannel {
	free := 0
	if wc.Available && wc.Capacity > 0 {
		free = max(0, wc.Capacity-load.Reserved-load.Assigned) * 100 / wc.Capacity
	}
	return WorkerChannel{SID: wc.SID, WorkspaceSID: wc.WorkspaceSID, WorkerSID: wc.WorkerSID, TaskChannelSID: wc.TaskChannelSID,
		TaskChannelUniqueName: ws.ChannelUniqueName(wc.TaskChannelSID), ConfiguredCapacity: wc.Capacity,
		Available: wc.Available, AssignedTasks: load.Assigned, AvailableCapacityPercentage: free,
		DateCreated: wc.DateCreated, DateUpdated: wc.DateUpdated}
}

// workerChannelNow reports wc with what its worker holds on it now.
func (e *Emulator) workerChannelNow(ws *state.WorkspaceState, wc *state.WorkerChannel) WorkerChannel {
	return workerChannelView(ws, wc, e.sim.WorkerLoad(ws, wc.WorkerSID)[wc.TaskChannelSID])
}

// workerChannelViews reports every channel of worker in creation order.
func (e *Emulator) workerChannelViews(ws *state.WorkspaceState, worker string) []WorkerChannel {
	load := e.sim.WorkerLoad(ws, worker)
	var out []WorkerChannel
	for _, wc := range ws.SortedWorkerChannels(worker) {
		out = append(out, workerChannelView(ws, wc, load[wc.TaskChannelSID]))
	}
	return out
}

func renderWorkerChannel(c *api.Call, v WorkerChannel) map[string]any {
	return map[string]any{
		"account_sid":                   c.AccountSID,
		"assigned_tasks":                v.AssignedTasks,
		"available":                     v.Available,
		"available_capacity_percentage": v.AvailableCapacityPercentage,
		"configured_capacity":           v.ConfiguredCapacity,
		"date_created":                  api.FormatTime(v.DateCreated),
		"date_updated":                  api.FormatTime(v.DateUpdated),
		"sid":                           v.SID,
		"task_channel_sid":              v.TaskChannelSID,
		"task_channel_unique_name":      api.Nullable(v.TaskChannelUniqueName),
		"url":                           c.ResourceURL("/v1/Workspaces/" + v.WorkspaceSID + "/Workers/" + v.WorkerSID + "/Channels/" + v.SID),
		"worker_sid":                    v.WorkerSID,
		"workspace_sid":                 v.WorkspaceSID,
	}
}

// lookupWorkerOf finds the worker named by a call's {WorkspaceSid} and {WorkerSid}.
func (e *Emulator) lookupWorkerOf(c *api.Call) (*state.WorkspaceState, *state.Worker, error) {
	ws, err := e.store.Workspace(c.Vars["WorkspaceSid"])
	if err != nil {
		return nil, nil, err
	}
	w, found := ws.Workers[c.Vars["WorkerSid"]]
	if !found {
		return nil, nil, api.NotFound("Worker", c.Vars["WorkerSid"])
	}
	return ws, w, nil
}

// lookupWorkerChannel finds a worker's channel by WC SID or, as the docs allow,
// by its TaskChannel's unique name.
func (e *Emulator) lookupWorkerChannel(c *api.Call) (*state.WorkspaceState, *state.WorkerChannel, error) {
	ws, w, err := e.lookupWorkerOf(c)
	if err != nil {
		return nil, nil, err
	}
	wc, found := ws.WorkerChannel(w.SID, c.Vars["Sid"])
	if !found {
		return nil, nil, api.NotFound("WorkerChannel", c.Vars["Sid"])
	}
	return ws, wc, nil
}

func (e *Emulator) listWorkerChannels(c *api.Call) (*api.Reply, error) {
	e.store.RLock()
	defer e.store.RUnlock()
	ws, w, err := e.lookupWorkerOf(c)
	if err != nil {
		return nil, err
	}
	load := e.sim.WorkerLoad(ws, w.SID)
	return api.Paginate(c, "channels", ws.SortedWorkerChannels(w.SID), (*state.WorkerChannel).Seq,
		func(wc *state.WorkerChannel) any {
			return renderWorkerChannel(c, workerChannelView(ws, wc, load[wc.TaskChannelSID]))
		})
}

func (e *Emulator) fetchWorkerChannel(c *api.Call) (*api.Reply, error) {
	e.store.RLock()
	defer e.store.RUnlock()
	ws, wc, err := e.lookupWorkerChannel(c)
	if err != nil {
		return nil, err
	}
	return api.OK(renderWorkerChannel(c, e.workerChannelNow(ws, wc))), nil
}

func (e *Emulator) updateWorkerChannel(c *api.Call) (*api.Reply, error) {
	e.store.Lock()
	defer e.store.Unlock()
	ws, wc, err := e.lookupWorkerChannel(c)
	if err != nil {
		return nil, err
	}
	if err := e.applyWorkerChannelParams(ws, wc, c.Params); err != nil {
		return nil, err
	}
	return api.OK(renderWorkerChannel(c, e.workerChannelNow(ws, wc))), nil
}

// applyWorkerChannelParams validates Capacity (0..50) and Available, applies
// both, and lets the simulation offer waiting tasks to the room that made.
// Lowering the capacity under what the worker holds takes nothing away, as in
// TaskRouter; the worker just gets no new task until it is under again.
func (e *Emulator) applyWorkerChannelParams(ws *state.WorkspaceState, wc *state.WorkerChannel, p api.Form) error {
	capacity, hasCapacity, err := p.Integer("Capacity", 0, maxWorkerCapacity)
	if err != nil {
		return err
	}
	available, hasAvailable, err := p.Boolean("Available")
	if err != nil {
		return err
	}
	if hasCapacity {
		wc.Capacity = capacity
	}
	if hasAvailable {
		wc.Available = available
	}
	wc.DateUpdated = e.store.Timestamp()
	e.sim.WorkerChannelChanged(ws)
	return nil
}
