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

package e2e

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	authorizationv1 "k8s.io/api/authorization/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/taskrouter-operator/taskrouter-operator/internal/testenv"
)

const chartDir = "charts/taskrouter-operator"

// tool returns the pinned tool `make NAME-path` builds (helm, promtool, kustomize).
func tool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.Command("make", "-s", "-C", testenv.RepoRoot(), name+"-path").Output()
	if err != nil {
		t.Fatalf("make %s-path: %v", name, err)
	}
	return strings.TrimSpace(string(path))
}

// helm runs the pinned helm in the repository and returns its output.
func helm(t *testing.T, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(tool(t, "helm"), args...)
	cmd.Dir = testenv.RepoRoot()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("helm %s: %v\n%s%s", strings.Join(args, " "), err, out, stderr.String())
	}
	return out
}

// monitoringKinds need the Prometheus Operator's CRDs, which the test API
// server does not have: alerts_test.go checks the rules with promtool instead.
func monitoringKind(obj *unstructured.Unstructured) bool {
	return obj.GroupVersionKind().Group == "monitoring.coreos.com"
}

// TestHelmChart lints and renders the chart with its default values (the
// manager watches every namespace) and with ci/namespaced-values.yaml (one
// namespace, a Role there), applies each rendering to a real API server as a
// server-side dry run, and checks the manager pod is admitted under the
// restricted Pod Security Standard.
func TestHelmChart(t *testing.T) {
	k8s, warn := apiServer(t)

	cases := []struct {
		name, release, namespace, watch string
		values                          []string
	}{
		{"default values", "tr", "tr-cluster", "", nil},
		{"namespaced", "cc", "tr-ops", "contact-center", []string{"-f", chartDir + "/ci/namespaced-values.yaml"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			helm(t, append([]string{"lint", chartDir, "--strict"}, tc.values...)...)
			out := helm(t, append([]string{"template", tc.release, chartDir, "--namespace", tc.namespace, "--include-crds"}, tc.values...)...)
			objs := decodeObjects(t, out)
			for _, ns := range []string{tc.namespace, tc.watch} {
				if ns != "" {
					must(t, k8s.Create(context.Background(), &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns,
						Labels: map[string]string{"pod-security.kubernetes.io/enforce": "restricted"}}}))
				}
			}
			warn.msgs = nil
			var deployment *appsv1.Deployment
			for _, obj := range objs {
				if obj.GetKind() == "Deployment" {
					deployment = &appsv1.Deployment{}
					must(t, runtime.DefaultUnstructuredConverter.FromUnstructured(obj.Object, deployment))
				}
				if monitoringKind(obj) {
					continue
				}
				if err := k8s.Apply(context.Background(), client.ApplyConfigurationFromUnstructured(obj.DeepCopy()), client.FieldOwner("e2e"), client.ForceOwnership, client.DryRunAll); err != nil {
					t.Errorf("server-side dry run of %s %s: %v", obj.GetKind(), obj.GetName(), err)
				}
			}
			if len(warn.msgs) > 0 {
				t.Errorf("admission warnings: %v", warn.msgs)
			}
			if deployment == nil {
				t.Fatal("the chart renders no Deployment")
			}
			podAdmitted(t, k8s, deployment)
			checkHandover(t, deployment)
			wiring := checkWebhookWiring(t, objs, deployment)
			checkWebhookSelector(t, objs, tc.watch)
			serviceAccount := tc.release + "-taskrouter-operator-controller-manager"
			checkChartRBAC(t, k8s, objs, tc.namespace, tc.watch, serviceAccount)
			checkWebhookRBAC(t, k8s, wiring, tc.namespace+"/"+serviceAccount)
			if tc.watch != "" {
				canI(t, k8s, tc.namespace+"/"+serviceAccount, authorizationv1.ResourceAttributes{Namespace: tc.namespace, Verb: "get", Resource: "secrets", Name: "another-secret"}, false)
			}
		})
	}
}

// checkWebhookSelector: a namespaced install's webhook is called for its own namespace only, so
// another install's namespaces never wait for it; a cluster-wide one for every namespace.
func checkWebhookSelector(t *testing.T, objs []*unstructured.Unstructured, watch string) {
	t.Helper()
	for _, obj := range objs {
		if obj.GetKind() != "ValidatingWebhookConfiguration" {
			continue
		}
		hooks, _, _ := unstructured.NestedSlice(obj.Object, "webhooks")
		for _, h := range hooks {
			got, _, _ := unstructured.NestedStringMap(h.(map[string]any), "namespaceSelector", "matchLabels")
			var want map[string]string
			if watch != "" {
				want = map[string]string{"kubernetes.io/metadata.name": watch}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("webhook %v namespaceSelector (-want +got):\n%s", h.(map[string]any)["name"], diff)
			}
		}
	}
}

