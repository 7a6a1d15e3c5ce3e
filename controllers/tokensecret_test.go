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
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/tools/events"
	ctrl "sigs.k8s.io/controller-runtime"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/internal/capability"
	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator"
	"github.com/taskrouter-operator/taskrouter-operator/internal/taskrouter"
)

func testURLs() capability.URLs { return capability.URLs{TaskRouter: base, EventBridge: base} }

// waitTokenSecret waits for status.tokenSecret to report an expiry and returns the Secret.
func waitTokenSecret(t *testing.T, obj object, status func() *trv1.TokenSecretStatus) *corev1.Secret {
	t.Helper()
	eventually(t, "token Secret of "+obj.GetName(), func() (bool, string) {
		must(t, k8s.Get(context.Background(), keyOf(obj), obj))
		s := status()
		if s == nil || s.ExpiresAt == nil {
			return false, "no status.tokenSecret with expiry"
		}
		return true, ""
	})
	var secret corev1.Secret
	must(t, k8s.Get(context.Background(), types.NamespacedName{Namespace: obj.GetNamespace(), Name: status().Name}, &secret))
	return &secret
}

// verifyToken checks the Secret's token signature and returns its claims.
func verifyToken(t *testing.T, secret *corev1.Secret, now time.Time) *capability.Claims {
	t.Helper()
	claims, err := capability.Verify(string(secret.Data[tokenKey]), emulator.DevAccountSID, emulator.DevAuthToken, now)
	must(t, err)
	return claims
}

// withChannel is the full policy list Mint writes: the channel's GET and POST, then the grant's.
func withChannel(channel string, policies []capability.Policy) []capability.Policy {
	ch := testURLs().Channel(emulator.DevAccountSID, channel)
	return append([]capability.Policy{
		{URL: ch, Method: "GET", QueryFilter: map[string]any{}, PostFilter: map[string]any{}, Allow: true},
		{URL: ch, Method: "POST", QueryFilter: map[string]any{}, PostFilter: map[string]any{}, Allow: true},
	}, policies...)
}

func TestTaskQueueTokenSecret(t *testing.T) {
	ns := newNamespace(t)
	ws := readyWorkspace(t, ns)
	ctx := context.Background()
	q := taskQueue(ns, "support", "1==1")
	q.Spec.TokenSecret = &trv1.TaskQueueTokenSecret{Name: "support-token", Capabilities: []trv1.TaskQueueCapability{"FetchSubresources", "Updates"}}
	must(t, k8s.Create(ctx, q))
	waitReady(t, q)
	secret := waitTokenSecret(t, q, func() *trv1.TokenSecretStatus { return q.Status.TokenSecret })

	if ref := metav1.GetControllerOf(secret); ref == nil || ref.UID != q.UID || ref.Kind != "TaskQueue" {
		t.Fatalf("Secret controller reference %+v, want the TaskQueue %s", ref, q.UID)
	}
	if secret.Labels[ManagedByLabel] != ManagedByValue {
		t.Fatalf("Secret labels %v lack %s=%s", secret.Labels, ManagedByLabel, ManagedByValue)
	}
	claims := verifyToken(t, secret, time.Now())
	want, err := testURLs().TaskQueuePolicies(ws.Status.SID, q.Status.SID, capability.TaskQueueFetchSubresources, capability.TaskQueueUpdates)
	must(t, err)
	if diff := cmp.Diff(withChannel(q.Status.SID, want), claims.Policies); diff != "" {
		t.Fatalf("token policies differ from the listed capabilities (-want +got):\n%s", diff)
	}
	if claims.TaskQueueSID != q.Status.SID || claims.WorkspaceSID != ws.Status.SID || claims.ExpiresAt.Unix() != q.Status.TokenSecret.ExpiresAt.Unix() {
		t.Fatalf("claims queue %s workspace %s exp %v; status expiry %v", claims.TaskQueueSID, claims.WorkspaceSID, claims.ExpiresAt, q.Status.TokenSecret.ExpiresAt)
	}
	self := testURLs().Resource("Workspaces/" + ws.Status.SID + "/TaskQueues/" + q.Status.SID)
	for _, c := range []struct {
		method, url string
		allowed     bool
	}{{"GET", self, true}, {"POST", self, true}, {"GET", self + "/Statistics", true}, {"DELETE", self, false},
		{"POST", testURLs().Resource("Workspaces/" + ws.Status.SID), false}} {
		if got := capability.Allowed(claims.Policies, c.method, c.url, nil, nil); got != c.allowed {
			t.Errorf("%s %s allowed=%v, want %v", c.method, c.url, got, c.allowed)
		}
	}

	// Removing the field removes the Secret and the status.
	update(t, q, func(q *trv1.TaskQueue) { q.Spec.TokenSecret = nil })
	eventually(t, "token Secret deleted", func() (bool, string) {
		err := k8s.Get(ctx, keyOf(secret), &corev1.Secret{})
		must(t, k8s.Get(ctx, keyOf(q), q))
		return apierrors.IsNotFound(err) && q.Status.TokenSecret == nil, "Secret or status still there"
	})
}

