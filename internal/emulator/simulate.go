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
	"context"
	"encoding/json"
	"math/rand/v2"
	"time"
)

// Defaults of Simulate.
const (
	DefaultSimulateTick         = time.Second
	DefaultSimulateMaxOpenTasks = 20
	// simulateKeepFinished is how many completed or canceled tasks a workspace
	// keeps; older ones are removed, as TaskRouter removes finished tasks.
	simulateKeepFinished = 50
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

// SimulateOption tunes Simulate.
type SimulateOption func(*simulation)

// SimulateTick sets how often the simulation steps (default one second).
func SimulateTick(d time.Duration) SimulateOption { return func(s *simulation) { s.tick = d } }

// SimulateSeed makes the simulation's choices reproducible (default Config.Seed).
func SimulateSeed(seed int64) SimulateOption { return func(s *simulation) { s.seed = seed } }

// SimulateMaxOpenTasks caps the open tasks of a workspace (default 20).
func SimulateMaxOpenTasks(n int) SimulateOption { return func(s *simulation) { s.maxOpen = n } }

// SimulateTicks drives the simulation from ticks instead of a timer: one step
// per value received; Simulate returns when the channel closes. Tests use it to
// step a simulation at the pace of an injected clock.
func SimulateTicks(ticks <-chan time.Time) SimulateOption {
	return func(s *simulation) { s.ticks = ticks }
}

// simulation is the state of one Simulate run.
type simulation struct {
	e       *Emulator
	tick    time.Duration
	seed    int64
	maxOpen int
	ticks   <-chan time.Time
	rng     *rand.Rand
}

// Simulate keeps every workspace busy until ctx ends: tasks arrive on every
// workflow, agents accept, reject, wrap up and complete them, callers abandon
// waiting tasks and free workers change activity, so statistics move in a demo.
// It works on the store directly (no faults, no request records), with the
// emulator's clock for every timestamp, and is deterministic under a seed.
func (e *Emulator) Simulate(ctx context.Context, opts ...SimulateOption) {
	sim := newSimulation(e, opts...)
	ticks := sim.ticks
	if ticks == nil {
		ticker := time.NewTicker(sim.tick)
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
			sim.step()
		}
	}
}

func newSimulation(e *Emulator, opts ...SimulateOption) *simulation {
	sim := &simulation{e: e, tick: DefaultSimulateTick, seed: e.cfg.Seed, maxOpen: DefaultSimulateMaxOpenTasks}
	for _, opt := range opts {
		opt(sim)
	}
	sim.rng = rand.New(rand.NewPCG(uint64(sim.seed), 0x7a5c))
	return sim
}

// step advances every workspace by one tick.
func (sim *simulation) step() {
	s := sim.e.store
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, ws := range s.sortedWorkspaces() {
		st := tasksOf(ws, s)
		s.expireTimers(ws, st)
		sim.advanceTasks(ws, st)
		sim.moveWorkers(ws, st)
		sim.createTasks(ws, st)
		sim.forgetFinished(st)
		s.dispatch(ws, st)
	}
}

// chance is true with probability p.
func (sim *simulation) chance(p float64) bool { return sim.rng.Float64() < p }

// advanceTasks moves each open task one step as its caller or agent would.
func (sim *simulation) advanceTasks(ws *workspaceState, st *taskState) {
	s := sim.e.store
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
func (sim *simulation) moveWorkers(ws *workspaceState, st *taskState) {
	var available, unavailable []*Activity
	for _, a := range ws.sortedActivities() {
		if a.Available {
			available = append(available, a)
		} else {
			unavailable = append(unavailable, a)
		}
	}
	busy := st.busyWorkers()
	for _, w := range ws.sortedWorkers() {
		if busy[w.SID] || !sim.chance(chanceChangeStatus) {
			continue
		}
		pool := unavailable
		if sim.chance(chanceGoAvailable) || len(unavailable) == 0 {
			pool = available
		}
		if len(pool) > 0 {
			sim.e.store.setWorkerActivity(ws, w, pool[sim.rng.IntN(len(pool))].SID)
		}
	}
}

// createTasks lets tasks arrive on every workflow while the workspace has room.
func (sim *simulation) createTasks(ws *workspaceState, st *taskState) {
	open := 0
	for _, t := range st.tasks {
		if t.open() {
			open++
		}
	}
	workers := ws.sortedWorkers()
	for _, wf := range ws.sortedWorkflows() {
		if open >= sim.maxOpen || !sim.chance(chanceNewTask) {
			continue
		}
		// Borrowing a worker's attributes gives skill-based filters a chance to match.
		attrs := map[string]any{}
		if len(workers) > 0 {
			attrs = workers[sim.rng.IntN(len(workers))].attributeMap()
		}
		attrs["simulated"] = true
		raw, _ := json.Marshal(attrs) // a map of JSON-decoded values always encodes
		p := form{"WorkflowSid": {wf.SID}, "Attributes": {string(raw)}}
		if _, err := sim.e.store.createTask(ws, p); err == nil {
			open++
		}
	}
}

// forgetFinished drops the oldest completed and canceled tasks beyond the ones
// kept, so a long simulation runs in bounded memory.
func (sim *simulation) forgetFinished(st *taskState) {
	var finished []*Task
	for _, t := range st.sortedTasks() {
		if !t.open() {
			finished = append(finished, t)
		}
	}
	for i := 0; i < len(finished)-simulateKeepFinished; i++ {
		delete(st.tasks, finished[i].SID)
	}
}
