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

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/client-go/tools/events"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"

	corev1 "k8s.io/api/core/v1"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
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
}

// Reconcile loads the object, runs the delete path or the sync steps, and concludes: conditions,
// a Warning Event when a problem is new, and one status write when anything in it changed.
func (r *reconciler[T, R, P]) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	obj := r.adapter.newObject()
	if err := r.env.kube.Get(ctx, req.NamespacedName, obj); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	before := obj.DeepCopyObject().(T)
	run := &pass[T, R, P]{reconciler: r, obj: obj}
	var res result
	if obj.GetDeletionTimestamp() != nil {
		res = run.finalize(ctx)
	} else {
		res = run.sync(ctx)
	}
	if err := run.conclude(ctx, before, res); err != nil {
		return ctrl.Result{}, err
	}
	return r.requeue(res)
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
	current, res, ok := run.update(ctx, objects, obs)
	if !ok {
		return res
	}
	if sub, ok := any(run.adapter).(subresources[T, R]); ok {
		first := obs.byName || obs.created // created or adopted on this pass
		if err := sub.syncSubresources(ctx, run.env.refs, conn, run.obj, current, first); err != nil {
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
	controllerutil.AddFinalizer(run.obj, finalizer)
	if err := run.env.kube.Update(ctx, run.obj); err != nil {
		return retrying(reasonAddingFinalizer, fmt.Errorf("add finalizer: %w", err)), false
	}
	return result{}, true
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
func (run *pass[T, R, P]) conclude(ctx context.Context, before T, res result) error {
	if res.verdict == released {
		return nil // the object is gone with its finalizer
	}
	setConditions(run.obj, res)
	run.reportProblem(before, res)
	return writeStatus(ctx, run.env.kube, before, run.obj, func(o client.Object) any { return o.(T).StatusSnapshot() })
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
// queue's rate limiter; everything else waits for the next watch event or the jittered drift check.
func (r *reconciler[T, R, P]) requeue(res result) (ctrl.Result, error) {
	switch {
	case res.retry != nil:
		return ctrl.Result{}, res.retry
	case res.verdict == released:
		return ctrl.Result{}, nil
	case res.after > 0:
		return ctrl.Result{RequeueAfter: res.after}, nil
	default:
		return ctrl.Result{RequeueAfter: jitter(r.env.syncPeriod)}, nil
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
