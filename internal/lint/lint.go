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
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
)

// Options tune a lint run.
type Options struct {
	// Namespace is given to objects without metadata.namespace, as
	// `kubectl apply -n` would; empty means "default".
	Namespace string
}

// issue is a finding before it is placed in its file.
type issue struct {
	field    string
	message  string
	severity Severity
	// line, when set, overrides the field's line (a repeated key is reported
	// where it repeats, not where the field first stands).
	line int
	// position is the offset inside the field's scalar value the message is
	// about (an expression error), or nil.
	position *int
}

// entry is one TaskRouter object found in the input.
type entry struct {
	doc             *document
	kind            string
	obj             object
	namespace, name string
}

// id names the object in messages and findings, e.g. `TaskQueue default/billing`.
func (e *entry) id() string { return fmt.Sprintf("%s %s/%s", e.kind, e.namespace, e.name) }

// where is the file and line of the object's metadata.name, for messages.
func (e *entry) where() string {
	return fmt.Sprintf("%s:%d", e.doc.file, e.doc.line("metadata.name"))
}

type linter struct {
	opts     Options
	kinds    map[string]kindInfo
	fields   *fieldCache
	entries  []*entry
	findings []Finding
}

// Lint checks every TaskRouter object in sources on its own (schema,
// expressions) and against the others (references, repeated names), and
// skips every other object. It never fails: what it cannot read is a finding.
func Lint(sources []Source, opts Options) Report {
	if opts.Namespace == "" {
		opts.Namespace = "default"
	}
	l := &linter{opts: opts, kinds: kindInfos(), fields: newFieldCache()}
	for _, src := range sources {
		docs, syntaxError := parseFile(src)
		for _, doc := range docs {
			l.document(doc)
		}
		if syntaxError != nil {
			l.findings = append(l.findings, *syntaxError)
		}
	}
	l.checkNames()
	l.checkReferences()
	return newReport(l.findings, len(sources), len(l.entries))
}

// Kinds lists the kinds lint checks, sorted.
func Kinds() []string {
	var names []string
	for name := range kindInfos() {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// document checks one document if it is a TaskRouter object; a v1 List is
// checked item by item.
func (l *linter) document(doc *document) {
	apiVersion, kind := stringAt(doc.root, "apiVersion"), stringAt(doc.root, "kind")
	if apiVersion == "v1" && strings.HasSuffix(kind, "List") {
		if items := lookup(doc.root, "items"); items != nil && items.Kind == yaml.SequenceNode {
			for _, item := range items.Content {
				if item = resolve(item); item.Kind == yaml.MappingNode {
					l.document(&document{file: doc.file, lines: doc.lines, root: item, at: map[string]place{}})
				}
			}
		}
		return
	}
	group, version, _ := strings.Cut(apiVersion, "/")
	if group != trv1.GroupVersion.Group {
		return // not ours: Secrets, ConfigMaps, kustomization.yaml...
	}
	if version != trv1.GroupVersion.Version {
		l.add(doc, nil, issue{field: "apiVersion", severity: Error, line: lookup(doc.root, "apiVersion").Line,
			message: fmt.Sprintf("version %q is not served: use %s", version, trv1.GroupVersion)})
		return
	}
	info, known := l.kinds[kind]
	if !known {
		l.add(doc, nil, issue{field: "kind", severity: Error, line: lineOf(lookup(doc.root, "kind"), doc.root),
			message: fmt.Sprintf("unknown kind %q in %s: use one of %s", kind, trv1.GroupVersion.Group, strings.Join(Kinds(), ", "))})
		return
	}
	obj, target := info.newObject()
	w := &walker{doc: doc, schema: info.schema, fields: l.fields}
	w.walk("", "", nil, doc.root, reflect.TypeOf(target).Elem())
	decode(doc.root, target)
	e := &entry{doc: doc, kind: kind, obj: obj, namespace: obj.meta().Namespace, name: obj.meta().Name}
	if e.namespace == "" {
		e.namespace = l.opts.Namespace
	}
	issues := w.issues
	if e.name == "" && obj.meta().GenerateName == "" {
		issues = append(issues, errorAt("metadata.name", "required field is missing: kubectl apply needs a name"))
	}
	issues = append(issues, obj.check()...)
	for _, x := range obj.expressions() {
		issues = append(issues, checkExpression(x)...)
	}
	for _, is := range issues {
		l.add(doc, e, is)
	}
	if e.name != "" {
		l.entries = append(l.entries, e)
	}
}

// decode fills target from the document the way the API server would read
// it. A field of the wrong type is left empty: the walk has reported it.
func decode(root *yaml.Node, target any) {
	data, err := json.Marshal(value(root))
	if err == nil {
		_ = json.Unmarshal(data, target)
	}
}

func lineOf(n, fallback *yaml.Node) int {
	if n != nil {
		return n.Line
	}
	return fallback.Line
}

// add places an issue in its file: at the offending character of an
// expression when the source lets lint find it, else at the field's line.
func (l *linter) add(doc *document, e *entry, is issue) {
	f := Finding{File: doc.file, Line: is.line, Field: is.field, Severity: is.severity, Message: is.message, Position: is.position}
	if e != nil && e.name != "" {
		f.Object = e.id()
	}
	if f.Line == 0 && is.position != nil {
		if line, col, ok := doc.offsetPosition(doc.at[is.field].value, *is.position); ok {
			f.Line, f.Column = line, col
		}
	}
	if f.Line == 0 {
		f.Line = doc.line(is.field)
	}
	l.findings = append(l.findings, f)
}
