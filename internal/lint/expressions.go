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

package lint

import (
	"errors"
	"fmt"
	"strings"

	"github.com/taskrouter-operator/taskrouter-operator/internal/expression"
)

// exprRole is where an expression stands, which decides its syntax and the
// key roots it may read.
type exprRole int

const (
	roleTargetWorkers exprRole = iota // TaskQueue targetWorkers: worker attributes, bare
	roleFilter                        // workflow filter: task attributes, bare
	roleTarget                        // workflow target: worker., task. and taskrouter. keys
	roleOrderBy                       // workflow target order_by: worker. keys with ASC/DESC
	roleSkipIf                        // workflow target skip_if: workers. keys
)

// expressionField is an expression and the field it is written in.
type expressionField struct {
	field, src string
	role       exprRole
}

// targetRoots are the roots a workflow target expression may use, as the
// Workflow controller validates them.
var targetRoots = []string{"worker", "task", "taskrouter"}

// checkExpression parses an expression as the operator and TaskRouter would,
// reporting the error with its position inside the expression, and warns
// about keys that are valid but almost certainly not what was meant.
func checkExpression(e expressionField) []issue {
	var err error
	var x *expression.Expression
	switch e.role {
	case roleOrderBy:
		var o expression.OrderBy
		if o, err = expression.ParseOrderBy(e.src); err == nil {
			err = o.ValidateKeys("worker")
		}
	default:
		if x, err = expression.Parse(e.src); err == nil {
			err = x.ValidateKeys(e.roots()...)
		}
	}
	if err != nil {
		return []issue{{field: e.field, message: err.Error(), severity: Error, position: errorPosition(err)}}
	}
	if x == nil {
		return nil
	}
	return prefixWarnings(e, x)
}

func (e expressionField) roots() []string {
	switch e.role {
	case roleTarget:
		return targetRoots
	case roleSkipIf:
		return []string{"workers"}
	}
	return nil // any key: attributes are free-form
}

func errorPosition(err error) *int {
	var syntax *expression.SyntaxError
	var key *expression.KeyError
	switch {
	case errors.As(err, &syntax):
		return &syntax.Pos
	case errors.As(err, &key):
		return &key.Pos
	}
	return nil
}

// prefixWarnings flags "worker." in targetWorkers and "task." in a filter:
// both read attributes without a prefix, so such a key looks up an attribute
// literally named "worker" or "task" and is NULL for everyone.
func prefixWarnings(e expressionField, x *expression.Expression) []issue {
	var prefix, reads string
	switch e.role {
	case roleTargetWorkers:
		prefix, reads = "worker", "targetWorkers reads worker attributes"
	case roleFilter:
		prefix, reads = "task", "a filter expression reads task attributes"
	default:
		return nil
	}
	var issues []issue
	for _, use := range x.KeyUses() {
		if use.Root != prefix || !strings.HasPrefix(use.Key, prefix+".") {
			continue
		}
		pos := use.Pos
		issues = append(issues, issue{field: e.field, severity: Warning, position: &pos, message: fmt.Sprintf(
			"at position %d: key %q reads an attribute named %q; %s without a prefix: write %q",
			use.Pos, use.Key, prefix, reads, strings.TrimPrefix(use.Key, prefix+"."))})
	}
	return issues
}
