package controllers

import (
	"context"
	"fmt"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/clock"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/internal/capability"
	"github.com/taskrouter-operator/taskrouter-operator/internal/metrics"
	"github.com/taskrouter-operator/taskrouter-operator/internal/taskrouter"
)

// Field indexes the controllers look objects up by.
const (
	// sidIndex holds spec.sid and status.sid: who claims a remote object.
	sidIndex = "taskrouter.operator.dev/sid"
	// referenceIndex holds "Kind/name" of every object a resource refers to.
	referenceIndex = "taskrouter.operator.dev/references"
)

// Options are the manager's settings for the controllers.
type Options struct {
	// TaskRouter is the client every controller shares (one rate limiter per account).
	TaskRouter *taskrouter.Client
	// SyncPeriod is how often each object is checked for drift (jittered by ±10%).
	SyncPeriod time.Duration
	// MaxConcurrentReconciles applies to every controller.
	MaxConcurrentReconciles int
	// Clock is injectable for tests; nil is the real clock.
	Clock clock.PassiveClock
	// StatisticsInterval is the default interval between statistics refreshes
	// (spec.statistics.interval overrides it); 0 turns polling off by default.
	StatisticsInterval time.Duration
	// Metrics receives the mirrored figures and the operator's own measurements; nil records none.
	Metrics *metrics.Metrics
	// CapabilityURLs are the base URLs front-end tokens are written against (zero: Twilio's).
	CapabilityURLs capability.URLs
}

// +kubebuilder:rbac:groups=taskrouter.operator.dev,resources=workspaces;activities;taskqueues;workflows;workers,verbs=get;list;watch;update;patch
// +kubebuilder:rbac:groups=taskrouter.operator.dev,resources=workspaces/status;activities/status;taskqueues/status;workflows/status;workers/status,verbs=get;update;patch
// +kubebuilder:rbac:groups=taskrouter.operator.dev,resources=workspaces/finalizers;activities/finalizers;taskqueues/finalizers;workflows/finalizers;workers/finalizers,verbs=update
// +kubebuilder:rbac:groups="",resources=secrets,verbs=get
// +kubebuilder:rbac:groups=events.k8s.io,resources=events,verbs=create;patch

// SetupAll registers the five controllers with the manager.
func SetupAll(mgr ctrl.Manager, opts Options) error {
	if opts.TaskRouter == nil {
		return fmt.Errorf("controllers: Options.TaskRouter is required")
	}
	if opts.SyncPeriod <= 0 {
		opts.SyncPeriod = 10 * time.Minute
	}
	if opts.Clock == nil {
		opts.Clock = clock.RealClock{}
	}
	e := &env{
		kube:            mgr.GetClient(),
		secrets:         mgr.GetAPIReader(),
		taskrouter:      opts.TaskRouter,
		events:          mgr.GetEventRecorder("taskrouter-operator"),
		now:             opts.Clock.Now,
		syncPeriod:      opts.SyncPeriod,
		lastCredentials: map[types.NamespacedName]taskrouter.Credentials{},
	}
	return firstError(
		setup[*trv1.Workspace](mgr, e, opts, workspaceAdapter{}),
		setup[*trv1.Activity](mgr, e, opts, activityAdapter{}),
		setup[*trv1.TaskQueue](mgr, e, opts, taskQueueAdapter{}),
		setup[*trv1.Workflow](mgr, e, opts, workflowAdapter{}),
		setup[*trv1.Worker](mgr, e, opts, workerAdapter{}),
		setupStatistics(mgr, e, opts),
		setupTokenSecrets(mgr, e, opts),
	)
}

func firstError(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// setup indexes one kind and starts its controller, watching the kinds it refers to.
func setup[T object, R any](mgr ctrl.Manager, e *env, opts Options, a adapter[T, R]) error {
	ctx := context.Background()
	indexer := mgr.GetFieldIndexer()
	if err := indexer.IndexField(ctx, a.newObject(), sidIndex, func(o client.Object) []string {
		obj := o.(T)
		return nonEmpty(obj.RemoteSpec().SID, obj.RemoteStatus().SID)
	}); err != nil {
		return fmt.Errorf("index %s by sid: %w", a.kind(), err)
	}
	if err := indexer.IndexField(ctx, a.newObject(), referenceIndex, func(o client.Object) []string {
		var keys []string
		for _, r := range a.references(o.(T)) {
			keys = append(keys, r.key())
		}
		return keys
	}); err != nil {
		return fmt.Errorf("index %s by reference: %w", a.kind(), err)
	}
	b := ctrl.NewControllerManagedBy(mgr).
		Named(lower(a.kind())).
		For(a.newObject(), builder.WithPredicates(predicate.Or(predicate.GenerationChangedPredicate{}, predicate.AnnotationChangedPredicate{}))).
		WithOptions(controller.Options{MaxConcurrentReconciles: max(1, opts.MaxConcurrentReconciles)})
	for _, referenced := range []client.Object{&trv1.Workspace{}, &trv1.Activity{}, &trv1.TaskQueue{}} {
		b = b.Watches(referenced, handler.EnqueueRequestsFromMapFunc(referrers(e.kube, a)))
	}
	return b.Complete(&reconciler[T, R]{env: e, adapter: a})
}

// referrers maps a changed object to the resources of a's kind that refer to it.
func referrers[T object, R any](kube client.Client, a adapter[T, R]) handler.MapFunc {
	return func(ctx context.Context, changed client.Object) []reconcile.Request {
		kind := kindOf(changed)
		if kind == "" {
			return nil
		}
		list := a.newList()
		key := reference{kind: kind, name: changed.GetName()}.key()
		if err := kube.List(ctx, list, client.InNamespace(changed.GetNamespace()), client.MatchingFields{referenceIndex: key}); err != nil {
			return nil
		}
		items, _ := meta.ExtractList(list)
		var reqs []reconcile.Request
		for _, item := range items {
			if o, ok := item.(client.Object); ok {
				reqs = append(reqs, reconcile.Request{NamespacedName: client.ObjectKeyFromObject(o)})
			}
		}
		return reqs
	}
}

func kindOf(o client.Object) string {
	switch o.(type) {
	case *trv1.Workspace:
		return "Workspace"
	case *trv1.Activity:
		return "Activity"
	case *trv1.TaskQueue:
		return "TaskQueue"
	}
	return ""
}

func nonEmpty(values ...string) []string {
	var out []string
	for _, v := range values {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}
