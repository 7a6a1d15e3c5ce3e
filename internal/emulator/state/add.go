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

// The Add functions store a record the caller has validated, stamping its SID,
// workspace, creation and update dates and creation sequence number.

// AddActivity stores a validated activity.
func (s *Store) AddActivity(ws *WorkspaceState, name string, available bool) *Activity {
	now := s.Timestamp()
	a := &Activity{SID: NewSID(PrefixActivity), WorkspaceSID: ws.SID, FriendlyName: name, Available: available,
		DateCreated: now, DateUpdated: now, seq: s.NextSeq()}
	ws.Activities[a.SID] = a
	return a
}

// AddTaskQueue stores a validated queue.
func (s *Store) AddTaskQueue(ws *WorkspaceState, q TaskQueue) *TaskQueue {
	now := s.Timestamp()
	q.SID, q.WorkspaceSID, q.DateCreated, q.DateUpdated, q.seq = NewSID(PrefixTaskQueue), ws.SID, now, now, s.NextSeq()
	ws.TaskQueues[q.SID] = &q
	return &q
}

// AddWorkflow stores a validated workflow.
func (s *Store) AddWorkflow(ws *WorkspaceState, wf Workflow) *Workflow {
	now := s.Timestamp()
	wf.SID, wf.WorkspaceSID, wf.DateCreated, wf.DateUpdated, wf.seq = NewSID(PrefixWorkflow), ws.SID, now, now, s.NextSeq()
	ws.Workflows[wf.SID] = &wf
	return &wf
}

// AddWorker stores a validated worker at version 1, its status changed now,
// with a WorkerChannel for every TaskChannel of the workspace.
func (s *Store) AddWorker(ws *WorkspaceState, w Worker) *Worker {
	now := s.Timestamp()
	w.SID, w.WorkspaceSID, w.seq, w.Version = NewSID(PrefixWorker), ws.SID, s.NextSeq(), 1
	w.DateCreated, w.DateUpdated, w.DateStatusChanged = now, now, now
	ws.Workers[w.SID] = &w
	ws.WorkerChannels[w.SID] = map[string]*WorkerChannel{}
	for _, tc := range ws.SortedTaskChannels() {
		s.addWorkerChannel(ws, w.SID, tc.SID)
	}
	return &w
}

// AddTaskChannel stores a validated channel and gives every worker of the
// workspace a WorkerChannel for it.
func (s *Store) AddTaskChannel(ws *WorkspaceState, name, unique string, optimized bool) *TaskChannel {
	now := s.Timestamp()
	tc := &TaskChannel{SID: NewSID(PrefixTaskChannel), WorkspaceSID: ws.SID, FriendlyName: name, UniqueName: unique,
		ChannelOptimizedRouting: optimized, DateCreated: now, DateUpdated: now, seq: s.NextSeq()}
	ws.TaskChannels[tc.SID] = tc
	for _, w := range ws.SortedWorkers() {
		s.addWorkerChannel(ws, w.SID, tc.SID)
	}
	return tc
}

// DefaultWorkerCapacity is a new WorkerChannel's capacity, on every channel
// (assumed: the spec's examples show 1 for "default", and TaskRouter documents
// no other value for the rest).
const DefaultWorkerCapacity = 1

// addWorkerChannel gives worker a channel for task channel tc, available, at
// the default capacity.
func (s *Store) addWorkerChannel(ws *WorkspaceState, worker, tc string) {
	now := s.Timestamp()
	ws.WorkerChannels[worker][tc] = &WorkerChannel{SID: NewSID(PrefixWorkerChannel), WorkspaceSID: ws.SID, WorkerSID: worker,
		TaskChannelSID: tc, Capacity: DefaultWorkerCapacity, Available: true, DateCreated: now, DateUpdated: now, seq: s.NextSeq()}
}

// SetWorkerActivity moves w to activity sid (validated by the caller), stamping
// the status change and bumping the ETag. It reports the activity w left and
// whether anything changed; whoever moves a worker tells the simulation, which
// offers tasks to workers who became available.
func (s *Store) SetWorkerActivity(w *Worker, activitySID string) (previous string, changed bool) {
	if w.ActivitySID == activitySID {
		return activitySID, false
	}
	previous = w.ActivitySID
	now := s.Timestamp()
	w.ActivitySID = activitySID
	w.DateStatusChanged = now
	w.DateUpdated = now
	w.Version++
	return previous, true
}
