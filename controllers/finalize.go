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
	"strings"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/internal/taskrouter"
)

// finalize is the delete path: delete the remote object when the deletion policy says so, then
// release the finalizer. A delete TaskRouter refuses keeps the finalizer and is retried with
// backoff, reported as DeletionBlocked.
func (run *pass[T, R, P]) finalize(ctx context.Context) result {
	if !controllerutil.ContainsFinalizer(run.obj, finalizer) {
		return result{verdict: released}
	}
	st, spec := run.obj.RemoteStatus(), run.obj.RemoteSpec()
	policy := spec.EffectiveDeletionPolicy(st.Origin)
	if st.SID != "" && spec.Policies.ManagementPolicy == trv1.Manage && policy == trv1.DeletionDelete {
		if res, done := run.deleteRemote(ctx, st.SID); !done {
			return res
		}
	} else if st.SID != "" {
		run.event(corev1.EventTypeNormal, reasonOrphaned, "Delete", "left %s %s in TaskRouter (deletionPolicy %s, managementPolicy %s)",
			run.adapter.kind(), st.SID, policy, spec.Policies.ManagementPolicy)
	}
	if err := patchFinalizers(ctx, run.env.kube, run.obj, controllerutil.RemoveFinalizer); err != nil && !apierrors.IsNotFound(err) {
		return retrying(reasonDeleting, fmt.Errorf("release finalizer: %w", err))
	}
	return result{verdict: released}
}

// deleteRemote deletes the remote object; done is true when it is gone.
func (run *pass[T, R, P]) deleteRemote(ctx context.Context, sid string) (res result, done bool) {
	conn, err := run.deletionConnection(ctx)
	if errors.Is(err, errWorkspaceGoing) {
		// TaskRouter removes this object with its workspace, and the Workspace's own finalizer waits for that.
		return result{}, true
	}
	if err != nil {
		res := classify("Delete", err)
		res.reason, res.retry = reasonDeleting, errOr(res.retry, err)
		return res, false
	}
	objects := run.view(conn)
	err = objects.collection.Delete(ctx, sid)
	switch {
	case err == nil || taskrouter.IsNotFound(err):
		objects.listing.drop(sid, run.env.now())
		if _, child := any(run.obj).(childObject); !child {
			run.env.snapshot.forget(scopeKey(connection{objects: conn.account.Workspace(sid)}))
		}
		run.event(corev1.EventTypeNormal, reasonDeleted, "Delete", "deleted %s %s", run.adapter.kind(), sid)
		return result{}, true
	case taskrouter.IsTerminal(err):
		run.event(corev1.EventTypeWarning, reasonDeletionBlocked, "Delete", "TaskRouter refused to delete %s %s: %v", run.adapter.kind(), sid, err)
		return result{verdict: stalled, reason: reasonDeletionBlocked, retry: err,
			message: fmt.Sprintf("TaskRouter refused to delete %s %s (%v)%s; the finalizer stays until the delete succeeds, which it retries as soon as that changes",
				run.adapter.kind(), sid, err, run.stillReferenced(ctx))}, false
	default:
		return retrying(reasonDeleting, fmt.Errorf("delete %s %s: %w", run.adapter.kind(), sid, err)), false
	}
}

// errWorkspaceGoing means a child's Workspace is gone or is being deleted with its contents.
var errWorkspaceGoing = errors.New("the Workspace is gone or being deleted with its contents")

// deletionConnection is the connection a delete needs: only the account, never the references, so
// deletion cannot wait on them. When a child's Workspace resource is gone, or is being deleted with
// deletionPolicy Delete, TaskRouter deletes the child with it: deleting it first could only fail
// (an Activity that is still the default) and leave the child stuck in Terminating.
func (run *pass[T, R, P]) deletionConnection(ctx context.Context) (connection, error) {
	refs := run.env.refs
	child, ok := any(run.obj).(childObject)
	if !ok {
		return refs.connect(ctx, run.obj)
	}
	ws, err := refs.lookupWorkspace(ctx, child.GetNamespace(), child.WorkspaceName())
	switch {
	case err != nil:
		return connection{}, err
	case ws == nil || ws.Status.SID == "":
		return connection{}, errWorkspaceGoing
	case ws.DeletionTimestamp != nil && ws.RemoteSpec().Policies.ManagementPolicy == trv1.Manage &&
		ws.RemoteSpec().EffectiveDeletionPolicy(ws.Status.Origin) == trv1.DeletionDelete:
		return connection{}, errWorkspaceGoing
	}
	acct, err := refs.credentials.account(ctx, ws)
	if err != nil {
		return connection{}, err
	}
	return connection{account: acct, workspace: ws, objects: acct.Workspace(ws.Status.SID)}, nil
}

func errOr(err, fallback error) error {
	if err != nil {
		return err
	}
	return fallback
}

// stillReferenced says which resources still refer to the object being deleted, the usual reason
// TaskRouter refuses (a Workspace's default activity, a queue a Workflow targets), and what to do.
func (run *pass[T, R, P]) stillReferenced(ctx context.Context) string {
	key := reference{kind: run.adapter.kind(), name: run.obj.GetName()}.key()
	var names []string
	for _, k := range run.env.kinds {
		list := k.newList()
		if err := run.env.kube.List(ctx, list, client.InNamespace(run.obj.GetNamespace()), client.MatchingFields{referenceIndex: key}); err != nil {
			continue
		}
		items, _ := meta.ExtractList(list)
		for _, item := range items {
			if o, ok := item.(client.Object); ok && o.GetDeletionTimestamp() == nil {
				names = append(names, k.kind()+" "+o.GetName())
			}
		}
	}
	if len(names) == 0 {
		return ""
	}
	return fmt.Sprintf(": it is still referenced by %s; change those references first", strings.Join(names, ", "))
}
