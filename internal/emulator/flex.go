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

// A Flex project comes with a TaskRouter workspace Twilio provisions when the
// project is created, with more in it than a workspace created through the API.
// It is made out of band, not by a REST parameter (the spec's Template knows
// NONE and FIFO only), so the emulator makes it out of band too:
// Admin.CreateFlexWorkspace, or the program's --flex-workspace flag. A REST
// option would let a client rely on something TaskRouter refuses.
//
// What it holds beyond a plain workspace, as a new Flex project's workspace
// shows it in the Twilio Console (assumed: Twilio publishes no list):
// multitasking on; the Activity Break (unavailable) beside Offline, Available
// and Unavailable; the TaskChannel email beside the five defaults; the
// TaskQueue "Everyone" (1==1) and the Workflow "Assign to Anyone" sending
// every task there.

// DefaultFlexWorkspaceName is the friendly name Flex gives its workspace.
const DefaultFlexWorkspaceName = "Flex Task Assignment"

// The Flex built-ins a plain workspace lacks.
const (
	flexBreakActivity = "Break"
	flexQueueName     = "Everyone"
	flexWorkflowName  = "Assign to Anyone"
)

// flexTaskChannels are the TaskChannels a Flex workspace has beyond the
// defaults (unique name, friendly name).
var flexTaskChannels = [][2]string{{"email", "Email"}}

// newFlexWorkspace creates a workspace named name with the Flex built-ins.
// Caller holds the lock for writing.
func (e *Emulator) newFlexWorkspace(name string) (*state.WorkspaceState, error) {
	ws, err := e.newWorkspace(api.Form{"FriendlyName": {name}, "MultiTaskEnabled": {"true"}})
	if err != nil {
		return nil, err
	}
	e.store.AddActivity(ws, flexBreakActivity, false)
	for _, tc := range flexTaskChannels {
		e.store.AddTaskChannel(ws, tc[1], tc[0], false)
	}
	e.addRouteToEveryone(ws, flexQueueName, flexWorkflowName)
	return ws, nil
}
