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
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	authorizationv1 "k8s.io/api/authorization/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	"github.com/taskrouter-operator/taskrouter-operator/internal/testenv"
)

// warnings collects the API server's admission warnings (Pod Security speaks through them for Deployments).
type warnings struct{ msgs []string }

func (w *warnings) HandleWarningHeader(_ int, _ string, text string) { w.msgs = append(w.msgs, text) }

// apiServer starts the test control plane for the test and returns an
// administrator's client whose admission warnings land in the second result.
func apiServer(t *testing.T) (client.Client, *warnings) {
	t.Helper()
	env, err := testenv.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = env.Stop() })
	warn := &warnings{}
	cfg := rest.CopyConfig(env.Config)
	cfg.WarningHandler = warn
	scheme := runtime.NewScheme()
	utilruntime.Must(clientgoscheme.AddToScheme(scheme))
	k8s, err := client.New(cfg, client.Options{Scheme: scheme})
	if err != nil {
		t.Fatal(err)
	}
	return k8s, warn
}

// image is what the install tests render the manager with.
const image = "registry.example.com/taskrouter-operator:v9.9.9"

// buildInstaller runs `make build-installer`, as a release does, and returns dist/install.yaml's objects.
func buildInstaller(t *testing.T) []*unstructured.Unstructured {
	t.Helper()
	dist := t.TempDir()
	out, err := exec.Command("make", "-s", "-C", testenv.RepoRoot(), "build-installer", "IMG="+image, "DIST="+dist).CombinedOutput()
	if err != nil {
		t.Fatalf("make build-installer: %v\n%s", err, out)
	}
	data, err := os.ReadFile(filepath.Join(dist, "install.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return decodeObjects(t, data)
}

// decodeObjects splits a multi-document YAML stream into objects.
func decodeObjects(t *testing.T, data []byte) []*unstructured.Unstructured {
	t.Helper()
	var objs []*unstructured.Unstructured
	reader := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(data)))
	for {
		doc, err := reader.Read()
		if errors.Is(err, io.EOF) {
			return objs
		}
		if err != nil {
			t.Fatal(err)
		}
		obj := &unstructured.Unstructured{}
		if err := yaml.Unmarshal(doc, &obj.Object); err != nil {
			t.Fatal(err)
		}
		if len(obj.Object) > 0 {
			objs = append(objs, obj)
		}
	}
}

