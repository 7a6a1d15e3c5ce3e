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
	"context"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	authorizationv1 "k8s.io/api/authorization/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/taskrouter-operator/taskrouter-operator/internal/testenv"
	"github.com/taskrouter-operator/taskrouter-operator/internal/webhook"
)

// webhookWiring is what the manager's flags say about its webhook.
type webhookWiring struct {
	secret        types.NamespacedName
	configuration string
}

// checkWebhookWiring: the manager of an install serves the webhook objects the install renders: its
// flags name the Secret, the ValidatingWebhookConfiguration and the Service, the Service reaches the
// container's webhook port, and every webhook calls that Service at a path the manager serves.
func checkWebhookWiring(t *testing.T, objs []*unstructured.Unstructured, d *appsv1.Deployment) webhookWiring {
	t.Helper()
	c := d.Spec.Template.Spec.Containers[0]
	flags := map[string]string{}
	for _, arg := range c.Args {
		if name, value, ok := strings.Cut(arg, "="); ok {
			flags[name] = value
		}
	}
	secretRef := flags["--webhook-cert-secret"]
	if strings.Contains(secretRef, "$(POD_NAMESPACE)") {
		fromNamespace := false
		for _, e := range c.Env {
			if e.Name == "POD_NAMESPACE" && e.ValueFrom != nil && e.ValueFrom.FieldRef != nil && e.ValueFrom.FieldRef.FieldPath == "metadata.namespace" {
				fromNamespace = true
			}
		}
		if !fromNamespace {
			t.Fatalf("--webhook-cert-secret %s reads POD_NAMESPACE, which the container does not set from metadata.namespace", secretRef)
		}
		secretRef = strings.ReplaceAll(secretRef, "$(POD_NAMESPACE)", d.Namespace)
	}
	ns, secretName, _ := strings.Cut(secretRef, "/")
	w := webhookWiring{secret: types.NamespacedName{Namespace: ns, Name: secretName}, configuration: flags["--webhook-configuration"]}
	_, port, err := net.SplitHostPort(flags["--webhook-bind-address"])
	if err != nil {
		t.Fatalf("--webhook-bind-address: %v", err)
	}
	served := false
	for _, p := range c.Ports {
		served = served || (p.Name == "webhook-server" && strconv.Itoa(int(p.ContainerPort)) == port)
	}
	if !served {
		t.Errorf("no container port webhook-server for --webhook-bind-address %s", flags["--webhook-bind-address"])
	}

	find := func(kind, namespace, name string) *unstructured.Unstructured {
		for _, obj := range objs {
			if obj.GetKind() == kind && obj.GetNamespace() == namespace && obj.GetName() == name {
				return obj
			}
		}
		t.Fatalf("the install renders no %s %s/%s, which the manager's flags name", kind, namespace, name)
		return nil
	}
	find("Secret", ns, secretName)
	service := &corev1.Service{}
	must(t, runtime.DefaultUnstructuredConverter.FromUnstructured(find("Service", ns, flags["--webhook-service"]).Object, service))
	if len(service.Spec.Ports) != 1 || service.Spec.Ports[0].Port != 443 || service.Spec.Ports[0].TargetPort.String() != "webhook-server" {
		t.Errorf("the webhook Service's ports %+v do not lead 443 to webhook-server", service.Spec.Ports)
	}
	hooks, _, _ := unstructured.NestedSlice(find("ValidatingWebhookConfiguration", "", w.configuration).Object, "webhooks")
	paths := map[string]bool{}
	for _, h := range hooks {
		field := func(name string) string {
			v, _, _ := unstructured.NestedString(h.(map[string]any), "clientConfig", "service", name)
			return v
		}
		if field("name") != service.Name || field("namespace") != ns {
			t.Errorf("webhook %v calls Service %s/%s, want %s/%s", h.(map[string]any)["name"], field("namespace"), field("name"), ns, service.Name)
		}
		paths[field("path")] = true
	}
	if want := map[string]bool{webhook.TaskQueuePath: true, webhook.WorkflowPath: true}; !cmp.Equal(paths, want) {
		t.Errorf("the webhooks call paths %v, the manager serves %v", paths, want)
	}
	return w
}

