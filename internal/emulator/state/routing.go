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
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator/api"
	"github.com/taskrouter-operator/taskrouter-operator/internal/expression"
)

// TaskRouting is a Workflow's parsed task_routing document: filters tried top to
// bottom, the first match wins, default_filter takes what none matched.
type TaskRouting struct {
	Filters       []RoutingFilter
	DefaultFilter *RoutingTarget
}

// RoutingFilter is one entry of task_routing.filters.
type RoutingFilter struct {
	FriendlyName string
	Expression   *expression.Expression
	Targets      []RoutingTarget
}

// RoutingTarget is one routing step of a filter (or the default filter's queue).
type RoutingTarget struct {
	Queue                   string
	Expression              *expression.Expression // nil: every worker of the queue
	Priority                *int
	Timeout                 *int
	OrderBy                 string
	SkipIf                  *expression.Expression
	KnownWorkerSID          string
	KnownWorkerFriendlyName string
}

// MaxWorkflowConfigSize is the largest Workflow Configuration TaskRouter accepts, in bytes.
const MaxWorkflowConfigSize = 1 << 20

// The JSON shapes of the configuration; unknown keys are refused so a typo in a
// key is an error instead of a silently ignored setting (assumed: TaskRouter's
// own strictness here is not documented).
type configDoc struct {
	TaskRouting *routingDoc `json:"task_routing"`
}

type routingDoc struct {
	Filters       []filterDoc `json:"filters"`
	DefaultFilter *targetDoc  `json:"default_filter"`
}

type filterDoc struct {
	FilterFriendlyName string      `json:"filter_friendly_name"`
	Expression         *string     `json:"expression"`
	Targets            []targetDoc `json:"targets"`
}

type targetDoc struct {
	Queue                   string  `json:"queue"`
	Expression              *string `json:"expression"`
	Priority                *int    `json:"priority"`
	Timeout                 *int    `json:"timeout"`
	OrderBy                 string  `json:"order_by"`
	SkipIf                  *string `json:"skip_if"`
	KnownWorkerSID          string  `json:"known_worker_sid"`
	KnownWorkerFriendlyName string  `json:"known_worker_friendly_name"`
}

