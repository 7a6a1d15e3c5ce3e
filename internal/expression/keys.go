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

package expression

import (
	"fmt"
	"slices"
	"strings"
)

// KeyError reports a key whose root is not allowed where the expression is
// used, e.g. "agent.level" in a workflow target that may only read worker.*
// and task.*.
type KeyError struct {
	// Key is the canonical key path.
	Key string
	// Pos is the 0-based byte offset of the key in the source.
	Pos int
	// Allowed lists the permitted roots.
	Allowed []string
}

// Error names the key, where it is and which roots are allowed.
func (e *KeyError) Error() string {
	return fmt.Sprintf("at position %d: key %q must start with %s", e.Pos, e.Key, rootList(e.Allowed))
}

func rootList(roots []string) string {
	quoted := make([]string, len(roots))
	for i, r := range roots {
		quoted[i] = fmt.Sprintf("%q", r+".")
	}
	if len(quoted) == 1 {
		return quoted[0]
	}
	return "one of " + strings.Join(quoted, ", ")
}

// Keys lists the dotted key paths the expression reads (for validation, e.g. prefixes).
// Each path appears once, canonically spelled, in order of first use.
func (x *Expression) Keys() []string {
	return slices.Clone(x.keys)
}

// ValidateKeys returns an error naming the first key whose root is not in
// allowed: {"worker", "task"} for a workflow target expression, {"workers"}
// for skip_if, nothing (allow any) for TargetWorkers and filter expressions.
// The error is a *KeyError.
func (x *Expression) ValidateKeys(allowed ...string) error {
	if len(allowed) == 0 {
		return nil
	}
	for _, ref := range x.refs {
		// A bare root ("worker" alone) names no attribute, so it is refused too.
		if len(ref.segs) < 2 || !slices.Contains(allowed, ref.segs[0].name) {
			return &KeyError{Key: ref.path, Pos: ref.pos, Allowed: slices.Clone(allowed)}
		}
	}
	return nil
}
