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

// defaultWorkflowReservationTimeout is TaskReservationTimeout when a create leaves it out.
const defaultWorkflowReservationTimeout = 120

// workflows is the Workflow resource as the shared handlers serve it: what
// TaskRouter does for Workflows alone.
func (e *Emulator) workflows() resource.Collection[state.Workflow] {
	return resource.Collection[state.Workflow]{Store: e.store, Name: "Workflow", Key: "workflows",
		Records: func(ws *state.WorkspaceState) map[string]*state.Workflow { return ws.Workflows },
		Seq:     (*state.Workflow).Seq, Filter: byFriendlyName(func(wf *state.Workflow) string { return wf.FriendlyName }),
		Render: renderWorkflow, Create: e.newWorkflow, Update: e.updateWorkflow,
		Delete: guardedDelete[state.Workflow](e, api.KindWorkflow)}
}

func renderWorkflow(v resource.View, wf *state.Workflow) any {
	self := v.Call.ResourceURL("/v1/Workspaces/" + wf.WorkspaceSID + "/Workflows/" + wf.SID)
	return map[string]any{
		"account_sid":                      v.Call.AccountSID,
		"assignment_callback_url":          api.Nullable(wf.AssignmentCallbackURL),
		"configuration":                    wf.Configuration,
		"date_created":                     api.FormatTime(wf.DateCreated),
		"date_updated":                     api.FormatTime(wf.DateUpdated),
		"document_content_type":            "application/json",
		"fallback_assignment_callback_url": api.Nullable(wf.FallbackAssignmentCallbackURL),
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

// newWorkflow validates p and adds the workflow to ws. Caller holds the lock for
// writing.
func (e *Emulator) newWorkflow(ws *state.WorkspaceState, p api.Form) (*state.Workflow, error) {
	if _, _, err := p.FriendlyName(true); err != nil {
		return nil, err
	}
	if _, err := p.Required("Configuration"); err != nil {
		return nil, err
	}
	wf := state.Workflow{TaskReservationTimeout: defaultWorkflowReservationTimeout}
	if err := applyWorkflowParams(ws, &wf, p); err != nil {
		return nil, err
	}
	return e.store.AddWorkflow(ws, wf), nil
}

// applyWorkflowParams validates every create/update parameter of p, then applies
// them all to wf; on error wf is unchanged.
func applyWorkflowParams(ws *state.WorkspaceState, wf *state.Workflow, p api.Form) error {
	next := *wf
	if name, present, err := p.FriendlyName(false); err != nil {
		return err
	} else if present {
		next.FriendlyName = name
	}
	if p.Has("Configuration") {
		routing, err := state.ParseTaskRouting(ws, p.Get("Configuration"))
		if err != nil {
			return err
		}
		next.Configuration, next.Routing = p.Get("Configuration"), routing
	}
	if u, present, err := p.CallbackURL("AssignmentCallbackUrl"); err != nil {
		return err
	} else if present {
		next.AssignmentCallbackURL = u
	}
	if u, present, err := p.CallbackURL("FallbackAssignmentCallbackUrl"); err != nil {
		return err
	} else if present {
		next.FallbackAssignmentCallbackURL = u
	}
	if n, present, err := p.Integer("TaskReservationTimeout", 1, maxReservationTimeout); err != nil {
		return err
	} else if present {
		next.TaskReservationTimeout = n
	}
	if _, _, err := p.Boolean("ReEvaluateTasks"); err != nil {
		return err
	}
	*wf = next
	return nil
}

// updateWorkflow applies an update call to wf. Caller holds the lock for
// writing.
func (e *Emulator) updateWorkflow(ws *state.WorkspaceState, wf *state.Workflow, p api.Form) error {
	if err := applyWorkflowParams(ws, wf, p); err != nil {
		return err
	}
	wf.DateUpdated = e.store.Timestamp()
	return nil
}
