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
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// render writes a finding as "file:line:column: field: message" so a table
// row states every place the finding names.
func render(f Finding) string {
	severity := ""
	if f.Severity == Warning {
		severity = "warning: "
	}
	return fmt.Sprintf("%s:%d:%d: %s: %s%s", filepath.Base(f.File), f.Line, f.Column, f.Field, severity, f.Message)
}

var positionInMessage = regexp.MustCompile(`^at position (\d+):`)

// checkPositions asserts that an expression finding's Position is the
// position its message names, and that no other finding has one.
func checkPositions(t *testing.T, findings []Finding) {
	t.Helper()
	for _, f := range findings {
		m := positionInMessage.FindStringSubmatch(f.Message)
		switch {
		case m == nil && f.Position != nil:
			t.Errorf("%s: Position %d without a position in the message", render(f), *f.Position)
		case m != nil && (f.Position == nil || fmt.Sprint(*f.Position) != m[1]):
			t.Errorf("%s: Position %v, want %s", render(f), f.Position, m[1])
		}
	}
}

func lintFiles(t *testing.T, opts Options, paths ...string) Report {
	t.Helper()
	sources, err := ReadSources(paths, nil)
	if err != nil {
		t.Fatal(err)
	}
	return Lint(sources, opts)
}

// Each bad file is linted with testdata/base.yaml, which defines what it refers to.
func TestBadFiles(t *testing.T) {
	tests := []struct {
		file string
		want []string
	}{
		{"yaml-syntax.yaml", []string{
			`yaml-syntax.yaml:5:0: : invalid YAML: did not find expected key`,
		}},
		{"alias-bomb.yaml", []string{
			`alias-bomb.yaml:2:0: : the document starting here expands to more than 262144 nodes through its aliases; lint does not read it`,
		}},
		{"unknown-field.yaml", []string{
			`unknown-field.yaml:7:0: spec.targetWorker: unknown field "targetWorker" (did you mean "targetWorkers"?)`,
			`unknown-field.yaml:8:0: spec.taskorder: unknown field "taskorder" (did you mean "taskOrder"?)`,
			`unknown-field.yaml:9:0: spec.colour: unknown field "colour"`,
		}},
		{"repeated-field.yaml", []string{
			`repeated-field.yaml:9:0: spec.attributes: field "attributes" is repeated (first at line 7); YAML keeps only one of them`,
		}},
		{"wrong-type.yaml", []string{
			`wrong-type.yaml:6:0: spec.workspaceRef: expected an object, found the string "acme"`,
			`wrong-type.yaml:7:0: spec.maxReservedWorkers: expected an integer, found the string "five"`,
			`wrong-type.yaml:8:0: spec.targetWorkers: expected a string, found the number 42: quote it ("42")`,
			`wrong-type.yaml:10:0: spec.statistics.interval: invalid value: time: invalid duration "soon"`,
			`wrong-type.yaml:18:0: spec.available: expected true or false, found the string "yes"`,
		}},
		{"missing-required.yaml", []string{
			`missing-required.yaml:5:0: spec.workspaceRef: required field is missing`,
			`missing-required.yaml:9:0: spec.configuration.taskRouting.filters[0].expression: required field is missing`,
			`missing-required.yaml:15:0: metadata.name: required field is missing: kubectl apply needs a name`,
		}},
		{"schema-limits.yaml", []string{
			`schema-limits.yaml:7:0: spec.taskOrder: unsupported value "fifo": use one of "FIFO", "LIFO"`,
			`schema-limits.yaml:8:0: spec.maxReservedWorkers: must be between 1 and 50, found 51`,
			`schema-limits.yaml:9:0: spec.statistics.minutes: must be between 1 and 43200, found 0`,
			`schema-limits.yaml:12:0: spec.tokenSecret.ttl: ttl must be between 1m and 24h`,
			`schema-limits.yaml:13:0: spec.tokenSecret.capabilities[2]: "Updates" is listed twice; each value may appear once`,
			`schema-limits.yaml:21:0: spec.taskReservationTimeout: must be between 1 and 86400, found 0`,
			`schema-limits.yaml:22:0: spec.assignmentCallbackUrl: "ftp://example.com/assign" does not match ^https?://`,
			`schema-limits.yaml:28:0: spec.configuration.taskRouting.filters[0].targets: must have at least 1 item(s), found 0`,
			`schema-limits.yaml:30:0: spec.configuration.taskRouting.defaultFilter.queueSid: "WQ123" does not match ^WQ[0-9a-fA-F]{32}$`,
		}},
		{"cel-rules.yaml", []string{
			`cel-rules.yaml:8:0: spec.adoptionPolicy: sid adopts an existing activity; adoptionPolicy CreateOnly forbids adoption: remove one of them`,
			`cel-rules.yaml:14:0: spec.friendlyName: metadata.name is longer than 64 characters: set spec.friendlyName (at most 64)`,
			`cel-rules.yaml:23:0: spec.activityPolicy: activityPolicy Enforce needs activityRef: name the Activity to keep the worker in`,
			`cel-rules.yaml:37:0: spec.configuration.taskRouting.filters[0].targets[0]: set exactly one of queueRef (a TaskQueue in this namespace) or queueSid (WQ...)`,
			`cel-rules.yaml:39:0: spec.configuration.taskRouting.defaultFilter: set exactly one of queueRef (a TaskQueue in this namespace) or queueSid (WQ...)`,
		}},
		{"target-workers.yaml", []string{
			`target-workers.yaml:7:49: spec.targetWorkers: at position 31: expected a value after ">=", found end of expression`,
		}},
		{"filter-block.yaml", []string{ // a | block: the second line of the expression
			`filter-block.yaml:13:25: spec.configuration.taskRouting.filters[0].expression: at position 30: expected a value after "=", found "="`,
		}},
		{"target-keys.yaml", []string{ // a > block, then a double-quoted scalar with escapes
			`target-keys.yaml:16:17: spec.configuration.taskRouting.filters[0].targets[0].expression: at position 21: key "agent.level" must start with one of "worker.", "task.", "taskrouter."`,
			`target-keys.yaml:17:50: spec.configuration.taskRouting.filters[0].targets[0].skipIf: at position 26: key "queue.size" must start with "workers."`,
		}},
		{"order-by.yaml", []string{
			`order-by.yaml:14:37: spec.configuration.taskRouting.filters[0].targets[0].orderBy: at position 13: expected ASC, DESC, "," or end of expression, found "DOWN"`,
			`order-by.yaml:16:44: spec.configuration.taskRouting.filters[0].targets[1].orderBy: at position 19: key "task.priority" must start with "worker."`,
		}},
		{"prefixes.yaml", []string{
			`prefixes.yaml:7:18: spec.targetWorkers: warning: at position 0: key "worker.skills" reads an attribute named "worker"; targetWorkers reads worker attributes without a prefix: write "skills"`,
			`prefixes.yaml:19:23: spec.configuration.taskRouting.filters[0].expression: warning: at position 0: key "task.type" reads an attribute named "task"; a filter expression reads task attributes without a prefix: write "type"`,
		}},
		{"undefined-refs.yaml", []string{
			`undefined-refs.yaml:13:0: spec.configuration.taskRouting.filters[0].targets[0].queueRef: TaskQueue "billling" is not defined in namespace default (did you mean "billing"?)`,
			`undefined-refs.yaml:15:0: spec.configuration.taskRouting.defaultFilter.queueRef: TaskQueue "general" is not defined in namespace default`,
			`undefined-refs.yaml:23:0: spec.activityRef: Activity "lunch" is not defined in namespace default`,
			`undefined-refs.yaml:25:0: spec.channels[0].channelRef: TaskChannel "chatt" is not defined in namespace default (did you mean "chat"?)`,
			`undefined-refs.yaml:33:0: spec.workspaceRef: Workspace "acme-support" is not defined in namespace default`,
			`undefined-refs.yaml:34:0: spec.assignmentActivityRef: Activity "wrap-up" is not defined in namespace default`,
		}},
		{"other-workspace.yaml", []string{
			`other-workspace.yaml:13:0: spec.configuration.taskRouting.filters[0].targets[0].queueRef: TaskQueue "other-queue" belongs to Workspace "other", not "acme" (testdata/base.yaml:62)`,
			`other-workspace.yaml:21:0: spec.activityRef: Activity "other-break" belongs to Workspace "other", not "acme" (testdata/base.yaml:69)`,
		}},
		{"duplicate-names.yaml", []string{
			`duplicate-names.yaml:4:0: metadata.name: TaskQueue "support" is already defined at testdata/base.yaml:30; kubectl apply would keep only one of them`,
			`duplicate-names.yaml:14:0: spec.friendlyName: "Billing" is also the friendly name of TaskQueue "billing" (testdata/base.yaml:38) in Workspace "acme": TaskRouter refuses a second one`,
			`duplicate-names.yaml:29:0: spec.friendlyName: "ALICE" is also the friendly name of Worker "alice" ("alice", testdata/bad/duplicate-names.yaml:19) in Workspace "acme": TaskRouter refuses a second one (it compares worker names regardless of case)`,
			`duplicate-names.yaml:37:0: spec.friendlyName: "Offline" is also the friendly name of Activity "offline" (testdata/base.yaml:13) in Workspace "acme": both would adopt the same remote object and the younger would stall with reason Conflict`,
			`duplicate-names.yaml:45:0: spec.uniqueName: "chat" is also the unique name of TaskChannel "chat" (testdata/base.yaml:46) in Workspace "acme": TaskRouter refuses a second one`,
		}},
		{"kinds.yaml", []string{
			`kinds.yaml:1:0: apiVersion: version "v1beta1" is not served: use taskrouter.operator.dev/v1alpha1`,
			`kinds.yaml:9:0: kind: unknown kind "TaskQueu" in taskrouter.operator.dev: use one of Activity, TaskChannel, TaskQueue, Worker, Workflow, Workspace`,
			`kinds.yaml:22:0: spec.avilable: unknown field "avilable" (did you mean "available"?)`, //nolint:misspell // the typo is what the test feeds lint
		}},
		{"worker.yaml", []string{
			`worker.yaml:7:0: spec.attributes: must be an object of attribute names and values, e.g. {skills: [support], level: 2}`,
			`worker.yaml:9:0: spec.channels[0]: set exactly one of channelRef (a TaskChannel in this namespace) or uniqueName (a channel no TaskChannel manages, e.g. voice)`,
			`worker.yaml:12:0: spec.channels[1].capacity: must be between 0 and 50, found -1`,
			`worker.yaml:13:0: spec.channels[2]: uniqueName "voice" is already listed at spec.channels[1]`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("testdata", "bad", tt.file)
			report := lintFiles(t, Options{}, filepath.Join("testdata", "base.yaml"), path)
			var got []string
			for _, f := range report.Findings {
				if f.File != path {
					t.Errorf("finding in %s, want only findings in %s: %s", f.File, path, f)
				}
				got = append(got, render(f))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
			checkPositions(t, report.Findings)
		})
	}
}

func TestEveryBadFileHasARow(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "bad", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	report := lintFiles(t, Options{}, append([]string{filepath.Join("testdata", "base.yaml")}, files...)...)
	withFindings := map[string]bool{}
	for _, f := range report.Findings {
		withFindings[f.File] = true
	}
	for _, file := range files {
		if !withFindings[file] {
			t.Errorf("%s has no finding", file)
		}
	}
}

func TestCleanFiles(t *testing.T) {
	samples := filepath.Join("..", "..", "config", "samples")
	tests := []struct {
		name    string
		paths   []string
		objects int
	}{
		{"the samples", []string{samples}, 13},
		{"the base of the bad files", []string{filepath.Join("testdata", "base.yaml")}, 9},
		{"channels, lists, anchors, other kinds and namespaces", []string{filepath.Join("testdata", "good")}, 9},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			report := lintFiles(t, Options{}, tt.paths...)
			for _, f := range report.Findings {
				t.Errorf("unexpected finding: %s", f)
			}
			if report.Objects != tt.objects {
				t.Errorf("linted %d objects, want %d", report.Objects, tt.objects)
			}
		})
	}
}

