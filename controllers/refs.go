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

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/util/workqueue"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/apiutil"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/internal/taskrouter"
)

// Field indexes the controllers look objects up by.
const (
	// sidIndex holds spec.sid and status.sid, by sidBucket: who claims a remote object.
	sidIndex = "taskrouter.operator.dev/sid"
	// referenceIndex holds "Kind/name" of every object a resource refers to.
	referenceIndex = "taskrouter.operator.dev/references"
)

// reference names another object in the same namespace.
type reference struct {
	kind string // Workspace, Activity, TaskQueue, TaskChannel
	name string
}

func (r reference) key() string { return r.kind + "/" + r.name }

// connection is an object's way into TaskRouter: the account of its Workspace and, for the
// objects inside a workspace, a client for that workspace.
type connection struct {
	account *taskrouter.Account
	// workspace is the Workspace resource: the object itself for a Workspace.
	workspace *trv1.Workspace
	// objects reaches the workspace's contents; nil for a Workspace, whose SID may not exist yet.
	objects *taskrouter.WorkspaceClient
}

// resolver resolves references by name in a namespace: the one place that decides when a
// referenced object counts as there, and with which reason an object waits for it.
type resolver struct {
	kube        client.Reader
	credentials *credentials
}

// connect opens obj's connection: a Workspace's own account, or the account and workspace of
// the Workspace a child belongs to.
func (r *resolver) connect(ctx context.Context, obj object) (connection, error) {
	ws, err := r.owner(ctx, obj)
	if err != nil {
		return connection{}, err
	}
	acct, err := r.credentials.account(ctx, ws)
	if err != nil {
		return connection{}, err
	}
	c := connection{account: acct, workspace: ws}
	if _, child := obj.(childObject); child {
		c.objects = acct.Workspace(ws.Status.SID)
	}
	return c, nil
}

// owner is the Workspace resource obj belongs to: obj itself for a Workspace. A child needs its
// Workspace to exist in TaskRouter, not to be Ready: the Workspace's own readiness may wait for
// Activities that are its children.
func (r *resolver) owner(ctx context.Context, obj object) (*trv1.Workspace, error) {
	child, ok := obj.(childObject)
	if !ok {
		return obj.(*trv1.Workspace), nil // every kind but Workspace is a childObject
	}
	ws, err := r.workspace(ctx, child.GetNamespace(), child.WorkspaceName())
	if err != nil && obj.RemoteStatus().SID != "" {
		// It had a remote object: a missing Workspace is one that was deleted, not one yet to come.
		if gone, lookupErr := r.lookupWorkspace(ctx, child.GetNamespace(), child.WorkspaceName()); lookupErr == nil && gone == nil {
			return nil, stall(reasonWorkspaceDeleted, "Workspace %q was deleted: its objects in TaskRouter went with it (or were left there, if it was orphaned); delete this resource, or recreate the Workspace",
				child.WorkspaceName())
		}
	}
	if err == nil && ws.DeletionTimestamp != nil {
		return nil, stall(reasonWorkspaceDeleted, "Workspace %q is being deleted, with everything in it: delete this resource too, or keep the Workspace", ws.Name)
	}
	return ws, err
}

// workspace returns the Workspace a child names once it exists in TaskRouter; until then the child
// waits with WaitingForWorkspace, whatever it needs the Workspace for.
func (r *resolver) workspace(ctx context.Context, namespace, name string) (*trv1.Workspace, error) {
	ws, err := r.lookupWorkspace(ctx, namespace, name)
	switch {
	case err != nil:
		return nil, err
	case ws == nil:
		return nil, waiting(reasonWaitingForWorkspace, "Workspace %q not found in namespace %s", name, namespace)
	case ws.Status.SID == "":
		return nil, waiting(reasonWaitingForWorkspace, "Workspace %q has no SID yet", name)
	}
	return ws, nil
}

// lookupWorkspace reads a Workspace resource; nil without error when there is none.
func (r *resolver) lookupWorkspace(ctx context.Context, namespace, name string) (*trv1.Workspace, error) {
	var ws trv1.Workspace
	if err := r.kube.Get(ctx, types.NamespacedName{Namespace: namespace, Name: name}, &ws); err != nil {
		if apierrors.IsNotFound(err) {
			return nil, nil
		}
		return nil, fmt.Errorf("read Workspace %s/%s: %w", namespace, name, err)
	}
	return &ws, nil
}

