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
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/taskrouter-operator/taskrouter-operator/internal/lint"
)

// result is what one run of the plugin shows.
type result struct {
	code        int
	out, errOut string
}

func runPlugin(t *testing.T, stdin string, env map[string]string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, streams{in: strings.NewReader(stdin), out: &out, errOut: &errOut},
		func(key string) string { return env[key] })
	return result{code: code, out: out.String(), errOut: errOut.String()}
}

var (
	samples  = filepath.Join("..", "..", "config", "samples")
	testdata = filepath.Join("..", "..", "internal", "lint", "testdata")
	base     = filepath.Join(testdata, "base.yaml")
)

const badQueue = `apiVersion: taskrouter.operator.dev/v1alpha1
kind: TaskQueue
metadata:
  name: spanish
spec:
  workspaceRef: {name: acme}
  targetWorkers: languages HAS "es" AND level >=
`

func TestExitCodes(t *testing.T) {
	tests := []struct {
		name   string
		stdin  string
		args   []string
		want   result
		prefix bool // want.out and want.errOut are prefixes of what is printed
	}{
		{name: "the samples are clean", args: []string{"lint", "-f", samples},
			want: result{0, "", "0 errors, 0 warnings in 8 files (13 TaskRouter objects)\n"}},
		{name: "an error", args: []string{"lint", "-f", base, "-f", filepath.Join(testdata, "bad", "target-workers.yaml")},
			want: result{1, filepath.Join(testdata, "bad", "target-workers.yaml") +
				`:7: spec.targetWorkers: at position 31: expected a value after ">=", found end of expression` + "\n",
				"1 error, 0 warnings in 2 files (10 TaskRouter objects)\n"}},
		{name: "warnings alone pass", args: []string{"lint", "-f", base, "-f", filepath.Join(testdata, "bad", "prefixes.yaml")},
			want: result{0, filepath.Join(testdata, "bad", "prefixes.yaml") + ":7: spec.targetWorkers: warning: at position 0:", ""}, prefix: true},
		{name: "standard input", stdin: badQueue, args: []string{"lint", "-f", base, "-f", "-"},
			want: result{1, `<stdin>:7: spec.targetWorkers: at position 31: expected a value after ">=", found end of expression` + "\n",
				"1 error, 0 warnings in 2 files (10 TaskRouter objects)\n"}},
		{name: "no -f", args: []string{"lint"},
			want: result{2, "", "error: no files given: name files or directories with -f, or - for standard input\n"}},
		{name: "a file that does not exist", args: []string{"lint", "-f", "nope.yaml"},
			want: result{2, "", "error: stat nope.yaml: no such file or directory\n"}},
		{name: "an unknown flag", args: []string{"lint", "-f", samples, "--recursive"},
			want: result{2, "", "error: unknown flag: --recursive\nSee 'kubectl taskrouter lint --help' for usage.\n"}},
		{name: "an argument without -f", args: []string{"lint", samples},
			want: result{2, "", `error: unknown command "` + samples + `" for "kubectl taskrouter lint"` + "\nSee 'kubectl taskrouter lint --help' for usage.\n"}},
		{name: "an unknown command", args: []string{"lnt"},
			want: result{2, "", "error: unknown command \"lnt\" for \"kubectl taskrouter\"\n\nDid you mean this?\n\tlint\n\nSee 'kubectl taskrouter --help' for usage.\n"}},
		{name: "an unknown output format", args: []string{"lint", "-f", samples, "-o", "wide"},
			want: result{2, "", "error: --output \"wide\": want one of text, json, yaml\n"}},
		{name: "help", args: []string{"lint", "--help"}, want: result{0, "Check TaskRouter manifests offline", ""}, prefix: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := runPlugin(t, tt.stdin, nil, tt.args...)
			if tt.prefix {
				if got.code != tt.want.code || !strings.HasPrefix(got.out, tt.want.out) || !strings.HasPrefix(got.errOut, tt.want.errOut) {
					t.Errorf("got %+v, want code %d and output starting with %+v", got, tt.want.code, tt.want)
				}
				return
			}
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(result{})); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLintJSON(t *testing.T) {
	got := runPlugin(t, badQueue, nil, "lint", "-f", base, "-f", "-", "-o", "json")
	if got.code != 1 || got.errOut != "" {
		t.Fatalf("code %d, stderr %q; want 1 and nothing on stderr", got.code, got.errOut)
	}
	var report lint.Report
	if err := json.Unmarshal([]byte(got.out), &report); err != nil {
		t.Fatalf("stdout is not a JSON report: %v\n%s", err, got.out)
	}
	position := 31
	want := lint.Report{
		Findings: []lint.Finding{{File: "<stdin>", Line: 7, Column: 49, Field: "spec.targetWorkers", Severity: lint.Error,
			Message:  `at position 31: expected a value after ">=", found end of expression`,
			Position: &position, Object: "TaskQueue default/spanish"}},
		Errors: 1, Files: 2, Objects: 10,
	}
	if diff := cmp.Diff(want, report); diff != "" {
		t.Errorf("report mismatch (-want +got):\n%s", diff)
	}
}

func TestLintYAMLWhenClean(t *testing.T) {
	got := runPlugin(t, "", nil, "lint", "-f", samples, "-o", "yaml")
	want := "errors: 0\nfiles: 8\nfindings: []\nobjects: 13\nwarnings: 0\n"
	if got.code != 0 || got.out != want {
		t.Errorf("got %+v, want code 0 and\n%s", got, want)
	}
}

// -n is the namespace of objects that name none, as with kubectl apply -n.
func TestLintNamespace(t *testing.T) {
	const workspace = `apiVersion: taskrouter.operator.dev/v1alpha1
kind: Workspace
metadata: {name: acme, namespace: team-a}
spec: {credentialsRef: {name: twilio}}
---
apiVersion: taskrouter.operator.dev/v1alpha1
kind: TaskQueue
metadata: {name: support}
spec: {workspaceRef: {name: acme}}
`
	if got := runPlugin(t, workspace, nil, "lint", "-n", "team-a", "-f", "-"); got.code != 0 {
		t.Errorf("with -n team-a: %+v", got)
	}
	got := runPlugin(t, workspace, nil, "lint", "-f", "-")
	want := `<stdin>:9: spec.workspaceRef: Workspace "acme" is not defined in namespace default` + "\n"
	if got.code != 1 || got.out != want {
		t.Errorf("without -n: got %+v, want code 1 and %q", got, want)
	}
}
