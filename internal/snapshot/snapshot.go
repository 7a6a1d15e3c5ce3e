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

// Package snapshot reads a TaskRouter workspace once: one paged list per kind,
// a fetch per worker for the attributes a list leaves out and, when asked, a
// list of each worker's channels. The kubectl plugin's export and preview work
// on what it read, never calling TaskRouter per object while they decide.
package snapshot

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/taskrouter-operator/taskrouter-operator/internal/taskrouter"
)

// fetchConcurrency is how many per-worker calls are in flight at once; the
// account's rate limiter paces them, this only keeps the limiter busy while a
// response is on its way.
const fetchConcurrency = 4

// Parts says which kinds to read besides the workspace itself.
type Parts struct {
	Activities, TaskChannels, TaskQueues, Workflows bool
	// Workers reads every worker with its attributes: one list call per 1,000
	// workers plus one fetch per worker.
	Workers bool
	// WorkerChannels reads, with Workers, each worker's channels (capacity,
	// availability, what it holds): one more list call per worker.
	WorkerChannels bool
}

// Snapshot is what was read of one workspace, in the order TaskRouter lists it.
type Snapshot struct {
	Workspace    taskrouter.Workspace
	Activities   []taskrouter.Activity
	TaskChannels []taskrouter.TaskChannel
	TaskQueues   []taskrouter.TaskQueue
	Workflows    []taskrouter.Workflow
	Workers      []taskrouter.Worker
	// WorkerChannels are each worker's channels by worker SID, in the order
	// TaskRouter lists them; nil when they were not read.
	WorkerChannels map[string][]taskrouter.WorkerChannel
}

var workspaceSID = regexp.MustCompile(`^WS[0-9a-fA-F]{32}$`)

// FindWorkspace finds the workspace ref names: a SID (WS...) or the exact
// friendly name of exactly one workspace of the account.
func FindWorkspace(ctx context.Context, acct *taskrouter.Account, ref string) (taskrouter.Workspace, error) {
	if workspaceSID.MatchString(ref) {
		ws, err := acct.Workspaces().Fetch(ctx, ref)
		if taskrouter.IsNotFound(err) {
			return ws, fmt.Errorf("workspace %s does not exist in account %s", ref, acct.SID())
		}
		return ws, err
	}
	all, err := acct.Workspaces().List(ctx, ref)
	if err != nil {
		return taskrouter.Workspace{}, err
	}
	var found []taskrouter.Workspace
	for _, ws := range all {
		if ws.FriendlyName == ref {
			found = append(found, ws)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return taskrouter.Workspace{}, fmt.Errorf("no workspace named %q in account %s: give its exact friendly name or its SID (WS...)", ref, acct.SID())
	}
	sids := make([]string, len(found))
	for i, ws := range found {
		sids[i] = ws.SID
	}
	return taskrouter.Workspace{}, fmt.Errorf("%d workspaces are named %q (%s): give the SID of the one you mean", len(found), ref, strings.Join(sids, ", "))
}

// Read reads the parts of workspace ws.
func Read(ctx context.Context, acct *taskrouter.Account, ws taskrouter.Workspace, parts Parts) (*Snapshot, error) {
	s := &Snapshot{Workspace: ws}
	in := acct.Workspace(ws.SID)
	var err error
	if parts.Activities {
		if s.Activities, err = in.Activities().List(ctx, ""); err != nil {
			return nil, err
		}
	}
	if parts.TaskChannels {
		if s.TaskChannels, err = in.TaskChannels().List(ctx, ""); err != nil {
			return nil, err
		}
	}
	if parts.TaskQueues {
		if s.TaskQueues, err = in.TaskQueues().List(ctx, ""); err != nil {
			return nil, err
		}
	}
	if parts.Workflows {
		if s.Workflows, err = in.Workflows().List(ctx, ""); err != nil {
			return nil, err
		}
	}
	if parts.Workers {
		if s.Workers, err = Workers(ctx, in); err != nil {
			return nil, err
		}
	}
	if parts.Workers && parts.WorkerChannels {
		sids := make([]string, len(s.Workers))
		for i, w := range s.Workers {
			sids[i] = w.SID
		}
		if s.WorkerChannels, err = WorkerChannels(ctx, in, sids); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// Workers lists the workers of a workspace with their attributes. TaskRouter's
// list leaves attributes out, so each worker is fetched: 1,000 workers cost one
// list call and 1,000 fetches, paced by the account's rate limiter. A worker
// deleted between the list and its fetch is left out.
func Workers(ctx context.Context, ws *taskrouter.WorkspaceClient) ([]taskrouter.Worker, error) {
	listed, err := ws.Workers().List(ctx, "")
	if err != nil {
		return nil, err
	}
	fetched, err := perWorker(ctx, listed, func(ctx context.Context, w taskrouter.Worker) (taskrouter.Worker, error) {
		return ws.Workers().Fetch(ctx, w.SID)
	})
	if err != nil {
		return nil, err
	}
	out := make([]taskrouter.Worker, 0, len(listed))
	for _, w := range fetched {
		if w != nil {
			out = append(out, *w)
		}
	}
	return out, nil
}

// WorkerChannels lists the channels of each worker of workers (SIDs): one list
// call per worker, TaskRouter having no call for a workspace's worker channels
// at once. A worker deleted meanwhile is left out of the map.
func WorkerChannels(ctx context.Context, ws *taskrouter.WorkspaceClient, workers []string) (map[string][]taskrouter.WorkerChannel, error) {
	listed, err := perWorker(ctx, workers, func(ctx context.Context, sid string) ([]taskrouter.WorkerChannel, error) {
		return ws.WorkerChannels(sid).List(ctx)
	})
	if err != nil {
		return nil, err
	}
	out := make(map[string][]taskrouter.WorkerChannel, len(workers))
	for i, channels := range listed {
		if channels != nil {
			out[workers[i]] = *channels
		}
	}
	return out, nil
}

// perWorker calls read for every item, fetchConcurrency at a time, and returns
// the results in order: nil where TaskRouter answered 404 (the worker was
// deleted since it was listed). The first other error ends it.
func perWorker[In, Out any](ctx context.Context, items []In, read func(context.Context, In) (Out, error)) ([]*Out, error) {
	out := make([]*Out, len(items))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(fetchConcurrency)
	for i, item := range items {
		g.Go(func() error {
			v, err := read(gctx, item)
			switch {
			case taskrouter.IsNotFound(err):
				return nil
			case err != nil:
				return err
			}
			out[i] = &v
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return out, nil
}
