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
	"errors"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"
	"sigs.k8s.io/controller-runtime/pkg/predicate"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/internal/capability"
	"github.com/taskrouter-operator/taskrouter-operator/internal/metrics"
)

// +kubebuilder:rbac:groups="",resources=secrets,verbs=create;update;patch;delete;list;watch

// Token Secret layout. The label is also the manager's cache selector for
// Secrets: the operator never caches (or watches) Secrets it does not keep.
const (
	ManagedByLabel = "app.kubernetes.io/managed-by"
	ManagedByValue = "taskrouter-operator"
	// tokenKey holds the capability token; expiresAtKey its expiry (RFC 3339).
	tokenKey     = "token"
	expiresAtKey = "expiresAt"
	// grantAnnotation is a digest of everything the token depends on (account,
	// auth token, channel, policies, TTL): a change of any of them re-mints.
	grantAnnotation = "taskrouter.operator.dev/grant"
	// renewAtAnnotation is when the token is renewed: 80% into its lifetime.
	renewAtAnnotation = "taskrouter.operator.dev/renew-at"
)

// renewalFraction of a token's TTL passes before it is renewed.
const renewalFraction = 0.8

// tokenRequest is a resolved spec.tokenSecret: the Secret to keep and the grant to put in it.
type tokenRequest struct {
	secretName string
	ttl        time.Duration
	grant      capability.Grant
	minter     capability.Minter
}

// tokenSource is implemented by the adapters of kinds that can keep a front-end token Secret
// (Workspace, TaskQueue, Worker): which policies their capabilities map to lives with the kind.
type tokenSource[T object] interface {
	// tokenSecret is spec.tokenSecret: the Secret's name ("" when the field is unset) and the TTL.
	tokenSecret(obj T) (name string, ttl *metav1.Duration)
	// tokenStatus is status.tokenSecret.
	tokenStatus(obj T) **trv1.TokenSecretStatus
	// tokenPolicies are the policies of obj's token, on its own channel (its SID), in workspace wsSID.
	tokenPolicies(urls capability.URLs, obj T, wsSID string) ([]capability.Policy, error)
}

// capabilitiesAs converts the API's capability names into the capability package's type for them.
func capabilitiesAs[To ~string, From ~string](in []From) []To {
	out := make([]To, len(in))
	for i, c := range in {
		out[i] = To(c)
	}
	return out
}

// tokenSecretReconciler keeps one kind's token Secrets.
type tokenSecretReconciler[T object] struct {
	env     *env
	metrics *metrics.Metrics
	kind    string
	newObj  func() T
	source  tokenSource[T]
}

// setupTokenSecrets starts the token controller of one kind, watching the Secrets it owns.
func setupTokenSecrets[T object](mgr ctrl.Manager, e *env, opts Options, kind string, newObject func() T, newList func() client.ObjectList, source tokenSource[T]) error {
	// Tokens are written against the hosts of each Workspace's account (credentials.capabilityURLs).
	r := &tokenSecretReconciler[T]{env: e, metrics: opts.Metrics, kind: kind, newObj: newObject, source: source}
	// A rotated auth token re-mints at once: the credentials Secret's changes wake the owners.
	return ctrl.NewControllerManagedBy(mgr).
		Named("tokensecret-"+lower(kind)).
		For(newObject(), builder.WithPredicates(predicate.Or(predicate.GenerationChangedPredicate{}, sidChanged()))).
		Owns(&corev1.Secret{}).
		WatchesRawSource(secretChanges(e.secrets, e.kube, func() client.Object { return newObject() }, newList)).
		WithOptions(controller.Options{MaxConcurrentReconciles: max(1, opts.MaxConcurrentReconciles)}).
		Complete(r)
}

// Reconcile keeps the Secret of spec.tokenSecret: created, renewed at 80% of
// the TTL (the result's RequeueAfter), re-minted when the grant changes, and
// deleted when the field goes. The CR owns the Secret, so deleting the CR lets
// the garbage collector remove it.
func (r *tokenSecretReconciler[T]) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	obj := r.newObj()
	if err := r.env.kube.Get(ctx, req.NamespacedName, obj); err != nil {
		if apierrors.IsNotFound(err) {
			r.forget(req.Namespace, req.Name)
		}
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	if obj.GetDeletionTimestamp() != nil {
		r.forget(req.Namespace, req.Name)
		return ctrl.Result{}, nil
	}
	before := obj.DeepCopyObject().(T)
	status := r.source.tokenStatus(obj)
	name, _ := r.source.tokenSecret(obj)
	if *status != nil && (*status).Name != name {
		if err := deleteIfOwned(ctx, r.env.kube, obj, &corev1.Secret{}, (*status).Name); err != nil { // a user's Secret is never deleted
			return ctrl.Result{}, err
		}
		*status = nil
	}
	var result ctrl.Result
	if name == "" {
		r.forget(obj.GetNamespace(), obj.GetName())
	} else {
		next, after, err := r.keep(ctx, obj, name)
		if err != nil {
			return ctrl.Result{}, err
		}
		*status, result.RequeueAfter = next, after
	}
	part := func(o client.Object) any { return *r.source.tokenStatus(o.(T)) }
	if err := writeStatus(ctx, r.env.kube, before, obj, part); err != nil {
		return ctrl.Result{}, err
	}
	return result, nil
}

