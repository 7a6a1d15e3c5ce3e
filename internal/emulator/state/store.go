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
	"cmp"
	"slices"
	"sync"
	"time"

	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator/api"
)

// Store is the emulator's in-memory TaskRouter account: every workspace and what
// it holds. Its one RWMutex guards all of it, and the simulation's tasks too, so
// a request sees and changes a consistent state and a faulted request can never
// leave half an update behind. Every method but the lock's expects the caller to
// hold the lock (for writing when it changes something).
type Store struct {
	sync.RWMutex
	accountSID string
	now        func() time.Time
	seq        uint64
	workspaces map[string]*WorkspaceState
}

// WorkspaceState is one workspace with the objects it contains. Deleting the
// workspace drops all of it.
type WorkspaceState struct {
	Workspace
	Activities   map[string]*Activity
	TaskQueues   map[string]*TaskQueue
	Workflows    map[string]*Workflow
	Workers      map[string]*Worker
	TaskChannels map[string]*TaskChannel
	// WorkerChannels holds each worker's channels, by worker SID then
	// TaskChannel SID: one per TaskChannel of the workspace.
	WorkerChannels map[string]map[string]*WorkerChannel
}

// NewStore returns an empty account; now is the clock of every timestamp.
func NewStore(accountSID string, now func() time.Time) *Store {
	return &Store{accountSID: accountSID, now: now, workspaces: map[string]*WorkspaceState{}}
}

// NextSeq returns the next creation sequence number; lists sort by it, so pages
// stay stable while objects come and go.
func (s *Store) NextSeq() uint64 {
	s.seq++
	return s.seq
}

// Timestamp is "now" at the resolution the API reports.
func (s *Store) Timestamp() time.Time { return s.now().UTC().Truncate(time.Second) }

// Workspace returns the workspace with sid or a 404 error.
func (s *Store) Workspace(sid string) (*WorkspaceState, error) {
	ws, ok := s.workspaces[sid]
	if !ok {
		return nil, api.NotFound("Workspace", sid)
	}
	return ws, nil
}

// AddWorkspace stores a new, empty workspace from the validated record w.
func (s *Store) AddWorkspace(w Workspace) *WorkspaceState {
	now := s.Timestamp()
	w.SID, w.AccountSID, w.DateCreated, w.DateUpdated, w.seq = NewSID(PrefixWorkspace), s.accountSID, now, now, s.NextSeq()
	ws := &WorkspaceState{Workspace: w, Activities: map[string]*Activity{}, TaskQueues: map[string]*TaskQueue{},
		Workflows: map[string]*Workflow{}, Workers: map[string]*Worker{}, TaskChannels: map[string]*TaskChannel{},
		WorkerChannels: map[string]map[string]*WorkerChannel{}}
	s.workspaces[ws.SID] = ws
	return ws
}

// RemoveWorkspace drops workspace sid and everything in it.
func (s *Store) RemoveWorkspace(sid string) { delete(s.workspaces, sid) }

// SortedBySeq returns the values of m in creation order; seq reads an item's
// creation sequence number.
func SortedBySeq[T any](m map[string]*T, seq func(*T) uint64) []*T {
	out := make([]*T, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	slices.SortFunc(out, func(a, b *T) int { return cmp.Compare(seq(a), seq(b)) })
	return out
}

// SortedWorkspaces lists the workspaces in creation order.
func (s *Store) SortedWorkspaces() []*WorkspaceState {
	return SortedBySeq(s.workspaces, func(w *WorkspaceState) uint64 { return w.seq })
}

// Seq is the workspace's creation sequence number, for pagination.
func (ws *WorkspaceState) Seq() uint64 { return ws.seq }
