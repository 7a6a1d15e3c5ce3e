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
	"strings"
	"testing"
)

// FuzzLint feeds arbitrary files to Lint: whatever the input, it must
// return findings placed in the file, never panic or hang.
func FuzzLint(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*", "*.yaml"))
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(data))
	}
	f.Add("a: &a [*a]")
	f.Add("apiVersion: taskrouter.operator.dev/v1alpha1\nkind: Worker\nspec: {channels: [{capacity: 99999999999}]}")
	f.Fuzz(func(t *testing.T, data string) {
		report := Lint([]Source{{Name: "f.yaml", Data: []byte(data)}}, Options{})
		lines := strings.Count(data, "\n") + 1
		for _, finding := range report.Findings {
			if finding.File != "f.yaml" || finding.Line < 0 || finding.Line > lines || finding.Message == "" {
				t.Fatalf("finding outside the file or without a message: %+v", finding)
			}
		}
	})
}
