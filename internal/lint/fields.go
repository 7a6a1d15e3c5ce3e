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
	"reflect"
	"slices"
	"strings"
	"sync"
)

// field is one JSON field of a Go struct, as encoding/json sees it.
type field struct {
	typ reflect.Type
	// required mirrors controller-gen: a field without omitempty is required.
	required bool
	depth    int
}

// fieldCache remembers the JSON fields of each struct type.
type fieldCache struct {
	mu    sync.Mutex
	types map[reflect.Type]map[string]field
}

func newFieldCache() *fieldCache { return &fieldCache{types: map[reflect.Type]map[string]field{}} }

func (c *fieldCache) of(t reflect.Type) map[string]field {
	c.mu.Lock()
	defer c.mu.Unlock()
	if fields, ok := c.types[t]; ok {
		return fields
	}
	fields := jsonFields(t, 0)
	c.types[t] = fields
	return fields
}

// jsonFields lists a struct's JSON fields, flattening embedded structs
// without a JSON name (`json:",inline"`) as encoding/json does: on a name
// clash the shallower field wins.
func jsonFields(t reflect.Type, depth int) map[string]field {
	out := map[string]field{}
	add := func(name string, f field) {
		if prev, ok := out[name]; !ok || f.depth < prev.depth {
			out[name] = f
		}
	}
	for i := range t.NumField() {
		sf := t.Field(i)
		tag := sf.Tag.Get("json")
		if tag == "-" || (!sf.IsExported() && !sf.Anonymous) {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		ft := sf.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if sf.Anonymous && name == "" && ft.Kind() == reflect.Struct {
			for n, f := range jsonFields(ft, depth+1) {
				add(n, f)
			}
			continue
		}
		if name == "" {
			name = sf.Name
		}
		required := !slices.Contains(strings.Split(opts, ","), "omitempty")
		add(name, field{typ: sf.Type, required: required, depth: depth})
	}
	return out
}

func sortedKeys(fields map[string]field) []string {
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// suggest names the known field an unknown one was probably meant to be.
func suggest(name string, fields map[string]field) string {
	if best := closest(name, sortedKeys(fields)); best != "" {
		return fmt.Sprintf(" (did you mean %q?)", best)
	}
	return ""
}

// closest returns the candidate name was probably meant to be: the same but
// for case, or one or two edits away when the name is long enough for that
// to be a typo rather than another word; "" when none is.
func closest(name string, candidates []string) string {
	best, bestDistance := "", 3
	for _, c := range candidates {
		if strings.EqualFold(c, name) {
			return c
		}
		d := editDistance(strings.ToLower(name), strings.ToLower(c))
		if d < bestDistance && d*4 <= len(name) {
			best, bestDistance = c, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}
