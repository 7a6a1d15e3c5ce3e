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

package controllers

import (
	"slices"
	"strings"

	"github.com/taskrouter-operator/taskrouter-operator/internal/routing"
)

// sameJSON compares two JSON documents semantically: key order, whitespace and
// number spelling (1 vs 1.0) never count as a difference. It is routing.Same,
// the one rule shared with kubectl taskrouter export, so what the export calls
// unchanged is what the operator's drift check calls unchanged.
func sameJSON(a, b string) bool { return routing.Same(a, b) }

// sameSet compares two lists as sets, ignoring order, duplicates and surrounding space.
func sameSet(a, b []string) bool {
	return slices.Equal(setOf(a), setOf(b))
}

func setOf(list []string) []string {
	out := make([]string, 0, len(list))
	for _, s := range list {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// sendIfDiffers is the one rule every adapter's diff applies to a text field:
// a field the spec sets (want != nil) and TaskRouter holds differently is sent
// (*dst = want) and named in fields; a field the spec leaves unset is left alone.
func sendIfDiffers(fields []string, field string, want *string, have string, dst **string) []string {
	if want != nil && *want != have {
		*dst = want
		return append(fields, field)
	}
	return fields
}
