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
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// walker checks a document against the Go type it decodes into, the way the
// API server's strict field validation and the CRD schema would: unknown and
// repeated fields, wrong types, missing required fields, then the schema's
// constraints and rules. It records where every field it visits stands.
type walker struct {
	doc    *document
	schema schema
	fields *fieldCache
	issues []issue
}

var jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()

func (w *walker) report(field, format string, args ...any) {
	w.issues = append(w.issues, issue{field: field, message: fmt.Sprintf(format, args...), severity: Error})
}

// walk checks node n, the value of field path (pattern: the path with list
// indices written [*]), against type t.
func (w *walker) walk(path, pattern string, key, n *yaml.Node, t reflect.Type) {
	n = resolve(n)
	w.doc.at[path] = place{key: key, value: n}
	if isNull(n) {
		return // null is how YAML leaves a field out
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	var ok bool
	switch {
	case reflect.PointerTo(t).Implements(jsonUnmarshaler):
		ok = w.walkCustom(path, n, t)
	case t.Kind() == reflect.Struct:
		ok = w.walkStruct(path, pattern, n, t)
	case t.Kind() == reflect.Slice:
		ok = w.walkSlice(path, pattern, n, t)
	case t.Kind() == reflect.Map:
		ok = w.walkMap(path, pattern, n, t)
	case t.Kind() == reflect.Interface:
		ok = true
	default:
		ok = w.walkScalar(path, n, t)
	}
	if ok {
		w.constrain(path, pattern, n)
		w.applyRules(path, pattern, n)
	}
}

func (w *walker) walkStruct(path, pattern string, n *yaml.Node, t reflect.Type) bool {
	if n.Kind != yaml.MappingNode {
		w.report(path, "expected an object, found %s", describe(n))
		return false
	}
	fields := w.fields.of(t)
	seen := map[string]*yaml.Node{}
	for _, p := range pairs(n) {
		name := p.key.Value
		childPath, childPattern := join(path, name), join(pattern, name)
		if first, repeated := seen[name]; repeated {
			w.issues = append(w.issues, issue{field: childPath, severity: Error, line: p.key.Line,
				message: fmt.Sprintf("field %q is repeated (first at line %d); YAML keeps only one of them", name, first.Line)})
			continue
		}
		seen[name] = p.key
		if path == "" && name == "status" {
			continue // written by the operator; kubectl apply leaves it out
		}
		f, known := fields[name]
		if !known {
			w.doc.at[childPath] = place(p)
			w.report(childPath, "unknown field %q%s", name, suggest(name, fields))
			continue
		}
		w.walk(childPath, childPattern, p.key, p.value, f.typ)
	}
	for _, name := range sortedKeys(fields) {
		if fields[name].required && isNull(lookup(n, name)) {
			w.report(join(path, name), "required field is missing")
		}
	}
	return true
}

func (w *walker) walkSlice(path, pattern string, n *yaml.Node, t reflect.Type) bool {
	if n.Kind != yaml.SequenceNode {
		w.report(path, "expected a list, found %s", describe(n))
		return false
	}
	for i, item := range n.Content {
		w.walk(fmt.Sprintf("%s[%d]", path, i), pattern+"[*]", nil, item, t.Elem())
	}
	return true
}

func (w *walker) walkMap(path, pattern string, n *yaml.Node, t reflect.Type) bool {
	if n.Kind != yaml.MappingNode {
		w.report(path, "expected an object, found %s", describe(n))
		return false
	}
	for _, p := range pairs(n) {
		w.walk(join(path, p.key.Value), join(pattern, "*"), p.key, p.value, t.Elem())
	}
	return true
}

// walkCustom checks a type that decodes itself from JSON (a duration, a
// timestamp, free-form JSON) by letting it decode the node.
func (w *walker) walkCustom(path string, n *yaml.Node, t reflect.Type) bool {
	data, err := json.Marshal(value(n))
	if err == nil {
		err = json.Unmarshal(data, reflect.New(t).Interface())
	}
	if err != nil {
		w.report(path, "invalid value: %s", strings.TrimPrefix(err.Error(), "json: "))
		return false
	}
	return true
}

func (w *walker) walkScalar(path string, n *yaml.Node, t reflect.Type) bool {
	tag := n.ShortTag()
	switch t.Kind() {
	case reflect.String:
		if n.Kind == yaml.ScalarNode && (tag == "!!str" || tag == "!!timestamp") {
			return true
		}
		if n.Kind == yaml.ScalarNode {
			w.report(path, "expected a string, found %s: quote it (%q)", describe(n), n.Value)
		} else {
			w.report(path, "expected a string, found %s", describe(n))
		}
	case reflect.Bool:
		if tag == "!!bool" {
			return true
		}
		w.report(path, "expected true or false, found %s", describe(n))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		var v int64
		if tag == "!!int" && n.Decode(&v) == nil {
			if t.Bits() < 64 && (v < -1<<(t.Bits()-1) || v >= 1<<(t.Bits()-1)) {
				w.report(path, "%d does not fit in a %d-bit integer", v, t.Bits())
				return false
			}
			return true
		}
		w.report(path, "expected an integer, found %s", describe(n))
	case reflect.Float32, reflect.Float64:
		if tag == "!!int" || tag == "!!float" {
			return true
		}
		w.report(path, "expected a number, found %s", describe(n))
	default:
		w.report(path, "lint cannot check a field of Go type %s", t)
	}
	return false
}

// describe names a node's kind and value for a type error.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "an object"
	case yaml.SequenceNode:
		return "a list"
	}
	switch n.ShortTag() {
	case "!!int", "!!float":
		return "the number " + n.Value
	case "!!bool":
		return n.Value
	case "!!null":
		return "null"
	}
	return "the string " + strconv.Quote(n.Value)
}

