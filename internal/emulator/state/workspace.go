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

package state

import (
	"strings"

	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator/api"
)

// Seq is the record's creation sequence number: lists are in this order.
func (a *Activity) Seq() uint64 { return a.seq }

// Seq is the record's creation sequence number: lists are in this order.
func (q *TaskQueue) Seq() uint64 { return q.seq }

// Seq is the record's creation sequence number: lists are in this order.
func (wf *Workflow) Seq() uint64 { return wf.seq }

// Seq is the record's creation sequence number: lists are in this order.
func (w *Worker) Seq() uint64 { return w.seq }

// Seq is the record's creation sequence number: lists are in this order.
func (tc *TaskChannel) Seq() uint64 { return tc.seq }

// SortedActivities lists the workspace's activities in creation order.
func (ws *WorkspaceState) SortedActivities() []*Activity {
	return SortedBySeq(ws.Activities, (*Activity).Seq)
}

// SortedTaskQueues lists the workspace's queues in creation order.
func (ws *WorkspaceState) SortedTaskQueues() []*TaskQueue {
	return SortedBySeq(ws.TaskQueues, (*TaskQueue).Seq)
}

// SortedWorkflows lists the workspace's workflows in creation order.
func (ws *WorkspaceState) SortedWorkflows() []*Workflow {
	return SortedBySeq(ws.Workflows, (*Workflow).Seq)
}

// SortedWorkers lists the workspace's workers in creation order.
func (ws *WorkspaceState) SortedWorkers() []*Worker { return SortedBySeq(ws.Workers, (*Worker).Seq) }

// SortedTaskChannels lists the workspace's task channels in creation order.
func (ws *WorkspaceState) SortedTaskChannels() []*TaskChannel {
	return SortedBySeq(ws.TaskChannels, (*TaskChannel).Seq)
}

// ActivityName is the friendly name of activity sid, or "" when it does not exist.
func (ws *WorkspaceState) ActivityName(sid string) string {
	if a, ok := ws.Activities[sid]; ok {
		return a.FriendlyName
	}
	return ""
}

// QueueName is the friendly name of queue sid, or "" when it does not exist.
func (ws *WorkspaceState) QueueName(sid string) string {
	if q, ok := ws.TaskQueues[sid]; ok {
		return q.FriendlyName
	}
	return ""
}

// WorkflowName is the friendly name of workflow sid, or "" when it does not exist.
func (ws *WorkspaceState) WorkflowName(sid string) string {
	if w, ok := ws.Workflows[sid]; ok {
		return w.FriendlyName
	}
	return ""
}

// ChannelUniqueName is the unique name of task channel sid, or "".
func (ws *WorkspaceState) ChannelUniqueName(sid string) string {
	if c, ok := ws.TaskChannels[sid]; ok {
		return c.UniqueName
	}
	return ""
}

// WorkerAvailable reports whether w's current activity is an available one.
func (ws *WorkspaceState) WorkerAvailable(w *Worker) bool {
	a, ok := ws.Activities[w.ActivitySID]
	return ok && a.Available
}

// WorkerByName finds a worker by friendly name, case-insensitively as TaskRouter
// compares worker names.
func (ws *WorkspaceState) WorkerByName(name string) *Worker {
	for _, w := range ws.Workers {
		if strings.EqualFold(w.FriendlyName, name) {
			return w
		}
	}
	return nil
}

// TaskChannelByUniqueName finds a channel by its unique name.
func (ws *WorkspaceState) TaskChannelByUniqueName(name string) *TaskChannel {
	for _, tc := range ws.TaskChannels {
		if tc.UniqueName == name {
			return tc
		}
	}
	return nil
}

// TaskChannelRef resolves a TaskChannel parameter: a SID or a unique name.
func (ws *WorkspaceState) TaskChannelRef(ref string) (string, bool) {
	if tc, ok := ws.TaskChannels[ref]; ok {
		return tc.SID, true
	}
	if tc := ws.TaskChannelByUniqueName(ref); tc != nil {
		return tc.SID, true
	}
	return "", false
}

// KindOf reports which of ws's collections holds sid.
func (ws *WorkspaceState) KindOf(sid string) (api.Kind, bool) {
	switch {
	case ws.Activities[sid] != nil:
		return api.KindActivity, true
	case ws.TaskQueues[sid] != nil:
		return api.KindTaskQueue, true
	case ws.Workflows[sid] != nil:
		return api.KindWorkflow, true
	case ws.Workers[sid] != nil:
		return api.KindWorker, true
	case ws.TaskChannels[sid] != nil:
		return api.KindTaskChannel, true
	}
	return "", false
}

// Remove deletes sid from the collection of kind.
func (ws *WorkspaceState) Remove(kind api.Kind, sid string) {
	switch kind {
	case api.KindActivity:
		delete(ws.Activities, sid)
	case api.KindTaskQueue:
		delete(ws.TaskQueues, sid)
	case api.KindWorkflow:
		delete(ws.Workflows, sid)
	case api.KindWorker:
		delete(ws.Workers, sid)
		delete(ws.WorkerChannels, sid)
	case api.KindTaskChannel:
		delete(ws.TaskChannels, sid)
		for _, channels := range ws.WorkerChannels {
			delete(channels, sid)
		}
	}
}

// Seq is the record's creation sequence number: lists are in this order.
func (wc *WorkerChannel) Seq() uint64 { return wc.seq }

// SortedWorkerChannels lists a worker's channels in creation order.
func (ws *WorkspaceState) SortedWorkerChannels(workerSID string) []*WorkerChannel {
	return SortedBySeq(ws.WorkerChannels[workerSID], (*WorkerChannel).Seq)
}

// WorkerChannel finds a worker's channel by its SID (WC...) or, as TaskRouter
// allows, by the unique name of its TaskChannel.
func (ws *WorkspaceState) WorkerChannel(workerSID, ref string) (*WorkerChannel, bool) {
	channels := ws.WorkerChannels[workerSID]
	if tc := ws.TaskChannelByUniqueName(ref); tc != nil {
		wc, ok := channels[tc.SID]
		return wc, ok
	}
	for _, wc := range channels {
		if wc.SID == ref {
			return wc, true
		}
	}
	return nil, false
}
