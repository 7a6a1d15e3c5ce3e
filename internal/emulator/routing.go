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
	"sync"
	"time"

	"github.com/taskrouter-operator/taskrouter-operator/internal/expression"
)

func init() { activityChangeHooks = append(activityChangeHooks, onWorkerActivityChange) }

// tasksOf returns ws's task state, creating it; s, when given, is remembered for
// the activity hook. Caller holds mu for writing.
func tasksOf(ws *workspaceState, s *store) *taskState {
	st := peekTasks(ws)
	if st == nil {
		st = &taskState{tasks: map[string]*Task{}, activitySince: map[string]time.Time{}}
		if ws.extensions == nil {
			ws.extensions = map[string]any{}
		}
		ws.extensions[tasksExtension] = st
	}
	if s != nil {
		st.store = s
	}
	return st
}

// routeTask places t in a queue: its workflow's first matching filter (else the
// default filter) and that filter's first target not skipped; or queue, when the
// task was created for a queue. A queue change counts as a move.
func (s *store) routeTask(ws *workspaceState, st *taskState, t *Task, queue string, keepPriority bool) {
	t.workerFilter, t.knownWorker = nil, knownWorkerOf(t)
	if wf := ws.workflows[t.WorkflowSID]; wf != nil && wf.routing != nil {
		if target := selectTarget(ws, wf.routing, t); target != nil {
			queue = target.queue
			if target.priority != nil && !keepPriority {
				t.Priority = *target.priority
			}
			if target.expression != nil {
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
	if isSID(t.routingTarget, prefixWorker) {
		return t.routingTarget
	}
	return ""
}

// knownWorkerOfTarget resolves known_worker_sid / known_worker_friendly_name.
func knownWorkerOfTarget(ws *workspaceState, target *routingTarget) string {
	if target.knownWorkerSID != "" {
		return target.knownWorkerSID
	}
	if target.knownWorkerFriendlyName != "" {
		if w := ws.workerByName(target.knownWorkerFriendlyName); w != nil {
			return w.SID
		}
		return "none" // names nobody: no worker is eligible
	}
	return ""
}

// selectTarget returns the routing step t goes to: the first filter whose
// expression matches the task's attributes, its first target whose skip_if is
// false (a target whose skip_if holds is passed over); the default filter when no
// filter matches or every target of the matching one is skipped; nil when there
// is no default filter either.
func selectTarget(ws *workspaceState, routing *taskRouting, t *Task) *routingTarget {
	attrs := t.attributeMap()
	for _, f := range routing.filters {
		if !f.expression.Evaluate(attrs) {
			continue
		}
		for i := range f.targets {
			target := &f.targets[i]
			if target.skipIf == nil {
				return target
			}
			available := countAvailable(ws, target, t)
			if !target.skipIf.Evaluate(map[string]any{"workers": map[string]any{"available": float64(available)}}) {
				return target
			}
		}
		break
	}
	return routing.defaultFilter
}

// countAvailable is how many available workers target would offer t to.
func countAvailable(ws *workspaceState, target *routingTarget, t *Task) int {
	q := ws.taskQueues[target.queue]
	n := 0
	for _, w := range ws.workers {
		if q != nil && ws.workerAvailable(w) && queueTargets(q, w) && targetAccepts(target, w, t) {
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
func queueTargets(q *TaskQueue, w *Worker) bool {
	x := parsedExpression(q.TargetWorkers)
	return x != nil && x.Evaluate(w.attributeMap())
}

// targetAccepts applies a workflow target's worker expression, which may use
// worker.* and task.* keys.
func targetAccepts(target *routingTarget, w *Worker, t *Task) bool {
	if target == nil || target.expression == nil {
		return true
	}
	return target.expression.Evaluate(map[string]any{"worker": w.attributeMap(), "task": t.attributeMap()})
}

// eligible reports whether w may be offered t, availability and load aside.
func eligible(ws *workspaceState, t *Task, w *Worker) bool {
	if t.rejectedBy[w.SID] {
		return false
	}
	if t.knownWorker != "" {
		return w.SID == t.knownWorker
	}
	q := ws.taskQueues[t.TaskQueueSID]
	return q != nil && queueTargets(q, w) && targetAccepts(t.workerFilter, w, t)
}

// busyWorkers are the workers holding a reserved, assigned or wrapping task;
// the emulator gives every worker a capacity of one task.
func (st *taskState) busyWorkers() map[string]bool {
	busy := map[string]bool{}
	for _, t := range st.tasks {
		if t.open() && t.AssignmentStatus != TaskPending && t.WorkerSID != "" {
			busy[t.WorkerSID] = true
		}
	}
	return busy
}

// dispatch reserves pending tasks to free, available, eligible workers: tasks
// by priority (highest first), then by their queue's order (FIFO or LIFO);
// workers longest in their current activity first. Caller holds mu for writing.
func (s *store) dispatch(ws *workspaceState, st *taskState) {
	busy := st.busyWorkers()
	var idle []*Worker
	for _, w := range ws.sortedWorkers() {
		if !busy[w.SID] && ws.workerAvailable(w) {
			idle = append(idle, w)
		}
	}
	if len(idle) == 0 {
		return
	}
	slices.SortStableFunc(idle, func(a, b *Worker) int { return a.DateStatusChanged.Compare(b.DateStatusChanged) })
	for _, t := range pendingInOrder(ws, st) {
		for i, w := range idle {
			// reserve may move w to an unavailable reservation activity; it is
			// taken either way.
			if eligible(ws, t, w) {
				idle = slices.Delete(idle, i, i+1)
				s.reserve(ws, st, t, w)
				break
			}
		}
		if len(idle) == 0 {
			return
		}
	}
}

// pendingInOrder lists pending tasks in the order they are offered.
func pendingInOrder(ws *workspaceState, st *taskState) []*Task {
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
		if q := ws.taskQueues[a.TaskQueueSID]; q != nil && q.TaskOrder == "LIFO" && a.TaskQueueSID == b.TaskQueueSID {
			return cmp.Compare(b.seq, a.seq)
		}
		return cmp.Compare(a.seq, b.seq)
	})
	return pending
}

// onWorkerActivityChange closes the worker's stay in its previous activity (for
// activity_durations) and, when the worker became available, offers it a task.
func onWorkerActivityChange(ws *workspaceState, w *Worker, previous string) {
	st := tasksOf(ws, nil)
	now := w.DateStatusChanged
	since, ok := st.activitySince[w.SID]
	if !ok {
		since = w.DateCreated
	}
	st.recordSpan(activitySpan{worker: w.SID, activity: previous, from: since, to: now})
	st.activitySince[w.SID] = now
	if st.store != nil && ws.workerAvailable(w) {
		st.store.dispatch(ws, st)
	}
}
