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

// Command devcluster runs a local Kubernetes control plane (kube-apiserver and
// etcd built by hack/build-controlplane.sh) with the operator's CRDs installed,
// writes an admin kubeconfig, and keeps running until interrupted. It is the
// local cluster of `make demo` and of the README's manual walk-through.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/taskrouter-operator/taskrouter-operator/internal/testenv"
)

func main() {
	kubeconfig := flag.String("kubeconfig-out", filepath.Join(testenv.RepoRoot(), "bin", "devcluster.kubeconfig"), "where to write the admin kubeconfig")
	flag.Parse()
	if err := run(*kubeconfig); err != nil {
		fmt.Fprintln(os.Stderr, "devcluster:", err)
		os.Exit(1)
	}
}

func run(kubeconfig string) error {
	env, err := testenv.Start()
	if err != nil {
		return err
	}
	defer func() { _ = env.Stop() }()
	if err := os.MkdirAll(filepath.Dir(kubeconfig), 0o755); err != nil {
		return err
	}
	if err := env.WriteAdminKubeconfig("admin", kubeconfig); err != nil {
		return err
	}
	fmt.Printf("control plane up at %s with the taskrouter CRDs installed\n", env.Config.Host)
	fmt.Printf("export KUBECONFIG=%s\n", kubeconfig)
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	<-stop
	fmt.Println("stopping the control plane")
	return nil
}
