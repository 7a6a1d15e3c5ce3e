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
	"math/rand/v2"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/client-go/tools/events"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"
	"sigs.k8s.io/controller-runtime/pkg/handler"

	corev1 "k8s.io/api/core/v1"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/internal/metrics"
)

// finalizer keeps a resource until its remote object is deleted (or released, per deletionPolicy).
const finalizer = "taskrouter.operator.dev/finalizer"

// env is what every controller shares: the Kubernetes client, how references and credentials are
// resolved, the clock and the settings from the manager's flags.
type env struct {
	kube client.Client
	// uncached reads straight from the API server what the cache does not hold (users' Secrets).
	uncached    client.Reader
	refs        *resolver
	credentials *credentials
	events      events.EventRecorder
	now         func() time.Time
	syncPeriod  time.Duration
	// snapshot is what the operator last listed of TaskRouter, shared by every reconcile.
	snapshot *snapshot
	// secrets is the metadata-only cache of Secrets, whose changes wake the objects that use them.
	secrets cache.Cache
	// metrics receives the figures the alerts read; nil records none.
	metrics *metrics.Metrics
	// kinds are every registered kind, to find what refers to an object whatever its kind.
	kinds []registration
}

// reconciler is the one reconcile core every kind shares. It knows the order of the steps; the
// kind's adapter knows the mapping between the spec and TaskRouter.
type reconciler[T object, R any, P any] struct {
	env     *env
	adapter adapter[T, R, P]
}

// pass is one reconcile of one object.
type pass[T object, R any, P any] struct {
	*reconciler[T, R, P]
	obj T
	// before is obj as the API server last confirmed it, the base of the final status patch.
	before T
	// scope is the snapshot scope the object was observed in, once connected.
	scope string
}

// Reconcile loads the object, runs the delete path or the sync steps, and concludes: conditions,
// a Warning Event when a problem is new, and one status write when anything in it changed.
func (r *reconciler[T, R, P]) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	obj := r.adapter.newObject()
	if err := r.env.kube.Get(ctx, req.NamespacedName, obj); err != nil {
		if apierrors.IsNotFound(err) && r.env.metrics != nil {
			r.env.metrics.ForgetObject(r.adapter.kind(), req.Namespace, req.Name)
		}
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	run := &pass[T, R, P]{reconciler: r, obj: obj, before: obj.DeepCopyObject().(T)}
	var res result
	if obj.GetDeletionTimestamp() != nil {
		res = run.finalize(ctx)
	} else {
		res = run.sync(ctx)
	}
	if err := run.conclude(ctx, res); err != nil {
		return ctrl.Result{}, err
	}
	return run.requeue(res)
}

// sync makes the remote object match the spec (or, for ObserveOnly, reads it):
// ensure finalizer → validate → connect → render → observe → claim or create → update → mirror.
func (run *pass[T, R, P]) sync(ctx context.Context) result {
	if res, ok := run.ensureFinalizer(ctx); !ok {
		return res
	}
	if v, ok := any(run.adapter).(validator[T]); ok {
		if err := v.validate(run.obj); err != nil {
			return classify("Validate", err)
		}
	}
	conn, err := run.env.refs.connect(ctx, run.obj)
	if err != nil {
		return classify("Connect", err)
	}
	want, err := run.adapter.render(ctx, run.env.refs, conn, run.obj)
	if err != nil {
		return classify("Connect", err)
	}
	objects := run.view(conn)
	if knownSID(run.obj.RemoteStatus(), run.obj.RemoteSpec()) == "" {
		// Adoption and creation by name are serialised per name, so two resources of one name
		// applied together never both create: the second sees the first's object.
		defer objects.listing.lockName(objects.fold(run.adapter.adoptionName(run.obj)))()
	}
	obs, res, ok := run.observe(ctx, objects, want)
	if !ok {
		return res
	}
	run.forgetVanished(obs)
	if obs.exists {
		res, ok = run.claim(ctx, objects, obs)
	} else {
		obs, res, ok = run.create(ctx, objects, want, obs)
	}
	if !ok {
		return res
	}
	current, res, ok := run.update(ctx, objects, want, obs)
	if !ok {
		return res
	}
	if sub, ok := any(run.adapter).(subresources[T, R]); ok {
		first := obs.byName || obs.created // created or adopted on this pass
		if err := sub.syncSubresources(ctx, run.env, conn, run.obj, current, first); err != nil {
			return classify("Update", err)
		}
	}
	run.adapter.mirror(run.obj, current)
	return run.verdict(want, current)
}

