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
)

// objectKey identifies an object as kubectl apply does: kind, namespace, name.
type objectKey struct {
	kind, namespace, name string
}

func (e *entry) key() objectKey { return objectKey{e.kind, e.namespace, e.name} }

// checkNames reports a metadata.name defined twice, and names TaskRouter or
// the operator's adoption needs unique.
func (l *linter) checkNames() {
	defined := map[objectKey]*entry{}
	type nameKey struct {
		kind, namespace, scope, value string
	}
	type namedBy struct {
		entry *entry
		value string
	}
	named := map[nameKey]namedBy{}
	for _, e := range l.entries {
		if first, ok := defined[e.key()]; ok {
			l.add(e.doc, e, errorAt("metadata.name", fmt.Sprintf("%s %q is already defined at %s; kubectl apply would keep only one of them",
				e.kind, e.name, first.where())))
			continue
		}
		defined[e.key()] = e
		for _, u := range e.obj.uniqueNames() {
			value := u.value
			if u.foldCase {
				value = strings.ToLower(value)
			}
			k := nameKey{e.kind, e.namespace, u.scope, value}
			if first, ok := named[k]; ok {
				spelled := ""
				if first.value != u.value {
					spelled = fmt.Sprintf("%q, ", first.value)
				}
				l.add(e.doc, e, errorAt(u.field, fmt.Sprintf("%q is also the %s of %s %q (%s%s) in %s: %s",
					u.value, u.what, e.kind, first.entry.name, spelled, first.entry.where(), u.scope, u.why)))
				continue
			}
			named[k] = namedBy{e, u.value}
		}
	}
}

// checkReferences reports a reference to an object the files do not define,
// or to one of another Workspace.
func (l *linter) checkReferences() {
	defined := map[objectKey]*entry{}
	names := map[objectKey][]string{} // by kind and namespace, for suggestions
	for _, e := range l.entries {
		if _, ok := defined[e.key()]; !ok {
			defined[e.key()] = e
			group := objectKey{kind: e.kind, namespace: e.namespace}
			names[group] = append(names[group], e.name)
		}
	}
	for _, e := range l.entries {
		for _, r := range e.obj.references() {
			if r.name == "" {
				continue // the schema walk reports the missing name
			}
			target, ok := defined[objectKey{r.kind, e.namespace, r.name}]
			switch {
			case !ok:
				msg := fmt.Sprintf("%s %q is not defined in namespace %s", r.kind, r.name, e.namespace)
				if near := closest(r.name, names[objectKey{kind: r.kind, namespace: e.namespace}]); near != "" {
					msg += fmt.Sprintf(" (did you mean %q?)", near)
				}
				l.add(e.doc, e, errorAt(r.field, msg))
			case r.workspace != "" && target.obj.workspace() != r.workspace:
				l.add(e.doc, e, errorAt(r.field, fmt.Sprintf("%s %q belongs to Workspace %q, not %q (%s)",
					r.kind, r.name, target.obj.workspace(), r.workspace, target.where())))
			}
		}
	}
}