// constrain checks the CRD schema's constraints on a field whose type is right.
func (w *walker) constrain(path, pattern string, n *yaml.Node) {
	c, ok := w.schema.constraints[pattern]
	if !ok {
		return
	}
	if n.Kind == yaml.SequenceNode {
		w.constrainList(path, c, n)
		return
	}
	if n.Kind != yaml.ScalarNode {
		return
	}
	if n.ShortTag() == "!!int" {
		var v int64
		if n.Decode(&v) == nil {
			w.constrainNumber(path, c, v)
		}
		return
	}
	s := n.Value
	size := int64(utf8.RuneCountInString(s))
	switch {
	case len(c.Enum) > 0 && !slices.Contains(c.Enum, s):
		w.report(path, "unsupported value %q: use one of %s", s, quoteAll(c.Enum))
	case c.MinLength != nil && size < *c.MinLength && size == 0:
		w.report(path, "must not be empty")
	case c.MinLength != nil && size < *c.MinLength:
		w.report(path, "is %d characters long; at least %d are required", size, *c.MinLength)
	case c.MaxLength != nil && size > *c.MaxLength:
		w.report(path, "is %d characters long; at most %d are allowed", size, *c.MaxLength)
	case c.Pattern != "" && !regexp.MustCompile(c.Pattern).MatchString(s): // the patterns are this package's constants
		w.report(path, "%q does not match %s", s, c.Pattern)
	}
}

func (w *walker) constrainNumber(path string, c constraint, v int64) {
	switch {
	case c.Minimum != nil && c.Maximum != nil && (v < *c.Minimum || v > *c.Maximum):
		w.report(path, "must be between %d and %d, found %d", *c.Minimum, *c.Maximum, v)
	case c.Minimum != nil && v < *c.Minimum:
		w.report(path, "must be at least %d, found %d", *c.Minimum, v)
	case c.Maximum != nil && v > *c.Maximum:
		w.report(path, "must be at most %d, found %d", *c.Maximum, v)
	}
}

func (w *walker) constrainList(path string, c constraint, n *yaml.Node) {
	size := int64(len(n.Content))
	switch {
	case c.MinItems != nil && size < *c.MinItems:
		w.report(path, "must have at least %d item(s), found %d", *c.MinItems, size)
	case c.MaxItems != nil && size > *c.MaxItems:
		w.report(path, "must have at most %d items, found %d", *c.MaxItems, size)
	}
	if !c.ListSet {
		return
	}
	seen := map[string]bool{}
	for i, item := range n.Content {
		if item = resolve(item); item.Kind == yaml.ScalarNode && seen[item.Value] {
			w.report(fmt.Sprintf("%s[%d]", path, i), "%q is listed twice; each value may appear once", item.Value)
		}
		seen[item.Value] = true
	}
}

// applyRules checks the CRD's CEL rules that need no stored object.
func (w *walker) applyRules(path, pattern string, n *yaml.Node) {
	for _, r := range w.schema.rules[pattern] {
		if r.broken != nil && r.broken(n) {
			w.report(join(path, strings.TrimPrefix(r.FieldPath, ".")), "%s", r.Message)
		}
	}
}

func join(path, name string) string {
	if path == "" || name == "" {
		return path + name
	}
	return path + "." + name
}

func quoteAll(values []string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = strconv.Quote(v)
	}
	return strings.Join(quoted, ", ")
}
