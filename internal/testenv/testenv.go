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

// Package testenv starts the project's test control plane (kube-apiserver and
// etcd from bin/k8s, built by hack/build-controlplane.sh) with the real CRDs
// from config/crd/bases installed, for envtest suites.
package testenv

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"

	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
)

// RepoRoot returns the repository root, found from this source file so tests work from any package.
func RepoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// KubernetesVersion reads the release the control plane is built at from hack/controlplane/go.mod.
func KubernetesVersion() (string, error) {
	path := filepath.Join(RepoRoot(), "hack", "controlplane", "go.mod")
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("read control-plane version: %w", err)
	}
	defer f.Close()
	re := regexp.MustCompile(`^\s*k8s\.io/kubernetes v(\S+)`)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if m := re.FindStringSubmatch(sc.Text()); m != nil {
			return m[1], nil
		}
	}
	return "", fmt.Errorf("no k8s.io/kubernetes requirement in %s", path)
}

// AssetsDir returns KUBEBUILDER_ASSETS when set, else the cached build under bin/k8s. It fails with
// the command to run when the binaries are missing, instead of letting envtest download them.
func AssetsDir() (string, error) {
	if dir := os.Getenv("KUBEBUILDER_ASSETS"); dir != "" {
		return dir, nil
	}
	version, err := KubernetesVersion()
	if err != nil {
		return "", err
	}
	dir := filepath.Join(RepoRoot(), "bin", "k8s", fmt.Sprintf("%s-%s-%s", version, runtime.GOOS, runtime.GOARCH))
	for _, program := range []string{"kube-apiserver", "etcd"} {
		if _, err := os.Stat(filepath.Join(dir, program)); err != nil {
			return "", fmt.Errorf("control-plane binary %s missing in %s: run `make controlplane` (or `make test`)", program, dir)
		}
	}
	return dir, nil
}

// Environment is a running control plane with the CRDs installed.
type Environment struct {
	// Config reaches the API server as an administrator.
	Config *rest.Config
	// Webhooks says where the installed webhook configurations call (LocalServingHost and
	// LocalServingPort) and the certificate to serve there (LocalServingCertDir).
	Webhooks *envtest.WebhookInstallOptions
	env      *envtest.Environment
}

// Options are what a suite adds to the control plane.
type Options struct {
	// WebhookPaths are files or directories with webhook configurations to install (other
	// documents in them are skipped), rewritten to call the test's own server.
	WebhookPaths []string
}

// Start starts kube-apiserver and etcd, each under hack/supervise so they die
// with the calling process, and installs the CRDs.
func Start() (*Environment, error) {
	return StartWith(Options{})
}

// StartWith is Start, installing what opts asks for too.
func StartWith(opts Options) (*Environment, error) {
	assets, err := AssetsDir()
	if err != nil {
		return nil, err
	}
	scripts, err := supervisedBinaries(assets)
	if err != nil {
		return nil, err
	}
	env := &envtest.Environment{
		BinaryAssetsDirectory: assets,
		ControlPlane: envtest.ControlPlane{
			APIServer: &envtest.APIServer{Path: filepath.Join(scripts, "kube-apiserver")},
			Etcd:      &envtest.Etcd{Path: filepath.Join(scripts, "etcd")},
		},
		CRDDirectoryPaths:     []string{filepath.Join(RepoRoot(), "config", "crd", "bases")},
		ErrorIfCRDPathMissing: true,
		WebhookInstallOptions: envtest.WebhookInstallOptions{Paths: opts.WebhookPaths},
	}
	cfg, err := env.Start()
	if err != nil {
		return nil, fmt.Errorf("start test control plane from %s: %w", assets, err)
	}
	return &Environment{Config: cfg, Webhooks: &env.WebhookInstallOptions, env: env}, nil
}

// Stop stops the control plane.
func (e *Environment) Stop() error {
	return e.env.Stop()
}

// GroupVersion is the API group the CRDs serve, for tests that use unstructured objects.
var GroupVersion = schema.GroupVersion{Group: "taskrouter.operator.dev", Version: "v1alpha1"}

// AddUser provisions a user with the given groups on the control plane, e.g. an
// administrator in system:masters whose kubeconfig a person or a manager can use.
func (e *Environment) AddUser(user envtest.User) (*envtest.AuthenticatedUser, error) {
	return e.env.AddUser(user, nil)
}

// WriteAdminKubeconfig provisions the user name in system:masters and writes its
// kubeconfig to path, for a program such as the manager run as a separate process.
func (e *Environment) WriteAdminKubeconfig(name, path string) error {
	user, err := e.AddUser(envtest.User{Name: name, Groups: []string{"system:masters"}})
	if err != nil {
		return fmt.Errorf("create admin user %s: %w", name, err)
	}
	data, err := user.KubeConfig()
	if err != nil {
		return fmt.Errorf("render kubeconfig of %s: %w", name, err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		return fmt.Errorf("write kubeconfig: %w", err)
	}
	return nil
}
