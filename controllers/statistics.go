package controllers

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"k8s.io/apimachinery/pkg/types"
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

// minStatisticsInterval bounds how often one object's statistics are read, so a
// typo such as "1ms" cannot turn the poller into a load test of TaskRouter.
const minStatisticsInterval = time.Second

// statisticsReconciler mirrors TaskRouter statistics into status, one Workspace
// (with all its TaskQueues, Workflows and opted-in Workers) per reconcile. It is
// a controller of its own, with its own work queue: a round of statistics never
// sits in front of a spec change in the kinds' work queues, and its status
// writes (statistics only) never bump metadata.generation, so they never wake
// the spec controllers, whose predicates look at the generation.
type statisticsReconciler struct {
	env             *env
	metrics         *metrics.Metrics
	defaultInterval time.Duration

	mu sync.Mutex
	// last is when each object's statistics were last read, by workspace and "Kind/name".
	last map[types.NamespacedName]map[string]time.Time
	// present are the objects of each workspace at the last reconcile, to drop the gauges of those that went away.
	present map[types.NamespacedName]map[string]bool
}

// setupStatistics starts the statistics controller. Its events are creations,
// deletions, spec changes and a newly known sid: never status-only updates,
// which are mostly its own writes.
func setupStatistics(mgr ctrl.Manager, e *env, opts Options) error {
	r := &statisticsReconciler{env: e, metrics: opts.Metrics, defaultInterval: opts.StatisticsInterval,
		last: map[types.NamespacedName]map[string]time.Time{}, present: map[types.NamespacedName]map[string]bool{}}
	p := builder.WithPredicates(predicate.Or(predicate.GenerationChangedPredicate{}, sidChanged()))
	b := ctrl.NewControllerManagedBy(mgr).
		Named("statistics").
		For(&trv1.Workspace{}, p).
		WithOptions(controller.Options{MaxConcurrentReconciles: max(1, opts.MaxConcurrentReconciles)})
	for _, child := range []client.Object{&trv1.TaskQueue{}, &trv1.Workflow{}, &trv1.Worker{}} {
		b = b.Watches(child, handler.EnqueueRequestsFromMapFunc(toWorkspace), p)
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

// toWorkspace maps a child object to its Workspace.
func toWorkspace(_ context.Context, o client.Object) []reconcile.Request {
	name := workspaceRefOf(o)
	if name == "" {
		return nil
	}
	return []reconcile.Request{{NamespacedName: types.NamespacedName{Namespace: o.GetNamespace(), Name: name}}}
}

// workspaceRefOf names the Workspace of a child kind, through the accessor every child kind has.
func workspaceRefOf(o client.Object) string {
	if child, ok := o.(interface{ WorkspaceName() string }); ok {
		return child.WorkspaceName()
	}
	return ""
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
	r.publishWorkerActivity(&ws, items)
	if next <= 0 {
		return ctrl.Result{}, nil
	}
	return ctrl.Result{RequeueAfter: next}, nil
}

// items lists the workspace and every child with statistics settings.
func (r *statisticsReconciler) items(ctx context.Context, ws *trv1.Workspace) ([]*statsItem, error) {
	items := []*statsItem{workspaceItem(ws)}
	in := []client.ListOption{client.InNamespace(ws.Namespace), client.MatchingFields{referenceIndex: reference{kind: "Workspace", name: ws.Name}.key()}}
	var queues trv1.TaskQueueList
	var workflows trv1.WorkflowList
	var workers trv1.WorkerList
	for _, list := range []client.ObjectList{&queues, &workflows, &workers} {
		if err := r.env.kube.List(ctx, list, in...); err != nil {
			return nil, fmt.Errorf("list objects of workspace %s: %w", ws.Name, err)
		}
	}
	for i := range queues.Items {
		items = append(items, taskQueueItem(&queues.Items[i]))
	}
	for i := range workflows.Items {
		items = append(items, workflowItem(&workflows.Items[i]))
	}
	for i := range workers.Items {
		items = append(items, workerItem(&workers.Items[i]))
	}
	return items, nil
}

// interval is how often item is read; 0 is never.
func (r *statisticsReconciler) interval(item *statsItem) time.Duration {
	d := r.defaultInterval
	switch {
	case item.spec == nil && item.optIn:
		return 0 // Worker statistics are opt-in: TaskRouter restricts them in large workspaces
	case item.spec != nil && item.spec.Interval != nil:
		d = item.spec.Interval.Duration
	}
	if d <= 0 {
		return 0
	}
	return max(d, minStatisticsInterval)
}

// schedule picks the items due now and how long until the next one is. Items
// that stopped polling or went away lose their gauges.
func (r *statisticsReconciler) schedule(key types.NamespacedName, items []*statsItem, now time.Time) ([]*statsItem, time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	prev := r.last[key]
	last := map[string]time.Time{}
	present := map[string]bool{}
	var due []*statsItem
	var next time.Duration
	for _, item := range items {
		present[item.id()] = true
		every := r.interval(item)
		if every == 0 || item.obj.GetDeletionTimestamp() != nil || item.obj.RemoteStatus().SID == "" {
			continue
		}
		id := item.id()
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
	for id := range prev {
		if _, kept := last[id]; !kept {
			r.forgetObject(key.Namespace, id, false)
		}
	}
	for id := range r.present[key] {
		if !present[id] {
			r.forgetObject(key.Namespace, id, true)
		}
	}
	r.last[key], r.present[key] = last, present
	return due, next
}

// refresh reads the due items' figures and writes those that changed.
func (r *statisticsReconciler) refresh(ctx context.Context, ws *trv1.Workspace, due []*statsItem, now time.Time) {
	logger := log.FromContext(ctx)
	plan := newStatsPlan()
	for _, item := range due {
		item.minutes = minutesOf(item.spec)
		item.plan(&plan, item.minutes)
	}
	acct, err := r.env.account(ctx, ws)
	if err != nil {
		logger.V(1).Info("statistics skipped: no account", "reason", err.Error())
		return
	}
	started := time.Now()
	res, err := fetchStatistics(ctx, acct.Workspace(ws.Status.SID), plan)
	if r.metrics != nil {
		r.metrics.ObserveRefresh(ws.Namespace, ws.Name, time.Since(started), err)
	}
	if err != nil {
		logger.Info("some statistics could not be read", "workspace", ws.Name, "error", err.Error())
	}
	for _, item := range due {
		if err := r.write(ctx, ws.Name, item, res, now); err != nil {
			logger.Info("statistics not written", "kind", item.kind, "name", item.obj.GetName(), "error", err.Error())
		}
	}
}

// write mirrors item's figures into its status, patching only the statistics
// field and only when a figure changed, then publishes its gauges.
func (r *statisticsReconciler) write(ctx context.Context, workspace string, item *statsItem, res statsResult, now time.Time) error {
	before := item.obj.DeepCopyObject().(client.Object)
	found, changed := item.mirror(res, item.minutes, now)
	if !found {
		return nil
	}
	if changed {
		if err := r.env.kube.Status().Patch(ctx, item.obj, client.MergeFrom(before)); err != nil {
			return client.IgnoreNotFound(err)
		}
		if r.metrics != nil {
			r.metrics.StatisticsWrites.WithLabelValues(item.kind).Inc()
		}
	}
	if r.metrics != nil {
		item.publish(r.metrics, metricsObject(item.obj, workspace))
	}
	return nil
}

// publishWorkerActivity exports every Worker's live activity from its status (no TaskRouter call).
func (r *statisticsReconciler) publishWorkerActivity(ws *trv1.Workspace, items []*statsItem) {
	if r.metrics == nil {
		return
	}
	for _, item := range items {
		w, ok := item.obj.(*trv1.Worker)
		if !ok || w.Status.SID == "" || w.Status.ActivityName == "" {
			continue
		}
		r.metrics.SetWorkerActivity(metricsObject(w, ws.Name), w.Status.ActivityName, w.Status.Available != nil && *w.Status.Available)
	}
}

func (r *statisticsReconciler) forgetWorkspace(key types.NamespacedName) {
	r.mu.Lock()
	delete(r.last, key)
	delete(r.present, key)
	r.mu.Unlock()
	if r.metrics != nil {
		r.metrics.ForgetWorkspace(key.Namespace, key.Name)
	}
}

// forgetObject drops the statistics gauges of one object, id being "Kind/name";
// gone also drops a Worker's activity gauge, which does not depend on polling.
func (r *statisticsReconciler) forgetObject(namespace, id string, gone bool) {
	if r.metrics == nil {
		return
	}
	kind, name, _ := strings.Cut(id, "/")
	var vecs []*prometheus.GaugeVec
	switch kind {
	case "Workspace":
		vecs = r.metrics.WorkspaceVecs()
	case "TaskQueue":
		vecs = r.metrics.QueueVecs()
	case "Workflow":
		vecs = r.metrics.WorkflowVecs()
	case "Worker":
		vecs = []*prometheus.GaugeVec{r.metrics.WorkerActivitySeconds}
		if gone {
			vecs = r.metrics.WorkerVecs()
		}
	}
	r.metrics.Forget(vecs, namespace, name)
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
