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
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"
)

const namespace = "default"

// applySamples creates (or updates) every object of config/samples in the
// default namespace, as `kubectl apply -k config/samples` would.
func applySamples(ctx context.Context, c *cluster, dir string) ([]*unstructured.Unstructured, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var objs []*unstructured.Unstructured
	for _, file := range files {
		if filepath.Base(file) == "kustomization.yaml" {
			continue
		}
		docs, err := readDocs(file)
		if err != nil {
			return nil, err
		}
		objs = append(objs, docs...)
	}
	for _, obj := range objs {
		obj.SetNamespace(namespace)
		if err := c.client.Apply(ctx, client.ApplyConfigurationFromUnstructured(obj), client.FieldOwner("taskrouter-demo"), client.ForceOwnership); err != nil {
			return nil, fmt.Errorf("apply %s %s: %w", obj.GetKind(), obj.GetName(), err)
		}
	}
	return objs, nil
}

func readDocs(file string) ([]*unstructured.Unstructured, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var out []*unstructured.Unstructured
	reader := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(data)))
	for {
		doc, err := reader.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		if len(bytes.TrimSpace(doc)) == 0 {
			continue
		}
		obj := &unstructured.Unstructured{}
		if err := yaml.Unmarshal(doc, &obj.Object); err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		if len(obj.Object) > 0 {
			out = append(out, obj)
		}
	}
}

// notReady returns a line per object that is not Ready yet, with its reason.
func notReady(ctx context.Context, c *cluster, objs []*unstructured.Unstructured) ([]string, error) {
	var pending []string
	for _, want := range objs {
		if want.GetAPIVersion() == "v1" {
			continue // the Secret
		}
		obj := &unstructured.Unstructured{}
		obj.SetGroupVersionKind(want.GroupVersionKind())
		if err := c.client.Get(ctx, client.ObjectKey{Namespace: namespace, Name: want.GetName()}, obj); err != nil {
			return nil, err
		}
		if ok, why := ready(obj); !ok {
			pending = append(pending, fmt.Sprintf("%s/%s: %s", strings.ToLower(want.GetKind()), want.GetName(), why))
		}
	}
	return pending, nil
}

func ready(obj *unstructured.Unstructured) (bool, string) {
	conds, _, _ := unstructured.NestedSlice(obj.Object, "status", "conditions")
	for _, raw := range conds {
		cond, _ := raw.(map[string]any)
		if cond["type"] != "Ready" {
			continue
		}
		gen, _ := cond["observedGeneration"].(int64)
		if cond["status"] == "True" && gen == obj.GetGeneration() {
			return true, ""
		}
		return false, fmt.Sprintf("%v %v", cond["reason"], cond["message"])
	}
	return false, "no conditions yet"
}
