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

package webhook

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"sigs.k8s.io/controller-runtime/pkg/client"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
)

func taskQueue(ns, name, targetWorkers string) *trv1.TaskQueue {
	return &trv1.TaskQueue{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns},
		Spec: trv1.TaskQueueSpec{WorkspaceRef: trv1.LocalObjectReference{Name: "acme"}, TargetWorkers: targetWorkers}}
}

func workflow(ns, name string, targets ...trv1.WorkflowTarget) *trv1.Workflow {
	return &trv1.Workflow{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns},
		Spec: trv1.WorkflowSpec{WorkspaceRef: trv1.LocalObjectReference{Name: "acme"}, Configuration: trv1.WorkflowConfiguration{
			TaskRouting: trv1.TaskRouting{Filters: []trv1.WorkflowFilter{{Expression: `language == "es"`, Targets: targets}}}}}}
}

func queueTarget(orderBy, skipIf string) trv1.WorkflowTarget {
	return trv1.WorkflowTarget{QueueSelector: trv1.QueueSelector{QueueRef: &trv1.LocalObjectReference{Name: "spanish"}}, OrderBy: orderBy, SkipIf: skipIf}
}

// TestAdmission applies objects as `kubectl apply --dry-run=server` does, through the API server
// and config/webhook's configuration to the webhook served as the manager serves it.
func TestAdmission(t *testing.T) {
	ready, _ := runManager(t, env.Config, Options{Host: env.Webhooks.LocalServingHost, Port: env.Webhooks.LocalServingPort, CertDir: env.Webhooks.LocalServingCertDir}, nil)
	serving(t, ready)
	ns := newNamespace(t, "admission")
	ctx := context.Background()

	cases := []struct {
		name string
		obj  client.Object
		want []string // each in the refusal; none: admitted
	}{
		{"valid TaskQueue", taskQueue(ns, "billing", `skills HAS "billing"`), nil},
		{"TaskQueue with a truncated targetWorkers", taskQueue(ns, "broken", "skills HAS"),
			[]string{`admission webhook "vtaskqueue.taskrouter.operator.dev" denied the request`,
				`spec.targetWorkers: Invalid value: "skills HAS": at position 10: expected a value after "HAS"`}},
		{"valid Workflow", workflow(ns, "routing", queueTarget("worker.level DESC", "workers.available == 0")), nil},
		{"Workflow with a bad orderBy and skipIf", workflow(ns, "broken", queueTarget("worker.level DOWN", "worker.available == 0")),
			[]string{`admission webhook "vworkflow.taskrouter.operator.dev" denied the request`,
				`spec.configuration.taskRouting.filters[0].targets[0].orderBy: Invalid value: "worker.level DOWN": at position 13: expected ASC, DESC, "," or end of expression, found "DOWN"`,
				`spec.configuration.taskRouting.filters[0].targets[0].skipIf: Invalid value: "worker.available == 0": at position 0: key "worker.available" must start with "workers."`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := k8s.Create(ctx, tc.obj, client.DryRunAll)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("dry-run create refused: %v", err)
				}
				return
			}
			if !apierrors.IsInvalid(err) {
				t.Fatalf("dry-run create: %v, want an Invalid refusal", err)
			}
			for _, want := range tc.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("refusal lacks %q:\n%v", want, err)
				}
			}
		})
	}

	t.Run("an update that breaks the spec is refused", func(t *testing.T) {
		q := taskQueue(ns, "support", `skills HAS "support"`)
		must(t, k8s.Create(ctx, q))
		q.Spec.TargetWorkers = `skills HAS "support" AND`
		if err := k8s.Update(ctx, q); !apierrors.IsInvalid(err) || !strings.Contains(err.Error(), "at position 24") {
			t.Fatalf("update: %v, want Invalid at position 24", err)
		}
	})
}