// keep makes the Secret hold a fresh token for obj and returns the status to
// show and when to come back.
func (r *tokenSecretReconciler[T]) keep(ctx context.Context, obj T, name string) (*trv1.TokenSecretStatus, time.Duration, error) {
	want, err := r.request(ctx, obj, name)
	var p *problem
	switch {
	case errors.As(err, &p) && !p.stalled:
		// The watches (sid known, spec changed) bring the object back.
		return notKept(name, p), 0, nil
	case errors.As(err, &p):
		return notKept(name, p), jitter(r.env.syncPeriod), nil
	case err != nil:
		return nil, 0, err
	}
	key := types.NamespacedName{Namespace: obj.GetNamespace(), Name: name}
	var secret corev1.Secret
	err = r.env.kube.Get(ctx, key, &secret)
	switch {
	case apierrors.IsNotFound(err):
		return r.create(ctx, obj, want)
	case err != nil:
		return nil, 0, fmt.Errorf("read token Secret %s: %w", key, err)
	case !ownedBy(&secret, obj):
		return r.refuse(obj, name), jitter(r.env.syncPeriod), nil
	}
	now := r.env.now()
	if renewAt, fresh := r.fresh(&secret, want, now); fresh {
		return r.kept(obj, &secret), min(renewAt.Sub(now), jitter(r.env.syncPeriod)), nil
	}
	return r.update(ctx, obj, &secret, want)
}

// fresh reports whether secret already holds a token for want that is not yet due for renewal.
func (r *tokenSecretReconciler[T]) fresh(secret *corev1.Secret, want *tokenRequest, now time.Time) (time.Time, bool) {
	if secret.Annotations[grantAnnotation] != want.minter.CacheKey(want.grant) || len(secret.Data[tokenKey]) == 0 {
		return time.Time{}, false
	}
	renewAt, err := time.Parse(time.RFC3339, secret.Annotations[renewAtAnnotation])
	return renewAt, err == nil && now.Before(renewAt)
}

func (r *tokenSecretReconciler[T]) create(ctx context.Context, obj T, want *tokenRequest) (*trv1.TokenSecretStatus, time.Duration, error) {
	secret := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: want.secretName, Namespace: obj.GetNamespace()}, Type: corev1.SecretTypeOpaque}
	if err := controllerutil.SetControllerReference(obj, secret, r.env.kube.Scheme()); err != nil {
		return nil, 0, fmt.Errorf("own token Secret %s: %w", want.secretName, err)
	}
	after, err := r.fill(secret, want)
	if err != nil {
		return nil, 0, err
	}
	err = r.env.kube.Create(ctx, secret)
	if apierrors.IsAlreadyExists(err) {
		// Not in the cache, yet there: a Secret without our label, which the
		// cache never sees. Read it directly to tell a user's Secret from cache lag.
		var existing corev1.Secret
		if gerr := r.env.uncached.Get(ctx, client.ObjectKeyFromObject(secret), &existing); gerr != nil {
			return nil, 0, fmt.Errorf("read token Secret %s: %w", want.secretName, gerr)
		}
		if !ownedBy(&existing, obj) || existing.Labels[ManagedByLabel] != ManagedByValue {
			return r.refuse(obj, want.secretName), jitter(r.env.syncPeriod), nil
		}
		return r.update(ctx, obj, &existing, want)
	}
	if err != nil {
		return nil, 0, fmt.Errorf("create token Secret %s: %w", want.secretName, err)
	}
	r.written()
	return r.kept(obj, secret), after, nil
}

func (r *tokenSecretReconciler[T]) update(ctx context.Context, obj T, secret *corev1.Secret, want *tokenRequest) (*trv1.TokenSecretStatus, time.Duration, error) {
	after, err := r.fill(secret, want)
	if err != nil {
		return nil, 0, err
	}
	if err := r.env.kube.Update(ctx, secret); err != nil {
		return nil, 0, fmt.Errorf("renew token Secret %s: %w", secret.Name, err)
	}
	r.written()
	return r.kept(obj, secret), after, nil
}

// fill mints a token into secret and returns how long until it is due for renewal.
func (r *tokenSecretReconciler[T]) fill(secret *corev1.Secret, want *tokenRequest) (time.Duration, error) {
	now := r.env.now()
	token, expires, err := want.minter.Mint(want.grant)
	if err != nil {
		return 0, fmt.Errorf("token Secret %s: %w", want.secretName, err)
	}
	renewIn := time.Duration(float64(want.ttl) * renewalFraction)
	renewAt := now.Add(renewIn).Truncate(time.Second)
	if secret.Labels == nil {
		secret.Labels = map[string]string{}
	}
	if secret.Annotations == nil {
		secret.Annotations = map[string]string{}
	}
	secret.Labels[ManagedByLabel] = ManagedByValue
	secret.Annotations[grantAnnotation] = want.minter.CacheKey(want.grant)
	secret.Annotations[renewAtAnnotation] = renewAt.UTC().Format(time.RFC3339)
	secret.Data = map[string][]byte{tokenKey: []byte(token), expiresAtKey: []byte(expires.UTC().Format(time.RFC3339))}
	return max(renewAt.Sub(now), time.Second), nil
}