// TestDeployManifests applies dist/install.yaml (config/default with the
// release image) to a real API server as a server-side dry run.
func TestDeployManifests(t *testing.T) {
	k8s, warn := apiServer(t)
	ctx := context.Background()
	objs := buildInstaller(t)

	// The namespace is created for real (everything else is a dry run), with its restricted label.
	var deployment *appsv1.Deployment
	var role *rbacv1.ClusterRole
	for _, obj := range objs {
		switch obj.GetKind() {
		case "Namespace":
			if obj.GetLabels()["pod-security.kubernetes.io/enforce"] != "restricted" {
				t.Fatalf("namespace %s is not labelled pod-security enforce=restricted", obj.GetName())
			}
			if err := k8s.Create(ctx, obj.DeepCopy()); err != nil {
				t.Fatalf("create namespace: %v", err)
			}
		case "Deployment":
			deployment = &appsv1.Deployment{}
			must(t, runtime.DefaultUnstructuredConverter.FromUnstructured(obj.Object, deployment))
			if got := deployment.Spec.Template.Spec.Containers[0].Image; got != image {
				t.Fatalf("install.yaml runs image %q, want IMG %q", got, image)
			}
		case "ClusterRole":
			if strings.HasSuffix(obj.GetName(), "manager-role") {
				role = &rbacv1.ClusterRole{}
				must(t, runtime.DefaultUnstructuredConverter.FromUnstructured(obj.Object, role))
			}
		}
	}
	if deployment == nil || role == nil {
		t.Fatalf("config/default lacks the manager Deployment or ClusterRole")
	}
	for _, obj := range objs {
		if obj.GetKind() == "Namespace" {
			continue
		}
		if err := k8s.Apply(ctx, client.ApplyConfigurationFromUnstructured(obj.DeepCopy()), client.FieldOwner("e2e"), client.ForceOwnership, client.DryRunAll); err != nil {
			t.Errorf("server-side dry run of %s %s: %v", obj.GetKind(), obj.GetName(), err)
		}
		// The metrics-auth and webhook roles are applied for real: checkRole and checkWebhookRBAC ask
		// what they allow.
		if strings.Contains(obj.GetName(), "metrics-auth-role") || (strings.Contains(obj.GetName(), "-webhook-") && strings.Contains(obj.GetKind(), "Role")) {
			must(t, k8s.Create(ctx, obj.DeepCopy()))
		}
	}
	if len(warn.msgs) > 0 {
		t.Errorf("admission warnings (Pod Security restricted?): %v", warn.msgs)
	}
	t.Run("pod passes restricted Pod Security", func(t *testing.T) { podAdmitted(t, k8s, deployment) })
	// Before checkRole binds the manager's ClusterRole (Secrets everywhere): the webhook's own Role
	// must be what lets it keep its Secret.
	t.Run("the manager serves the webhook it installs", func(t *testing.T) {
		w := checkWebhookWiring(t, objs, deployment)
		checkWebhookRBAC(t, k8s, w, deployment.Namespace+"/taskrouter-operator-controller-manager")
	})
	t.Run("manager RBAC is least privilege", func(t *testing.T) { checkRole(t, k8s, role, deployment.Namespace) })
	t.Run("a rollout hands the Lease over", func(t *testing.T) { checkHandover(t, deployment) })
}

// checkHandover: a rolling update stops the old leader only once a new pod is
// Ready (competing for the Lease), and the kubelet waits long enough for the
// old one to drain its reconciles and release the Lease (which takes at most
// the renew deadline) before it kills it.
func checkHandover(t *testing.T, d *appsv1.Deployment) {
	t.Helper()
	if ru := d.Spec.Strategy.RollingUpdate; ru == nil || ru.MaxUnavailable == nil || ru.MaxUnavailable.IntValue() != 0 {
		t.Errorf("the Deployment's rollout may stop the leader before a replacement is Ready: strategy %+v", d.Spec.Strategy)
	}
	flags := map[string]time.Duration{}
	for _, arg := range d.Spec.Template.Spec.Containers[0].Args {
		name, value, _ := strings.Cut(arg, "=")
		if v, err := time.ParseDuration(value); err == nil {
			flags[name] = v
		}
	}
	drain, drained := flags["--graceful-shutdown-timeout"]
	release, released := flags["--leader-elect-renew-deadline"]
	if !drained || !released {
		t.Fatalf("the manager's args do not set --graceful-shutdown-timeout and --leader-elect-renew-deadline: %v", d.Spec.Template.Spec.Containers[0].Args)
	}
	grace := time.Duration(corev1.DefaultTerminationGracePeriodSeconds) * time.Second
	if s := d.Spec.Template.Spec.TerminationGracePeriodSeconds; s != nil {
		grace = time.Duration(*s) * time.Second
	}
	if grace < drain+release {
		t.Errorf("terminationGracePeriodSeconds %v is shorter than --graceful-shutdown-timeout %v + --leader-elect-renew-deadline %v: the kubelet would kill the manager before it releases the Lease",
			grace, drain, release)
	}
}

