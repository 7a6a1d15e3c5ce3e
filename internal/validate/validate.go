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

// Package validate checks what the CRDs' schema and CEL rules cannot: that every TaskRouter
// expression of a spec parses, and reads only the keys its place allows. The admission webhook,
// the reconcile and `kubectl taskrouter lint` all call it, so each refuses the same expression with
// the same field path and the same "at position N".
package validate

import (
	"errors"
	"fmt"

	"k8s.io/apimachinery/pkg/util/validation/field"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/internal/expression"
)

// Role is where an expression stands, which decides its syntax and the key roots it may read.
type Role int

const (
	// TargetWorkers is a TaskQueue's targetWorkers: worker attributes, read without a prefix.
	TargetWorkers Role = iota
	// Filter is a workflow filter's expression: task attributes, read without a prefix.
	Filter
	// Target is a workflow target's expression: worker., task. and taskrouter. keys.
	Target
	// OrderBy is a workflow target's orderBy: worker. keys, each with ASC or DESC.
	OrderBy
	// SkipIf is a workflow target's skipIf: workers. keys.
	SkipIf
)

// roots are the key roots each role may read; nil allows any key (attributes are free-form).
var roots = map[Role][]string{
	Target:  {"worker", "task", "taskrouter"},
	OrderBy: {"worker"},
	SkipIf:  {"workers"},
}

// Expression is one expression of a spec and the field it is written in.
type Expression struct {
	Field  *field.Path
	Source string
	Role   Role
}

// Parse parses the expression as TaskRouter would and checks the roots of its keys. The error is
// an *expression.SyntaxError or *expression.KeyError, whose message starts "at position N". The
// parsed expression is nil for an orderBy, which is a list of sort keys, not a condition.
func (e Expression) Parse() (*expression.Expression, error) {
	if e.Role == OrderBy {
		o, err := expression.ParseOrderBy(e.Source)
		if err == nil {
			err = o.ValidateKeys(roots[OrderBy]...)
		}
		return nil, err
	}
	x, err := expression.Parse(e.Source)
	if err != nil {
		return nil, err
	}
	if err := x.ValidateKeys(roots[e.Role]...); err != nil {
		return nil, err
	}
	return x, nil
}

// Position is the 0-based byte offset inside the expression that a Parse error is about.
func Position(err error) (int, bool) {
	var syntax *expression.SyntaxError
	var key *expression.KeyError
	switch {
	case errors.As(err, &syntax):
		return syntax.Pos, true
	case errors.As(err, &key):
		return key.Pos, true
	}
	return 0, false
}

// TaskQueueExpressions lists a TaskQueue's expressions. An empty targetWorkers is left out: the
// CRD defaults it to 1==1.
func TaskQueueExpressions(q *trv1.TaskQueue) []Expression {
	return appendExpression(nil, field.NewPath("spec", "targetWorkers"), q.Spec.TargetWorkers, TargetWorkers)
}

// WorkflowExpressions lists a Workflow's expressions: each filter's, and each target's
// expression, orderBy and skipIf, in the order they are written.
func WorkflowExpressions(w *trv1.Workflow) []Expression {
	var out []Expression
	filters := field.NewPath("spec", "configuration", "taskRouting", "filters")
	for i, f := range w.Spec.Configuration.TaskRouting.Filters {
		out = appendExpression(out, filters.Index(i).Child("expression"), f.Expression, Filter)
		for j, t := range f.Targets {
			target := filters.Index(i).Child("targets").Index(j)
			out = appendExpression(out, target.Child("expression"), t.Expression, Target)
			out = appendExpression(out, target.Child("orderBy"), t.OrderBy, OrderBy)
			out = appendExpression(out, target.Child("skipIf"), t.SkipIf, SkipIf)
		}
	}
	return out
}

func appendExpression(out []Expression, path *field.Path, src string, role Role) []Expression {
	if src == "" {
		return out
	}
	return append(out, Expression{Field: path, Source: src, Role: role})
}

// TaskQueue checks a TaskQueue's targetWorkers.
func TaskQueue(q *trv1.TaskQueue) field.ErrorList { return check(TaskQueueExpressions(q)) }

// Workflow checks every expression of a Workflow's routing configuration.
func Workflow(w *trv1.Workflow) field.ErrorList { return check(WorkflowExpressions(w)) }

// check turns each expression that does not parse into a field error, printed by kubectl as
// `spec.targetWorkers: Invalid value: "skills HAS": at position 10: ...`.
func check(exprs []Expression) field.ErrorList {
	var errs field.ErrorList
	for _, e := range exprs {
		if _, err := e.Parse(); err != nil {
			errs = append(errs, field.Invalid(e.Field, e.Source, err.Error()))
		}
	}
	return errs
}

// Summary is errs in one line for a condition message: the first error, and how many more there
// are, so a spec with many bad expressions cannot make the message outgrow the status.
func Summary(errs field.ErrorList) string {
	switch len(errs) {
	case 0:
		return ""
	case 1:
		return errs[0].Error()
	}
	return fmt.Sprintf("%s (and %d more)", errs[0].Error(), len(errs)-1)
}
