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
	"cmp"
	"slices"
	"strings"
	"sync"
	"time"
)

// store is the emulator's in-memory TaskRouter account: every workspace and what it
// holds. One RWMutex guards all of it, so a request sees and changes a consistent
// state and a faulted request can never leave half an update behind.
type store struct {
	mu         sync.RWMutex
	accountSID string
	now        func() time.Time
	seq        uint64
	workspaces map[string]*workspaceState
}

// workspaceState is one workspace with the objects it contains. Deleting the
// workspace drops all of it.
type workspaceState struct {
	Workspace
	activities   map[string]*Activity
	taskQueues   map[string]*TaskQueue
	workflows    map[string]*Workflow
	workers      map[string]*Worker
	taskChannels map[string]*TaskChannel
	// extensions holds per-workspace state kept by other files of this package
	// (tasks, reservations, statistics counters), keyed by their own names, so the
	// core store need not know their types; it goes away with the workspace.
	extensions map[string]any
}

// deleteGuard refuses the deletion of an object (kind, sid) of ws with an
// *APIError, or returns nil. Guards run with the store lock held.
type deleteGuard func(ws *workspaceState, kind Kind, sid string) error

// deleteGuards are consulted before any object in a workspace is deleted. Files of
// this package that add state with references (tasks in a queue, reservations of a
// worker) append theirs from init.
var deleteGuards []deleteGuard

// activityChangeHook observes a worker's activity change (REST, channel or Admin),
// with the store lock held for writing; routing uses it to offer tasks.
type activityChangeHook func(ws *workspaceState, w *Worker, previousActivitySID string)

// activityChangeHooks run after every change of a worker's activity.
var activityChangeHooks []activityChangeHook

func newStore(accountSID string, now func() time.Time) *store {
	return &store{accountSID: accountSID, now: now, workspaces: map[string]*workspaceState{}}
}

// nextSeq returns the next creation sequence number; lists sort by it, so pages stay
// stable while objects come and go. Caller holds mu for writing.
func (s *store) nextSeq() uint64 {
	s.seq++
	return s.seq
}

// timestamp is "now" at the resolution the API reports.
func (s *store) timestamp() time.Time { return s.now().UTC().Truncate(time.Second) }

// workspace returns the workspace with sid or a 404 error. Caller holds mu.
func (s *store) workspace(sid string) (*workspaceState, error) {
	ws, ok := s.workspaces[sid]
	if !ok {
		return nil, notFound("Workspace", sid)
	}
	return ws, nil
}

// sortedBySeq returns the values of m in creation order.
func sortedBySeq[T any](m map[string]*T, seq func(*T) uint64) []*T {
	out := make([]*T, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	slices.SortFunc(out, func(a, b *T) int { return cmp.Compare(seq(a), seq(b)) })
	return out
}

func (s *store) sortedWorkspaces() []*workspaceState {
	return sortedBySeq(s.workspaces, func(w *workspaceState) uint64 { return w.seq })
}

func (ws *workspaceState) sortedActivities() []*Activity {
	return sortedBySeq(ws.activities, func(a *Activity) uint64 { return a.seq })
}

func (ws *workspaceState) sortedTaskQueues() []*TaskQueue {
	return sortedBySeq(ws.taskQueues, func(q *TaskQueue) uint64 { return q.seq })
}

func (ws *workspaceState) sortedWorkflows() []*Workflow {
	return sortedBySeq(ws.workflows, func(w *Workflow) uint64 { return w.seq })
}

func (ws *workspaceState) sortedWorkers() []*Worker {
	return sortedBySeq(ws.workers, func(w *Worker) uint64 { return w.seq })
}

func (ws *workspaceState) sortedTaskChannels() []*TaskChannel {
	return sortedBySeq(ws.taskChannels, func(c *TaskChannel) uint64 { return c.seq })
}

// activityName is the friendly name of activity sid, or "" when it does not exist.
func (ws *workspaceState) activityName(sid string) string {
	if a, ok := ws.activities[sid]; ok {
		return a.FriendlyName
	}
	return ""
}

// workerAvailable reports whether w's current activity is an available one.
func (ws *workspaceState) workerAvailable(w *Worker) bool {
	a, ok := ws.activities[w.ActivitySID]
	return ok && a.Available
}

// workerByName finds a worker by friendly name, case-insensitively as TaskRouter
// compares worker names.
func (ws *workspaceState) workerByName(name string) *Worker {
	for _, w := range ws.workers {
		if strings.EqualFold(w.FriendlyName, name) {
			return w
		}
	}
	return nil
}

// checkDeleteGuards runs every registered guard for (kind, sid).
func (ws *workspaceState) checkDeleteGuards(kind Kind, sid string) error {
	for _, guard := range deleteGuards {
		if err := guard(ws, kind, sid); err != nil {
			return err
		}
	}
	return nil
}

// setWorkerActivity moves w to activity sid, stamping the status change and
// running the activity hooks. Caller holds mu for writing and has validated sid.
func (s *store) setWorkerActivity(ws *workspaceState, w *Worker, activitySID string) {
	if w.ActivitySID == activitySID {
		return
	}
	previous := w.ActivitySID
	now := s.timestamp()
	w.ActivitySID = activitySID
	w.DateStatusChanged = now
	w.DateUpdated = now
	w.Version++
	for _, hook := range activityChangeHooks {
		hook(ws, w, previous)
	}
}

// lookupObject finds the workspace and the object of one kind named by a request's
// {WorkspaceSid} and {Sid}, or the 404 TaskRouter answers for either.
func lookupObject[T any](e *Emulator, c *call, kind string, objects func(*workspaceState) map[string]*T) (*workspaceState, *T, error) {
	ws, err := e.store.workspace(c.vars["WorkspaceSid"])
	if err != nil {
		return nil, nil, err
	}
	obj, found := objects(ws)[c.vars["Sid"]]
	if !found {
		return nil, nil, notFound(kind, c.vars["Sid"])
	}
	return ws, obj, nil
}
