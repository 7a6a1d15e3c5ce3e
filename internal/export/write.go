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

package export

import (
	"bytes"
	"fmt"

	"sigs.k8s.io/yaml"
)

// KustomizationFile is the file --dir writes beside one file per kind.
const KustomizationFile = "kustomization.yaml"

// header says where the resources come from and what they need: the
// credentials Secret, which is never exported. It holds nothing that changes
// between two exports of the same workspace.
func (e *Export) header() string {
	return fmt.Sprintf("# Workspace %q (%s), exported by kubectl taskrouter export.\n"+
		"# The Workspace reads its credentials from the Secret %q, which is not exported:\n"+
		"# create it in the same namespace (keys accountSid and authToken) before applying.\n",
		e.WorkspaceFriendlyName, e.WorkspaceSID, e.CredentialsSecret)
}

// YAML is every resource in one multi-document stream, for kubectl apply -f.
func (e *Export) YAML() ([]byte, error) {
	body, err := stream(e.Objects)
	if err != nil {
		return nil, err
	}
	return append([]byte(e.header()), body...), nil
}

// File is one file of an export written to a directory.
type File struct {
	Name string
	Data []byte
}

// Files is one file per kind that has resources, in kind order, then a
// kustomization.yaml listing them, for kubectl apply -k.
func (e *Export) Files() ([]File, error) {
	var files []File
	for _, k := range kinds {
		var objects []Object
		for _, o := range e.Objects {
			if o.Kind == k.name {
				objects = append(objects, o)
			}
		}
		if len(objects) == 0 {
			continue
		}
		data, err := stream(objects)
		if err != nil {
			return nil, err
		}
		files = append(files, File{Name: k.file, Data: data})
	}
	var k bytes.Buffer
	k.WriteString(e.header())
	k.WriteString("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n")
	for _, f := range files {
		fmt.Fprintf(&k, "- %s\n", f.Name)
	}
	return append(files, File{Name: KustomizationFile, Data: k.Bytes()}), nil
}

// stream writes objects as YAML documents separated by "---"; keys are sorted,
// so the same objects always give the same bytes.
func stream(objects []Object) ([]byte, error) {
	var out bytes.Buffer
	for i, o := range objects {
		data, err := yaml.Marshal(o.doc)
		if err != nil {
			return nil, fmt.Errorf("write %s %s as YAML: %w", o.Kind, o.Name, err)
		}
		if i > 0 {
			out.WriteString("---\n")
		}
		out.Write(data)
	}
	return out.Bytes(), nil
}
