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

// defaultTaskChannels are the TaskChannels TaskRouter puts in every new
// workspace (unique name, friendly name): the five its multitasking guide
// names, Voice, SMS, Chat, Video and Default. Email is a Flex channel (see
// flex.go).
var defaultTaskChannels = [][2]string{
	{defaultChannelName, "Default"}, {"voice", "Voice"}, {"chat", "Chat"}, {"sms", "SMS"}, {"video", "Video"},
}

// The FIFO template's objects, named as the TaskRouter console names them.
const (
	fifoQueueName    = "Sample Queue"
	fifoWorkflowName = "Default Fifo Workflow"
)

func renderWorkspace(c *api.Call, ws *state.WorkspaceState) map[string]any {
	self := c.ResourceURL("/v1/Workspaces/" + ws.SID)
	links := map[string]any{}
	for key, sub := range map[string]string{
		"activities": "Activities", "statistics": "Statistics", "real_time_statistics": "RealTimeStatistics",
		"cumulative_statistics": "CumulativeStatistics", "task_queues": "TaskQueues", "tasks": "Tasks",
		"workers": "Workers", "workflows": "Workflows", "task_channels": "TaskChannels", "events": "Events",
	} {
		links[key] = self + "/" + sub
	}
	return map[string]any{
		"account_sid":            ws.AccountSID,
		"date_created":           api.FormatTime(ws.DateCreated),
		"date_updated":           api.FormatTime(ws.DateUpdated),
		"default_activity_name":  api.Nullable(ws.ActivityName(ws.DefaultActivitySID)),
		"default_activity_sid":   api.Nullable(ws.DefaultActivitySID),
		"event_callback_url":     api.Nullable(ws.EventCallbackURL),
		"events_filter":          api.Nullable(ws.EventsFilter),
		"friendly_name":          ws.FriendlyName,
		"multi_task_enabled":     ws.MultiTaskEnabled,
		"prioritize_queue_order": ws.PrioritizeQueueOrder,
		"sid":                    ws.SID,
		"timeout_activity_name":  api.Nullable(ws.ActivityName(ws.TimeoutActivitySID)),
		"timeout_activity_sid":   api.Nullable(ws.TimeoutActivitySID),
		"url":                    self,
		"links":                  links,
	}
}

func (e *Emulator) listWorkspaces(c *api.Call) (*api.Reply, error) {
	e.store.RLock()
	defer e.store.RUnlock()
	name := c.Params.Get("FriendlyName")
	var items []*state.WorkspaceState
	for _, ws := range e.store.SortedWorkspaces() {
		if name == "" || ws.FriendlyName == name {
			items = append(items, ws)
		}
	}
	return api.Paginate(c, "workspaces", items, func(ws *state.WorkspaceState) uint64 { return ws.Seq() },
		func(ws *state.WorkspaceState) any { return renderWorkspace(c, ws) })
}

func (e *Emulator) createWorkspace(c *api.Call) (*api.Reply, error) {
	e.store.Lock()
	defer e.store.Unlock()
	ws, err := e.newWorkspace(c.Params)
	if err != nil {
		return nil, err
	}
	return api.Created(renderWorkspace(c, ws)), nil
}

func (e *Emulator) fetchWorkspace(c *api.Call) (*api.Reply, error) {
	e.store.RLock()
	defer e.store.RUnlock()
	ws, err := e.store.Workspace(c.Vars["Sid"])
	if err != nil {
		return nil, err
	}
	return api.OK(renderWorkspace(c, ws)), nil
}

func (e *Emulator) updateWorkspace(c *api.Call) (*api.Reply, error) {
	e.store.Lock()
	defer e.store.Unlock()
	ws, err := e.store.Workspace(c.Vars["Sid"])
	if err != nil {
		return nil, err
	}
	if err := e.applyWorkspaceUpdate(ws, c.Params); err != nil {
		return nil, err
	}
	return api.OK(renderWorkspace(c, ws)), nil
}

func (e *Emulator) deleteWorkspace(c *api.Call) (*api.Reply, error) {
	e.store.Lock()
	defer e.store.Unlock()
	if _, err := e.store.Workspace(c.Vars["Sid"]); err != nil {
		return nil, err
	}
	e.removeWorkspace(c.Vars["Sid"])
	return api.NoContent(), nil
}

// workspaceSettings are the create and update parameters shared by both.
type workspaceSettings struct {
	eventCallbackURL, eventsFilter, queueOrder string
	multiTask                                  bool
	hasCallback, hasFilter, hasOrder, hasMulti bool
}

