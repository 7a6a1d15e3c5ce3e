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

package capability

import (
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
)

// condition is one parsed filter entry: a parameter that must (or may) be present and,
// when a value is given, must equal it.
type condition struct {
	required bool
	value    any // nil: any value
}

// filtersHold evaluates a policy's query_filter against query and post_filter against form.
// A filter that cannot be read fails closed: an allow policy with it grants nothing, and a
// deny policy with it denies whatever its URL and method match.
func filtersHold(p Policy, query, form url.Values) bool {
	ok, valid := holds(p.QueryFilter, query)
	if ok && valid {
		ok, valid = holds(p.PostFilter, form)
	}
	if !valid {
		return !p.Allow
	}
	return ok
}

// holds reports whether values meet every condition of filter, and whether filter is well formed.
// Parameters the filter does not name are unrestricted, as in the helper libraries' worker set
// (post_filter {"ActivitySid": {"required": true}} still lets a worker post its other fields).
func holds(filter map[string]any, values url.Values) (ok, valid bool) {
	ok = true
	for name, raw := range filter {
		c, valid := parseCondition(raw)
		if !valid {
			return false, false
		}
		if !c.holds(values[name]) {
			ok = false
		}
	}
	return ok, true
}

// parseCondition accepts a literal (string, number, bool) or {"required": bool, "value": literal}.
// A bare literal means the parameter is required and must equal it.
func parseCondition(raw any) (condition, bool) {
	obj, isObject := raw.(map[string]any)
	if !isObject {
		return condition{required: true, value: raw}, isLiteral(raw)
	}
	var c condition
	for key, v := range obj {
		switch key {
		case "required":
			b, isBool := v.(bool)
			if !isBool {
				return condition{}, false
			}
			c.required = b
		case "value":
			if !isLiteral(v) {
				return condition{}, false
			}
			c.value = v
		default:
			return condition{}, false
		}
	}
	return c, true
}

// holds checks a parameter's values; a repeated parameter must match on every occurrence.
func (c condition) holds(got []string) bool {
	if len(got) == 0 {
		return !c.required
	}
	if c.value == nil {
		return true
	}
	for _, g := range got {
		if !equalsLiteral(g, c.value) {
			return false
		}
	}
	return true
}

func isLiteral(v any) bool {
	switch v.(type) {
	case string, bool, float64, float32, int, int64, int32, uint, uint64, uint32, json.Number:
		return true
	default:
		return false
	}
}

// equalsLiteral compares a form or query value with a filter literal: strings exactly,
// booleans case-insensitively ("true"/"True"), numbers by value ("1.0" equals 1).
func equalsLiteral(got string, want any) bool {
	switch w := want.(type) {
	case string:
		return got == w
	case bool:
		return strings.EqualFold(got, strconv.FormatBool(w))
	case json.Number:
		return numericEqual(got, w.String())
	default:
		return numericEqual(got, strconv.FormatFloat(toFloat(w), 'g', -1, 64))
	}
}

func numericEqual(got, want string) bool {
	g, err1 := strconv.ParseFloat(strings.TrimSpace(got), 64)
	w, err2 := strconv.ParseFloat(want, 64)
	return err1 == nil && err2 == nil && g == w
}

func toFloat(v any) float64 {
	switch n := v.(type) {
	case float64:
		return n
	case float32:
		return float64(n)
	case int:
		return float64(n)
	case int64:
		return float64(n)
	case int32:
		return float64(n)
	case uint:
		return float64(n)
	case uint64:
		return float64(n)
	case uint32:
		return float64(n)
	default:
		return 0
	}
}
