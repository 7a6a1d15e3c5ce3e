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
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/zap/zapcore"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/controllers"
	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator"
	"github.com/taskrouter-operator/taskrouter-operator/internal/taskrouter"
)

// roundTripSyncPeriod is short so that a drift check runs while the test watches for writes.
const roundTripSyncPeriod = 2 * time.Second

// The round trip of issue 14: a workspace built by hand through the REST API (its workflow routing
// by queue SID, a second workflow whose filter has no name, a channel of its own, chat made
// channel-optimized, agents with their own channel capacities) is exported, applied to a cluster
// where the operator runs, and every resource is Ready (Observed) without one write to TaskRouter,
// the workers' channels mirrored; switched to Manage, every resource is Ready (Synced) and still
// nothing was written; a second export of the applied result is byte-identical to the first. Then
// preview reads the applied resources.
func TestExportRoundTrip(t *testing.T) {
	env := cluster(t)
	c := newContactCenter(t)
	kube := startOperator(t, env.Config, c.url)
	ctx := context.Background()
	if _, err := c.acct.Workspace(c.ws.SID).Workflows().Create(ctx, taskrouter.WorkflowParams{FriendlyName: taskrouter.Ptr("Callbacks"),
		Configuration: taskrouter.Ptr(c.withSIDs(`{"task_routing":{"filters":[{"expression":"type == \"callback\"","targets":[{"queue":"{{General Support}}"}]}]}}`))}); err != nil {
		t.Fatal(err)
	}
	const ns = "round-trip"
	for _, obj := range []client.Object{
		&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}},
		&corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "twilio"}, StringData: map[string]string{
			"accountSid": emulator.DevAccountSID, "authToken": emulator.DevAuthToken}},
	} {
		if err := kube.Create(ctx, obj); err != nil {
			t.Fatal(err)
		}
	}
	exportArgs := []string{"export", "--workspace", "Acme Support", "--workers", "-n", ns, "--credentials-ref", "twilio"}
	first := c.run(t, "", exportArgs...)
	if first.code != 0 || strings.Contains(first.errOut, "warning") {
		t.Fatalf("export: %+v", first)
	}
	for _, secret := range []string{emulator.DevAuthToken, emulator.DevAPIKeySID, emulator.DevAPIKeySecret, emulator.DevAccountSID} {
		if strings.Contains(first.out, secret) {
			t.Errorf("the export holds the credential %q", secret)
		}
	}

	c.emu.ResetRequests()
	applied := apply(t, kube, first.out)
	if len(applied) != 17 {
		t.Errorf("applied %d objects, want 17 (1 Workspace, 5 Activities, 2 TaskChannels, 3 TaskQueues, 2 Workflows, 4 Workers)", len(applied))
	}
	waitAllReady(t, kube, applied, "Observed")
	time.Sleep(roundTripSyncPeriod + time.Second) // let a drift check run
	waitAllReady(t, kube, applied, "Observed")
	assertNoWrites(t, c.emu, "after applying the export")
	assertChannelsMirrored(t, kube, ns)

	for _, obj := range applied {
		patch := client.RawPatch(types.MergePatchType, []byte(`{"spec":{"managementPolicy":"Manage"}}`))
		if err := kube.Patch(ctx, obj.DeepCopy(), patch); err != nil {
			t.Fatal(err)
		}
	}
	waitAllReady(t, kube, applied, "Synced")
	time.Sleep(roundTripSyncPeriod + time.Second)
	waitAllReady(t, kube, applied, "Synced")
	assertNoWrites(t, c.emu, "after switching every resource to Manage")

	second := c.run(t, "", exportArgs...)
	if second.code != 0 || second.out != first.out {
		t.Errorf("the second export differs from the first (code %d, stderr %q):\n%s", second.code, second.errOut, second.out)
	}

	t.Run("preview reads the applied resources", func(t *testing.T) {
		previewApplied(t, c, kubeconfigFor(t, env, envtest.User{Name: "round-trip-admin", Groups: []string{"system:masters"}}), ns)
	})
}

