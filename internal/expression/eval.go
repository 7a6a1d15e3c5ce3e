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
	"encoding/json"
	"strconv"
	"strings"
)

// Evaluate evaluates against a context; keys are looked up with dotted paths and [i] indices in ctx
// (JSON-decoded data: map[string]any, []any, string, float64, bool, nil). Missing key = NULL.
func (x *Expression) Evaluate(ctx map[string]any) bool {
	return x.root.eval(ctx)
}

func (n *logical) eval(ctx map[string]any) bool {
	for _, t := range n.terms {
		if t.eval(ctx) == n.or {
			return n.or // short-circuit: true ends an OR, false ends an AND
		}
	}
	return !n.or
}

func (n *comparison) eval(ctx map[string]any) bool {
	return compare(n.op, n.left.resolve(ctx), n.right.resolve(ctx))
}

func (c *constant) resolve(map[string]any) any { return c.value }

// resolve walks the path; any step that does not exist yields nil (NULL).
func (k *keyRef) resolve(ctx map[string]any) any {
	var cur any = ctx
	for _, s := range k.segs {
		if s.isIndex {
			list, ok := cur.([]any)
			if !ok || s.index >= len(list) {
				return nil
			}
			cur = list[s.index]
			continue
		}
		object, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		if cur, ok = object[s.name]; !ok {
			return nil
		}
	}
	return cur
}

func compare(op operator, left, right any) bool {
	switch op {
	case opEq:
		return isScalar(left) && isScalar(right) && equal(left, right)
	case opNe:
		return isScalar(left) && isScalar(right) && !equal(left, right)
	case opGt, opGe, opLt, opLe:
		c, ok := order(left, right)
		return ok && holds(op, c)
	case opContains:
		l, lok := left.(string)
		r, rok := right.(string)
		return lok && rok && strings.Contains(l, r)
	case opHas:
		return has(left, right)
	case opIn:
		return in(left, right)
	case opNotIn:
		return !in(left, right)
	}
	return false
}

func holds(op operator, c int) bool {
	switch op {
	case opGt:
		return c > 0
	case opGe:
		return c >= 0
	case opLt:
		return c < 0
	}
	return c <= 0 // opLe
}

// isScalar reports whether v is NULL, a string, a number or a boolean:
// scalar operators applied to arrays, objects or foreign types are false.
func isScalar(v any) bool {
	switch v.(type) {
	case nil, string, bool:
		return true
	}
	return isNumber(v)
}

// equal is scalar equality: NULL equals only NULL, a number equals a string
// that spells the same number, otherwise the types must match.
func equal(left, right any) bool {
	if left == nil || right == nil {
		return left == nil && right == nil
	}
	if l, ok := numeric(left); ok {
		r, ok := numeric(right)
		return ok && l == r && (isNumber(left) || isNumber(right) || left == right)
	}
	switch l := left.(type) {
	case string:
		r, ok := right.(string)
		return ok && l == r
	case bool:
		r, ok := right.(bool)
		return ok && l == r
	}
	return false
}

// order compares two scalars: numerically when either side is a number (the
// other may be a numeric string), byte-wise when both are strings; any other
// pair (NULL, booleans, mixed types) is unordered.
func order(left, right any) (int, bool) {
	if isNumber(left) || isNumber(right) {
		l, lok := numeric(left)
		r, rok := numeric(right)
		switch {
		case !lok || !rok:
			return 0, false
		case l < r:
			return -1, true
		case l > r:
			return 1, true
		}
		return 0, true
	}
	l, lok := left.(string)
	r, rok := right.(string)
	if !lok || !rok {
		return 0, false
	}
	return strings.Compare(l, r), true
}

// has: the left array holds the right value, or, for an array on the right,
// at least one of its values.
func has(left, right any) bool {
	list, ok := left.([]any)
	if !ok {
		return false
	}
	if wanted, ok := right.([]any); ok {
		for _, w := range wanted {
			if contains(list, w) {
				return true
			}
		}
		return false
	}
	return contains(list, right)
}

// in: the left value is one of the right array's values; a left array
// matches when any of its values is.
func in(left, right any) bool {
	list, ok := right.([]any)
	if !ok {
		return false
	}
	if values, ok := left.([]any); ok {
		for _, v := range values {
			if contains(list, v) {
				return true
			}
		}
		return false
	}
	return contains(list, left)
}

// contains reports whether list holds a scalar equal to v; NULL is never
// found, so a missing key is in no list.
func contains(list []any, v any) bool {
	if v == nil || !isScalar(v) {
		return false
	}
	for _, e := range list {
		if isScalar(e) && equal(e, v) {
			return true
		}
	}
	return false
}

// isNumber reports whether v is a number (JSON decoding gives float64; Go
// callers may pass ints, and json.Decoder.UseNumber gives json.Number).
func isNumber(v any) bool {
	switch v.(type) {
	case float64, int, int64, json.Number:
		return true
	}
	return false
}

// numeric is v as a number: numbers as they are, strings that spell a
// decimal number (TaskRouter compares "08" from taskrouter.currentHour with 8).
func numeric(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	case json.Number:
		return decimal(string(n))
	case string:
		return decimal(n)
	}
	return 0, false
}

// decimal parses s only if it is a plain decimal number ([-]digits[.digits],
// optional exponent), so "NaN", "Inf" and "0x10" stay strings.
func decimal(s string) (float64, bool) {
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		i++
	}
	digits := 0
	for ; i < len(s) && (isDigit(s[i]) || s[i] == '.'); i++ {
		if s[i] != '.' {
			digits++
		}
	}
	if digits == 0 {
		return 0, false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '-' || s[i] == '+') {
			i++
		}
		for ; i < len(s) && isDigit(s[i]); i++ {
		}
	}
	if i != len(s) {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}
