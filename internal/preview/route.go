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

package preview

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/taskrouter-operator/taskrouter-operator/internal/expression"
)

// TaskRoute is where a task goes: the filter it matches, the targets it goes
// through, and who would be offered it first.
type TaskRoute struct {
	// Filter is the filter the task matched; nil when none did.
	Filter *MatchedFilter `json:"filter"`
	// Targets are the matched filter's targets in order, then the default
	// filter when it takes the task (no filter matched, or every target of the
	// matched one was skipped).
	Targets []TargetResult `json:"targets"`
	// Queue is the queue the task enters now; nil when it waits without one
	// (nothing matched and there is no default filter).
	Queue *Queue `json:"queue"`
	// Next is the worker who would be offered the task first, "" when nobody
	// available is eligible.
	Next string `json:"next,omitempty"`
}

// MatchedFilter is the filter a task matched.
type MatchedFilter struct {
	Index      int    `json:"index"`
	Name       string `json:"name"`
	Expression string `json:"expression"`
}

// TargetResult is one routing step evaluated against the workers of now.
type TargetResult struct {
	// Step is where it is in the configuration: filters[i].targets[j] or defaultFilter.
	Step                    string `json:"step"`
	Queue                   Queue  `json:"queue"`
	Priority                *int32 `json:"priority,omitempty"`
	Timeout                 *int32 `json:"timeout,omitempty"`
	Expression              string `json:"expression,omitempty"`
	OrderBy                 string `json:"orderBy,omitempty"`
	SkipIf                  string `json:"skipIf,omitempty"`
	KnownWorkerSID          string `json:"knownWorkerSid,omitempty"`
	KnownWorkerFriendlyName string `json:"knownWorkerFriendlyName,omitempty"`
	// Skipped: skip_if held, so the task passed this target by.
	Skipped bool `json:"skipped"`
	// Chosen: the task enters this target's queue now.
	Chosen bool `json:"chosen"`
	// Eligible counts the workers the target would offer the task to, Available
	// those of them in an available activity with room for the task on its
	// channel now.
	Eligible  int `json:"eligible"`
	Available int `json:"available"`
	// InLine are the available eligible workers in the order they are offered
	// the task: by orderBy, then the longest in their current activity first.
	InLine []string `json:"inLine"`
	// NoRoom are the eligible workers in an available activity who cannot take
	// the task now: their channel for it is unavailable or full. They count
	// neither in Available nor in InLine, but skipIf's workers.available counts
	// them, as TaskRouter's does (it reads activities only).
	NoRoom []NoRoom `json:"noRoom,omitempty"`
}

// compiledTarget is a target with its expressions parsed.
type compiledTarget struct {
	Target
	step                string
	queue, expr, skipIf *expression.Expression
	order               expression.OrderBy
}

// compile parses every expression of r, each error naming its place.
func compile(r Routing) ([][]compiledTarget, []*expression.Expression, *compiledTarget, error) {
	var filters []*expression.Expression
	var targets [][]compiledTarget
	for i, f := range r.Filters {
		x, err := expression.Parse(f.Expression)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("filters[%d] (%s) expression: %w", i, f.Name, err)
		}
		filters = append(filters, x)
		var compiled []compiledTarget
		for j, t := range f.Targets {
			c, err := compileTarget(fmt.Sprintf("filters[%d].targets[%d]", i, j), t)
			if err != nil {
				return nil, nil, nil, err
			}
			compiled = append(compiled, c)
		}
		targets = append(targets, compiled)
	}
	var def *compiledTarget
	if r.Default != nil {
		c, err := compileTarget("defaultFilter", *r.Default)
		if err != nil {
			return nil, nil, nil, err
		}
		def = &c
	}
	return targets, filters, def, nil
}

func compileTarget(step string, t Target) (compiledTarget, error) {
	c := compiledTarget{Target: t, step: step}
	var err error
	if c.queue, err = expression.Parse(t.Queue.TargetWorkers); err != nil {
		return c, fmt.Errorf("%s: TaskQueue %q targetWorkers: %w", step, t.Queue.Name, err)
	}
	parse := func(field, src string, roots ...string) (*expression.Expression, error) {
		if src == "" {
			return nil, nil
		}
		x, err := expression.Parse(src)
		if err == nil {
			err = x.ValidateKeys(roots...)
		}
		if err != nil {
			return nil, fmt.Errorf("%s.%s: %w", step, field, err)
		}
		return x, nil
	}
	if c.expr, err = parse("expression", t.Expression, "worker", "task", expression.TimeOfDayRoot); err != nil {
		return c, err
	}
	if c.skipIf, err = parse("skipIf", t.SkipIf, "workers"); err != nil {
		return c, err
	}
	if t.OrderBy != "" {
		if c.order, err = expression.ParseOrderBy(t.OrderBy); err == nil {
			err = c.order.ValidateKeys("worker")
		}
		if err != nil {
			return c, fmt.Errorf("%s.orderBy: %w", step, err)
		}
	}
	return c, nil
}

