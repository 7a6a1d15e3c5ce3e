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

package main

import (
	"fmt"
	"sort"
	"strings"

	"github.com/taskrouter-operator/taskrouter-operator/internal/openapi"
)

// maxRefDepth bounds $ref chains so a cyclic spec fails instead of looping.
const maxRefDepth = 8

// resolve follows $refs into components.schemas.
func (s *spec) resolve(sc *schema) (*schema, error) {
	for depth := 0; sc != nil && sc.Ref != ""; depth++ {
		if depth == maxRefDepth {
			return nil, fmt.Errorf("$ref chain longer than %d at %s", maxRefDepth, sc.Ref)
		}
		name, ok := strings.CutPrefix(sc.Ref, refPrefix)
		if !ok {
			return nil, fmt.Errorf("unsupported $ref %s", sc.Ref)
		}
		next, ok := s.Components.Schemas[name]
		if !ok {
			return nil, fmt.Errorf("$ref %s names no component schema", sc.Ref)
		}
		sc = next
	}
	return sc, nil
}

// response digests a 2xx JSON body schema. A list response is an object with a
// meta object and exactly one array of records beside it: that array's property
// is the list key (the value TaskRouter puts in meta.key).
func (s *spec) response(sc *schema) (openapi.Response, error) {
	sc, err := s.resolve(sc)
	if err != nil || sc == nil {
		return openapi.Response{}, err
	}
	out := openapi.Response{Properties: sortedProperties(sc)}
	meta, isList := sc.Properties["meta"]
	if !isList {
		return out, nil
	}
	if out.MetaProperties = sortedProperties(meta); len(out.MetaProperties) == 0 {
		return openapi.Response{}, fmt.Errorf("list meta declares no properties")
	}
	for name, prop := range sc.Properties {
		if name == "meta" || prop.Type != "array" {
			continue
		}
		if out.ListKey != "" {
			return openapi.Response{}, fmt.Errorf("list has two arrays: %s and %s", out.ListKey, name)
		}
		items, err := s.resolve(prop.Items)
		if err != nil {
			return openapi.Response{}, fmt.Errorf("%s items: %w", name, err)
		}
		out.ListKey, out.ItemProperties = name, sortedProperties(items)
	}
	if out.ListKey == "" {
		return openapi.Response{}, fmt.Errorf("list has meta but no array of records")
	}
	return out, nil
}

// schemaDigest reduces a component schema to its property names and enums.
func (s *spec) schemaDigest(name string) (openapi.Schema, error) {
	sc := s.Components.Schemas[name]
	out := openapi.Schema{Type: sc.Type, Properties: sortedProperties(sc)}
	var err error
	if out.Enum, err = enumStrings(sc.Enum); err != nil {
		return openapi.Schema{}, err
	}
	for prop, psc := range sc.Properties {
		resolved, err := s.resolve(psc)
		if err != nil {
			return openapi.Schema{}, fmt.Errorf("property %s: %w", prop, err)
		}
		values, err := enumStrings(resolved.Enum)
		if err != nil {
			return openapi.Schema{}, fmt.Errorf("property %s: %w", prop, err)
		}
		if len(values) > 0 {
			if out.PropertyEnums == nil {
				out.PropertyEnums = map[string][]string{}
			}
			out.PropertyEnums[prop] = values
		}
	}
	return out, nil
}

func sortedProperties(sc *schema) []string {
	if sc == nil {
		return nil
	}
	names := make([]string, 0, len(sc.Properties))
	for name := range sc.Properties {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

func sortParams(params []openapi.Param) {
	sort.Slice(params, func(i, j int) bool { return params[i].Name < params[j].Name })
}

// enumStrings keeps the spec's order (it is meaningful to readers) and rejects non-strings.
func enumStrings(values []any) ([]string, error) {
	var out []string
	for _, v := range values {
		str, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("enum value %v is not a string", v)
		}
		out = append(out, str)
	}
	return out, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