// checkWebhookRBAC asks the API server (with the install's RBAC created) what the manager may do to
// the webhook's objects: read and update its own Secret and configuration, nothing of others'.
func checkWebhookRBAC(t *testing.T, k8s client.Client, w webhookWiring, serviceAccount string) {
	t.Helper()
	admission := func(verb, name string) authorizationv1.ResourceAttributes {
		return authorizationv1.ResourceAttributes{Verb: verb, Group: "admissionregistration.k8s.io", Resource: "validatingwebhookconfigurations", Name: name}
	}
	secret := func(verb, name string) authorizationv1.ResourceAttributes {
		return authorizationv1.ResourceAttributes{Namespace: w.secret.Namespace, Verb: verb, Resource: "secrets", Name: name}
	}
	cases := []struct {
		attrs   authorizationv1.ResourceAttributes
		allowed bool
	}{
		{admission("update", w.configuration), true},
		{admission("list", w.configuration), true},
		{admission("watch", w.configuration), true},
		{admission("update", "someone-elses-webhooks"), false},
		{admission("create", ""), false},
		{admission("delete", w.configuration), false},
		{secret("get", w.secret.Name), true},
		{secret("update", w.secret.Name), true},
		{secret("watch", w.secret.Name), true},
	}
	for _, c := range cases {
		canI(t, k8s, serviceAccount, c.attrs, c.allowed)
	}
}

// canI asks, as `kubectl auth can-i --as` does, whether the service account (namespace/name) may do
// attrs. The API server's RBAC authorizer learns a new binding from its own watch: a "no" is read as
// the answer to a "yes" case only after a moment.
func canI(t *testing.T, k8s client.Client, serviceAccount string, attrs authorizationv1.ResourceAttributes, allowed bool) {
	t.Helper()
	ns, _, _ := strings.Cut(serviceAccount, "/")
	user := "system:serviceaccount:" + strings.Replace(serviceAccount, "/", ":", 1)
	deadline := time.Now().Add(15 * time.Second)
	for {
		review := &authorizationv1.SubjectAccessReview{Spec: authorizationv1.SubjectAccessReviewSpec{
			User: user, Groups: []string{"system:serviceaccounts", "system:serviceaccounts:" + ns}, ResourceAttributes: &attrs}}
		must(t, k8s.Create(context.Background(), review))
		if review.Status.Allowed == allowed {
			return
		}
		if !allowed || time.Now().After(deadline) {
			t.Errorf("can-i %s %s/%s %s -n %q: %v, want %v", attrs.Verb, attrs.Group, attrs.Resource, attrs.Name, attrs.Namespace, review.Status.Allowed, allowed)
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// configWebhooks are config/webhook's webhooks as the chart must render them: without the Service
// they call (named per install) and the namespace selector a namespaced install adds.
func comparableWebhooks(t *testing.T, obj *unstructured.Unstructured) []any {
	t.Helper()
	hooks, _, _ := unstructured.NestedSlice(obj.Object, "webhooks")
	for _, h := range hooks {
		m := h.(map[string]any)
		unstructured.RemoveNestedField(m, "clientConfig", "service", "name")
		unstructured.RemoveNestedField(m, "clientConfig", "service", "namespace")
		unstructured.RemoveNestedField(m, "namespaceSelector")
	}
	return hooks
}

// TestChartWebhooksMatchConfig: the chart's ValidatingWebhookConfiguration is config/webhook's (the
// one the webhook's envtest suite installs and tests), whatever the chart's values.
func TestChartWebhooksMatchConfig(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(testenv.RepoRoot(), "config", "webhook", "manifests.yaml"))
	must(t, err)
	want := comparableWebhooks(t, decodeObjects(t, data)[0])
	for _, values := range [][]string{nil, {"-f", chartDir + "/ci/namespaced-values.yaml"}} {
		var got []any
		for _, obj := range decodeObjects(t, helm(t, append([]string{"template", "tr", chartDir}, values...)...)) {
			if obj.GetKind() == "ValidatingWebhookConfiguration" {
				got = comparableWebhooks(t, obj)
			}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("chart %v: webhooks differ from config/webhook/manifests.yaml (-config +chart):\n%s", values, diff)
		}
	}
	for _, obj := range decodeObjects(t, helm(t, "template", "tr", chartDir, "--set", "webhook.enabled=false")) {
		if strings.Contains(obj.GetName(), "webhook") {
			t.Errorf("webhook.enabled=false still renders %s %s", obj.GetKind(), obj.GetName())
		}
		if obj.GetKind() == "Deployment" && strings.Contains(strings.Join(containerArgs(t, obj), " "), "--webhook") {
			t.Errorf("webhook.enabled=false still passes webhook flags: %v", containerArgs(t, obj))
		}
	}
}

func containerArgs(t *testing.T, obj *unstructured.Unstructured) []string {
	t.Helper()
	d := &appsv1.Deployment{}
	must(t, runtime.DefaultUnstructuredConverter.FromUnstructured(obj.Object, d))
	return d.Spec.Template.Spec.Containers[0].Args
}
