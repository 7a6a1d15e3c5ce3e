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
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"go.yaml.in/yaml/v3"
)

// crdSchema is what lint compares with its own tables, read from one CRD.
type crdSchema struct {
	constraints map[string]constraint
	required    map[string][]string
	rules       map[string][]celRule
}

func readCRDs(t *testing.T) map[string]crdSchema {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "..", "config", "crd", "bases", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no CRDs in config/crd/bases: %v", err)
	}
	out := map[string]crdSchema{}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var crd struct {
			Spec struct {
				Names    struct{ Kind string }
				Versions []struct {
					Name   string
					Schema struct {
						OpenAPIV3Schema map[string]any `yaml:"openAPIV3Schema"`
					}
				}
			}
		}
		if err := yaml.Unmarshal(data, &crd); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		s := crdSchema{constraints: map[string]constraint{}, required: map[string][]string{}, rules: map[string][]celRule{}}
		for _, v := range crd.Spec.Versions {
			if v.Name == "v1alpha1" {
				s.collect("", v.Schema.OpenAPIV3Schema)
			}
		}
		out[crd.Spec.Names.Kind] = s
	}
	return out
}

// collect walks an OpenAPI schema, leaving out status and metadata, which lint does not check against the CRD.
func (s crdSchema) collect(pattern string, node map[string]any) {
	var c constraint
	if values, ok := node["enum"].([]any); ok {
		for _, v := range values {
			c.Enum = append(c.Enum, v.(string))
		}
	}
	number := func(key string) *int64 {
		if v, ok := node[key].(int); ok {
			return n64(int64(v))
		}
		return nil
	}
	c.Minimum, c.Maximum = number("minimum"), number("maximum")
	c.MinLength, c.MaxLength = number("minLength"), number("maxLength")
	c.MinItems, c.MaxItems = number("minItems"), number("maxItems")
	c.Pattern, _ = node["pattern"].(string)
	c.ListSet = node["x-kubernetes-list-type"] == "set"
	if !reflect.ValueOf(c).IsZero() {
		s.constraints[pattern] = c
	}
	if required, ok := node["required"].([]any); ok {
		for _, r := range required {
			s.required[pattern] = append(s.required[pattern], r.(string))
		}
		slices.Sort(s.required[pattern])
	}
	if rules, ok := node["x-kubernetes-validations"].([]any); ok {
		for _, r := range rules {
			m := r.(map[string]any)
			rule := celRule{Rule: m["rule"].(string), Message: m["message"].(string)}
			rule.FieldPath, _ = m["fieldPath"].(string)
			s.rules[pattern] = append(s.rules[pattern], rule)
		}
	}
	properties, _ := node["properties"].(map[string]any)
	for name, child := range properties {
		if pattern == "" && (name == "status" || name == "metadata") {
			continue
		}
		s.collect(join(pattern, name), child.(map[string]any))
	}
	if items, ok := node["items"].(map[string]any); ok {
		s.collect(pattern+"[*]", items)
	}
}

// goRequired lists the required fields lint derives from the Go types, as the CRD lists them.
func goRequired(cache *fieldCache, pattern string, t reflect.Type, out map[string][]string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case reflect.PointerTo(t).Implements(jsonUnmarshaler):
	case t.Kind() == reflect.Slice:
		goRequired(cache, pattern+"[*]", t.Elem(), out)
	case t.Kind() == reflect.Struct:
		fields := cache.of(t)
		for _, name := range sortedKeys(fields) {
			if fields[name].required {
				out[pattern] = append(out[pattern], name)
			}
			if pattern == "" && (name == "status" || name == "metadata") {
				continue
			}
			goRequired(cache, join(pattern, name), fields[name].typ, out)
		}
	}
}

// withoutProvisional drops the patterns lint accepts ahead of the CRD.
func withoutProvisional[V any](m map[string]V, provisional []string) map[string]V {
	out := map[string]V{}
	for pattern, v := range m {
		if !slices.ContainsFunc(provisional, func(p string) bool {
			return pattern == p || strings.HasPrefix(pattern, p+".") || strings.HasPrefix(pattern, p+"[")
		}) {
			out[pattern] = v
		}
	}
	return out
}

// TestSchemaMatchesCRDs fails when an API change (a new enum value, range,
// required field or CEL rule) is not reflected in lint's tables, so lint
// never drifts from what the API server enforces.
func TestSchemaMatchesCRDs(t *testing.T) {
	crds := readCRDs(t)
	cache := newFieldCache()
	for kind, info := range kindInfos() {
		t.Run(kind, func(t *testing.T) {
			crd, ok := crds[kind]
			if slices.Contains(info.schema.provisional, "") {
				if ok {
					t.Fatalf("config/crd/bases now has %s: decode it into its api/v1alpha1 type and drop the provisional schema", kind)
				}
				return
			}
			if !ok {
				t.Fatalf("no CRD for %s in config/crd/bases", kind)
			}
			if diff := cmp.Diff(crd.constraints, withoutProvisional(info.schema.constraints, info.schema.provisional)); diff != "" {
				t.Errorf("constraints differ from the CRD (-crd +lint):\n%s", diff)
			}
			ignoreCheck := cmpopts.IgnoreFields(celRule{}, "broken")
			byRule := cmpopts.SortSlices(func(a, b celRule) bool { return a.Rule < b.Rule })
			if diff := cmp.Diff(crd.rules, info.schema.rules, ignoreCheck, byRule); diff != "" {
				t.Errorf("CEL rules differ from the CRD (-crd +lint):\n%s", diff)
			}
			_, target := info.newObject()
			required := map[string][]string{}
			goRequired(cache, "", reflect.TypeOf(target).Elem(), required)
			if diff := cmp.Diff(crd.required, withoutProvisional(required, info.schema.provisional)); diff != "" {
				t.Errorf("required fields differ from the CRD (-crd +lint):\n%s", diff)
			}
			for _, p := range info.schema.provisional {
				if _, has := crd.constraints[p]; has || crd.required[p] != nil {
					t.Errorf("the CRD now has %s: decode it from api/v1alpha1 and drop it from the provisional list", p)
				}
			}
		})
	}
	for kind := range crds {
		if _, ok := kindInfos()[kind]; !ok {
			t.Errorf("config/crd/bases has %s, which lint does not know", kind)
		}
	}
}