// Objects without metadata.namespace take Options.Namespace, like kubectl apply -n.
func TestNamespaceOption(t *testing.T) {
	const workspaceInTeamA = `
apiVersion: taskrouter.operator.dev/v1alpha1
kind: Workspace
metadata: {name: acme, namespace: team-a}
spec: {credentialsRef: {name: twilio}}
`
	const queue = `
apiVersion: taskrouter.operator.dev/v1alpha1
kind: TaskQueue
metadata: {name: support}
spec: {workspaceRef: {name: acme}}
`
	sources := []Source{{Name: "ws.yaml", Data: []byte(workspaceInTeamA)}, {Name: "q.yaml", Data: []byte(queue)}}
	if report := Lint(sources, Options{Namespace: "team-a"}); len(report.Findings) != 0 {
		t.Errorf("with namespace team-a: %v", report.Findings)
	}
	report := Lint(sources, Options{})
	want := []string{`q.yaml:5:0: spec.workspaceRef: Workspace "acme" is not defined in namespace default`}
	var got []string
	for _, f := range report.Findings {
		got = append(got, render(f))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("without a namespace (-want +got):\n%s", diff)
	}
	if report.Findings[0].Object != "TaskQueue default/support" {
		t.Errorf("Object = %q, want the queue in namespace default", report.Findings[0].Object)
	}
}

