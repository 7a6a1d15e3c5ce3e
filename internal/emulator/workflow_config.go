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
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/taskrouter-operator/taskrouter-operator/internal/expression"
)

// taskRouting is a Workflow's parsed task_routing document: filters tried top to
// bottom, the first match wins, default_filter takes what none matched.
type taskRouting struct {
	filters       []routingFilter
	defaultFilter *routingTarget
}

// routingFilter is one entry of task_routing.filters.
type routingFilter struct {
	friendlyName string
	expression   *expression.Expression
	targets      []routingTarget
}

// routingTarget is one routing step of a filter (or the default filter's queue).
type routingTarget struct {
	queue                   string
	expression              *expression.Expression // nil: every worker of the queue
	priority                *int
	timeout                 *int
	orderBy                 string
	skipIf                  *expression.Expression
	knownWorkerSID          string
	knownWorkerFriendlyName string
}

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

// parseTaskRouting validates a Workflow Configuration against ws: JSON, at most
// 1 MB, a task_routing object, valid expressions, and queues that exist.
func parseTaskRouting(ws *workspaceState, config string) (*taskRouting, error) {
	if len(config) > maxWorkflowConfigSize {
		return nil, invalid("Configuration is %d bytes; the maximum is %d", len(config), maxWorkflowConfigSize)
	}
	dec := json.NewDecoder(strings.NewReader(config))
	dec.DisallowUnknownFields()
	var doc configDoc
	if err := dec.Decode(&doc); err != nil {
		return nil, invalid("Configuration is not a valid workflow document: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, invalid("Configuration has content after the JSON document")
	}
	if doc.TaskRouting == nil {
		return nil, invalid("Configuration must contain a task_routing object")
	}
	routing := &taskRouting{}
	for i, f := range doc.TaskRouting.Filters {
		filter, err := parseFilter(ws, fmt.Sprintf("task_routing.filters[%d]", i), f)
		if err != nil {
			return nil, err
		}
		routing.filters = append(routing.filters, filter)
	}
	if d := doc.TaskRouting.DefaultFilter; d != nil {
		target, err := parseTarget(ws, "task_routing.default_filter", *d)
		if err != nil {
			return nil, err
		}
		routing.defaultFilter = &target
	}
	return routing, nil
}

func parseFilter(ws *workspaceState, where string, f filterDoc) (routingFilter, error) {
	if f.Expression == nil {
		return routingFilter{}, invalid("Configuration %s: expression is required", where)
	}
	expr, err := parseConfigExpression(where+".expression", *f.Expression)
	if err != nil {
		return routingFilter{}, err
	}
	if len(f.Targets) == 0 {
		return routingFilter{}, invalid("Configuration %s: targets must list at least one target", where)
	}
	filter := routingFilter{friendlyName: f.FilterFriendlyName, expression: expr}
	for i, t := range f.Targets {
		target, err := parseTarget(ws, fmt.Sprintf("%s.targets[%d]", where, i), t)
		if err != nil {
			return routingFilter{}, err
		}
		filter.targets = append(filter.targets, target)
	}
	return filter, nil
}

func parseTarget(ws *workspaceState, where string, t targetDoc) (routingTarget, error) {
	if t.Queue == "" {
		return routingTarget{}, invalid("Configuration %s: queue is required", where)
	}
	if _, ok := ws.taskQueues[t.Queue]; !ok {
		return routingTarget{}, invalid("Configuration %s: queue %q is not a TaskQueue of Workspace %s", where, t.Queue, ws.SID)
	}
	if t.Timeout != nil && *t.Timeout < 0 {
		return routingTarget{}, invalid("Configuration %s: timeout must not be negative", where)
	}
	target := routingTarget{queue: t.Queue, priority: t.Priority, timeout: t.Timeout, orderBy: t.OrderBy,
		knownWorkerSID: t.KnownWorkerSID, knownWorkerFriendlyName: t.KnownWorkerFriendlyName}
	var err error
	if t.Expression != nil {
		if target.expression, err = parseConfigExpression(where+".expression", *t.Expression, "worker", "task"); err != nil {
			return routingTarget{}, err
		}
	}
	if t.SkipIf != nil {
		if target.skipIf, err = parseConfigExpression(where+".skip_if", *t.SkipIf, "workers"); err != nil {
			return routingTarget{}, err
		}
	}
	if err := validateOrderBy(where, t.OrderBy); err != nil {
		return routingTarget{}, err
	}
	return target, nil
}

// parseConfigExpression parses an expression of the configuration; roots, when
// given, are the key prefixes it may use (worker./task. in targets, workers. in
// skip_if).
func parseConfigExpression(where, src string, roots ...string) (*expression.Expression, error) {
	expr, err := expression.Parse(src)
	if err != nil {
		return nil, invalid("Configuration %s: invalid expression %q: %v", where, src, err)
	}
	if err := expr.ValidateKeys(roots...); err != nil {
		return nil, invalid("Configuration %s: expression %q: %v", where, src, err)
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
			return invalid("Configuration %s.order_by: %q is not \"key ASC|DESC\"", where, item)
		}
		if !strings.HasPrefix(fields[0], "worker.") {
			return invalid("Configuration %s.order_by: key %q must start with \"worker.\"", where, fields[0])
		}
		if len(fields) == 2 && !strings.EqualFold(fields[1], "ASC") && !strings.EqualFold(fields[1], "DESC") {
			return invalid("Configuration %s.order_by: direction %q must be ASC or DESC", where, fields[1])
		}
	}
	return nil
}

// targets reports whether any routing step or the default filter sends tasks to
// the queue sid.
func (r *taskRouting) targets(sid string) bool {
	if r.defaultFilter != nil && r.defaultFilter.queue == sid {
		return true
	}
	for _, f := range r.filters {
		for _, t := range f.targets {
			if t.queue == sid {
				return true
			}
		}
	}
	return false
}