// Route routes task through r as TaskRouter does: the first filter whose
// expression matches the task, then that filter's first target whose skipIf
// is false (skipIf sees workers.available, the workers in an available
// activity the target would offer the task to); the default filter when no
// filter matches or every target of the matching one is skipped. Every target
// of the matched filter is evaluated, so the output shows where the task would
// go after a target's timeout. A worker is offered the task only when it has
// room for it on the task's channel.
func Route(r Routing, task Task, staff Workforce) (TaskRoute, error) {
	targets, filters, def, err := compile(r)
	if err != nil {
		return TaskRoute{}, err
	}
	ctx := newRouteContext(task, staff.MultiTask)
	var out TaskRoute
	chosen := false
	for i, x := range filters {
		if !x.Evaluate(ctx.filter) {
			continue
		}
		out.Filter = &MatchedFilter{Index: i, Name: r.Filters[i].Name, Expression: r.Filters[i].Expression}
		for _, t := range targets[i] {
			res, skipCount := ctx.evaluate(t, staff.Workers)
			if !chosen {
				res.Skipped = t.skipIf != nil && t.skipIf.Evaluate(map[string]any{"workers": map[string]any{"available": float64(skipCount)}})
				res.Chosen, chosen = !res.Skipped, !res.Skipped
			}
			out.Targets = append(out.Targets, res)
		}
		break
	}
	if !chosen && def != nil {
		res, _ := ctx.evaluate(*def, staff.Workers)
		res.Chosen = true
		out.Targets = append(out.Targets, res)
	}
	for _, t := range out.Targets {
		if t.Chosen {
			q := t.Queue
			out.Queue = &q
			if len(t.InLine) > 0 {
				out.Next = t.InLine[0]
			}
		}
	}
	return out, nil
}

// routeContext is what the expressions of one route read, and how capacity counts.
type routeContext struct {
	// filter is the task's attributes with the time-of-day keys.
	filter map[string]any
	// task and clock are what target expressions read under task. and taskrouter.
	task, clock map[string]any
	channel     string
	multiTask   bool
}

func newRouteContext(task Task, multiTask bool) routeContext {
	ctx := routeContext{filter: maps.Clone(task.Attributes), task: task.Attributes, channel: task.Channel, multiTask: multiTask}
	if ctx.filter == nil {
		ctx.filter = map[string]any{}
	}
	if !task.At.IsZero() {
		ctx.clock = expression.TimeOfDay(task.At)
	}
	// TaskRouter fills the taskrouter.* keys in, over any task attribute of that name.
	ctx.filter[expression.TimeOfDayRoot] = ctx.clock
	return ctx
}

// evaluate counts the workers t offers the task to. skipCount is what skipIf
// sees: the workers of the queue in an available activity that the target's
// expression accepts, whether or not the target names a known worker or they
// have room for the task.
func (ctx routeContext) evaluate(t compiledTarget, workers []Worker) (res TargetResult, skipCount int) {
	res = TargetResult{Step: t.step, Queue: t.Queue, Priority: t.Priority, Timeout: t.Timeout, Expression: t.Expression,
		OrderBy: t.OrderBy, SkipIf: t.SkipIf, KnownWorkerSID: t.KnownWorkerSID, KnownWorkerFriendlyName: t.KnownWorkerFriendlyName,
		InLine: []string{}}
	var inLine []Worker
	for _, w := range workers {
		inQueue := t.queue.Evaluate(w.Attributes)
		accepts := t.expr == nil || t.expr.Evaluate(map[string]any{"worker": w.Attributes, "task": ctx.task, expression.TimeOfDayRoot: ctx.clock})
		if w.Available && inQueue && accepts {
			skipCount++
		}
		if !t.offers(w, inQueue && accepts) {
			continue
		}
		res.Eligible++
		if !w.Available {
			continue
		}
		if ok, reason := w.room(ctx.channel, ctx.multiTask); !ok {
			res.NoRoom = append(res.NoRoom, NoRoom{Worker: w.Name, Reason: reason})
			continue
		}
		res.Available++
		inLine = append(inLine, w)
	}
	slices.SortStableFunc(inLine, func(a, b Worker) int {
		if c := t.order.Compare(map[string]any{"worker": a.Attributes}, map[string]any{"worker": b.Attributes}); c != 0 {
			return c
		}
		return a.StatusChanged.Compare(b.StatusChanged)
	})
	for _, w := range inLine {
		res.InLine = append(res.InLine, w.Name)
	}
	return res, skipCount
}

// offers reports whether the target offers its task to w: the one known worker
// when it names one (whatever the queue's targetWorkers), else a worker the
// queue and the target's expression select.
func (t compiledTarget) offers(w Worker, selected bool) bool {
	switch {
	case t.KnownWorkerSID != "":
		return w.SID == t.KnownWorkerSID
	case t.KnownWorkerFriendlyName != "":
		return strings.EqualFold(w.Name, t.KnownWorkerFriendlyName) // worker names compare regardless of case
	}
	return selected
}

// byName sorts workers by name, for output that lists them.
func byName(a, b Worker) int { return cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) }