func TestReportCountsAndOrder(t *testing.T) {
	report := lintFiles(t, Options{}, filepath.Join("testdata", "base.yaml"),
		filepath.Join("testdata", "bad", "target-workers.yaml"), filepath.Join("testdata", "bad", "prefixes.yaml"))
	if report.Errors != 1 || report.Warnings != 2 || report.Files != 3 {
		t.Errorf("errors %d, warnings %d, files %d; want 1, 2, 3", report.Errors, report.Warnings, report.Files)
	}
	var files []string
	for _, f := range report.Findings {
		files = append(files, filepath.Base(f.File))
	}
	if want := []string{"prefixes.yaml", "prefixes.yaml", "target-workers.yaml"}; !cmp.Equal(want, files) {
		t.Errorf("findings in %v, want sorted by file: %v", files, want)
	}
}

func TestReadSources(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name  string
		paths []string
		want  string
	}{
		{"nothing", nil, "no files given: name files or directories with -f, or - for standard input"},
		{"missing", []string{filepath.Join(dir, "nope.yaml")}, "no such file or directory"},
		{"no YAML", []string{dir}, "no *.yaml or *.yml files in this directory or below"},
		{"stdin twice", []string{"-", "-"}, "-f - (standard input) is given twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadSources(tt.paths, strings.NewReader(""))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
	got, err := ReadSources([]string{"-"}, strings.NewReader("kind: x\n"))
	if err != nil || len(got) != 1 || got[0].Name != StdinName || string(got[0].Data) != "kind: x\n" {
		t.Errorf("stdin: %v, %v", got, err)
	}
}