// TestWebhookDown: with no replica serving, failurePolicy Fail refuses writes of a TaskQueue's or
// Workflow's spec, and nothing else: other kinds, other groups, metadata-only updates (finalizers)
// and deletes go through without calling the webhook.
func TestWebhookDown(t *testing.T) {
	ready, stop := runManager(t, env.Config, Options{Host: env.Webhooks.LocalServingHost, Port: env.Webhooks.LocalServingPort, CertDir: env.Webhooks.LocalServingCertDir}, nil)
	serving(t, ready)
	ns := newNamespace(t, "down")
	ctx := context.Background()
	q, w := taskQueue(ns, "billing", "1==1"), workflow(ns, "routing", queueTarget("", ""))
	must(t, k8s.Create(ctx, q))
	must(t, k8s.Create(ctx, w))
	stop()

	unaffected := []struct {
		name  string
		write func() error
	}{
		{"a ConfigMap", func() error {
			return k8s.Create(ctx, &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "settings", Namespace: ns}, Data: map[string]string{"a": "b"}})
		}},
		{"a Secret", func() error {
			return k8s.Create(ctx, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "twilio", Namespace: ns}, StringData: map[string]string{"authToken": "x"}})
		}},
		{"a Workspace (no expression to check)", func() error {
			return k8s.Create(ctx, &trv1.Workspace{ObjectMeta: metav1.ObjectMeta{Name: "acme", Namespace: ns},
				Spec: trv1.WorkspaceSpec{CredentialsRef: trv1.LocalObjectReference{Name: "twilio"}}})
		}},
		{"a finalizer added to a TaskQueue", func() error {
			q.Finalizers = append(q.Finalizers, "taskrouter.operator.dev/example")
			return k8s.Update(ctx, q)
		}},
		{"a label on a Workflow", func() error {
			w.Labels = map[string]string{"team": "support"}
			return k8s.Update(ctx, w)
		}},
		{"deleting a Workflow", func() error { return k8s.Delete(ctx, w) }},
	}
	for _, tc := range unaffected {
		t.Run(tc.name+" is written", func(t *testing.T) { must(t, tc.write()) })
	}

	refused := []struct {
		name  string
		write func() error
	}{
		{"creating a TaskQueue", func() error { return k8s.Create(ctx, taskQueue(ns, "sales", "1==1"), client.DryRunAll) }},
		{"changing a TaskQueue's spec", func() error {
			q.Spec.TargetWorkers = `skills HAS "billing"`
			return k8s.Update(ctx, q)
		}},
	}
	for _, tc := range refused {
		t.Run(tc.name+" is refused", func(t *testing.T) {
			if err := tc.write(); err == nil || !strings.Contains(err.Error(), "failed calling webhook") {
				t.Fatalf("%v, want the API server's failed calling webhook", err)
			}
		})
	}
}

// TestIntroduced: an update is refused only for what it breaks, so an object stored with a bad
// expression (before the webhook was installed) can still be fixed one field at a time.
func TestIntroduced(t *testing.T) {
	orderBy := field.NewPath("spec", "orderBy")
	skipIf := field.NewPath("spec", "skipIf")
	bad := func(path *field.Path, value string) *field.Error {
		return field.Invalid(path, value, "at position 0: ...")
	}
	cases := []struct {
		name          string
		before, after field.ErrorList
		want          field.ErrorList
	}{
		{"nothing wrong", nil, nil, nil},
		{"newly broken", nil, field.ErrorList{bad(orderBy, "x")}, field.ErrorList{bad(orderBy, "x")}},
		{"already broken, unchanged", field.ErrorList{bad(orderBy, "x")}, field.ErrorList{bad(orderBy, "x")}, nil},
		{"already broken, changed to another bad value", field.ErrorList{bad(orderBy, "x")}, field.ErrorList{bad(orderBy, "y")}, field.ErrorList{bad(orderBy, "y")}},
		{"one fixed, another broken", field.ErrorList{bad(orderBy, "x")}, field.ErrorList{bad(skipIf, "x")}, field.ErrorList{bad(skipIf, "x")}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, introduced(tc.before, tc.after)); diff != "" {
				t.Errorf("introduced (-want +got):\n%s", diff)
			}
		})
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
