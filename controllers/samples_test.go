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
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/internal/testenv"
)

// TestSamplesConvergeInAnyOrder applies config/samples in a random order (the
// order a GitOps tool may pick) and expects every resource to become Ready.
func TestSamplesConvergeInAnyOrder(t *testing.T) {
	ns := newNamespace(t)
	ctx := context.Background()
	objs := sampleObjects(t, ns)
	rand.Shuffle(len(objs), func(i, j int) { objs[i], objs[j] = objs[j], objs[i] })
	for _, o := range objs {
		if o.GetKind() == "Secret" {
			o.SetName("taskrouter-credentials")
		}
		if o.GetKind() == "Workspace" {
			// Every test has its own workspace name in the shared emulator.
			must(t, unstructured.SetNestedField(o.Object, ns, "spec", "friendlyName"))
		}
		must(t, k8s.Create(ctx, o))
	}
	for _, o := range objs {
		if o.GetKind() == "Secret" {
			continue
		}
		typed := typedSample(t, o.GetKind())
		typed.SetNamespace(ns)
		typed.SetName(o.GetName())
		waitReady(t, typed)
	}
	var ws trv1.Workspace
	must(t, k8s.Get(ctx, client.ObjectKey{Namespace: ns, Name: "acme-support"}, &ws))
	if ws.Status.DefaultActivityName != "Offline" || ws.Status.TimeoutActivityName != "Break" {
		t.Fatalf("workspace default/timeout activity %q/%q, want Offline/Break", ws.Status.DefaultActivityName, ws.Status.TimeoutActivityName)
	}
}

// typedSample is an empty object of one of the API's kinds, from the scheme: a new kind needs no
// entry here.
func typedSample(t *testing.T, kind string) object {
	t.Helper()
	o, err := k8s.Scheme().New(trv1.GroupVersion.WithKind(kind))
	if err != nil {
		t.Fatalf("unexpected sample kind %s: %v", kind, err)
	}
	return o.(object)
}

func sampleObjects(t *testing.T, ns string) []*unstructured.Unstructured {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(testenv.RepoRoot(), "config", "samples", "*.yaml"))
	must(t, err)
	var objs []*unstructured.Unstructured
	for _, file := range files {
		if filepath.Base(file) == "kustomization.yaml" {
			continue
		}
		data, err := os.ReadFile(file)
		must(t, err)
		reader := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(data)))
		for {
			doc, err := reader.Read()
			if errors.Is(err, io.EOF) {
				break
			}
			must(t, err)
			if len(bytes.TrimSpace(doc)) == 0 {
				continue
			}
			obj := &unstructured.Unstructured{}
			must(t, yaml.Unmarshal(doc, &obj.Object))
			obj.SetNamespace(ns)
			objs = append(objs, obj)
		}
	}
	return objs
}

// TestConditionSequenceForKstatus checks what a kstatus reader (Flux, Argo CD)
// sees: InProgress while waiting, Current once Ready, Failed when Stalled.
func TestConditionSequenceForKstatus(t *testing.T) {
	ns := newNamespace(t)
	ctx := context.Background()
	q := taskQueue(ns, "early", "1==1")
	must(t, k8s.Create(ctx, q)) // before its Workspace
	c := waitReason(t, q, trv1.ConditionReconciling, metav1.ConditionTrue, "WaitingForWorkspace")
	if c.ObservedGeneration != q.Generation {
		t.Fatalf("Reconciling stamped with generation %d, want %d", c.ObservedGeneration, q.Generation)
	}
	for _, ct := range []string{trv1.ConditionReady, trv1.ConditionStalled} {
		if got := condition(t, q, ct); got == nil || got.Status != metav1.ConditionFalse {
			t.Fatalf("%s while waiting = %+v, want False", ct, got)
		}
	}
	readyWorkspace(t, ns)
	waitReady(t, q) // Current: Ready=True, Reconciling=False, observedGeneration == generation
	if c := condition(t, q, trv1.ConditionReconciling); c == nil || c.Status != metav1.ConditionFalse {
		t.Fatalf("Reconciling after Ready = %+v, want False", c)
	}

	update(t, q, func(q *trv1.TaskQueue) { q.Spec.TargetWorkers = "skills HAS" }) // a syntax error
	c = waitReason(t, q, trv1.ConditionStalled, metav1.ConditionTrue, "InvalidSpec")
	if c.ObservedGeneration != q.Generation || q.Status.ObservedGeneration != q.Generation {
		t.Fatalf("Stalled for generation %d (status %d), want %d: kstatus would not report Failed", c.ObservedGeneration, q.Status.ObservedGeneration, q.Generation)
	}
	if !bytes.Contains([]byte(c.Message), []byte("spec.targetWorkers")) || !bytes.Contains([]byte(c.Message), []byte("position")) {
		t.Fatalf("InvalidSpec message does not name the field and position: %s", c.Message)
	}
}

// TestCredentialErrorsStallWithTheKey covers a Secret missing a key and its repair without a restart.
func TestCredentialErrorsStallWithTheKey(t *testing.T) {
	ns := newNamespace(t)
	ctx := context.Background()
	must(t, k8s.Create(ctx, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "partial", Namespace: ns},
		StringData: map[string]string{keyAccountSID: "AC00000000000000000000000000000001"}}))
	ws := workspace(ns, func(w *trv1.Workspace) { w.Spec.CredentialsRef.Name = "partial" })
	must(t, k8s.Create(ctx, ws))
	c := waitReason(t, ws, trv1.ConditionStalled, metav1.ConditionTrue, reasonCredentials)
	if !bytes.Contains([]byte(c.Message), []byte(keyAuthToken)) {
		t.Fatalf("message does not name the missing key %s: %s", keyAuthToken, c.Message)
	}
	var secret corev1.Secret
	must(t, k8s.Get(ctx, client.ObjectKey{Namespace: ns, Name: "partial"}, &secret))
	secret.StringData = map[string]string{keyAuthToken: "wrong-token"}
	must(t, k8s.Update(ctx, &secret))
	waitReason(t, ws, trv1.ConditionStalled, metav1.ConditionTrue, reasonUnauthorized)
	must(t, k8s.Get(ctx, client.ObjectKey{Namespace: ns, Name: "partial"}, &secret))
	secret.StringData = map[string]string{keyAuthToken: "emulator-dev-auth-token"}
	must(t, k8s.Update(ctx, &secret))
	waitReady(t, ws) // the rotated Secret is used on the next try, no restart
}
