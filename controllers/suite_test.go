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

package controllers

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/zap/zapcore"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/interceptor"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	ctrlmetrics "sigs.k8s.io/controller-runtime/pkg/metrics"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator"
	"github.com/taskrouter-operator/taskrouter-operator/internal/metrics"
	"github.com/taskrouter-operator/taskrouter-operator/internal/taskrouter"
	"github.com/taskrouter-operator/taskrouter-operator/internal/testenv"
)

// The suite runs the real manager wiring (SetupAll) against a real API server
// with the real CRDs, and the TaskRouter emulator in-process. Each test works in
// its own namespace with its own Workspace, so tests do not see each other.
var (
	k8s  client.Client
	emu  *emulator.Emulator
	base string
	// statusWrites counts status writes the manager makes, for the steady-state test.
	statusWrites atomic.Int64
	// testMetrics are the manager's collectors, registered on controller-runtime's registry.
	testMetrics *metrics.Metrics
)

// testSyncPeriod is short so drift tests finish quickly.
const testSyncPeriod = 2 * time.Second

func TestMain(m *testing.M) {
	os.Exit(runSuite(m))
}

func runSuite(m *testing.M) int {
	env, err := testenv.Start()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer func() { _ = env.Stop() }()

	emu = emulator.New(emulator.Config{Seed: 1})
	server := httptest.NewServer(emu)
	defer server.Close()
	base = server.URL

	scheme := runtime.NewScheme()
	utilruntime.Must(clientgoscheme.AddToScheme(scheme))
	utilruntime.Must(trv1.AddToScheme(scheme))
	ctrl.SetLogger(zap.New(zap.UseDevMode(true), zap.Level(zapLevel())))

	mgr, err := ctrl.NewManager(env.Config, ctrl.Options{
		Scheme:  scheme,
		Metrics: metricsserver.Options{BindAddress: "0"},
		Cache:   CacheOptions(),
		NewClient: func(cfg *rest.Config, opts client.Options) (client.Client, error) {
			c, err := client.NewWithWatch(cfg, opts)
			if err != nil {
				return nil, err
			}
			return interceptor.NewClient(c, interceptor.Funcs{
				SubResourcePatch: func(ctx context.Context, c client.Client, sub string, obj client.Object, patch client.Patch, opts ...client.SubResourcePatchOption) error {
					statusWrites.Add(1)
					return c.SubResource(sub).Patch(ctx, obj, patch, opts...)
				},
			}), nil
		},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if testMetrics, err = metrics.New(ctrlmetrics.Registry); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	tr := taskrouter.New(taskrouter.Config{TaskRouterBaseURL: base, EventBridgeBaseURL: base, MaxRetries: 2, QPS: 1000, Burst: 1000, Metrics: testMetrics})
	// Statistics are off by default here; the statistics tests turn them on per object.
	if err := SetupAll(mgr, Options{TaskRouter: tr, SyncPeriod: testSyncPeriod, MaxConcurrentReconciles: 2,
		Metrics: testMetrics}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	stalledRetryPeriod = 3 * time.Second
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- mgr.Start(ctx) }()
	k8s, err = client.New(env.Config, client.Options{Scheme: scheme})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		cancel()
		return 1
	}
	code := m.Run()
	cancel()
	if err := <-done; err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	return code
}

func zapLevel() zapcore.Level {
	if os.Getenv("TEST_VERBOSE") != "" {
		return -1
	}
	return 2 // errors only: a failing test prints its own story
}

// newNamespace creates a namespace for one test with the emulator's credentials Secret.
func newNamespace(t *testing.T) string {
	t.Helper()
	name := strings.ToLower(strings.NewReplacer("/", "-", "_", "-").Replace(t.Name()))
	if len(name) > 50 {
		name = name[:50]
	}
	name = strings.TrimRight(name, "-") + fmt.Sprintf("-%d", time.Now().UnixNano()%100000)
	ctx := context.Background()
	must(t, k8s.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}))
	must(t, k8s.Create(ctx, &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Name: "creds", Namespace: name},
		StringData: map[string]string{
			keyAccountSID: emulator.DevAccountSID, keyAuthToken: emulator.DevAuthToken,
			keyAPIKeySID: emulator.DevAPIKeySID, keyAPIKeySecret: emulator.DevAPIKeySecret,
		},
	}))
	t.Cleanup(func() { retire(name) })
	return name
}