func parseWorkspaceSettings(p api.Form) (workspaceSettings, error) {
	var s workspaceSettings
	var err error
	if s.eventCallbackURL, s.hasCallback, err = p.CallbackURL("EventCallbackUrl"); err != nil {
		return s, err
	}
	s.eventsFilter, s.hasFilter = p.Get("EventsFilter"), p.Has("EventsFilter")
	if s.multiTask, s.hasMulti, err = p.Boolean("MultiTaskEnabled"); err != nil {
		return s, err
	}
	if s.queueOrder, s.hasOrder, err = p.Enum("PrioritizeQueueOrder", "FIFO", "LIFO"); err != nil {
		return s, err
	}
	return s, nil
}

func (s workspaceSettings) apply(ws *state.Workspace) {
	if s.hasCallback {
		ws.EventCallbackURL = s.eventCallbackURL
	}
	if s.hasFilter {
		ws.EventsFilter = s.eventsFilter
	}
	if s.hasMulti {
		ws.MultiTaskEnabled = s.multiTask
	}
	if s.hasOrder {
		ws.PrioritizeQueueOrder = s.queueOrder
	}
}

// newWorkspace validates p and creates a workspace with TaskRouter's default
// activities and task channels, plus the FIFO template's queue and workflow.
// Caller holds the lock for writing.
func (e *Emulator) newWorkspace(p api.Form) (*state.WorkspaceState, error) {
	name, _, err := p.FriendlyName(true)
	if err != nil {
		return nil, err
	}
	settings, err := parseWorkspaceSettings(p)
	if err != nil {
		return nil, err
	}
	template, _, err := p.Enum("Template", "NONE", "FIFO")
	if err != nil {
		return nil, err
	}
	record := state.Workspace{FriendlyName: name, MultiTaskEnabled: true, PrioritizeQueueOrder: "FIFO"}
	settings.apply(&record)
	ws := e.store.AddWorkspace(record)
	offline := e.store.AddActivity(ws, "Offline", false)
	e.store.AddActivity(ws, "Available", true)
	e.store.AddActivity(ws, "Unavailable", false)
	ws.DefaultActivitySID, ws.TimeoutActivitySID = offline.SID, offline.SID
	for _, tc := range defaultTaskChannels {
		e.store.AddTaskChannel(ws, tc[1], tc[0], false)
	}
	if template == "FIFO" {
		e.addRouteToEveryone(ws, fifoQueueName, fifoWorkflowName)
	}
	return ws, nil
}

// addRouteToEveryone adds a queue every worker qualifies for and a workflow
// that sends every task there, as the FIFO template and a Flex workspace have.
func (e *Emulator) addRouteToEveryone(ws *state.WorkspaceState, queueName, workflowName string) {
	queue := e.store.AddTaskQueue(ws, state.TaskQueue{FriendlyName: queueName, TargetWorkers: "1==1", MaxReservedWorkers: 1,
		TaskOrder: "FIFO"})
	config := `{"task_routing":{"filters":[],"default_filter":{"queue":"` + queue.SID + `"}}}`
	routing := &state.TaskRouting{DefaultFilter: &state.RoutingTarget{Queue: queue.SID}} // config, parsed
	e.store.AddWorkflow(ws, state.Workflow{FriendlyName: workflowName, Configuration: config,
		TaskReservationTimeout: defaultWorkflowReservationTimeout, Routing: routing})
}

// applyWorkspaceUpdate applies the update parameters p to ws. Caller holds the
// lock for writing.
func (e *Emulator) applyWorkspaceUpdate(ws *state.WorkspaceState, p api.Form) error {
	name, hasName, err := p.FriendlyName(false)
	if err != nil {
		return err
	}
	settings, err := parseWorkspaceSettings(p)
	if err != nil {
		return err
	}
	defaultSID, hasDefault, err := activityRef(ws, p, "DefaultActivitySid")
	if err != nil {
		return err
	}
	timeoutSID, hasTimeout, err := activityRef(ws, p, "TimeoutActivitySid")
	if err != nil {
		return err
	}
	if hasName {
		ws.FriendlyName = name
	}
	settings.apply(&ws.Workspace)
	if hasDefault {
		ws.DefaultActivitySID = defaultSID
	}
	if hasTimeout {
		ws.TimeoutActivitySID = timeoutSID
	}
	ws.DateUpdated = e.store.Timestamp()
	return nil
}

// removeWorkspace deletes workspace sid with everything in it, and tells the
// simulation to forget its tasks. Caller holds the lock for writing.
func (e *Emulator) removeWorkspace(sid string) {
	e.store.RemoveWorkspace(sid)
	e.sim.WorkspaceDeleted(sid)
}