// ensureFinalizer puts the finalizer on before anything is created, so no remote object can outlive
// its resource unseen. ObserveOnly resources never create or delete, so they need none.
func (run *pass[T, R, P]) ensureFinalizer(ctx context.Context) (result, bool) {
	if run.obj.RemoteSpec().Policies.ManagementPolicy != trv1.Manage || controllerutil.ContainsFinalizer(run.obj, finalizer) {
		return result{}, true
	}
	if err := patchFinalizers(ctx, run.env.kube, run.obj, controllerutil.AddFinalizer); err != nil {
		return retrying(reasonAddingFinalizer, fmt.Errorf("add finalizer: %w", err)), false
	}
	run.rebase()
	return result{}, true
}

// rebase makes obj, as a write just returned it, the base of the final status patch, so that patch
// carries every status change made since (a create attempt recorded and then cleared included).
func (run *pass[T, R, P]) rebase() {
	run.obj.SetManagedFields(nil) // as the cache holds it: never sent back
	run.before = run.obj.DeepCopyObject().(T)
}

// patchFinalizers changes obj's finalizers in a patch of that field alone, guarded by the
// resourceVersion: the cache holds objects without their managedFields and last-applied
// annotation (to save memory), so writing a whole object back would drop them.
func patchFinalizers(ctx context.Context, kube client.Client, obj client.Object, change func(client.Object, string) bool) error {
	before := obj.DeepCopyObject().(client.Object)
	if !change(obj, finalizer) {
		return nil
	}
	return kube.Patch(ctx, obj, client.MergeFromWithOptions(before, client.MergeFromWithOptimisticLock{}))
}

// verdict is the conclusion of a sync that reached the remote object.
func (run *pass[T, R, P]) verdict(want desired[R, P], remote R) result {
	if p, ok := want.(pendingReferences); ok && p.pending() != nil {
		return classify("Resolve", p.pending())
	}
	if run.obj.RemoteSpec().Policies.ManagementPolicy == trv1.ObserveOnly {
		return result{verdict: ready, reason: reasonObserved, message: "the remote object matches the spec (ObserveOnly)"}
	}
	return result{verdict: ready, reason: reasonSynced, message: fmt.Sprintf("%s %s matches the spec", run.adapter.kind(), run.adapter.identify(remote).sid)}
}

// conclude sets the conditions, reports a new problem and writes the status if it changed.
func (run *pass[T, R, P]) conclude(ctx context.Context, res result) error {
	if res.verdict == released {
		if run.env.metrics != nil {
			run.env.metrics.ForgetObject(run.adapter.kind(), run.obj.GetNamespace(), run.obj.GetName())
		}
		return nil // the object is gone with its finalizer
	}
	setConditions(run.obj, res)
	run.reportProblem(run.before, res)
	if run.env.metrics != nil {
		run.env.metrics.SetConditions(run.adapter.kind(), run.obj.GetNamespace(), run.obj.GetName(), run.obj.RemoteStatus().Conditions)
	}
	return writeStatus(ctx, run.env.kube, run.before, run.obj, func(o client.Object) any { return o.(T).StatusSnapshot() })
}

// reportProblem records a Warning Event when the object newly stalls or starts failing, or fails
// differently: once per change, not once per retry, so a backoff loop does not flood the
// namespace's Events.
func (run *pass[T, R, P]) reportProblem(before T, res result) {
	if res.verdict != stalled && res.retry == nil {
		return
	}
	was := meta.FindStatusCondition(before.RemoteStatus().Conditions, trv1.ConditionReady)
	if was != nil && was.Reason == res.reason && was.Message == res.message {
		return
	}
	run.event(corev1.EventTypeWarning, res.reason, "Reconcile", "%s", res.message)
}

// requeue turns a result into the work queue's next step: transient failures back off through the
// queue's rate limiter; everything else waits for the next watch event or the next sweep of its
// scope, at low priority, so that work on changed objects always goes first.
func (run *pass[T, R, P]) requeue(res result) (ctrl.Result, error) {
	low := handler.LowPriority
	switch {
	case res.retry != nil:
		return ctrl.Result{}, res.retry
	case res.verdict == released:
		return ctrl.Result{}, nil
	case res.after > 0:
		return ctrl.Result{RequeueAfter: res.after, Priority: &low}, nil
	case run.scope != "":
		return ctrl.Result{RequeueAfter: run.env.snapshot.requeueAt(run.scope), Priority: &low}, nil
	default:
		return ctrl.Result{RequeueAfter: jitter(run.env.syncPeriod), Priority: &low}, nil
	}
}

func (run *pass[T, R, P]) event(eventType, reason, action, note string, args ...any) {
	run.env.events.Eventf(run.obj, nil, eventType, reason, action, note, args...)
}

// jitter spreads drift checks of many objects over ±10% of the period, so they do not all hit
// TaskRouter in the same second.
func jitter(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	return d + time.Duration((rand.Float64()*0.2-0.1)*float64(d))
}