// retire deletes a finished test's resources, so the shared manager stops sweeping them and later
// tests do not run on a machine busier with every test before them. Nothing waits for them: what
// TaskRouter refuses to delete just stays Terminating in a namespace nobody looks at again.
func retire(namespace string) {
	ctx := context.Background()
	for _, kind := range []client.Object{&trv1.Workflow{}, &trv1.Worker{}, &trv1.TaskQueue{}, &trv1.TaskChannel{}, &trv1.Activity{}, &trv1.Workspace{}} {
		_ = k8s.DeleteAllOf(ctx, kind, client.InNamespace(namespace))
	}
}

func workspace(ns string, mutate ...func(*trv1.Workspace)) *trv1.Workspace {
	ws := &trv1.Workspace{
		ObjectMeta: metav1.ObjectMeta{Name: "ws", Namespace: ns},
		Spec:       trv1.WorkspaceSpec{FriendlyName: ns, CredentialsRef: trv1.LocalObjectReference{Name: "creds"}},
	}
	for _, m := range mutate {
		m(ws)
	}
	return ws
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// eventually polls cond until it holds or the deadline passes; the deadline is
// generous: it bounds a hang, it does not measure speed.
func eventually(t *testing.T, what string, cond func() (bool, string)) {
	t.Helper()
	eventuallyWithin(t, 45*time.Second, what, cond)
}

// eventuallyWithin is eventually for a wait that spans many sync periods by design, so a loaded
// machine (fewer reconciles a second) needs a longer bound.
func eventuallyWithin(t *testing.T, bound time.Duration, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(bound)
	var last string
	for time.Now().Before(deadline) {
		ok, msg := cond()
		if ok {
			return
		}
		last = msg
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s; last: %s", what, last)
}

// condition returns the condition of type t on obj, read fresh from the API server.
func condition(t *testing.T, obj object, condType string) *metav1.Condition {
	t.Helper()
	if err := k8s.Get(context.Background(), client.ObjectKeyFromObject(obj), obj); err != nil {
		return nil
	}
	return meta.FindStatusCondition(obj.RemoteStatus().Conditions, condType)
}

// waitReady waits until obj is Ready for its current generation and returns it fresh.
func waitReady(t *testing.T, obj object) {
	t.Helper()
	eventually(t, fmt.Sprintf("%T %s Ready", obj, obj.GetName()), func() (bool, string) {
		c := condition(t, obj, trv1.ConditionReady)
		if c == nil {
			return false, "no Ready condition"
		}
		return c.Status == metav1.ConditionTrue && obj.RemoteStatus().ObservedGeneration == obj.GetGeneration(), c.Reason + ": " + c.Message
	})
}

// waitReason waits until condType on obj has status and reason.
func waitReason(t *testing.T, obj object, condType string, status metav1.ConditionStatus, reason string) *metav1.Condition {
	t.Helper()
	var got *metav1.Condition
	eventually(t, fmt.Sprintf("%s=%s/%s on %s", condType, status, reason, obj.GetName()), func() (bool, string) {
		got = condition(t, obj, condType)
		if got == nil {
			return false, "absent"
		}
		return got.Status == status && got.Reason == reason, fmt.Sprintf("%s %s: %s", got.Status, got.Reason, got.Message)
	})
	return got
}

func waitGone(t *testing.T, obj client.Object) {
	t.Helper()
	eventually(t, fmt.Sprintf("%s deleted", obj.GetName()), func() (bool, string) {
		err := k8s.Get(context.Background(), client.ObjectKeyFromObject(obj), obj)
		return err != nil, fmt.Sprintf("finalizers %v", obj.GetFinalizers())
	})
}

func keyOf(o client.Object) client.ObjectKey { return client.ObjectKeyFromObject(o) }
