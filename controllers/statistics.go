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
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/util/workqueue"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/internal/metrics"
)

// statisticsSource is implemented by the adapters of kinds whose TaskRouter statistics are
// mirrored into status and published as metrics.
type statisticsSource[T object] interface {
	// statisticsSpec is obj's spec.statistics, nil when unset.
	statisticsSpec(obj T) *trv1.StatisticsSpec
	// planStatistics adds obj's read to a refresh plan.
	planStatistics(obj T, p *statsPlan, minutes int)
	// mirrorStatistics copies obj's figures from res into its status: found is false when res has
	// none, changed when a figure differs from the status.
	mirrorStatistics(obj T, res statsResult, minutes int, now time.Time) (found, changed bool)
	// publishStatistics sets obj's figures from its status, at each scrape (figures.go).
	publishStatistics(f *metrics.Figures, obj T, o metrics.Object)
}

// figureSettings is implemented by kinds with settings of their own figures, which publishing
// skips when unusable: the error is reported as a Warning Event when the statistics are written.
type figureSettings[T object] interface {
	figureSettingsError(obj T) error
}

// optInStatistics is implemented by kinds whose statistics are read only when spec.statistics is
// set (Worker: TaskRouter restricts per-worker statistics in large workspaces).
type optInStatistics interface{ statisticsOptIn() }

// liveFigures is implemented by kinds that publish figures from their status whether or not their
// statistics are read (a Worker's live activity, which its own controller keeps).
type liveFigures[T object] interface {
	publishLive(f *metrics.Figures, obj T, o metrics.Object)
}

// minStatisticsInterval bounds how often one object's statistics are read, so a typo such as "1ms"
// cannot turn the poller into a load test of TaskRouter.
const minStatisticsInterval = time.Second

// statisticsReconciler mirrors TaskRouter statistics into status, one Workspace (with every
// object of the kinds that have statistics) per reconcile. It is a controller of its own, with its
// own work queue: a round of statistics never sits in front of a spec change in the kinds' work
// queues, and its status writes (statistics only) never bump metadata.generation, so they never
// wake the spec controllers, whose predicates look at the generation.
type statisticsReconciler struct {
	env             *env
	metrics         *metrics.Metrics
	defaultInterval time.Duration
	// root is the Workspace's own statistics; children are the other kinds', by kind name.
	root     statisticsKind
	children map[string]statisticsKind

	mu sync.Mutex
	// last is when each object's statistics were last read, by workspace and "Kind/name".
	last map[types.NamespacedName]map[string]time.Time

	// elected is closed once this replica leads (figures.go publishes only then).
	elected <-chan struct{}
}

func newStatisticsReconciler(e *env, opts Options) *statisticsReconciler {
	return &statisticsReconciler{env: e, metrics: opts.Metrics, defaultInterval: opts.StatisticsInterval, children: map[string]statisticsKind{},
		last: map[types.NamespacedName]map[string]time.Time{}}
}

// add registers a kind with statistics.
func (r *statisticsReconciler) add(k statisticsKind) {
	if k.child() {
		r.children[k.name()] = k
	} else {
		r.root = k
	}
}

// setup starts the statistics controller. Its events are creations, deletions, spec changes and a
// newly known sid: never status-only updates, which are mostly its own writes.
func (r *statisticsReconciler) setup(mgr ctrl.Manager, opts Options) error {
	if r.root == nil {
		return fmt.Errorf("statistics: the Workspace kind has no statistics source")
	}
	p := builder.WithPredicates(predicate.Or(predicate.GenerationChangedPredicate{}, sidChanged()))
	b := ctrl.NewControllerManagedBy(mgr).
		Named("statistics").
		For(r.root.newObject(), p).
		WithOptions(controller.Options{MaxConcurrentReconciles: max(1, opts.MaxConcurrentReconciles)})
	for _, name := range sortedKeys(r.children) {
		b = b.Watches(r.children[name].newObject(), childrenBatched(), p)
	}
	if r.metrics != nil {
		// Only the leader publishes the figures, as only it refreshes them: a standby's would be
		// the same series twice, and every alert on them would fire twice.
		r.elected = mgr.Elected()
		if err := r.metrics.AddFigures(metrics.FiguresCollector(r.publishFigures)); err != nil {
			return err
		}
	}
	return b.Complete(r)
}

