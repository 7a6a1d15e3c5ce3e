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
	"cmp"
	"slices"
	"sync"

	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator/state"
	"github.com/taskrouter-operator/taskrouter-operator/internal/expression"
)

// routeTask places t in a queue: its workflow's first matching filter (else the
// default filter) and that filter's first target not skipped; or queue, when the
// task was created for a queue. A queue change counts as a move.
func (s *Simulation) routeTask(ws *state.WorkspaceState, st *taskState, t *Task, queue string, keepPriority bool) {
	t.workerFilter, t.knownWorker = nil, knownWorkerOf(t)
	if wf := ws.Workflows[t.WorkflowSID]; wf != nil && wf.Routing != nil {
		if target := selectTarget(ws, wf.Routing, t, s.timeOfDay()); target != nil {
			queue = target.Queue
			if target.Priority != nil && !keepPriority {
				t.Priority = *target.Priority
			}
			if target.Expression != nil {
				t.workerFilter = target
			}
			t.knownWorker = knownWorkerOfTarget(ws, target)
		}
	}
	if queue == "" || queue == t.TaskQueueSID {
		return
	}
	now := s.timestamp()
	if t.TaskQueueSID != "" {
		st.record(taskEvent(evTaskMoved, t, now))
	}
	t.TaskQueueSID, t.TaskQueueEnteredDate = queue, now
	st.record(taskEvent(evTaskEnteredQueue, t, now))
}

// knownWorkerOf keeps a RoutingTarget worker restriction across re-routing.
func knownWorkerOf(t *Task) string {
	if state.IsSID(t.routingTarget, state.PrefixWorker) {
		return t.routingTarget
	}
	return ""
}

// knownWorkerOfTarget resolves known_worker_sid / known_worker_friendly_name.
func knownWorkerOfTarget(ws *state.WorkspaceState, target *state.RoutingTarget) string {
	if target.KnownWorkerSID != "" {
		return target.KnownWorkerSID
	}
	if target.KnownWorkerFriendlyName != "" {
		if w := ws.WorkerByName(target.KnownWorkerFriendlyName); w != nil {
			return w.SID
		}
		return "none" // names nobody: no worker is eligible
	}
	return ""
}

// timeOfDay is what TaskRouter's taskrouter.* keys read now, by the store's
// clock. A filter reads it when the task is routed (created, or its attributes
// updated); a target expression at every offer, so a waiting task becomes
// eligible for a worker once the clock passes the target's bound.
func (s *Simulation) timeOfDay() map[string]any { return expression.TimeOfDay(s.timestamp()) }

// selectTarget returns the routing step t goes to: the first filter whose
// expression matches the task's attributes (and clock, the taskrouter.* keys),
// its first target whose skip_if is false (a target whose skip_if holds is
// passed over); the default filter when no filter matches or every target of the
// matching one is skipped; nil when there is no default filter either. A task
// attribute named "taskrouter" is not seen by filters: the time-of-day keys take
// its place, as TaskRouter fills them in.
func selectTarget(ws *state.WorkspaceState, routing *state.TaskRouting, t *Task, clock map[string]any) *state.RoutingTarget {
	attrs := t.attributeMap()
	attrs[expression.TimeOfDayRoot] = clock
	for _, f := range routing.Filters {
		if !f.Expression.Evaluate(attrs) {
			continue
		}
		for i := range f.Targets {
			target := &f.Targets[i]
			if target.SkipIf == nil {
				return target
			}
			available := countAvailable(ws, target, t, clock)
			if !target.SkipIf.Evaluate(map[string]any{"workers": map[string]any{"available": float64(available)}}) {
				return target
			}
		}
		break
	}
	return routing.DefaultFilter
}

// countAvailable is how many available workers target would offer t to.
func countAvailable(ws *state.WorkspaceState, target *state.RoutingTarget, t *Task, clock map[string]any) int {
	q := ws.TaskQueues[target.Queue]
	n := 0
	for _, w := range ws.Workers {
		if q != nil && ws.WorkerAvailable(w) && queueTargets(q, w) && targetAccepts(target, w, t, clock) {
			n++
		}
	}
	return n
}

