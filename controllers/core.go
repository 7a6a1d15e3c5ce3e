package controllers

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/client-go/tools/events"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
)

// finalizer keeps a resource until its remote object is deleted (or released, per deletionPolicy).
const finalizer = "taskrouter.operator.dev/finalizer"

// object is what every kind of this operator is: a Kubernetes object with the
// remote-object fields in its spec and status.
type object interface {
	client.Object
	RemoteSpec() trv1.RemoteObjectSpec
	RemoteStatus() *trv1.RemoteObjectStatus
	StatusSnapshot() any
}

// reconciler is the one reconcile core every kind shares. It knows the order of
// the steps; the kind's adapter knows the mapping between spec and TaskRouter.
type reconciler[T object, R any] struct {
	env     *env
	adapter adapter[T, R]
}

// Reconcile runs the fixed step list: fetch → (delete path | finalizer) →
// connect (credentials, references) → observe → create or update → status.
// Status is written once, at the end, and only when it changed.
func (r *reconciler[T, R]) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	obj := r.adapter.newObject()
	if err := r.env.kube.Get(ctx, req.NamespacedName, obj); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	before := obj.DeepCopyObject().(T)
	run := &reconcileRun[T, R]{reconciler: r, obj: obj}

	var out outcome
	if obj.GetDeletionTimestamp() != nil {
		out = run.finalize(ctx)
	} else {
		out = run.sync(ctx)
	}
	setConditions(obj, out)
	run.reportProblem(before, out)
	if err := r.writeStatus(ctx, before, obj); err != nil {
		return ctrl.Result{}, err
	}
	return r.result(out)
}

// result turns an outcome into the work queue's next step: transient failures
// back off through the queue's rate limiter; everything else waits for the next
// watch event or the jittered drift check.
func (r *reconciler[T, R]) result(out outcome) (ctrl.Result, error) {
	switch {
	case out.retry != nil:
		return ctrl.Result{}, out.retry
	case out.released:
		return ctrl.Result{}, nil
	case out.requeueAfter > 0:
		return ctrl.Result{RequeueAfter: out.requeueAfter}, nil
	default:
		return ctrl.Result{RequeueAfter: jitter(r.env.syncPeriod)}, nil
	}
}

// writeStatus writes the status subresource only when something in it changed,
// so a steady state costs no API server writes.
func (r *reconciler[T, R]) writeStatus(ctx context.Context, before, after T) error {
	if after.GetDeletionTimestamp() != nil && !controllerutil.ContainsFinalizer(after, finalizer) {
		return nil // the object is gone once the finalizer is released
	}
	if equality.Semantic.DeepEqual(before.StatusSnapshot(), after.StatusSnapshot()) {
		return nil
	}
	if err := r.env.kube.Status().Patch(ctx, after, client.MergeFrom(before)); err != nil && !apierrors.IsNotFound(err) {
		return fmt.Errorf("write status of %s %s: %w", r.adapter.kind(), client.ObjectKeyFromObject(after), err)
	}
	return nil
}

// reconcileRun is one pass over one object.
type reconcileRun[T object, R any] struct {
	*reconciler[T, R]
	obj T
}

// reportProblem records a Warning Event when the object newly stalls or starts
// failing, or fails differently: once per change, not once per retry, so a
// backoff loop does not flood the namespace's Events.
func (run *reconcileRun[T, R]) reportProblem(before T, out outcome) {
	if !out.stalled && out.retry == nil {
		return
	}
	was := meta.FindStatusCondition(before.RemoteStatus().Conditions, trv1.ConditionReady)
	if was != nil && was.Reason == out.reason && was.Message == out.message {
		return
	}
	run.event("Warning", out.reason, "Reconcile", "%s", out.message)
}

// sync makes the remote object match the spec (or, for ObserveOnly, reads it).
func (run *reconcileRun[T, R]) sync(ctx context.Context) outcome {
	spec := run.obj.RemoteSpec()
	if spec.Policies.ManagementPolicy == trv1.Manage && !controllerutil.ContainsFinalizer(run.obj, finalizer) {
		// The finalizer goes on before anything is created, so no remote object can outlive its resource unseen.
		controllerutil.AddFinalizer(run.obj, finalizer)
		if err := run.env.kube.Update(ctx, run.obj); err != nil {
			return retryOutcome("AddingFinalizer", fmt.Errorf("add finalizer: %w", err))
		}
	}
	b, err := run.adapter.connect(ctx, run.env, run.obj)
	if err != nil {
		return classify("Connect", err)
	}
	remote, out, found := run.observe(ctx, b)
	if !found {
		return out
	}
	return run.converge(ctx, b, remote)
}

// converge brings an observed remote object in line with the spec and mirrors it into status.
func (run *reconcileRun[T, R]) converge(ctx context.Context, b binding[T, R], remote R) outcome {
	change := b.diff(remote)
	if len(change.fields) > 0 {
		if run.obj.RemoteSpec().Policies.ManagementPolicy == trv1.ObserveOnly {
			b.mirror(run.obj, remote)
			return outcome{concluded: true, reason: "Drifted", message: fmt.Sprintf("ObserveOnly: TaskRouter differs from the spec in %v; nothing was written", change.fields)}
		}
		updated, err := change.apply(ctx)
		if err != nil {
			return classify("Update", err)
		}
		remote = updated
		run.event("Normal", "Updated", "Update", "updated %s %s: %v", run.adapter.kind(), b.sid(remote), change.fields)
	}
	b.mirror(run.obj, remote)
	if p, ok := b.(pendingReferences); ok && p.pending() != nil {
		return classify("Resolve", p.pending())
	}
	if run.obj.RemoteSpec().Policies.ManagementPolicy == trv1.ObserveOnly {
		return outcome{ready: true, reason: "Observed", message: "the remote object matches the spec (ObserveOnly)"}
	}
	return outcome{ready: true, reason: "Synced", message: fmt.Sprintf("%s %s matches the spec", run.adapter.kind(), b.sid(remote))}
}

func (run *reconcileRun[T, R]) event(eventType, reason, action, note string, args ...any) {
	run.env.events.Eventf(run.obj, nil, eventType, reason, action, note, args...)
}

// jitter spreads drift checks of many objects over ±10% of the period, so they
// do not all hit TaskRouter in the same second.
func jitter(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	return d + time.Duration((rand.Float64()*0.2-0.1)*float64(d))
}

// recorder is the subset of the events API the core uses.
type recorder = events.EventRecorder
