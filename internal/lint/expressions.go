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
	"fmt"
	"strings"

	"github.com/taskrouter-operator/taskrouter-operator/internal/expression"
	"github.com/taskrouter-operator/taskrouter-operator/internal/validate"
)

// checkExpression parses an expression as the operator, its admission webhook
// and TaskRouter would (internal/validate), reporting the error with its
// position inside the expression, and warns about keys that are valid but
// almost certainly not what was meant.
func checkExpression(e validate.Expression) []issue {
	x, err := e.Parse()
	if err != nil {
		is := issue{field: e.Field.String(), message: err.Error(), severity: Error}
		if pos, ok := validate.Position(err); ok {
			is.position = &pos
		}
		return []issue{is}
	}
	if x == nil {
		return nil
	}
	return prefixWarnings(e, x)
}

// prefixWarnings flags "worker." in targetWorkers and "task." in a filter:
// both read attributes without a prefix, so such a key looks up an attribute
// literally named "worker" or "task" and is NULL for everyone.
func prefixWarnings(e validate.Expression, x *expression.Expression) []issue {
	var prefix, reads string
	switch e.Role {
	case validate.TargetWorkers:
		prefix, reads = "worker", "targetWorkers reads worker attributes"
	case validate.Filter:
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
		issues = append(issues, issue{field: e.Field.String(), severity: Warning, position: &pos, message: fmt.Sprintf(
			"at position %d: key %q reads an attribute named %q; %s without a prefix: write %q",
			use.Pos, use.Key, prefix, reads, strings.TrimPrefix(use.Key, prefix+"."))})
	}
	return issues
}