// refuse leaves a Secret the operator does not own untouched and says so in
// status.tokenSecret.message and a Warning event (never with the token).
func (r *tokenSecretReconciler[T]) refuse(obj T, name string) *trv1.TokenSecretStatus {
	p := &problem{stalled: true, reason: reasonTokenSecretConflict,
		message: fmt.Sprintf("Secret %q exists and is not owned by this %s: the operator does not overwrite it; delete it or choose another spec.tokenSecret.name", name, r.kind)}
	r.env.events.Eventf(obj, nil, corev1.EventTypeWarning, p.reason, "KeepTokenSecret", "%s", p.message)
	return notKept(name, p)
}

func (r *tokenSecretReconciler[T]) written() {
	if r.metrics != nil {
		r.metrics.TokenSecrets.WithLabelValues(r.kind).Inc()
	}
}

// ownedBy reports whether owner is o's controller.
func ownedBy(o, owner client.Object) bool {
	ref := metav1.GetControllerOf(o)
	return ref != nil && ref.UID == owner.GetUID()
}

// kept is the status of a Secret that holds a valid token, whose renewal and expiry times it also
// publishes for the alerts on token Secrets not renewed.
func (r *tokenSecretReconciler[T]) kept(obj T, secret *corev1.Secret) *trv1.TokenSecretStatus {
	s := keptStatus(secret)
	renewAt, err := time.Parse(time.RFC3339, secret.Annotations[renewAtAnnotation])
	if r.metrics != nil && err == nil && s.ExpiresAt != nil {
		r.metrics.SetTokenSecret(r.kind, obj.GetNamespace(), obj.GetName(), secret.Name, renewAt, s.ExpiresAt.Time)
	}
	return s
}

// forget drops the token series of an owner that keeps no token Secret any more.
func (r *tokenSecretReconciler[T]) forget(namespace, name string) {
	if r.metrics != nil {
		r.metrics.ForgetTokenSecret(r.kind, namespace, name)
	}
}

// keptStatus is the status of a Secret that holds a valid token.
func keptStatus(secret *corev1.Secret) *trv1.TokenSecretStatus {
	s := &trv1.TokenSecretStatus{Name: secret.Name}
	if t, err := time.Parse(time.RFC3339, string(secret.Data[expiresAtKey])); err == nil {
		at := metav1.NewTime(t)
		s.ExpiresAt = &at
	}
	meta.SetStatusCondition(&s.Conditions, metav1.Condition{Type: trv1.ConditionReady, Status: metav1.ConditionTrue, Reason: reasonTokenKept,
		Message: "the Secret holds a valid token, renewed before it expires"})
	return s
}

// notKept is the status of a Secret the operator cannot keep now, and why.
func notKept(name string, p *problem) *trv1.TokenSecretStatus {
	s := &trv1.TokenSecretStatus{Name: name, Message: p.message}
	meta.SetStatusCondition(&s.Conditions, metav1.Condition{Type: trv1.ConditionReady, Status: metav1.ConditionFalse, Reason: p.reason, Message: p.message})
	return s
}

// request resolves obj's grant: its SID, its Workspace's SID and credentials (the auth token signs
// the token), and the policies of the listed capabilities.
func (r *tokenSecretReconciler[T]) request(ctx context.Context, obj T, name string) (*tokenRequest, error) {
	if obj.RemoteStatus().SID == "" {
		return nil, waiting(reasonWaitingForSID, "%s %q has no SID yet", r.kind, obj.GetName())
	}
	ws, err := r.env.refs.owner(ctx, obj)
	if err != nil {
		return nil, err
	}
	creds, err := r.env.credentials.read(ctx, ws)
	if err != nil {
		return nil, err
	}
	if creds.AuthToken == "" {
		return nil, stall(reasonCredentials, "credentials Secret %q has no %s: capability tokens are signed with it", ws.Spec.CredentialsRef.Name, keyAuthToken)
	}
	urls, err := r.env.credentials.capabilityURLs(ws, creds)
	if err != nil {
		return nil, err
	}
	policies, err := r.source.tokenPolicies(urls, obj, ws.Status.SID)
	if err != nil {
		return nil, stall(reasonInvalidCapability, "spec.tokenSecret.capabilities: %v", err)
	}
	_, ttl := r.source.tokenSecret(obj)
	lifetime := capability.DefaultTTL
	if ttl != nil && ttl.Duration > 0 {
		lifetime = ttl.Duration
	}
	return &tokenRequest{
		secretName: name,
		ttl:        lifetime,
		grant:      capability.Grant{WorkspaceSID: ws.Status.SID, Channel: obj.RemoteStatus().SID, Policies: policies, TTL: lifetime},
		minter:     capability.Minter{AccountSID: creds.AccountSID, AuthToken: creds.AuthToken, URLs: urls, Now: r.env.now},
	}, nil
}