// podAdmitted creates the Deployment's pod with a dry run: Pod Security enforce applies to pods.
func podAdmitted(t *testing.T, k8s client.Client, d *appsv1.Deployment) {
	pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "manager-probe", Namespace: d.Namespace, Labels: d.Spec.Template.Labels}, Spec: d.Spec.Template.Spec}
	if err := k8s.Create(context.Background(), pod, client.DryRunAll); err != nil {
		t.Fatalf("the manager pod is refused in a restricted namespace: %v", err)
	}
	c := d.Spec.Template.Spec.Containers[0]
	if c.Resources.Limits == nil || c.Resources.Requests == nil || c.LivenessProbe == nil || c.ReadinessProbe == nil {
		t.Fatal("the manager container lacks resource requests/limits or probes")
	}
	sc := c.SecurityContext
	if sc == nil || sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem {
		t.Fatal("the manager container's root filesystem is not read-only")
	}
	if !strings.Contains(strings.Join(c.Args, " "), "--leader-elect") {
		t.Fatal("leader election is not on in the deployment")
	}
	// Go's soft memory limit follows the container's, so the collector works before the kubelet kills.
	memLimit := false
	for _, e := range c.Env {
		if e.Name == "GOMEMLIMIT" && e.ValueFrom != nil && e.ValueFrom.ResourceFieldRef != nil && e.ValueFrom.ResourceFieldRef.Resource == "limits.memory" {
			memLimit = true
		}
	}
	if !memLimit {
		t.Error("the manager container does not set GOMEMLIMIT from its limits.memory")
	}
}

// checkRole asserts the ClusterRole has no wildcard and asks the API server,
// as `kubectl auth can-i` does, what the manager's service account may do.
func checkRole(t *testing.T, k8s client.Client, role *rbacv1.ClusterRole, ns string) {
	ctx := context.Background()
	for _, rule := range role.Rules {
		for _, list := range [][]string{rule.Verbs, rule.Resources, rule.APIGroups} {
			for _, v := range list {
				if v == "*" {
					t.Fatalf("ClusterRole rule %+v has a wildcard", rule)
				}
			}
		}
		for _, res := range rule.Resources {
			if res == "secrets" {
				for _, v := range rule.Verbs {
					if v == "deletecollection" || v == "escalate" || v == "bind" {
						t.Errorf("ClusterRole allows %s on secrets", v)
					}
				}
			}
		}
	}
	must(t, k8s.Create(ctx, role.DeepCopy()))
	sa := ns + "/taskrouter-operator-controller-manager"
	binding := &rbacv1.ClusterRoleBinding{ObjectMeta: metav1.ObjectMeta{Name: "e2e-manager"},
		RoleRef:  rbacv1.RoleRef{APIGroup: "rbac.authorization.k8s.io", Kind: "ClusterRole", Name: role.Name},
		Subjects: []rbacv1.Subject{{Kind: "ServiceAccount", Name: "taskrouter-operator-controller-manager", Namespace: ns}}}
	must(t, k8s.Create(ctx, binding))
	cases := []struct {
		verb, group, resource, sub string
		allowed                    bool
	}{
		{"get", "", "secrets", "", true},
		{"update", "taskrouter.operator.dev", "taskqueues", "status", true},
		{"watch", "taskrouter.operator.dev", "workers", "", true},
		{"create", "events.k8s.io", "events", "", true},
		{"create", "authentication.k8s.io", "tokenreviews", "", true},
		{"create", "authorization.k8s.io", "subjectaccessreviews", "", true},
		{"deletecollection", "", "secrets", "", false},
		{"create", "taskrouter.operator.dev", "workspaces", "", false},
		{"delete", "taskrouter.operator.dev", "workspaces", "", false},
		{"get", "", "pods", "", false},
		// spec.sidConfigMap: the manager keeps ConfigMaps of SIDs and watches the ones it owns.
		{"list", "", "configmaps", "", true},
		{"deletecollection", "", "configmaps", "", false},
		{"create", "rbac.authorization.k8s.io", "clusterroles", "", false},
		{"impersonate", "", "users", "", false},
		{"get", "", "nodes", "", false},
	}
	for _, c := range cases {
		canI(t, k8s, sa, authorizationv1.ResourceAttributes{Namespace: "default", Verb: c.verb, Group: c.group, Resource: c.resource, Subresource: c.sub}, c.allowed)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
