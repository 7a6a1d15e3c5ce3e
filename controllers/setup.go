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
	"os"
	"time"

	toolscache "k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/events"
	"k8s.io/utils/clock"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/predicate"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/internal/kubeevents"
	"github.com/taskrouter-operator/taskrouter-operator/internal/metrics"
	"github.com/taskrouter-operator/taskrouter-operator/internal/taskrouter"
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
	// Namespaces the manager watches; empty is every namespace. The Secret metadata watch follows it.
	Namespaces []string
}

// Each kind's own RBAC markers are in its adapter file; these are what every kind shares.
// +kubebuilder:rbac:groups="",resources=secrets,verbs=get
// +kubebuilder:rbac:groups=events.k8s.io,resources=events,verbs=create;patch

// SetupAll registers the controllers of every kind with the manager: one line per kind.
func SetupAll(mgr ctrl.Manager, opts Options) error {
	if opts.TaskRouter == nil {
		return fmt.Errorf("controllers: Options.TaskRouter is required")
	}
	kinds := []registration{
		register[*trv1.Workspace](workspaceAdapter{}),
		register[*trv1.Activity](activityAdapter{}),
		register[*trv1.TaskQueue](taskQueueAdapter{}),
		register[*trv1.Workflow](workflowAdapter{}),
		register[*trv1.Worker](workerAdapter{}),
		register[*trv1.TaskChannel](taskChannelAdapter{}),
	}
	// Our own recorder, not the manager's: client-go's keeps a copy of every Event it sent for 6 to
	// 12 minutes, about 20 MB right after 10,000 objects are created.
	recorder := kubeevents.New(mgr.GetClient(), mgr.GetScheme(), eventsController, reportingInstance(eventsController))
	if err := mgr.Add(recorder); err != nil {
		return fmt.Errorf("add the event recorder: %w", err)
	}
	e := newEnv(mgr, opts, recorder)
	versions, err := e.credentials.watchSecrets(mgr, opts.Namespaces)
	if err != nil {
		return err
	}
	e.secrets = versions
	e.kinds = kinds
	stats := newStatisticsReconciler(e, opts)
	for _, k := range kinds {
		if err := k.setup(mgr, e, opts, kinds, stats); err != nil {
			return err
		}
	}
	return stats.setup(mgr, opts)
}

func newEnv(mgr ctrl.Manager, opts Options, recorder events.EventRecorder) *env {
	if opts.SyncPeriod <= 0 {
		opts.SyncPeriod = 10 * time.Minute
	}
	if opts.Clock == nil {
		opts.Clock = clock.RealClock{}
	}
	creds := newCredentials(mgr.GetAPIReader(), opts.TaskRouter)
	return &env{
		snapshot:    newSnapshot(opts.SyncPeriod, opts.Clock.Now),
		kube:        mgr.GetClient(),
		uncached:    mgr.GetAPIReader(),
		refs:        &resolver{kube: mgr.GetClient(), credentials: creds},
		credentials: creds,
		events:      recorder,
		now:         opts.Clock.Now,
		syncPeriod:  opts.SyncPeriod,
		metrics:     opts.Metrics,
	}
}

// eventsController is the reportingController of the operator's Events.
const eventsController = "taskrouter-operator"

// reportingInstance names this replica in its Events as client-go does, controller and host name,
// within the API's 128 characters.
func reportingInstance(controller string) string {
	instance := controller
	if host, err := os.Hostname(); err == nil && host != "" {
		instance += "-" + host
	}
	return instance[:min(len(instance), 128)]
}

// registration sets up everything one kind needs.
type registration interface {
	newObject() client.Object
	newList() client.ObjectList
	kind() string
	references(client.Object) []reference
	setup(mgr ctrl.Manager, e *env, opts Options, kinds []registration, stats *statisticsReconciler) error
}

type registered[T object, R any, P any] struct {
	adapter adapter[T, R, P]
}

func register[T object, R any, P any](a adapter[T, R, P]) registration {
	return registered[T, R, P]{adapter: a}
}

func (k registered[T, R, P]) newObject() client.Object   { return k.adapter.newObject() }
func (k registered[T, R, P]) newList() client.ObjectList { return k.adapter.newList() }
func (k registered[T, R, P]) kind() string               { return k.adapter.kind() }
func (k registered[T, R, P]) references(o client.Object) []reference {
	if obj, ok := o.(T); ok {
		return k.adapter.references(obj)
	}
	return nil
}