// assertChannelsMirrored checks that the workers' exported channels are the ones the operator
// observes: each Worker's status lists exactly its spec's channels, as TaskRouter has them.
func assertChannelsMirrored(t *testing.T, kube client.Client, ns string) {
	t.Helper()
	type channel struct {
		Name      string
		Capacity  int32
		Available bool
	}
	want := map[string][]channel{
		"alice":  {{"chat", 3, true}},
		"bob":    nil,
		"carmen": {{"chat", 2, true}},
		"dana":   {{"callback", 2, true}, {"voice", 1, false}},
	}
	got := map[string][]channel{}
	var workers trv1.WorkerList
	if err := kube.List(context.Background(), &workers, client.InNamespace(ns)); err != nil {
		t.Fatal(err)
	}
	for _, w := range workers.Items {
		got[w.Name] = nil
		for _, c := range w.Status.Channels {
			got[w.Name] = append(got[w.Name], channel{c.UniqueName, c.ConfiguredCapacity, c.Available})
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("the workers' channels in status (-want +got):\n%s", diff)
	}
}

// previewApplied previews the applied Workflow (with the configuration TaskRouter holds) and TaskQueue.
func previewApplied(t *testing.T, c *contactCenter, kubeconfig, ns string) {
	got := c.run(t, "", "preview", "workflow/inbound-calls", "--kubeconfig", kubeconfig, "-n", ns, "--task", `{"language":"es"}`)
	wantLines := []string{
		fmt.Sprintf(`Workflow "Inbound Calls" (inbound-calls, %s) in Workspace "Acme Support" (acme-support, %s)`, c.workflow, c.ws.SID),
		fmt.Sprintf("Routing: the configuration of %s in TaskRouter", c.workflow),
		"The task enters Spanish Support: Alice would be offered it first.",
	}
	for _, line := range wantLines {
		if got.code != 0 || !strings.Contains(got.out, line+"\n") {
			t.Errorf("preview workflow: want the line %q in\n%s%s", line, got.out, got.errOut)
		}
	}
	got = c.run(t, "", "preview", "taskqueue/billing", "--kubeconfig", kubeconfig, "-n", ns, "--target-workers", `skills HAS "billing" AND level > 3`)
	if want := "The proposed targetWorkers adds no worker and drops 2 workers (Alice, Carmen).\n"; got.code != 0 || !strings.Contains(got.out, want) {
		t.Errorf("preview taskqueue: want %q in\n%s%s", want, got.out, got.errOut)
	}
	got = c.run(t, "", "preview", "taskqueue/nope", "--kubeconfig", kubeconfig, "-n", ns)
	if want := "error: TaskQueue \"nope\", nor in namespace " + ns + " of the cluster\n"; got.code != 1 || got.errOut != want {
		t.Errorf("preview of a missing TaskQueue: %+v, want exit 1 and %q", got, want)
	}
}

// startOperator runs the operator's manager (SetupAll) against the cluster and the emulator at url
// until the test ends, and returns a client of the cluster.
func startOperator(t *testing.T, cfg *rest.Config, url string) client.Client {
	t.Helper()
	scheme := runtime.NewScheme()
	utilruntime.Must(clientgoscheme.AddToScheme(scheme))
	utilruntime.Must(trv1.AddToScheme(scheme))
	ctrl.SetLogger(zap.New(zap.Level(zapcore.ErrorLevel)))
	mgr, err := ctrl.NewManager(cfg, ctrl.Options{Scheme: scheme, Metrics: metricsserver.Options{BindAddress: "0"},
		Cache: controllers.CacheOptions()})
	if err != nil {
		t.Fatal(err)
	}
	tr := taskrouter.New(taskrouter.Config{TaskRouterBaseURL: url, EventBridgeBaseURL: url, QPS: 1000, Burst: 1000})
	if err := controllers.SetupAll(mgr, controllers.Options{TaskRouter: tr, SyncPeriod: roundTripSyncPeriod, MaxConcurrentReconciles: 2}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- mgr.Start(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
	kube, err := client.New(cfg, client.Options{Scheme: scheme})
	if err != nil {
		t.Fatal(err)
	}
	return kube
}

// apply creates every object of a YAML stream, as kubectl apply -f would for new objects.
func apply(t *testing.T, kube client.Client, stream string) []*unstructured.Unstructured {
	t.Helper()
	var out []*unstructured.Unstructured
	dec := utilyaml.NewYAMLOrJSONDecoder(strings.NewReader(stream), 4096)
	for {
		obj := &unstructured.Unstructured{}
		err := dec.Decode(&obj.Object)
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		if len(obj.Object) == 0 {
			continue
		}
		if err := kube.Create(context.Background(), obj); err != nil {
			t.Fatalf("apply %s %s: %v", obj.GetKind(), obj.GetName(), err)
		}
		out = append(out, obj)
	}
}

// waitAllReady waits until every object is Ready with reason for its current generation.
func waitAllReady(t *testing.T, kube client.Client, objects []*unstructured.Unstructured, reason string) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		var waiting []string
		for _, o := range objects {
			if state := readiness(kube, o, reason); state != "" {
				waiting = append(waiting, fmt.Sprintf("%s %s: %s", o.GetKind(), o.GetName(), state))
			}
		}
		if len(waiting) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("not Ready (%s):\n%s", reason, strings.Join(waiting, "\n"))
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// readiness is "" when obj is Ready with reason for its current generation, else what it is.
func readiness(kube client.Client, obj *unstructured.Unstructured, reason string) string {
	fresh := &unstructured.Unstructured{}
	fresh.SetGroupVersionKind(obj.GroupVersionKind())
	if err := kube.Get(context.Background(), client.ObjectKeyFromObject(obj), fresh); err != nil {
		return err.Error()
	}
	conditions, _, _ := unstructured.NestedSlice(fresh.Object, "status", "conditions")
	for _, c := range conditions {
		cond, _ := c.(map[string]any)
		if cond["type"] != trv1.ConditionReady {
			continue
		}
		gen, _ := cond["observedGeneration"].(int64)
		if cond["status"] == string(metav1.ConditionTrue) && cond["reason"] == reason && gen == fresh.GetGeneration() {
			return ""
		}
		return fmt.Sprintf("Ready=%v %v (generation %d of %d): %v", cond["status"], cond["reason"], gen, fresh.GetGeneration(), cond["message"])
	}
	return "no Ready condition yet"
}

// assertNoWrites fails when the emulator received any POST or DELETE, through REST or the channel.
func assertNoWrites(t *testing.T, emu *emulator.Emulator, when string) {
	t.Helper()
	var writes []string
	for _, r := range emu.Requests() {
		if r.Write {
			writes = append(writes, fmt.Sprintf("%s %s (%s)", r.Method, r.Path, r.Via))
		}
	}
	if len(writes) > 0 {
		t.Errorf("%s, TaskRouter received %d writes:\n%s", when, len(writes), strings.Join(writes, "\n"))
	}
	if reads := emu.CountRequests(func(r emulator.Request) bool { return !r.Write }); reads == 0 {
		t.Errorf("%s, the operator read nothing from TaskRouter: no write proves nothing", when)
	}
}
