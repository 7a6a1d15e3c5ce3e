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
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	corev1client "k8s.io/client-go/kubernetes/typed/core/v1"
	"sigs.k8s.io/controller-runtime/pkg/envtest"

	"github.com/taskrouter-operator/taskrouter-operator/internal/taskrouter"
	"github.com/taskrouter-operator/taskrouter-operator/internal/testenv"
)

// The package's tests share one control plane, started by the first test that needs it.
var (
	clusterOnce sync.Once
	clusterEnv  *testenv.Environment
	clusterErr  error
)

// cluster returns the shared control plane with the project's CRDs installed.
func cluster(t *testing.T) *testenv.Environment {
	t.Helper()
	clusterOnce.Do(func() { clusterEnv, clusterErr = testenv.Start() })
	if clusterErr != nil {
		t.Fatal(clusterErr)
	}
	return clusterEnv
}

func TestMain(m *testing.M) {
	code := m.Run()
	if clusterEnv != nil {
		_ = clusterEnv.Stop()
	}
	os.Exit(code)
}

// kubeconfigFor writes a kubeconfig of a new user of the test control plane.
func kubeconfigFor(t *testing.T, env *testenv.Environment, user envtest.User) string {
	t.Helper()
	u, err := env.AddUser(user)
	if err != nil {
		t.Fatal(err)
	}
	data, err := u.KubeConfig()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), user.Name+".kubeconfig")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// --credentials reads the operator's credentials Secret from the cluster of
// --kubeconfig, in the namespace it names or the current one.
func TestCredentialsFromTheCluster(t *testing.T) {
	env := cluster(t)
	ctx := context.Background()
	core := corev1client.NewForConfigOrDie(env.Config)
	if _, err := core.Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "ops"}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, s := range []*corev1.Secret{
		{ObjectMeta: metav1.ObjectMeta{Namespace: "ops", Name: "twilio"},
			StringData: map[string]string{"accountSid": "AC1", "authToken": "token", "apiKeySid": "SK1", "apiKeySecret": "secret"}},
		{ObjectMeta: metav1.ObjectMeta{Namespace: "ops", Name: "partial"}, StringData: map[string]string{"accountSid": "AC1"}},
		{ObjectMeta: metav1.ObjectMeta{Namespace: "ops", Name: "dublin"},
			StringData: map[string]string{"accountSid": "AC3", "authToken": "irish", "region": "ie1", "edge": "dublin"}},
		{ObjectMeta: metav1.ObjectMeta{Namespace: "default", Name: "twilio"}, StringData: map[string]string{"accountSid": "AC2", "authToken": "other"}},
	} {
		if _, err := core.Secrets(s.Namespace).Create(ctx, s, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	admin := kubeconfigFor(t, env, envtest.User{Name: "admin", Groups: []string{"system:masters"}})
	nobody := kubeconfigFor(t, env, envtest.User{Name: "nobody"})

	tests := []struct {
		name        string
		kube        kubeFlags
		credentials string
		want        taskrouter.Credentials
		wantErr     string
	}{
		{"namespace/name", kubeFlags{kubeconfig: admin}, "ops/twilio",
			taskrouter.Credentials{AccountSID: "AC1", AuthToken: "token", APIKeySID: "SK1", APIKeySecret: "secret"}, ""},
		{"a name in the namespace of -n", kubeFlags{kubeconfig: admin, namespace: "ops"}, "twilio",
			taskrouter.Credentials{AccountSID: "AC1", AuthToken: "token", APIKeySID: "SK1", APIKeySecret: "secret"}, ""},
		{"a name in the context's namespace", kubeFlags{kubeconfig: admin}, "twilio",
			taskrouter.Credentials{AccountSID: "AC2", AuthToken: "other"}, ""},
		{"a Secret with a Twilio Region", kubeFlags{kubeconfig: admin}, "ops/dublin",
			taskrouter.Credentials{AccountSID: "AC3", AuthToken: "irish", Region: "ie1", Edge: "dublin"}, ""},
		{"a Secret that does not exist", kubeFlags{kubeconfig: admin}, "ops/nope", taskrouter.Credentials{},
			"credentials Secret ops/nope not found: create it with the keys accountSid and authToken (see the operator's credentials Secret), or point --credentials at another"},
		{"a Secret without a token", kubeFlags{kubeconfig: admin}, "ops/partial", taskrouter.Credentials{AccountSID: "AC1"},
			"credentials from Secret ops/partial: set authToken, or apiKeySid and apiKeySecret"},
		{"a user who may not read it", kubeFlags{kubeconfig: nobody}, "ops/twilio", taskrouter.Credentials{},
			"not allowed to read Secret ops/twilio: your user needs get on secrets in namespace ops"},
		{"a context that does not exist", kubeFlags{kubeconfig: admin, context: "prod"}, "ops/twilio", taskrouter.Credentials{},
			`reading Secret ops/twilio needs a cluster: context "prod" does not exist`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			flags := taskRouterFlags{credentials: tt.credentials}
			// The environment is ignored when --credentials is given.
			got, err := flags.resolveCredentials(ctx, &tt.kube, func(string) string { return "from-env" })
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("credentials mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantErr, errorText(err)); diff != "" {
				t.Errorf("error mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
