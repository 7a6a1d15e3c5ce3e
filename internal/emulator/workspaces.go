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
	"net/url"
)

func init() { registerRoutes(workspaceRoutes) }

func workspaceRoutes() []route {
	const coll, item = "/v1/Workspaces", "/v1/Workspaces/{Sid}"
	return []route{
		{method: http.MethodGet, pattern: coll, kind: KindWorkspace, list: true, handle: listWorkspaces},
		{method: http.MethodPost, pattern: coll, kind: KindWorkspace, create: true, handle: createWorkspace},
		{method: http.MethodGet, pattern: item, kind: KindWorkspace, handle: fetchWorkspace},
		{method: http.MethodPost, pattern: item, kind: KindWorkspace, handle: updateWorkspace},
		{method: http.MethodDelete, pattern: item, kind: KindWorkspace, handle: deleteWorkspace},
	}
}

// defaultTaskChannels are the TaskChannels TaskRouter puts in every new workspace
// (unique name, friendly name).
var defaultTaskChannels = [][2]string{
	{"default", "Default"}, {"voice", "Voice"}, {"chat", "Chat"},
	{"sms", "SMS"}, {"video", "Video"}, {"email", "Email"},
}

// The FIFO template's objects, named as the TaskRouter console names them.
const (
	fifoQueueName    = "Sample Queue"
	fifoWorkflowName = "Default Fifo Workflow"
)

func renderWorkspace(c *call, ws *workspaceState) map[string]any {
	self := c.resourceURL("/v1/Workspaces/" + ws.SID)
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
		"date_created":           formatTime(ws.DateCreated),
		"date_updated":           formatTime(ws.DateUpdated),
		"default_activity_name":  nullable(ws.activityName(ws.DefaultActivitySID)),
		"default_activity_sid":   nullable(ws.DefaultActivitySID),
		"event_callback_url":     nullable(ws.EventCallbackURL),
		"events_filter":          nullable(ws.EventsFilter),
		"friendly_name":          ws.FriendlyName,
		"multi_task_enabled":     ws.MultiTaskEnabled,
		"prioritize_queue_order": ws.PrioritizeQueueOrder,
		"sid":                    ws.SID,
		"timeout_activity_name":  nullable(ws.activityName(ws.TimeoutActivitySID)),
		"timeout_activity_sid":   nullable(ws.TimeoutActivitySID),
		"url":                    self,
		"links":                  links,
	}
}

// nullable renders an unset string as JSON null, as TaskRouter does.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func listWorkspaces(e *Emulator, c *call) (*reply, error) {
	e.store.mu.RLock()
	defer e.store.mu.RUnlock()
	name := c.params.get("FriendlyName")
	var items []*workspaceState
	for _, ws := range e.store.sortedWorkspaces() {
		if name == "" || ws.FriendlyName == name {
			items = append(items, ws)
		}
	}
	return paginate(c, "workspaces", items, func(ws *workspaceState) uint64 { return ws.seq },
		func(ws *workspaceState) any { return renderWorkspace(c, ws) })
}

func createWorkspace(e *Emulator, c *call) (*reply, error) {
	e.store.mu.Lock()
	defer e.store.mu.Unlock()
	ws, err := e.store.createWorkspace(c.params)
	if err != nil {
		return nil, err
	}
	return created(renderWorkspace(c, ws)), nil
}

func fetchWorkspace(e *Emulator, c *call) (*reply, error) {
	e.store.mu.RLock()
	defer e.store.mu.RUnlock()
	ws, err := e.store.workspace(c.vars["Sid"])
	if err != nil {
		return nil, err
	}
	return ok(renderWorkspace(c, ws)), nil
}

func updateWorkspace(e *Emulator, c *call) (*reply, error) {
	e.store.mu.Lock()
	defer e.store.mu.Unlock()
	ws, err := e.store.workspace(c.vars["Sid"])
	if err != nil {
		return nil, err
	}
	if err := e.store.updateWorkspace(ws, c.params); err != nil {
		return nil, err
	}
	return ok(renderWorkspace(c, ws)), nil
}

func deleteWorkspace(e *Emulator, c *call) (*reply, error) {
	e.store.mu.Lock()
	defer e.store.mu.Unlock()
	if _, err := e.store.workspace(c.vars["Sid"]); err != nil {
		return nil, err
	}
	delete(e.store.workspaces, c.vars["Sid"])
	return noContent(), nil
}

