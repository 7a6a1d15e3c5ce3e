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

import "net/http"

func init() { registerRoutes(workflowRoutes) }

func workflowRoutes() []route {
	const coll, item = "/v1/Workspaces/{WorkspaceSid}/Workflows", "/v1/Workspaces/{WorkspaceSid}/Workflows/{Sid}"
	return []route{
		{method: http.MethodGet, pattern: coll, kind: KindWorkflow, list: true, handle: listWorkflows},
		{method: http.MethodPost, pattern: coll, kind: KindWorkflow, create: true, handle: createWorkflow},
		{method: http.MethodGet, pattern: item, kind: KindWorkflow, handle: fetchWorkflow},
		{method: http.MethodPost, pattern: item, kind: KindWorkflow, handle: updateWorkflow},
		{method: http.MethodDelete, pattern: item, kind: KindWorkflow, handle: deleteWorkflow},
	}
}

// defaultWorkflowReservationTimeout is TaskReservationTimeout when a create leaves it out.
const defaultWorkflowReservationTimeout = 120

func renderWorkflow(c *call, wf *Workflow) map[string]any {
	self := c.resourceURL("/v1/Workspaces/" + wf.WorkspaceSID + "/Workflows/" + wf.SID)
	return map[string]any{
		"account_sid":                      accountOf(c),
		"assignment_callback_url":          nullable(wf.AssignmentCallbackURL),
		"configuration":                    wf.Configuration,
		"date_created":                     formatTime(wf.DateCreated),
		"date_updated":                     formatTime(wf.DateUpdated),
		"document_content_type":            "application/json",
		"fallback_assignment_callback_url": nullable(wf.FallbackAssignmentCallbackURL),
		"friendly_name":                    wf.FriendlyName,
		"sid":                              wf.SID,
		"task_reservation_timeout":         wf.TaskReservationTimeout,
		"workspace_sid":                    wf.WorkspaceSID,
		"url":                              self,
		"links": map[string]any{
			"statistics":            self + "/Statistics",
			"real_time_statistics":  self + "/RealTimeStatistics",
			"cumulative_statistics": self + "/CumulativeStatistics",
		},
	}
}

func (e *Emulator) lookupWorkflow(c *call) (*workspaceState, *Workflow, error) {
	return lookupObject(e, c, "Workflow", func(w *workspaceState) map[string]*Workflow { return w.workflows })
}

func listWorkflows(e *Emulator, c *call) (*reply, error) {
	e.store.mu.RLock()
	defer e.store.mu.RUnlock()
	ws, err := e.store.workspace(c.vars["WorkspaceSid"])
	if err != nil {
		return nil, err
	}
	name := c.params.get("FriendlyName")
	var items []*Workflow
	for _, wf := range ws.sortedWorkflows() {
		if name == "" || wf.FriendlyName == name {
			items = append(items, wf)
		}
	}
	return paginate(c, "workflows", items, func(wf *Workflow) uint64 { return wf.seq },
		func(wf *Workflow) any { return renderWorkflow(c, wf) })
}

func createWorkflow(e *Emulator, c *call) (*reply, error) {
	e.store.mu.Lock()
	defer e.store.mu.Unlock()
	ws, err := e.store.workspace(c.vars["WorkspaceSid"])
	if err != nil {
		return nil, err
	}
	wf, err := e.store.createWorkflow(ws, c.params)
	if err != nil {
		return nil, err
	}
	return created(renderWorkflow(c, wf)), nil
}

// createWorkflow validates p and adds the workflow to ws. Caller holds mu.
func (s *store) createWorkflow(ws *workspaceState, p form) (*Workflow, error) {
	if _, _, err := p.friendlyName(true); err != nil {
		return nil, err
	}
	if _, err := p.required("Configuration"); err != nil {
		return nil, err
	}
	wf := Workflow{TaskReservationTimeout: defaultWorkflowReservationTimeout}
	if err := applyWorkflowParams(ws, &wf, p); err != nil {
		return nil, err
	}
	return s.addWorkflow(ws, wf), nil
}

// addWorkflow stores a validated workflow. Caller holds mu for writing.
func (s *store) addWorkflow(ws *workspaceState, wf Workflow) *Workflow {
	now := s.timestamp()
	wf.SID, wf.WorkspaceSID, wf.DateCreated, wf.DateUpdated, wf.seq = newSID(prefixWorkflow), ws.SID, now, now, s.nextSeq()
	ws.workflows[wf.SID] = &wf
	return &wf
}

// applyWorkflowParams validates every create/update parameter of p, then applies
// them all to wf; on error wf is unchanged.
func applyWorkflowParams(ws *workspaceState, wf *Workflow, p form) error {
	next := *wf
	if name, present, err := p.friendlyName(false); err != nil {
		return err
	} else if present {
		next.FriendlyName = name
	}
	if p.has("Configuration") {
		routing, err := parseTaskRouting(ws, p.get("Configuration"))
		if err != nil {
			return err
		}
		next.Configuration, next.routing = p.get("Configuration"), routing
	}
	if u, present, err := p.callbackURL("AssignmentCallbackUrl"); err != nil {
		return err
	} else if present {
		next.AssignmentCallbackURL = u
	}
	if u, present, err := p.callbackURL("FallbackAssignmentCallbackUrl"); err != nil {
		return err
	} else if present {
		next.FallbackAssignmentCallbackURL = u
	}
	if n, present, err := p.integer("TaskReservationTimeout", 1, maxReservationTimeout); err != nil {
		return err
	} else if present {
		next.TaskReservationTimeout = n
	}
	if _, _, err := p.boolean("ReEvaluateTasks"); err != nil {
		return err
	}
	*wf = next
	return nil
}

func fetchWorkflow(e *Emulator, c *call) (*reply, error) {
	e.store.mu.RLock()
	defer e.store.mu.RUnlock()
	_, wf, err := e.lookupWorkflow(c)
	if err != nil {
		return nil, err
	}
	return ok(renderWorkflow(c, wf)), nil
}

func updateWorkflow(e *Emulator, c *call) (*reply, error) {
	e.store.mu.Lock()
	defer e.store.mu.Unlock()
	ws, wf, err := e.lookupWorkflow(c)
	if err != nil {
		return nil, err
	}
	if err := applyWorkflowParams(ws, wf, c.params); err != nil {
		return nil, err
	}
	wf.DateUpdated = e.store.timestamp()
	return ok(renderWorkflow(c, wf)), nil
}

func deleteWorkflow(e *Emulator, c *call) (*reply, error) {
	e.store.mu.Lock()
	defer e.store.mu.Unlock()
	ws, wf, err := e.lookupWorkflow(c)
	if err != nil {
		return nil, err
	}
	if err := ws.checkDeleteGuards(KindWorkflow, wf.SID); err != nil {
		return nil, err
	}
	delete(ws.workflows, wf.SID)
	return noContent(), nil
}
