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

package capability

import (
	"fmt"
	"slices"
	"strings"
)

// WorkspaceCapability names one of the TaskRouter.js Workspace capabilities, without "Allow".
type WorkspaceCapability string

// The Workspace capabilities of the TaskRouter.js docs.
const (
	WorkspaceFetchSubresources   WorkspaceCapability = "FetchSubresources"
	WorkspaceUpdates             WorkspaceCapability = "Updates"
	WorkspaceUpdatesSubresources WorkspaceCapability = "UpdatesSubresources"
	WorkspaceDelete              WorkspaceCapability = "Delete"
	WorkspaceDeleteSubresources  WorkspaceCapability = "DeleteSubresources"
)

// TaskQueueCapability names one of the TaskRouter.js TaskQueue capabilities, without "Allow".
type TaskQueueCapability string

// The TaskQueue capabilities of the TaskRouter.js docs.
const (
	TaskQueueFetchSubresources TaskQueueCapability = "FetchSubresources"
	TaskQueueUpdates           TaskQueueCapability = "Updates"
	TaskQueueDelete            TaskQueueCapability = "Delete"
)

// WorkerCapability names an optional TaskRouter.js Worker capability, without "Allow".
type WorkerCapability string

// The optional Worker capabilities; the default worker set is always granted.
const (
	WorkerActivityUpdates    WorkerCapability = "ActivityUpdates"
	WorkerReservationUpdates WorkerCapability = "ReservationUpdates"
)

// WorkspaceCapabilities lists the valid Workspace capability names in documentation order.
func WorkspaceCapabilities() []WorkspaceCapability {
	return []WorkspaceCapability{WorkspaceFetchSubresources, WorkspaceUpdates, WorkspaceUpdatesSubresources, WorkspaceDelete, WorkspaceDeleteSubresources}
}

// TaskQueueCapabilities lists the valid TaskQueue capability names in documentation order.
func TaskQueueCapabilities() []TaskQueueCapability {
	return []TaskQueueCapability{TaskQueueFetchSubresources, TaskQueueUpdates, TaskQueueDelete}
}

// WorkerCapabilities lists the valid optional Worker capability names.
func WorkerCapabilities() []WorkerCapability {
	return []WorkerCapability{WorkerActivityUpdates, WorkerReservationUpdates}
}

// WorkspacePolicies is the Workspace token's policy set: GET on the workspace itself (the
// "fetch self" every helper library grants) plus the listed capabilities, in the order given.
func (u URLs) WorkspacePolicies(workspaceSID string, caps ...WorkspaceCapability) ([]Policy, error) {
	self := u.Resource("Workspaces/" + workspaceSID)
	return withSelf(self, caps, WorkspaceCapabilities(), "workspace")
}

// TaskQueuePolicies is the TaskQueue token's policy set: GET on the queue itself plus the
// listed capabilities, rooted at Workspaces/{ws}/TaskQueues/{wq}.
func (u URLs) TaskQueuePolicies(workspaceSID, taskQueueSID string, caps ...TaskQueueCapability) ([]Policy, error) {
	self := u.Resource("Workspaces/" + workspaceSID + "/TaskQueues/" + taskQueueSID)
	return withSelf(self, caps, TaskQueueCapabilities(), "task queue")
}

// WorkerPolicies is the Worker token's policy set: the default worker set (itself, the
// workspace's Activities, Tasks/**, its own Reservations/**) plus the listed capabilities.
func (u URLs) WorkerPolicies(workspaceSID, workerSID string, caps ...WorkerCapability) ([]Policy, error) {
	if err := checkNames(caps, WorkerCapabilities(), "worker"); err != nil {
		return nil, err
	}
	ws := "Workspaces/" + workspaceSID
	self := u.Resource(ws + "/Workers/" + workerSID)
	tasks := u.Resource(ws + "/Tasks/**")
	reservations := self + "/Reservations/**"
	// Order as twilio-php and twilio-python write it: self first, then the fetch set.
	out := []Policy{
		allow(self, "GET", nil),
		allow(u.Resource(ws+"/Activities"), "GET", nil),
		allow(tasks, "GET", nil),
		allow(reservations, "GET", nil),
	}
	for _, c := range dedupe(caps) {
		switch c {
		case WorkerActivityUpdates:
			out = append(out, allow(self, "POST", map[string]any{"ActivitySid": map[string]any{"required": true}}))
		case WorkerReservationUpdates:
			out = append(out, allow(tasks, "POST", nil), allow(reservations, "POST", nil))
		}
	}
	return out, nil
}

// withSelf builds the shared Workspace/TaskQueue shape: every capability is a method on the
// resource itself or on "/**" below it.
func withSelf[C ~string](self string, caps, valid []C, kind string) ([]Policy, error) {
	if err := checkNames(caps, valid, kind); err != nil {
		return nil, err
	}
	out := []Policy{allow(self, "GET", nil)}
	for _, c := range dedupe(caps) {
		method, url := selfCapability(string(c), self)
		out = append(out, allow(url, method, nil))
	}
	return out, nil
}

// selfCapability maps a capability name shared by Workspace and TaskQueue to its policy.
func selfCapability(name, self string) (method, url string) {
	switch name {
	case "FetchSubresources":
		return "GET", self + "/**"
	case "Updates":
		return "POST", self
	case "UpdatesSubresources":
		return "POST", self + "/**"
	case "Delete":
		return "DELETE", self
	default: // "DeleteSubresources"; checkNames has rejected everything else
		return "DELETE", self + "/**"
	}
}

// checkNames rejects unknown capability names, naming the bad one and the valid ones.
func checkNames[C ~string](caps, valid []C, kind string) error {
	for _, c := range caps {
		if !slices.Contains(valid, c) {
			names := make([]string, len(valid))
			for i, v := range valid {
				names[i] = string(v)
			}
			return fmt.Errorf("unknown %s capability %q: valid are %s", kind, string(c), strings.Join(names, ", "))
		}
	}
	return nil
}

// dedupe keeps the first occurrence of each name, so listing a capability twice is harmless.
func dedupe[C comparable](caps []C) []C {
	var out []C
	for _, c := range caps {
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}