func TestWorkerAndWorkspaceTokenSecrets(t *testing.T) {
	ns := newNamespace(t)
	ws := readyWorkspace(t, ns, func(w *trv1.Workspace) {
		w.Spec.TokenSecret = &trv1.WorkspaceTokenSecret{Name: "supervisor", Capabilities: []trv1.WorkspaceCapability{"FetchSubresources"}}
	})
	w := worker(ns, "agent", `{}`)
	w.Spec.TokenSecret = &trv1.WorkerTokenSecret{Name: "agent-token", TTL: &metav1.Duration{Duration: 10 * time.Minute},
		Capabilities: []trv1.WorkerCapability{"ActivityUpdates"}}
	must(t, k8s.Create(context.Background(), w))
	waitReady(t, w)

	secret := waitTokenSecret(t, w, func() *trv1.TokenSecretStatus { return w.Status.TokenSecret })
	claims := verifyToken(t, secret, time.Now())
	want, err := testURLs().WorkerPolicies(ws.Status.SID, w.Status.SID, capability.WorkerActivityUpdates)
	must(t, err)
	if diff := cmp.Diff(withChannel(w.Status.SID, want), claims.Policies); diff != "" {
		t.Fatalf("worker token policies (-want +got):\n%s", diff)
	}
	if ttl := time.Until(claims.ExpiresAt.Time); claims.WorkerSID != w.Status.SID || ttl > 10*time.Minute {
		t.Fatalf("worker claim %s, lifetime %s; want %s and at most the 10m TTL", claims.WorkerSID, ttl, w.Status.SID)
	}

	if c := meta.FindStatusCondition(w.Status.TokenSecret.Conditions, trv1.ConditionReady); c == nil || c.Status != metav1.ConditionTrue || c.Reason != reasonTokenKept {
		t.Fatalf("worker status.tokenSecret Ready condition = %+v, want True/%s", c, reasonTokenKept)
	}

	secret = waitTokenSecret(t, ws, func() *trv1.TokenSecretStatus { return ws.Status.TokenSecret })
	claims = verifyToken(t, secret, time.Now())
	want, err = testURLs().WorkspacePolicies(ws.Status.SID, capability.WorkspaceFetchSubresources)
	must(t, err)
	if diff := cmp.Diff(withChannel(ws.Status.SID, want), claims.Policies); diff != "" {
		t.Fatalf("workspace token policies (-want +got):\n%s", diff)
	}
}

