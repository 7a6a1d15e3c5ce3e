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

package preview

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"

	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/internal/lint"
)

// FileObject is a resource read from a file given with -f.
type FileObject struct {
	Object client.Object
	// File is where it was read, as -f named it.
	File string
}

// ReadFiles decodes the Workspaces, TaskQueues and Workflows of the files,
// every YAML document of each; other kinds and API groups are skipped, as
// kubectl would apply them but preview does not need them. An object without a
// namespace is in namespace.
func ReadFiles(sources []lint.Source, namespace string) ([]FileObject, error) {
	var out []FileObject
	for _, src := range sources {
		docs := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(src.Data)))
		for n := 1; ; n++ {
			doc, err := docs.Read()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return nil, fmt.Errorf("%s: document %d: %w", src.Name, n, err)
			}
			obj, err := decode(doc)
			if err != nil {
				return nil, fmt.Errorf("%s: document %d: %w (kubectl taskrouter lint -f %s says more)", src.Name, n, err, src.Name)
			}
			if obj == nil {
				continue
			}
			if obj.GetNamespace() == "" {
				obj.SetNamespace(namespace)
			}
			out = append(out, FileObject{Object: obj, File: src.Name})
		}
	}
	return out, nil
}

// decode reads one document: nil for an empty one or one preview does not use.
func decode(doc []byte) (client.Object, error) {
	var head struct {
		APIVersion string `json:"apiVersion"`
		Kind       string `json:"kind"`
	}
	if err := yaml.Unmarshal(doc, &head); err != nil {
		return nil, err
	}
	if head.APIVersion != trv1.GroupVersion.String() {
		return nil, nil
	}
	var obj client.Object
	switch head.Kind {
	case "Workspace":
		obj = &trv1.Workspace{}
	case "TaskQueue":
		obj = &trv1.TaskQueue{}
	case "Workflow":
		obj = &trv1.Workflow{}
	default:
		return nil, nil
	}
	if err := yaml.Unmarshal(doc, obj); err != nil {
		return nil, fmt.Errorf("%s: %w", head.Kind, err)
	}
	return obj, nil
}
