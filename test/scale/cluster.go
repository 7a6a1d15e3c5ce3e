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

package scale

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"sync"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/taskrouter-operator/taskrouter-operator/internal/testenv"
)

// cluster is a local control plane with the CRDs, an admin kubeconfig for the
// manager and an unthrottled client for the benchmark itself.
type cluster struct {
	env        *testenv.Environment
	kubeconfig string
	dynamic    dynamic.Interface
	// http reaches the API server as an administrator, for its /metrics.
	http *http.Client
	host string
}

// clientQPS lets the benchmark create thousands of objects without client-side
// throttling, so apply time is the API server's, not a client limiter's.
const clientQPS = 2000

func startCluster(dir string) (*cluster, error) {
	env, err := testenv.Start()
	if err != nil {
		return nil, err
	}
	c := &cluster{env: env, kubeconfig: filepath.Join(dir, "kubeconfig"), host: strings.TrimRight(env.Config.Host, "/")}
	if err := c.connect(); err != nil {
		c.stop()
		return nil, err
	}
	return c, nil
}

func (c *cluster) connect() error {
	if err := c.env.WriteAdminKubeconfig("bench-scale-admin", c.kubeconfig); err != nil {
		return err
	}
	cfg := rest.CopyConfig(c.env.Config)
	cfg.QPS, cfg.Burst = clientQPS, clientQPS
	var err error
	if c.dynamic, err = dynamic.NewForConfig(cfg); err != nil {
		return fmt.Errorf("client for the control plane: %w", err)
	}
	if c.http, err = rest.HTTPClientFor(cfg); err != nil {
		return fmt.Errorf("HTTP client for the control plane: %w", err)
	}
	return nil
}

func (c *cluster) stop() {
	_ = c.env.Stop()
}

// metrics scrapes the API server's /metrics.
func (c *cluster) metrics(ctx context.Context) (snapshot, error) {
	return scrape(ctx, c.http, c.host+"/metrics")
}

// resourceOf maps an object to its resource for the dynamic client.
func resourceOf(obj *unstructured.Unstructured) schema.GroupVersionResource {
	gvk := obj.GroupVersionKind()
	plural := strings.ToLower(gvk.Kind) + "s"
	if gvk.Kind == "Activity" {
		plural = "activities"
	}
	return gvk.GroupVersion().WithResource(plural)
}

// create creates objs with a few requests in flight, as a GitOps sync would.
func (c *cluster) create(ctx context.Context, objs []*unstructured.Unstructured) error {
	const inFlight = 8
	work := make(chan *unstructured.Unstructured)
	errs := make(chan error, inFlight)
	var wg sync.WaitGroup
	for range inFlight {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for obj := range work {
				if _, err := c.dynamic.Resource(resourceOf(obj)).Namespace(namespace).Create(ctx, obj, metav1.CreateOptions{}); err != nil {
					errs <- fmt.Errorf("create %s %s: %w", obj.GetKind(), obj.GetName(), err)
					return
				}
			}
		}()
	}
	var err error
feed:
	for _, obj := range objs {
		select {
		case work <- obj:
		case err = <-errs:
			break feed
		}
	}
	close(work)
	wg.Wait()
	close(errs)
	if err != nil {
		return err
	}
	return <-errs // nil once closed and empty
}