// sidOf resolves a reference from child to another child of the same Workspace (an Activity, a
// TaskQueue): it must exist, belong to the same Workspace and be Ready. field names the reference in
// messages, kind the referenced kind.
func sidOf[T childObject](ctx context.Context, r *resolver, child childObject, ref *trv1.LocalObjectReference, field, kind string, target T) (string, error) {
	if ref == nil {
		return "", nil
	}
	if err := r.kube.Get(ctx, types.NamespacedName{Namespace: child.GetNamespace(), Name: ref.Name}, target); err != nil {
		if apierrors.IsNotFound(err) {
			return "", waiting(reasonWaitingForReference, "%s: %s %q not found", field, kind, ref.Name)
		}
		return "", fmt.Errorf("read %s %s: %w", kind, ref.Name, err)
	}
	if target.WorkspaceName() != child.WorkspaceName() {
		return "", stall(reasonInvalidReference, "%s: %s %q belongs to Workspace %q, not %q", field, kind, ref.Name, target.WorkspaceName(), child.WorkspaceName())
	}
	if target.GetDeletionTimestamp() != nil {
		// Waiting would wait forever: TaskRouter will not delete it while this refers to it.
		return "", stall(reasonReferenceDeleting, "%s: %s %q is being deleted, and TaskRouter cannot delete it while this refers to it: point %s at another %s, or remove it",
			field, kind, ref.Name, field, kind)
	}
	if !isReady(target) || target.RemoteStatus().SID == "" {
		return "", waiting(reasonWaitingForReference, "%s: %s %q is not Ready yet", field, kind, ref.Name)
	}
	return target.RemoteStatus().SID, nil
}

// activitySID resolves an Activity reference of a child, or of a Workspace to its own Activities.
func (r *resolver) activitySID(ctx context.Context, from object, ref *trv1.LocalObjectReference, field string) (string, error) {
	return sidOf(ctx, r, inWorkspace(from), ref, field, "Activity", &trv1.Activity{})
}

// taskQueueSID resolves a TaskQueue reference of a child.
func (r *resolver) taskQueueSID(ctx context.Context, from childObject, ref *trv1.LocalObjectReference, field string) (string, error) {
	return sidOf(ctx, r, from, ref, field, "TaskQueue", &trv1.TaskQueue{})
}

// taskChannelName resolves a TaskChannel reference of a child to the channel's unique name, which
// TaskRouter takes wherever it takes a channel's SID (a worker's channels, statistics, tasks).
func (r *resolver) taskChannelName(ctx context.Context, from childObject, ref *trv1.LocalObjectReference, field string) (string, error) {
	tc := &trv1.TaskChannel{}
	if _, err := sidOf(ctx, r, from, ref, field, "TaskChannel", tc); err != nil || ref == nil {
		return "", err
	}
	if tc.Status.UniqueName != "" {
		return tc.Status.UniqueName, nil
	}
	return tc.UniqueName(), nil
}

// inWorkspace views a Workspace as the parent of its own references, so its default and timeout
// activities resolve like any child's.
func inWorkspace(o object) childObject {
	if child, ok := o.(childObject); ok {
		return child
	}
	return workspaceAsParent{o}
}

type workspaceAsParent struct{ object }

func (w workspaceAsParent) WorkspaceName() string { return w.GetName() }

// isReady reports the Ready condition of the current generation.
func isReady(obj object) bool {
	c := meta.FindStatusCondition(obj.RemoteStatus().Conditions, trv1.ConditionReady)
	return c != nil && c.Status == metav1.ConditionTrue && c.ObservedGeneration == obj.GetGeneration()
}

// meaningfulChange passes the changes of a referenced object that matter to what refers to it: it
// appeared or went, got or changed its SID, became Ready or stopped being Ready, started
// deleting. A statistics or other status-only write passes none of these, so it never wakes the
// objects that refer to it.
func meaningfulChange() predicate.Predicate {
	return predicate.Funcs{UpdateFunc: func(ev event.UpdateEvent) bool {
		o, ok1 := ev.ObjectOld.(object)
		n, ok2 := ev.ObjectNew.(object)
		if !ok1 || !ok2 {
			return true
		}
		return o.RemoteStatus().SID != n.RemoteStatus().SID || isReady(o) != isReady(n) ||
			(o.GetDeletionTimestamp() == nil) != (n.GetDeletionTimestamp() == nil)
	}}
}