// setup indexes the kind, starts its controller (watching every kind it may refer to), and the
// optional parts its adapter implements: its front-end token Secrets and its statistics.
func (k registered[T, R, P]) setup(mgr ctrl.Manager, e *env, opts Options, kinds []registration, stats *statisticsReconciler) error {
	a := k.adapter
	if err := index(mgr, a); err != nil {
		return err
	}
	b := ctrl.NewControllerManagedBy(mgr).
		Named(lower(a.kind())).
		For(a.newObject(), builder.WithPredicates(predicate.Or(predicate.GenerationChangedPredicate{}, predicate.AnnotationChangedPredicate{}))).
		WithOptions(controller.Options{MaxConcurrentReconciles: max(1, opts.MaxConcurrentReconciles)})
	for _, other := range kinds {
		b = b.Watches(other.newObject(), related(e.kube, a.kind(), k.newObject, a.newList, other.references), builder.WithPredicates(meaningfulChange()))
	}
	b = b.WatchesRawSource(secretChanges(e.secrets, e.kube, k.newObject, a.newList))
	if agg, ok := a.(aggregate); ok {
		for _, owned := range agg.owned() {
			b = b.Owns(owned)
		}
		for _, other := range kinds {
			if _, child := other.newObject().(childObject); child {
				b = b.Watches(other.newObject(), childrenChanged(), builder.WithPredicates(meaningfulChange()))
			}
		}
	}
	if err := b.Complete(&reconciler[T, R, P]{env: e, adapter: a}); err != nil {
		return fmt.Errorf("set up the %s controller: %w", a.kind(), err)
	}
	if tokens, ok := a.(tokenSource[T]); ok {
		if err := setupTokenSecrets(mgr, e, opts, a.kind(), a.newObject, a.newList, tokens); err != nil {
			return err
		}
	}
	if source, ok := a.(statisticsSource[T]); ok {
		stats.add(statisticsKindOf(a.kind(), a.newObject, a.newList, source))
	}
	return nil
}

// index registers the field indexes the controllers look the kind up by: who claims a SID, and
// which objects refer to which.
//
// Each index keeps only the keys it is asked for. controller-runtime's IndexField stores every value
// twice, as "namespace/value" and "__all_namespaces/value", and the index maps each key to a set of
// its own: at 10,000 objects the unused half was about 5 MB. SIDs are looked up across namespaces
// (claims.go) and references within one, so the indexers below are registered on the informers
// under the names and keys controller-runtime's cache reader looks up for MatchingFields, each with
// the one variant asked. The ownership and reference tests go through these lookups, so a change
// of those names in controller-runtime fails them.
func index[T object, R any, P any](mgr ctrl.Manager, a adapter[T, R, P]) error {
	ctx := context.Background()
	informer, err := mgr.GetCache().GetInformer(ctx, a.newObject())
	if err != nil {
		return fmt.Errorf("index %s: %w", a.kind(), err)
	}
	byValues := func(keys func(T) []string) toolscache.IndexFunc {
		return func(o any) ([]string, error) {
			obj, ok := o.(T)
			if !ok {
				return nil, fmt.Errorf("index %s: unexpected %T", a.kind(), o)
			}
			return keys(obj), nil
		}
	}
	return informer.AddIndexers(toolscache.Indexers{
		fieldIndexName(sidIndex): byValues(func(obj T) []string {
			return namespacedKeys("", sidBuckets(obj))
		}),
		fieldIndexName(referenceIndex): byValues(func(obj T) []string {
			var keys []string
			for _, r := range a.references(obj) {
				keys = append(keys, r.key())
			}
			return namespacedKeys(obj.GetNamespace(), keys)
		}),
	})
}

// fieldIndexName is the name controller-runtime's cache gives the index of a field.
func fieldIndexName(field string) string { return "field:" + field }

// namespacedKeys are the keys controller-runtime's cache reader looks values up by: within a
// namespace, or across all ("" namespace).
func namespacedKeys(namespace string, values []string) []string {
	if namespace == "" {
		namespace = "__all_namespaces"
	}
	keys := make([]string, len(values))
	for i, v := range values {
		keys[i] = namespace + "/" + v
	}
	return keys
}
