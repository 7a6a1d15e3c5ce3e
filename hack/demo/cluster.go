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
	"fmt"
	"os"
	"path/filepath"

	"k8s.io/apimachinery/pkg/runtime"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/internal/testenv"
)

// cluster is the local control plane and a client for it.
type cluster struct {
	env        *testenv.Environment
	config     *rest.Config
	client     client.Client
	kubeconfig string
}

func startCluster(dir string) (*cluster, error) {
	env, err := testenv.Start()
	if err != nil {
		return nil, err
	}
	c := &cluster{env: env, config: env.Config, kubeconfig: filepath.Join(dir, "kubeconfig")}
	if err := c.init(); err != nil {
		c.stop()
		return nil, err
	}
	return c, nil
}

func (c *cluster) init() error {
	if err := c.env.WriteAdminKubeconfig("demo-admin", c.kubeconfig); err != nil {
		return err
	}
	scheme := runtime.NewScheme()
	utilruntime.Must(clientgoscheme.AddToScheme(scheme))
	utilruntime.Must(trv1.AddToScheme(scheme))
	var err error
	c.client, err = client.New(c.config, client.Options{Scheme: scheme})
	return err
}

func (c *cluster) stop() {
	if err := c.env.Stop(); err != nil {
		fmt.Fprintln(os.Stderr, "demo: stop control plane:", err)
	}
}