// sidChanged passes updates that give an object its TaskRouter sid, the moment it can have statistics.
func sidChanged() predicate.Predicate {
	return predicate.Funcs{UpdateFunc: func(ev event.UpdateEvent) bool {
		o, ok1 := ev.ObjectOld.(object)
		n, ok2 := ev.ObjectNew.(object)
		return ok1 && ok2 && o.RemoteStatus().SID != n.RemoteStatus().SID
	}}
}

// statisticsBatch is how long a child's event waits before its workspace is refreshed, so the
// events of a burst (a thousand queues getting their SIDs while a contact center converges) share
// one refresh instead of each paying for the workspace's paged statistics lists.
const statisticsBatch = 3 * time.Second

// childrenBatched enqueues a child's Workspace statisticsBatch after the child's event; the work
// queue keeps one entry per Workspace at its earliest time, so a burst of events costs one refresh.
func childrenBatched() handler.EventHandler {
	enqueue := func(ctx context.Context, o client.Object, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
		for _, req := range toWorkspace(ctx, o) {
			q.AddAfter(req, statisticsBatch)
		}
	}
	return handler.Funcs{
		CreateFunc: func(ctx context.Context, e event.CreateEvent, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
			enqueue(ctx, e.Object, q)
		},
		UpdateFunc: func(ctx context.Context, e event.UpdateEvent, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
			enqueue(ctx, e.ObjectNew, q)
		},
		DeleteFunc: func(ctx context.Context, e event.DeleteEvent, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
			enqueue(ctx, e.Object, q)
		},
	}
}

// toWorkspace maps a child object to its Workspace.
func toWorkspace(_ context.Context, o client.Object) []reconcile.Request {
	child, ok := o.(childObject)
	if !ok {
		return nil
	}
	return []reconcile.Request{{NamespacedName: types.NamespacedName{Namespace: o.GetNamespace(), Name: child.WorkspaceName()}}}
}