func TestForeignSecretIsNotOverwritten(t *testing.T) {
	ns := newNamespace(t)
	readyWorkspace(t, ns)
	ctx := context.Background()
	mine := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "taken", Namespace: ns}, StringData: map[string]string{"token": "users-own"}}
	must(t, k8s.Create(ctx, mine))
	q := taskQueue(ns, "q", "1==1")
	q.Spec.TokenSecret = &trv1.TaskQueueTokenSecret{Name: "taken"}
	must(t, k8s.Create(ctx, q))
	eventually(t, "refusal in status.tokenSecret.message", func() (bool, string) {
		must(t, k8s.Get(ctx, keyOf(q), q))
		s := q.Status.TokenSecret
		return s != nil && strings.Contains(s.Message, "not owned"), "no refusal yet"
	})
	if c := meta.FindStatusCondition(q.Status.TokenSecret.Conditions, trv1.ConditionReady); c == nil ||
		c.Status != metav1.ConditionFalse || c.Reason != reasonTokenSecretConflict || !strings.Contains(c.Message, "not owned") {
		t.Fatalf("status.tokenSecret Ready condition = %+v, want False/%s saying the Secret is not owned", c, reasonTokenSecretConflict)
	}
	var got corev1.Secret
	must(t, k8s.Get(ctx, keyOf(mine), &got))
	if string(got.Data["token"]) != "users-own" || len(got.OwnerReferences) != 0 {
		t.Fatalf("the user's Secret was changed: token %q owners %v", got.Data["token"], got.OwnerReferences)
	}
	// Removing the field never deletes a Secret the operator does not own.
	update(t, q, func(q *trv1.TaskQueue) { q.Spec.TokenSecret = nil })
	eventually(t, "status.tokenSecret cleared", func() (bool, string) {
		must(t, k8s.Get(ctx, keyOf(q), q))
		return q.Status.TokenSecret == nil, "still reported"
	})
	must(t, k8s.Get(ctx, keyOf(mine), &got))
}

// fakeClock is a settable clock for the renewal test.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

func TestTokenRenewedBeforeExpiry(t *testing.T) {
	ns := newNamespace(t)
	readyWorkspace(t, ns)
	ctx := context.Background()
	q := taskQueue(ns, "renewed", "1==1")
	q.Spec.TokenSecret = &trv1.TaskQueueTokenSecret{Name: "renewed-token", TTL: &metav1.Duration{Duration: time.Hour}}
	must(t, k8s.Create(ctx, q))
	first := waitTokenSecret(t, q, func() *trv1.TokenSecretStatus { return q.Status.TokenSecret })
	expiry := q.Status.TokenSecret.ExpiresAt.Time

	// A reconciler of our own with an injected clock, against the same API server.
	clock := &fakeClock{t: time.Now().Add(30 * time.Minute)}
	creds := newCredentials(k8s, taskrouter.New(taskrouter.Config{TaskRouterBaseURL: base, EventBridgeBaseURL: base}))
	e := &env{kube: k8s, uncached: k8s, refs: &resolver{kube: k8s, credentials: creds}, credentials: creds, events: &events.FakeRecorder{},
		now: clock.now, syncPeriod: 24 * time.Hour}
	r := &tokenSecretReconciler[*trv1.TaskQueue]{env: e, kind: "TaskQueue", newObj: taskQueueAdapter{}.newObject, source: taskQueueAdapter{}}
	req := ctrl.Request{NamespacedName: keyOf(q)}

	res, err := r.Reconcile(ctx, req)
	must(t, err)
	renewAt := clock.t.Add(res.RequeueAfter)
	if res.RequeueAfter <= 0 || !renewAt.Before(expiry) {
		t.Fatalf("30m into a 1h token the renewal is due in %s (at %v), want before the expiry %v", res.RequeueAfter, renewAt, expiry)
	}
	var secret corev1.Secret
	must(t, k8s.Get(ctx, keyOf(first), &secret))
	if string(secret.Data[tokenKey]) != string(first.Data[tokenKey]) {
		t.Fatal("a fresh token was replaced before its renewal time")
	}

	clock.t = renewAt.Add(time.Second) // the requeue fires: still before expiry
	res, err = r.Reconcile(ctx, req)
	must(t, err)
	must(t, k8s.Get(ctx, keyOf(first), &secret))
	if string(secret.Data[tokenKey]) == string(first.Data[tokenKey]) {
		t.Fatal("the token was not renewed at its renewal time")
	}
	claims := verifyToken(t, &secret, clock.t)
	if !claims.ExpiresAt.After(expiry) || res.RequeueAfter <= 0 || res.RequeueAfter > time.Hour {
		t.Fatalf("renewed token expires %v (old %v), next renewal in %s", claims.ExpiresAt, expiry, res.RequeueAfter)
	}
	must(t, k8s.Get(ctx, keyOf(q), q))
	if q.Status.TokenSecret == nil || q.Status.TokenSecret.ExpiresAt.Unix() != claims.ExpiresAt.Unix() {
		t.Fatalf("status.tokenSecret %+v does not show the renewed expiry %v", q.Status.TokenSecret, claims.ExpiresAt)
	}
}