// related is the event handler through which one kind's controller hears of changes to objects of
// another kind (see meaningfulChange):
//   - its referrers: the objects of this kind that refer to the changed one (a Worker hears that its
//     Activity became Ready);
//   - its blocked referents: the objects of this kind the changed one refers to, or referred to
//     before the change, that are being deleted, since TaskRouter refuses to delete what is still in
//     use (a TaskQueue hears at once that the Workflow that targeted it let go);
//   - when the changed object becomes Ready, every deletion of this kind in its namespace that
//     TaskRouter refused: a referrer that let go of an object changes its spec before TaskRouter
//     hears of it, and that spec change is not meaningful (the referrer is not Ready yet); by the
//     time it is Ready again, TaskRouter has its new references, but old and new objects both name
//     only those, so "what it referred to before" no longer says which deletion it unblocked.
func related(kube client.Client, kind string, newObject func() client.Object, newList func() client.ObjectList,
	referencesOf func(client.Object) []reference) handler.EventHandler {
	enqueue := func(ctx context.Context, q workqueue.TypedRateLimitingInterface[reconcile.Request], objs ...client.Object) {
		seen := map[reconcile.Request]bool{}
		for _, o := range objs {
			for _, req := range append(referrers(ctx, kube, newList, o), blockedReferents(ctx, kube, kind, newObject, referencesOf, o)...) {
				if !seen[req] {
					seen[req] = true
					q.Add(req)
				}
			}
		}
	}
	return handler.Funcs{
		CreateFunc: func(ctx context.Context, e event.CreateEvent, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
			enqueue(ctx, q, e.Object)
		},
		UpdateFunc: func(ctx context.Context, e event.UpdateEvent, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
			enqueue(ctx, q, e.ObjectOld, e.ObjectNew)
			if becameReady(e.ObjectOld, e.ObjectNew) {
				for _, req := range blockedDeletions(ctx, kube, newList, e.ObjectNew.GetNamespace()) {
					q.Add(req)
				}
			}
		},
		DeleteFunc: func(ctx context.Context, e event.DeleteEvent, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
			enqueue(ctx, q, e.Object)
		},
	}
}

// referrers lists the resources of one kind that refer to changed.
func referrers(ctx context.Context, kube client.Client, newList func() client.ObjectList, changed client.Object) []reconcile.Request {
	gvk, err := apiutil.GVKForObject(changed, kube.Scheme())
	if err != nil {
		return nil
	}
	list := newList()
	key := reference{kind: gvk.Kind, name: changed.GetName()}.key()
	if err := kube.List(ctx, list, client.InNamespace(changed.GetNamespace()), client.MatchingFields{referenceIndex: key}); err != nil {
		return nil
	}
	items, _ := meta.ExtractList(list)
	reqs := make([]reconcile.Request, 0, len(items))
	for _, item := range items {
		if o, ok := item.(client.Object); ok {
			reqs = append(reqs, reconcile.Request{NamespacedName: client.ObjectKeyFromObject(o)})
		}
	}
	return reqs
}

// becameReady reports an update that made an object Ready for its generation.
func becameReady(oldObj, newObj client.Object) bool {
	o, ok1 := oldObj.(object)
	n, ok2 := newObj.(object)
	return ok1 && ok2 && !isReady(o) && isReady(n)
}

// blockedDeletions lists the objects of a list's kind in a namespace whose deletion TaskRouter
// refused (Stalled, DeletionBlocked). They are rare, and the list is read from the cache without
// copies, so a namespace of thousands of objects costs a scan, not an allocation each.
func blockedDeletions(ctx context.Context, kube client.Client, newList func() client.ObjectList, namespace string) []reconcile.Request {
	list := newList()
	if err := kube.List(ctx, list, client.InNamespace(namespace), client.UnsafeDisableDeepCopy); err != nil {
		return nil
	}
	var reqs []reconcile.Request
	_ = meta.EachListItem(list, func(item runtime.Object) error {
		o, ok := item.(object)
		if !ok || o.GetDeletionTimestamp() == nil {
			return nil
		}
		if c := meta.FindStatusCondition(o.RemoteStatus().Conditions, trv1.ConditionStalled); c != nil && c.Reason == reasonDeletionBlocked {
			reqs = append(reqs, reconcile.Request{NamespacedName: client.ObjectKeyFromObject(o)})
		}
		return nil
	})
	return reqs
}

// blockedReferents lists the objects of kind that changed refers to and that are being deleted.
func blockedReferents(ctx context.Context, kube client.Client, kind string, newObject func() client.Object,
	referencesOf func(client.Object) []reference, changed client.Object) []reconcile.Request {
	var reqs []reconcile.Request
	for _, ref := range referencesOf(changed) {
		if ref.kind != kind {
			continue
		}
		key := types.NamespacedName{Namespace: changed.GetNamespace(), Name: ref.name}
		target := newObject()
		if kube.Get(ctx, key, target) == nil && target.GetDeletionTimestamp() != nil {
			reqs = append(reqs, reconcile.Request{NamespacedName: key})
		}
	}
	return reqs
}
