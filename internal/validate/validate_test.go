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

package validate

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/util/validation/field"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
)

func errorStrings(errs field.ErrorList) []string {
	var out []string
	for _, err := range errs {
		out = append(out, err.Error())
	}
	return out
}

func TestTaskQueue(t *testing.T) {
	cases := []struct {
		name, targetWorkers string
		want                []string
	}{
		{"empty is defaulted by the CRD", "", nil},
		{"valid", `skills HAS "billing" AND languages HAS "es"`, nil},
		{"any key: worker attributes are free-form", `level > 2 AND worker.tier == "gold"`, nil},
		{"ends too early", "skills HAS",
			[]string{`spec.targetWorkers: Invalid value: "skills HAS": at position 10: expected a value after "HAS", found end of expression`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			q := &trv1.TaskQueue{Spec: trv1.TaskQueueSpec{TargetWorkers: tc.targetWorkers}}
			if diff := cmp.Diff(tc.want, errorStrings(TaskQueue(q))); diff != "" {
				t.Errorf("TaskQueue(%q) (-want +got):\n%s", tc.targetWorkers, diff)
			}
		})
	}
}

func TestWorkflow(t *testing.T) {
	target := func(expr, orderBy, skipIf string) trv1.WorkflowTarget {
		return trv1.WorkflowTarget{Expression: expr, OrderBy: orderBy, SkipIf: skipIf}
	}
	workflow := func(filterExpr string, targets ...trv1.WorkflowTarget) *trv1.Workflow {
		return &trv1.Workflow{Spec: trv1.WorkflowSpec{Configuration: trv1.WorkflowConfiguration{TaskRouting: trv1.TaskRouting{
			Filters: []trv1.WorkflowFilter{{Expression: "1==1"}, {Expression: filterExpr, Targets: targets}},
		}}}}
	}
	const f1 = "spec.configuration.taskRouting.filters[1]"
	cases := []struct {
		name string
		w    *trv1.Workflow
		want []string
	}{
		{"valid everywhere", workflow(`language == "es"`,
			target(`task.language IN worker.languages AND taskrouter.dayOfWeek IN ["Mon"]`, "worker.level DESC, worker.tenure asc", "workers.available == 0")), nil},
		{"a filter reads task attributes bare, any key", workflow(`task.vip == true`), nil},
		{"filter syntax", workflow(`language IN ["en", "es"`),
			[]string{f1 + `.expression: Invalid value: "language IN [\"en\", \"es\"": at position 23: expected "," or "]", found end of expression`}},
		{"target key without a root", workflow("1==1", target("level > 2", "", "")),
			[]string{f1 + `.targets[0].expression: Invalid value: "level > 2": at position 0: key "level" must start with one of "worker.", "task.", "taskrouter."`}},
		{"orderBy direction", workflow("1==1", target("", "worker.level DESCENDING", "")),
			[]string{f1 + `.targets[0].orderBy: Invalid value: "worker.level DESCENDING": at position 13: expected ASC, DESC, "," or end of expression, found "DESCENDING"`}},
		{"orderBy root", workflow("1==1", target("", "worker.level DESC, task.priority", "")),
			[]string{f1 + `.targets[0].orderBy: Invalid value: "worker.level DESC, task.priority": at position 19: key "task.priority" must start with "worker."`}},
		{"skipIf root", workflow("1==1", target("", "", "worker.available == 0")),
			[]string{f1 + `.targets[0].skipIf: Invalid value: "worker.available == 0": at position 0: key "worker.available" must start with "workers."`}},
		{"every bad expression, in order", workflow("1==1", target("", "", "workers.available =="), target("worker.a HAS", "", "")),
			[]string{
				f1 + `.targets[0].skipIf: Invalid value: "workers.available ==": at position 20: expected a value after "==", found end of expression`,
				f1 + `.targets[1].expression: Invalid value: "worker.a HAS": at position 12: expected a value after "HAS", found end of expression`,
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, errorStrings(Workflow(tc.w))); diff != "" {
				t.Errorf("Workflow (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPosition(t *testing.T) {
	for _, e := range []Expression{
		{Source: "skills HAS", Role: TargetWorkers},
		{Source: "worker.level DOWN", Role: OrderBy},
		{Source: "queue.size > 1", Role: SkipIf},
	} {
		_, err := e.Parse()
		pos, ok := Position(err)
		want := map[string]int{"skills HAS": 10, "worker.level DOWN": 13, "queue.size > 1": 0}[e.Source]
		if !ok || pos != want {
			t.Errorf("Position(%q) = %d, %v; want %d", e.Source, pos, ok, want)
		}
	}
	if _, ok := Position(errors.New("not an expression error")); ok {
		t.Error("Position of an unrelated error reports a position")
	}
}

func TestSummary(t *testing.T) {
	w := &trv1.Workflow{Spec: trv1.WorkflowSpec{Configuration: trv1.WorkflowConfiguration{TaskRouting: trv1.TaskRouting{
		Filters: []trv1.WorkflowFilter{{Expression: "a =="}, {Expression: "b =="}, {Expression: "c =="}},
	}}}}
	want := `spec.configuration.taskRouting.filters[0].expression: Invalid value: "a ==": at position 4: expected a value after "==", found end of expression (and 2 more)`
	if got := Summary(Workflow(w)); got != want {
		t.Errorf("Summary = %s\nwant      %s", got, want)
	}
	if got := Summary(nil); got != "" {
		t.Errorf("Summary(nil) = %q", got)
	}
}