// checkChartRBAC: with a watched namespace no ClusterRole grants anything on
// the operator's resources or on Secrets, and the manager can act in that
// namespace only; without one, the ClusterRole has exactly the generated rules.
func checkChartRBAC(t *testing.T, k8s client.Client, objs []*unstructured.Unstructured, releaseNS, watch, serviceAccount string) {
	t.Helper()
	for _, obj := range objs {
		kind := obj.GetKind()
		if kind != "ClusterRole" && kind != "Role" && kind != "ClusterRoleBinding" && kind != "RoleBinding" {
			continue
		}
		if kind == "ClusterRole" && watch != "" && strings.HasSuffix(obj.GetName(), "-manager-role") {
			t.Fatalf("a namespaced install renders the ClusterRole %s", obj.GetName())
		}
		if kind == "ClusterRole" {
			rules, _, _ := unstructured.NestedSlice(obj.Object, "rules")
			for _, r := range rules {
				text := fmt.Sprint(r)
				if watch != "" && (strings.Contains(text, "taskrouter.operator.dev") || strings.Contains(text, "secrets")) {
					t.Errorf("namespaced install: ClusterRole %s grants %s", obj.GetName(), text)
				}
			}
		}
		// Create the RBAC for real so the API server can answer what the manager may do.
		must(t, k8s.Create(context.Background(), obj.DeepCopy()))
	}
	sa := "system:serviceaccount:" + releaseNS + ":" + serviceAccount
	where := watch
	if where == "" {
		where = "anywhere"
	}
	cases := []struct {
		namespace, verb, resource string
		allowed                   bool
	}{
		{where, "list", "taskqueues", true},
		{where, "get", "secrets", true},
		{"elsewhere", "list", "taskqueues", watch == ""},
		{"elsewhere", "get", "secrets", watch == ""},
	}
	for _, c := range cases {
		group := "taskrouter.operator.dev"
		if c.resource == "secrets" {
			group = ""
		}
		review := &authorizationv1.SubjectAccessReview{Spec: authorizationv1.SubjectAccessReviewSpec{
			User: sa, Groups: []string{"system:serviceaccounts", "system:serviceaccounts:" + releaseNS},
			ResourceAttributes: &authorizationv1.ResourceAttributes{Namespace: c.namespace, Verb: c.verb, Group: group, Resource: c.resource},
		}}
		must(t, k8s.Create(context.Background(), review))
		if review.Status.Allowed != c.allowed {
			t.Errorf("can-i %s %s -n %s: %v, want %v", c.verb, c.resource, c.namespace, review.Status.Allowed, c.allowed)
		}
	}
}

// TestChartMatchesConfig: the chart cannot drift from config/: its CRDs and
// manager rules are the generated files, its metrics roles and alerts (with
// the default values) are the ones config/rbac and config/prometheus ship.
func TestChartMatchesConfig(t *testing.T) {
	root := testenv.RepoRoot()
	copies := map[string]string{"config/rbac/role.yaml": chartDir + "/files/manager-role.yaml"}
	crds, err := filepath.Glob(filepath.Join(root, "config/crd/bases/*.yaml"))
	if err != nil || len(crds) == 0 {
		t.Fatalf("no CRDs in config/crd/bases: %v", err)
	}
	for _, crd := range crds {
		copies["config/crd/bases/"+filepath.Base(crd)] = chartDir + "/crds/" + filepath.Base(crd)
	}
	for source, copy := range copies {
		want, err := os.ReadFile(filepath.Join(root, source))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(root, copy))
		if err != nil || !bytes.Equal(want, got) {
			t.Errorf("%s differs from %s (%v): run `make manifests`", copy, source, err)
		}
	}
	if inChart, _ := filepath.Glob(filepath.Join(root, chartDir, "crds/*.yaml")); len(inChart) != len(crds) {
		t.Errorf("the chart has %d CRDs, config/crd/bases %d: run `make manifests`", len(inChart), len(crds))
	}

	rendered := decodeObjects(t, helm(t, "template", "tr", chartDir, "--set", "prometheusRule.enabled=true"))
	for _, c := range []struct{ file, suffix, field string }{
		{"config/rbac/metrics_reader_role.yaml", "-metrics-reader", "rules"},
		{"config/rbac/metrics_auth_role.yaml", "-metrics-auth-role", "rules"},
		{"config/prometheus/alerts.yaml", "-alerts", "spec"},
	} {
		data, err := os.ReadFile(filepath.Join(root, c.file))
		if err != nil {
			t.Fatal(err)
		}
		want := decodeObjects(t, data)[0]
		var got *unstructured.Unstructured
		for _, obj := range rendered {
			if obj.GetKind() == want.GetKind() && strings.HasSuffix(obj.GetName(), c.suffix) {
				got = obj
			}
		}
		if got == nil {
			t.Errorf("the chart renders no %s named *%s", want.GetKind(), c.suffix)
			continue
		}
		if diff := cmp.Diff(want.Object[c.field], got.Object[c.field]); diff != "" {
			t.Errorf("the chart's %s %s differs from %s (-config +chart):\n%s", got.GetKind(), c.field, c.file, diff)
		}
	}
}
