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

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"time"

	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator/api"
	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator/state"
)

// Defaults of a Run.
const (
	DefaultTick         = time.Second
	DefaultMaxOpenTasks = 20
	// keepFinished is how many completed or canceled tasks a workspace keeps;
	// older ones are removed, as TaskRouter removes finished tasks.
	keepFinished = 50
)

// The chances, per tick, of what simulated callers and agents do.
const (
	chanceNewTask      = 0.5  // per workflow
	chanceAccept       = 0.6  // a reserved task's worker accepts
	chanceReject       = 0.1  // ... or rejects
	chanceWrapUp       = 0.4  // an assigned task goes to wrapping
	chanceComplete     = 0.5  // a wrapping task completes
	chanceAbandon      = 0.05 // a pending task's caller hangs up
	chanceChangeStatus = 0.2  // a free worker changes activity
	chanceGoAvailable  = 0.6  // ... and the new activity is an available one
)

// Option tunes a Run.
type Option func(*Run)

// Tick sets how often the run steps (default one second).
func Tick(d time.Duration) Option { return func(r *Run) { r.tick = d } }

// Seed makes the run's choices reproducible (default: the simulation's seed).
func Seed(seed int64) Option { return func(r *Run) { r.seed = seed } }

// MaxOpenTasks caps the open tasks of a workspace (default 20).
func MaxOpenTasks(n int) Option { return func(r *Run) { r.maxOpen = n } }

// Ticks drives the run from ticks instead of a timer: one step per value
// received; Loop returns when the channel closes. Tests use it to step a run at
// the pace of an injected clock.
func Ticks(ticks <-chan time.Time) Option { return func(r *Run) { r.ticks = ticks } }

// Run plays the callers and agents of every workspace: tasks arrive on every
// workflow, agents accept, reject, wrap up and complete them, callers abandon
// waiting tasks and free workers change activity, so statistics move in a demo.
// It works on the state directly (no faults, no request records), with the
// store's clock for every timestamp, and is deterministic under a seed.
type Run struct {
	s       *Simulation
	tick    time.Duration
	seed    int64
	maxOpen int
	ticks   <-chan time.Time
	rng     *rand.Rand
}

// NewRun prepares a run of the simulation with opts.
func (s *Simulation) NewRun(opts ...Option) *Run {
	r := &Run{s: s, tick: DefaultTick, seed: s.seed, maxOpen: DefaultMaxOpenTasks}
	for _, opt := range opts {
		opt(r)
	}
	r.rng = rand.New(rand.NewPCG(uint64(r.seed), 0x7a5c))
	return r
}

// Loop steps the run on every tick until ctx ends (or the Ticks channel closes).
func (r *Run) Loop(ctx context.Context) {
	ticks := r.ticks
	if ticks == nil {
		ticker := time.NewTicker(r.tick)
		defer ticker.Stop()
		ticks = ticker.C
	}
	for {
		select {
		case <-ctx.Done():
			return
		case _, open := <-ticks:
			if !open {
				return
			}
			r.Step()
		}
	}
}

// Step advances every workspace by one tick, under the store's lock.
func (r *Run) Step() {
	s := r.s
	s.store.Lock()
	defer s.store.Unlock()
	for _, ws := range s.store.SortedWorkspaces() {
		st := s.tasksOf(ws)
		s.expireTimers(ws, st)
		r.advanceTasks(ws, st)
		r.moveWorkers(ws, st)
		r.createTasks(ws, st)
		r.forgetFinished(st)
		s.dispatch(ws, st)
	}
}

// chance is true with probability p.
func (sim *Run) chance(p float64) bool { return sim.rng.Float64() < p }

// advanceTasks moves each open task one step as its caller or agent would.
func (sim *Run) advanceTasks(ws *state.WorkspaceState, st *taskState) {
	s := sim.s
	for _, t := range st.sortedTasks() {
		switch t.AssignmentStatus {
		case TaskReserved:
			roll := sim.rng.Float64()
			if roll < chanceAccept {
				_ = s.accept(ws, st, t)
			} else if roll < chanceAccept+chanceReject {
				_ = s.release(ws, st, t, evReservationRejected)
			}
		case TaskAssigned:
			if sim.chance(chanceWrapUp) {
				_ = s.setTaskStatus(ws, st, t, TaskWrapping, "")
			}
		case TaskWrapping:
			if sim.chance(chanceComplete) {
				_ = s.setTaskStatus(ws, st, t, TaskCompleted, "simulated call completed")
			}
		case TaskPending:
			if sim.chance(chanceAbandon) {
				_ = s.setTaskStatus(ws, st, t, TaskCanceled, "simulated caller hung up")
			}
		}
	}
}

// moveWorkers lets free workers change activity now and then.
func (sim *Run) moveWorkers(ws *state.WorkspaceState, st *taskState) {
	var available, unavailable []*state.Activity
	for _, a := range ws.SortedActivities() {
		if a.Available {
			available = append(available, a)
		} else {
			unavailable = append(unavailable, a)
		}
	}
	busy := st.busyWorkers()
	for _, w := range ws.SortedWorkers() {
		if busy[w.SID] || !sim.chance(chanceChangeStatus) {
			continue
		}
		pool := unavailable
		if sim.chance(chanceGoAvailable) || len(unavailable) == 0 {
			pool = available
		}
		if len(pool) > 0 {
			sim.s.setWorkerActivity(ws, w, pool[sim.rng.IntN(len(pool))].SID)
		}
	}
}

// createTasks lets tasks arrive on every workflow while the workspace has room.
func (sim *Run) createTasks(ws *state.WorkspaceState, st *taskState) {
	open := 0
	for _, t := range st.tasks {
		if t.Open() {
			open++
		}
	}
	workers := ws.SortedWorkers()
	for _, wf := range ws.SortedWorkflows() {
		if open >= sim.maxOpen || !sim.chance(chanceNewTask) {
			continue
		}
		// Borrowing a worker's attributes gives skill-based filters a chance to match.
		attrs := map[string]any{}
		if len(workers) > 0 {
			attrs = workers[sim.rng.IntN(len(workers))].AttributeMap()
		}
		attrs["simulated"] = true
		raw, _ := json.Marshal(attrs) // a map of JSON-decoded values always encodes
		p := api.Form{"WorkflowSid": {wf.SID}, "Attributes": {string(raw)}}
		if _, err := sim.s.newTask(ws, p); err == nil {
			open++
		}
	}
}

// forgetFinished drops the oldest completed and canceled tasks beyond the ones
// kept, so a long simulation runs in bounded memory.
func (sim *Run) forgetFinished(st *taskState) {
	var finished []*Task
	for _, t := range st.sortedTasks() {
		if !t.Open() {
			finished = append(finished, t)
		}
	}
	for i := 0; i < len(finished)-keepFinished; i++ {
		delete(st.tasks, finished[i].SID)
	}
}