// expressions caches parsed TargetWorkers: they were validated when written, and
// routing evaluates them for every worker on every offer.
var expressions sync.Map // source string -> *expression.Expression

func parsedExpression(src string) *expression.Expression {
	if x, ok := expressions.Load(src); ok {
		return x.(*expression.Expression)
	}
	x, err := expression.Parse(src)
	if err != nil {
		return nil
	}
	expressions.Store(src, x)
	return x
}

// queueTargets reports whether w is eligible for q: q's TargetWorkers matches
// w's attributes.
func queueTargets(q *state.TaskQueue, w *state.Worker) bool {
	x := parsedExpression(q.TargetWorkers)
	return x != nil && x.Evaluate(w.AttributeMap())
}

// targetAccepts applies a workflow target's worker expression, which may use
// worker.*, task.* and taskrouter.* keys (clock).
func targetAccepts(target *state.RoutingTarget, w *state.Worker, t *Task, clock map[string]any) bool {
	if target == nil || target.Expression == nil {
		return true
	}
	return target.Expression.Evaluate(map[string]any{"worker": w.AttributeMap(), "task": t.attributeMap(), expression.TimeOfDayRoot: clock})
}

// eligible reports whether w may be offered t, availability and load aside.
func eligible(ws *state.WorkspaceState, t *Task, w *state.Worker, clock map[string]any) bool {
	if t.rejectedBy[w.SID] {
		return false
	}
	if t.knownWorker != "" {
		return w.SID == t.knownWorker
	}
	q := ws.TaskQueues[t.TaskQueueSID]
	return q != nil && queueTargets(q, w) && targetAccepts(t.workerFilter, w, t, clock)
}

// busyWorkers are the workers holding a reserved, assigned or wrapping task on
// any channel; a Run leaves their activity alone.
func (st *taskState) busyWorkers() map[string]bool {
	busy := map[string]bool{}
	for _, t := range st.tasks {
		if t.Open() && t.AssignmentStatus != TaskPending && t.WorkerSID != "" {
			busy[t.WorkerSID] = true
		}
	}
	return busy
}

// dispatch reserves pending tasks to available, eligible workers with room for
// them (see hasRoom): tasks by priority (highest first), then by their queue's
// order (FIFO or LIFO); workers longest in their current activity first. A
// worker takes as many tasks as it has room for; one that a reservation moved
// to an unavailable activity takes no more. Caller holds the lock for writing.
func (s *Simulation) dispatch(ws *state.WorkspaceState, st *taskState) {
	pending := pendingInOrder(ws, st)
	if len(pending) == 0 {
		return
	}
	workers := ws.SortedWorkers()
	slices.SortStableFunc(workers, func(a, b *state.Worker) int { return a.DateStatusChanged.Compare(b.DateStatusChanged) })
	loads := st.loads()
	clock := s.timeOfDay()
	for _, t := range pending {
		for _, w := range workers {
			if ws.WorkerAvailable(w) && hasRoom(ws, loads[w.SID], w, t.TaskChannelSID) && eligible(ws, t, w, clock) {
				s.reserve(ws, st, t, w)
				loads.add(w.SID, t.TaskChannelSID, TaskReserved)
				break
			}
		}
	}
}

// pendingInOrder lists pending tasks in the order they are offered.
func pendingInOrder(ws *state.WorkspaceState, st *taskState) []*Task {
	var pending []*Task
	for _, t := range st.sortedTasks() {
		if t.AssignmentStatus == TaskPending {
			pending = append(pending, t)
		}
	}
	slices.SortStableFunc(pending, func(a, b *Task) int {
		if c := cmp.Compare(b.Priority, a.Priority); c != 0 {
			return c
		}
		if q := ws.TaskQueues[a.TaskQueueSID]; q != nil && q.TaskOrder == "LIFO" && a.TaskQueueSID == b.TaskQueueSID {
			return cmp.Compare(b.seq, a.seq)
		}
		return cmp.Compare(a.seq, b.seq)
	})
	return pending
}
