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

package argocdhealth

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/yaml"
)

// configDir holds the shipped script, its fixtures and the argocd-cm patch.
var configDir = filepath.Join("..", "..", "config", "argocd")

// healthTests is config/argocd/health_test.yaml, in Argo CD's layout.
type healthTests struct {
	Tests []struct {
		HealthStatus Status `json:"healthStatus"`
		InputPath    string `json:"inputPath"`
	} `json:"tests"`
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func decode(t *testing.T, path string, into any) {
	t.Helper()
	if err := yaml.Unmarshal(readFile(t, path), into); err != nil {
		t.Fatalf("decode %s: %v", path, err)
	}
}

// TestShippedHealthCheck runs health.lua on each recorded state of a resource and
// compares Argo CD's verdict with the expected one.
func TestShippedHealthCheck(t *testing.T) {
	script := string(readFile(t, filepath.Join(configDir, "health.lua")))
	var cases healthTests
	decode(t, filepath.Join(configDir, "health_test.yaml"), &cases)
	if len(cases.Tests) == 0 {
		t.Fatal("health_test.yaml lists no tests")
	}
	kinds := map[string][]string{}
	for _, tc := range cases.Tests {
		t.Run(strings.TrimSuffix(filepath.Base(tc.InputPath), ".yaml"), func(t *testing.T) {
			var obj map[string]any
			decode(t, filepath.Join(configDir, tc.InputPath), &obj)
			got, err := Evaluate(script, obj)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.HealthStatus, got); diff != "" {
				t.Errorf("health of %s (-want +got):\n%s", tc.InputPath, diff)
			}
			kind, _ := obj["kind"].(string)
			kinds[kind] = append(kinds[kind], got.Status)
		})
	}
	// Every kind is covered, and each of the three verdicts is reached.
	var statuses []string
	for _, s := range kinds {
		statuses = append(statuses, s...)
	}
	for _, kind := range []string{"Workspace", "Activity", "TaskQueue", "Workflow", "Worker", "TaskChannel"} {
		if len(kinds[kind]) == 0 {
			t.Errorf("no fixture of kind %s", kind)
		}
	}
	for _, status := range []string{"Healthy", "Progressing", "Degraded"} {
		if !slices.Contains(statuses, status) {
			t.Errorf("no fixture yields %s", status)
		}
	}
}

// TestPatchCarriesTheScript keeps argocd-cm-patch.yaml identical to health.lua for every kind.
func TestPatchCarriesTheScript(t *testing.T) {
	script := string(readFile(t, filepath.Join(configDir, "health.lua")))
	var patch struct {
		Data map[string]string `json:"data"`
	}
	decode(t, filepath.Join(configDir, "argocd-cm-patch.yaml"), &patch)
	var keys []string
	for key, value := range patch.Data {
		keys = append(keys, key)
		if value != script {
			t.Errorf("%s differs from health.lua: regenerate the patch (-health.lua +patch):\n%s", key, cmp.Diff(script, value))
		}
	}
	slices.Sort(keys)
	want := []string{
		"resource.customizations.health.taskrouter.operator.dev_Activity",
		"resource.customizations.health.taskrouter.operator.dev_TaskChannel",
		"resource.customizations.health.taskrouter.operator.dev_TaskQueue",
		"resource.customizations.health.taskrouter.operator.dev_Worker",
		"resource.customizations.health.taskrouter.operator.dev_Workflow",
		"resource.customizations.health.taskrouter.operator.dev_Workspace",
	}
	if diff := cmp.Diff(want, keys); diff != "" {
		t.Errorf("argocd-cm keys (-want +got):\n%s", diff)
	}
}

// TestEvaluateSandbox checks the runner behaves as Argo CD's: libraries Argo CD leaves
// closed are missing, unknown statuses become Unknown, and a script must return a table.
func TestEvaluateSandbox(t *testing.T) {
	obj := map[string]any{"metadata": map[string]any{"name": "q", "generation": int64(2)}}
	tests := []struct {
		name    string
		script  string
		want    Status
		wantErr string
	}{
		{name: "reads obj", script: `return {status = "Healthy", message = obj.metadata.name .. " " .. tostring(obj.metadata.generation)}`,
			want: Status{Status: "Healthy", Message: "q 2"}},
		{name: "table library open", script: `local t = {} table.insert(t, "x") return {status = "Progressing", message = t[1]}`,
			want: Status{Status: "Progressing", Message: "x"}},
		{name: "string library closed", script: `return {status = string.format("%s", "Healthy")}`, wantErr: "string"},
		{name: "unknown status", script: `return {status = "Fine"}`, want: Status{Status: "Unknown", Message: invalidHealthStatus}},
		{name: "not a table", script: `return "Healthy"`, wantErr: "want a table"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Evaluate(tc.script, obj)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one mentioning %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