// Reconcile refreshes what is due in one workspace and comes back when the next object is due.
func (r *statisticsReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	var ws trv1.Workspace
	if err := r.env.kube.Get(ctx, req.NamespacedName, &ws); err != nil {
		if client.IgnoreNotFound(err) == nil {
			r.forgetWorkspace(req.NamespacedName)
		}
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	if ws.DeletionTimestamp != nil || ws.Status.SID == "" {
		return ctrl.Result{}, nil
	}
	items, err := r.items(ctx, &ws)
	if err != nil {
		return ctrl.Result{}, err
	}
	now := r.env.now()
	due, next := r.schedule(req.NamespacedName, items, now)
	if len(due) > 0 {
		r.refresh(ctx, &ws, due, now)
	}
	if next <= 0 {
		return ctrl.Result{}, nil
	}
	return ctrl.Result{RequeueAfter: next}, nil
}

// items lists the workspace and every object of it whose kind has statistics.
func (r *statisticsReconciler) items(ctx context.Context, ws *trv1.Workspace) ([]statsItem, error) {
	items, err := r.root.items(ctx, r.env.kube, ws)
	if err != nil {
		return nil, err
	}
	for _, name := range sortedKeys(r.children) {
		more, err := r.children[name].items(ctx, r.env.kube, ws)
		if err != nil {
			return nil, fmt.Errorf("list objects of workspace %s: %w", ws.Name, err)
		}
		items = append(items, more...)
	}
	return items, nil
}

// interval is how often item is read; 0 is never.
func (r *statisticsReconciler) interval(item statsItem) time.Duration {
	d := r.defaultInterval
	spec := item.spec()
	switch {
	case spec == nil && item.optIn():
		return 0
	case spec != nil && spec.Interval != nil:
		d = spec.Interval.Duration
	}
	if d <= 0 {
		return 0
	}
	return max(d, minStatisticsInterval)
}

// schedule picks the items due now and how long until the next one is.
func (r *statisticsReconciler) schedule(key types.NamespacedName, items []statsItem, now time.Time) ([]statsItem, time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	prev := r.last[key]
	last := make(map[string]time.Time, len(prev))
	var due []statsItem
	var next time.Duration
	for _, item := range items {
		id := item.id()
		every := r.interval(item)
		if every == 0 || item.object().GetDeletionTimestamp() != nil || item.object().RemoteStatus().SID == "" {
			continue
		}
		at, seen := prev[id]
		if !seen || !now.Before(at.Add(every)) {
			due = append(due, item)
			at = now
		}
		last[id] = at
		if wait := at.Add(every).Sub(now); next == 0 || wait < next {
			next = wait
		}
	}
	r.last[key] = last
	return due, next
}

// refresh reads the due items' figures and writes those that changed.
func (r *statisticsReconciler) refresh(ctx context.Context, ws *trv1.Workspace, due []statsItem, now time.Time) {
	logger := log.FromContext(ctx)
	plan := newStatsPlan()
	minutes := make([]int, len(due))
	for i, item := range due {
		minutes[i] = minutesOf(item.spec())
		item.plan(&plan, minutes[i])
	}
	acct, err := r.env.credentials.account(ctx, ws)
	if err != nil {
		logger.V(1).Info("Skipped a statistics refresh: no account", "reason", err.Error())
		if r.metrics != nil {
			r.metrics.ObserveRefresh(ws.Namespace, ws.Name, 0, err) // counts toward the StatisticsFailing alert
		}
		return
	}
	started := time.Now()
	res, err := fetchStatistics(ctx, acct.Workspace(ws.Status.SID), plan)
	if r.metrics != nil {
		r.metrics.ObserveRefresh(ws.Namespace, ws.Name, time.Since(started), err)
	}
	if err != nil {
		logger.Info("Could not read some statistics", "workspace", ws.Name, "error", err.Error())
	}
	for i, item := range due {
		if err := r.write(ctx, item, res, minutes[i], now); err != nil {
			logger.Info("Could not write statistics", "object", item.id(), "error", err.Error())
		}
	}
}

// write mirrors item's figures into its status, patching only the statistics field and only when a
// figure changed (the scrape publishes them from there), and reports a figure setting it cannot use.
func (r *statisticsReconciler) write(ctx context.Context, item statsItem, res statsResult, minutes int, now time.Time) error {
	before := item.object()
	item, found, changed := item.mirror(res, minutes, now)
	if !found {
		return nil
	}
	obj := item.object()
	if changed {
		if err := writeStatus(ctx, r.env.kube, before, obj, func(o client.Object) any { return o.(object).StatusSnapshot() }); err != nil {
			return err
		}
		if r.metrics != nil {
			r.metrics.StatisticsWrites.WithLabelValues(item.kind()).Inc()
		}
	}
	if err := item.settingsError(); err != nil {
		r.env.events.Eventf(obj, nil, corev1.EventTypeWarning, reasonInvalidSpec, "PublishStatistics", "%v", err)
	}
	return nil
}

func (r *statisticsReconciler) forgetWorkspace(key types.NamespacedName) {
	r.mu.Lock()
	delete(r.last, key)
	r.mu.Unlock()
	if r.metrics != nil {
		r.metrics.ForgetWorkspace(key.Namespace, key.Name)
	}
}

func metricsObject(o object, workspace string) metrics.Object {
	return metrics.Object{Namespace: o.GetNamespace(), Name: o.GetName(), SID: o.RemoteStatus().SID, Workspace: workspace}
}

func minutesOf(spec *trv1.StatisticsSpec) int {
	if spec != nil && spec.Minutes != nil && *spec.Minutes > 0 {
		return int(*spec.Minutes)
	}
	return defaultStatisticsMinutes
}

// statisticsKind is one kind with statistics, as the statistics controller handles it.
type statisticsKind interface {
	name() string
	// child: the kind lives inside a Workspace (every kind but Workspace).
	child() bool
	newObject() client.Object
	// items lists the workspace's objects of this kind (the Workspace itself for the Workspace kind).
	items(ctx context.Context, kube client.Reader, ws *trv1.Workspace) ([]statsItem, error)
}

// statsItem is one object whose statistics the poller mirrors.
type statsItem interface {
	kind() string
	// id names the item within its workspace: "Kind/name".
	id() string
	object() object
	spec() *trv1.StatisticsSpec
	optIn() bool
	plan(p *statsPlan, minutes int)
	// mirror returns a copy of the item with its figures of res in its status. Items share the
	// cache's objects (most are only read, and copying thousands of Workers on every refresh is
	// what the manager's memory would grow with), so the copy is made here, for the few written.
	mirror(res statsResult, minutes int, now time.Time) (mirrored statsItem, found, changed bool)
	// publish sets the item's figures from its status: its live figures, and its statistics when
	// they are read.
	publish(f *metrics.Figures, o metrics.Object, statistics bool)
	// settingsError is a setting of the item's figures that cannot be used, nil when none.
	settingsError() error
}

// statsKindOf is the statistics of one kind, built from its adapter.
type statsKindOf[T object] struct {
	kindName string
	newObj   func() T
	newList  func() client.ObjectList
	source   statisticsSource[T]
}

func statisticsKindOf[T object](kind string, newObject func() T, newList func() client.ObjectList, source statisticsSource[T]) statisticsKind {
	return statsKindOf[T]{kindName: kind, newObj: newObject, newList: newList, source: source}
}

func (k statsKindOf[T]) name() string             { return k.kindName }
func (k statsKindOf[T]) newObject() client.Object { return k.newObj() }

func (k statsKindOf[T]) child() bool {
	_, ok := any(k.newObj()).(childObject)
	return ok
}

func (k statsKindOf[T]) items(ctx context.Context, kube client.Reader, ws *trv1.Workspace) ([]statsItem, error) {
	if !k.child() {
		if root, ok := any(ws).(T); ok {
			return []statsItem{statsEntry[T]{kindName: k.kindName, obj: root, source: k.source}}, nil
		}
		return nil, nil
	}
	list := k.newList()
	key := reference{kind: "Workspace", name: ws.Name}.key()
	// The cache's own objects, not copies: items are read, and mirror copies the few it writes.
	if err := kube.List(ctx, list, client.InNamespace(ws.Namespace), client.MatchingFields{referenceIndex: key},
		client.UnsafeDisableDeepCopy); err != nil {
		return nil, err
	}
	objs, err := meta.ExtractList(list)
	if err != nil {
		return nil, err
	}
	items := make([]statsItem, 0, len(objs))
	for _, o := range objs {
		if obj, ok := o.(T); ok {
			items = append(items, statsEntry[T]{kindName: k.kindName, obj: obj, source: k.source})
		}
	}
	return items, nil
}

// statsEntry is one object with its kind's statistics source.
type statsEntry[T object] struct {
	kindName string
	obj      T
	source   statisticsSource[T]
}

func (e statsEntry[T]) kind() string               { return e.kindName }
func (e statsEntry[T]) id() string                 { return e.kindName + "/" + e.obj.GetName() }
func (e statsEntry[T]) object() object             { return e.obj }
func (e statsEntry[T]) spec() *trv1.StatisticsSpec { return e.source.statisticsSpec(e.obj) }
func (e statsEntry[T]) plan(p *statsPlan, minutes int) {
	e.source.planStatistics(e.obj, p, minutes)
}

func (e statsEntry[T]) optIn() bool {
	_, ok := e.source.(optInStatistics)
	return ok
}

func (e statsEntry[T]) mirror(res statsResult, minutes int, now time.Time) (statsItem, bool, bool) {
	e.obj = e.obj.DeepCopyObject().(T)
	found, changed := e.source.mirrorStatistics(e.obj, res, minutes, now)
	return e, found, changed
}

func (e statsEntry[T]) publish(f *metrics.Figures, o metrics.Object, statistics bool) {
	if live, ok := e.source.(liveFigures[T]); ok {
		live.publishLive(f, e.obj, o)
	}
	if statistics {
		e.source.publishStatistics(f, e.obj, o)
	}
}

func (e statsEntry[T]) settingsError() error {
	if s, ok := e.source.(figureSettings[T]); ok {
		return s.figureSettingsError(e.obj)
	}
	return nil
}