// ParseTaskRouting validates a Workflow Configuration against ws: JSON, at most
// 1 MB, a task_routing object, valid expressions, and queues that exist.
func ParseTaskRouting(ws *WorkspaceState, config string) (*TaskRouting, error) {
	if len(config) > MaxWorkflowConfigSize {
		return nil, api.Invalid("Configuration is %d bytes; the maximum is %d", len(config), MaxWorkflowConfigSize)
	}
	dec := json.NewDecoder(strings.NewReader(config))
	dec.DisallowUnknownFields()
	var doc configDoc
	if err := dec.Decode(&doc); err != nil {
		return nil, api.Invalid("Configuration is not a valid workflow document: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, api.Invalid("Configuration has content after the JSON document")
	}
	if doc.TaskRouting == nil {
		return nil, api.Invalid("Configuration must contain a task_routing object")
	}
	routing := &TaskRouting{}
	for i, f := range doc.TaskRouting.Filters {
		filter, err := parseFilter(ws, fmt.Sprintf("task_routing.filters[%d]", i), f)
		if err != nil {
			return nil, err
		}
		routing.Filters = append(routing.Filters, filter)
	}
	if d := doc.TaskRouting.DefaultFilter; d != nil {
		target, err := parseTarget(ws, "task_routing.default_filter", *d)
		if err != nil {
			return nil, err
		}
		routing.DefaultFilter = &target
	}
	return routing, nil
}

func parseFilter(ws *WorkspaceState, where string, f filterDoc) (RoutingFilter, error) {
	if f.Expression == nil {
		return RoutingFilter{}, api.Invalid("Configuration %s: expression is required", where)
	}
	expr, err := parseConfigExpression(where+".expression", *f.Expression)
	if err != nil {
		return RoutingFilter{}, err
	}
	if len(f.Targets) == 0 {
		return RoutingFilter{}, api.Invalid("Configuration %s: targets must list at least one target", where)
	}
	filter := RoutingFilter{FriendlyName: f.FilterFriendlyName, Expression: expr}
	for i, t := range f.Targets {
		target, err := parseTarget(ws, fmt.Sprintf("%s.targets[%d]", where, i), t)
		if err != nil {
			return RoutingFilter{}, err
		}
		filter.Targets = append(filter.Targets, target)
	}
	return filter, nil
}

func parseTarget(ws *WorkspaceState, where string, t targetDoc) (RoutingTarget, error) {
	if t.Queue == "" {
		return RoutingTarget{}, api.Invalid("Configuration %s: queue is required", where)
	}
	if _, ok := ws.TaskQueues[t.Queue]; !ok {
		return RoutingTarget{}, api.Invalid("Configuration %s: queue %q is not a TaskQueue of Workspace %s", where, t.Queue, ws.SID)
	}
	if t.Timeout != nil && *t.Timeout < 0 {
		return RoutingTarget{}, api.Invalid("Configuration %s: timeout must not be negative", where)
	}
	target := RoutingTarget{Queue: t.Queue, Priority: t.Priority, Timeout: t.Timeout, OrderBy: t.OrderBy,
		KnownWorkerSID: t.KnownWorkerSID, KnownWorkerFriendlyName: t.KnownWorkerFriendlyName}
	var err error
	if t.Expression != nil {
		if target.Expression, err = parseConfigExpression(where+".expression", *t.Expression, targetRoots...); err != nil {
			return RoutingTarget{}, err
		}
	}
	if t.SkipIf != nil {
		if target.SkipIf, err = parseConfigExpression(where+".skip_if", *t.SkipIf, "workers"); err != nil {
			return RoutingTarget{}, err
		}
	}
	if err := validateOrderBy(where, t.OrderBy); err != nil {
		return RoutingTarget{}, err
	}
	return target, nil
}

// targetRoots are the key roots a target expression may read: the worker, the
// task, and TaskRouter's time-of-day keys (taskrouter.currentTime, ...), which
// its "Time of Day Routing" guide allows in filter and target expressions.
var targetRoots = []string{"worker", "task", expression.TimeOfDayRoot}

// parseConfigExpression parses an expression of the configuration; roots, when
// given, are the key prefixes it may use (targetRoots in targets, workers. in
// skip_if).
func parseConfigExpression(where, src string, roots ...string) (*expression.Expression, error) {
	expr, err := expression.Parse(src)
	if err != nil {
		return nil, api.Invalid("Configuration %s: invalid expression %q: %v", where, src, err)
	}
	if err := expr.ValidateKeys(roots...); err != nil {
		return nil, api.Invalid("Configuration %s: expression %q: %v", where, src, err)
	}
	return expr, nil
}

// validateOrderBy checks "key [ASC|DESC], ..." as order_by is written.
func validateOrderBy(where, orderBy string) error {
	if orderBy == "" {
		return nil
	}
	for _, item := range strings.Split(orderBy, ",") {
		fields := strings.Fields(item)
		if len(fields) == 0 || len(fields) > 2 {
			return api.Invalid("Configuration %s.order_by: %q is not \"key ASC|DESC\"", where, item)
		}
		if !strings.HasPrefix(fields[0], "worker.") {
			return api.Invalid("Configuration %s.order_by: key %q must start with \"worker.\"", where, fields[0])
		}
		if len(fields) == 2 && !strings.EqualFold(fields[1], "ASC") && !strings.EqualFold(fields[1], "DESC") {
			return api.Invalid("Configuration %s.order_by: direction %q must be ASC or DESC", where, fields[1])
		}
	}
	return nil
}

// Targets reports whether any routing step or the default filter sends tasks to
// the queue sid.
func (r *TaskRouting) Targets(sid string) bool {
	if r.DefaultFilter != nil && r.DefaultFilter.Queue == sid {
		return true
	}
	for _, f := range r.Filters {
		for _, t := range f.Targets {
			if t.Queue == sid {
				return true
			}
		}
	}
	return false
}
