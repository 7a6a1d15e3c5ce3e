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
	"github.com/taskrouter-operator/taskrouter-operator/internal/expression"
)

// WorkerFilter builds the predicate of the Workers list filters (FriendlyName,
// ActivitySid, ActivityName, Available, TargetWorkersExpression, TaskQueueSid,
// TaskQueueName); the Workers list and the Workers statistics share it.
func WorkerFilter(ws *WorkspaceState, p api.Form) (func(*Worker) bool, error) {
	var checks []func(*Worker) bool
	if v := p.Get("FriendlyName"); v != "" {
		checks = append(checks, func(w *Worker) bool { return strings.EqualFold(w.FriendlyName, v) })
	}
	if v := p.Get("ActivitySid"); v != "" {
		checks = append(checks, func(w *Worker) bool { return w.ActivitySID == v })
	}
	if v := p.Get("ActivityName"); v != "" {
		checks = append(checks, func(w *Worker) bool { return ws.ActivityName(w.ActivitySID) == v })
	}
	if v := p.Get("Available"); v != "" {
		want := ParseAvailable(v)
		checks = append(checks, func(w *Worker) bool { return ws.WorkerAvailable(w) == want })
	}
	if v := p.Get("TargetWorkersExpression"); v != "" {
		expr, err := expression.Parse(v)
		if err != nil {
			return nil, api.Invalid("Invalid TargetWorkersExpression %q: %v", v, err)
		}
		checks = append(checks, func(w *Worker) bool { return expr.Evaluate(w.AttributeMap()) })
	}
	if queue := queueFilter(ws, p); queue != nil {
		checks = append(checks, queue)
	}
	return AllOf(checks), nil
}

// AllOf is the predicate of a list call whose every filter must hold: true
// where each of checks is (so no checks keep everything).
func AllOf[T any](checks []func(*T) bool) func(*T) bool {
	return func(t *T) bool {
		for _, check := range checks {
			if !check(t) {
				return false
			}
		}
		return true
	}
}

// queueFilter keeps the workers a queue (TaskQueueSid or TaskQueueName) targets;
// an unknown queue matches nobody.
func queueFilter(ws *WorkspaceState, p api.Form) func(*Worker) bool {
	sid, name := p.Get("TaskQueueSid"), p.Get("TaskQueueName")
	if sid == "" && name == "" {
		return nil
	}
	var queue *TaskQueue
	for _, q := range ws.TaskQueues {
		if (sid != "" && q.SID == sid) || (sid == "" && q.FriendlyName == name) {
			queue = q
		}
	}
	if queue == nil {
		return func(*Worker) bool { return false }
	}
	expr, err := expression.Parse(queue.TargetWorkers)
	if err != nil {
		return func(*Worker) bool { return false }
	}
	return func(w *Worker) bool { return expr.Evaluate(w.AttributeMap()) }
}

// ParseAvailable reads an Available flag the way the spec says TaskRouter does:
// true, 1 or yes mean available, anything else does not.
func ParseAvailable(v string) bool {
	switch strings.ToLower(v) {
	case "true", "1", "yes":
		return true
	}
	return false
}
