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
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// documentedRun is a ```console block of the docs that runs the plugin.
type documentedRun struct {
	where  string
	args   []string
	output string
}

// documentedRuns finds the console blocks starting with "$ kubectl taskrouter".
func documentedRuns(t *testing.T, files ...string) []documentedRun {
	t.Helper()
	var runs []documentedRun
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		blocks := strings.Split(string(data), "```console\n")
		for _, block := range blocks[1:] {
			body, _, _ := strings.Cut(block, "```")
			command, output, _ := strings.Cut(body, "\n")
			if args, ok := strings.CutPrefix(command, "$ kubectl taskrouter "); ok {
				runs = append(runs, documentedRun{where: file + ": " + command, args: strings.Fields(args), output: output})
			}
		}
	}
	return runs
}

// The output the README and docs/plugin.md show is what the plugin prints.
func TestDocumentedOutput(t *testing.T) {
	t.Chdir(filepath.Join("..", ".."))
	runs := documentedRuns(t, "README.md", filepath.Join("docs", "plugin.md"))
	if len(runs) < 4 {
		t.Fatalf("found %d documented runs, want the README's and docs/plugin.md's", len(runs))
	}
	for _, r := range runs {
		got := runPlugin(t, "", nil, r.args...)
		if diff := cmp.Diff(r.output, got.out+got.errOut); diff != "" {
			t.Errorf("%s: output differs from the docs (-docs +plugin):\n%s", r.where, diff)
		}
	}
}
