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

package simulation

import "github.com/taskrouter-operator/taskrouter-operator/internal/emulator/state"

// workerLoads is what each worker holds, by worker SID then TaskChannel SID.
type workerLoads map[string]map[string]state.ChannelLoad

// loads counts the reserved, assigned and wrapping tasks of every worker.
func (st *taskState) loads() workerLoads {
	out := workerLoads{}
	for _, t := range st.tasks {
		if t.WorkerSID != "" {
			out.add(t.WorkerSID, t.TaskChannelSID, t.AssignmentStatus)
		}
	}
	return out
}

// add counts one task of status on worker's channel; statuses that hold
// nothing (pending, completed, canceled) count for nothing.
func (l workerLoads) add(worker, channel, status string) {
	if l[worker] == nil {
		l[worker] = map[string]state.ChannelLoad{}
	}
	load := l[worker][channel]
	switch status {
	case TaskReserved:
		load.Reserved++
	case TaskAssigned, TaskWrapping:
		load.Assigned++
	default:
		return
	}
	l[worker][channel] = load
}

// hasRoom reports whether w can take one more task on channel, given what it
// holds (held, by channel). Its WorkerChannel must be available; then, in a
// multitasking workspace, it holds fewer tasks on the channel than its
// capacity; without multitasking (TaskRouter's legacy mode) it holds no task
// at all, whatever the capacities say. A reservation holds capacity like an
// assignment; a wrapping task holds it until completed.
func hasRoom(ws *state.WorkspaceState, held map[string]state.ChannelLoad, w *state.Worker, channel string) bool {
	wc := ws.WorkerChannels[w.SID][channel]
	if wc == nil || !wc.Available {
		return false
	}
	if !ws.MultiTaskEnabled {
		for _, load := range held {
			if load.Reserved+load.Assigned > 0 {
				return false
			}
		}
		return true
	}
	load := held[channel]
	return load.Reserved+load.Assigned < wc.Capacity
}