// workspaceSettings are the create and update parameters shared by both.
type workspaceSettings struct {
	eventCallbackURL, eventsFilter, queueOrder string
	multiTask                                  bool
	hasCallback, hasFilter, hasOrder, hasMulti bool
}

func parseWorkspaceSettings(p form) (workspaceSettings, error) {
	var s workspaceSettings
	var err error
	if s.eventCallbackURL, s.hasCallback, err = p.callbackURL("EventCallbackUrl"); err != nil {
		return s, err
	}
	s.eventsFilter, s.hasFilter = p.get("EventsFilter"), p.has("EventsFilter")
	if s.multiTask, s.hasMulti, err = p.boolean("MultiTaskEnabled"); err != nil {
		return s, err
	}
	if s.queueOrder, s.hasOrder, err = p.enum("PrioritizeQueueOrder", "FIFO", "LIFO"); err != nil {
		return s, err
	}
	return s, nil
}

func (s workspaceSettings) apply(ws *Workspace) {
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

// createWorkspace validates p and creates a workspace with TaskRouter's default
// activities and task channels, plus the FIFO template's queue and workflow.
// Caller holds mu for writing.
func (s *store) createWorkspace(p form) (*workspaceState, error) {
	name, _, err := p.friendlyName(true)
	if err != nil {
		return nil, err
	}
	settings, err := parseWorkspaceSettings(p)
	if err != nil {
		return nil, err
	}
	template, _, err := p.enum("Template", "NONE", "FIFO")
	if err != nil {
		return nil, err
	}
	now := s.timestamp()
	ws := &workspaceState{
		Workspace: Workspace{SID: newSID(prefixWorkspace), AccountSID: s.accountSID, FriendlyName: name,
			MultiTaskEnabled: true, PrioritizeQueueOrder: "FIFO", DateCreated: now, DateUpdated: now, seq: s.nextSeq()},
		activities: map[string]*Activity{}, taskQueues: map[string]*TaskQueue{}, workflows: map[string]*Workflow{},
		workers: map[string]*Worker{}, taskChannels: map[string]*TaskChannel{}, extensions: map[string]any{},
	}
	settings.apply(&ws.Workspace)
	offline := s.addActivity(ws, "Offline", false)
	s.addActivity(ws, "Available", true)
	s.addActivity(ws, "Unavailable", false)
	ws.DefaultActivitySID, ws.TimeoutActivitySID = offline.SID, offline.SID
	for _, tc := range defaultTaskChannels {
		s.addTaskChannel(ws, tc[1], tc[0], false)
	}
	if template == "FIFO" {
		s.applyFIFOTemplate(ws)
	}
	s.workspaces[ws.SID] = ws
	return ws, nil
}

// applyFIFOTemplate adds a queue every worker qualifies for and a workflow that
// sends every task there.
func (s *store) applyFIFOTemplate(ws *workspaceState) {
	queue := s.addTaskQueue(ws, TaskQueue{FriendlyName: fifoQueueName, TargetWorkers: "1==1", MaxReservedWorkers: 1, TaskOrder: "FIFO"})
	config := `{"task_routing":{"filters":[],"default_filter":{"queue":"` + queue.SID + `"}}}`
	routing, err := parseTaskRouting(ws, config)
	if err != nil {
		// The template's configuration is fixed and names a queue just created.
		panic("emulator: FIFO template configuration: " + err.Error())
	}
	s.addWorkflow(ws, Workflow{FriendlyName: fifoWorkflowName, Configuration: config, TaskReservationTimeout: 120, routing: routing})
}

// updateWorkspace applies the update parameters p to ws. Caller holds mu.
func (s *store) updateWorkspace(ws *workspaceState, p form) error {
	name, hasName, err := p.friendlyName(false)
	if err != nil {
		return err
	}
	settings, err := parseWorkspaceSettings(p)
	if err != nil {
		return err
	}
	defaultSID, hasDefault, err := p.activityRef(ws, "DefaultActivitySid")
	if err != nil {
		return err
	}
	timeoutSID, hasTimeout, err := p.activityRef(ws, "TimeoutActivitySid")
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
	ws.DateUpdated = s.timestamp()
	return nil
}

// callbackURL validates an optional absolute http(s) URL parameter; an empty value
// clears it.
func (f form) callbackURL(name string) (value string, present bool, err error) {
	if !f.has(name) {
		return "", false, nil
	}
	v := f.get(name)
	if v == "" {
		return "", true, nil
	}
	u, perr := url.Parse(v)
	if perr != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", true, invalid("%s %q is not a valid http or https URL", name, v)
	}
	return v, true, nil
}
