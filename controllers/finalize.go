package controllers

import (
	"context"
	"errors"
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/internal/taskrouter"
)

// deleteFunc deletes one remote object by SID.
type deleteFunc func(ctx context.Context, sid string) error

// finalize is the delete path: delete the remote object when the deletion
// policy says so, then release the finalizer. A delete TaskRouter refuses keeps
// the finalizer and is retried with backoff, reported as DeletionBlocked.
func (run *reconcileRun[T, R]) finalize(ctx context.Context) outcome {
	if !controllerutil.ContainsFinalizer(run.obj, finalizer) {
		return outcome{released: true}
	}
	st := run.obj.RemoteStatus()
	spec := run.obj.RemoteSpec()
	policy := spec.EffectiveDeletionPolicy(st.Origin)
	if st.SID != "" && spec.Policies.ManagementPolicy == trv1.Manage && policy == trv1.DeletionDelete {
		if out, done := run.deleteRemote(ctx, st.SID); !done {
			return out
		}
	} else if st.SID != "" {
		run.event("Normal", "Orphaned", "Delete", "left %s %s in TaskRouter (deletionPolicy %s, managementPolicy %s)",
			run.adapter.kind(), st.SID, policy, spec.Policies.ManagementPolicy)
	}
	controllerutil.RemoveFinalizer(run.obj, finalizer)
	if err := run.env.kube.Update(ctx, run.obj); err != nil && !apierrors.IsNotFound(err) {
		return retryOutcome(reasonDeleting, fmt.Errorf("release finalizer: %w", err))
	}
	return outcome{released: true}
}

// deleteRemote deletes the remote object; done is true when it is gone.
func (run *reconcileRun[T, R]) deleteRemote(ctx context.Context, sid string) (out outcome, done bool) {
	del, err := run.adapter.deleter(ctx, run.env, run.obj)
	if errors.Is(err, errWorkspaceGoing) {
		// The Workspace is gone or is being deleted with its contents: TaskRouter
		// removes this object with it, and the Workspace's own finalizer waits for that.
		return outcome{}, true
	}
	if err != nil {
		out := classify("Delete", err)
		out.reason, out.retry = reasonDeleting, errOr(out.retry, err)
		return out, false
	}
	err = del(ctx, sid)
	switch {
	case err == nil || taskrouter.IsNotFound(err):
		run.event("Normal", "Deleted", "Delete", "deleted %s %s", run.adapter.kind(), sid)
		return outcome{}, true
	case taskrouter.IsTerminal(err):
		run.event("Warning", reasonDeleteBlocked, "Delete", "TaskRouter refused to delete %s %s: %v", run.adapter.kind(), sid, err)
		return outcome{stalled: true, reason: reasonDeleteBlocked, retry: err,
			message: fmt.Sprintf("TaskRouter refused to delete %s %s (%v); the finalizer stays until the delete succeeds", run.adapter.kind(), sid, err)}, false
	default:
		return retryOutcome(reasonDeleting, fmt.Errorf("delete %s %s: %w", run.adapter.kind(), sid, err)), false
	}
}

func errOr(err, fallback error) error {
	if err != nil {
		return err
	}
	return fallback
}

// errWorkspaceGoing means a child's Workspace is gone or is being deleted with its contents.
var errWorkspaceGoing = errors.New("the Workspace is gone or being deleted with its contents")

// childDeleter returns the delete call for an object inside a workspace. When the
// Workspace resource is gone, or is being deleted with deletionPolicy Delete,
// TaskRouter deletes the child with it: deleting it first could only fail (an
// Activity that is still the default) and leave the child stuck in Terminating.
func childDeleter(ctx context.Context, e *env, namespace, workspace string, pick func(*taskrouter.WorkspaceClient) deleteFunc) (deleteFunc, error) {
	var ws trv1.Workspace
	if err := e.kube.Get(ctx, types.NamespacedName{Namespace: namespace, Name: workspace}, &ws); err != nil {
		if apierrors.IsNotFound(err) {
			return nil, errWorkspaceGoing
		}
		return nil, err
	}
	if ws.Status.SID == "" {
		return nil, errWorkspaceGoing
	}
	if ws.DeletionTimestamp != nil && ws.RemoteSpec().EffectiveDeletionPolicy(ws.Status.Origin) == trv1.DeletionDelete &&
		ws.RemoteSpec().Policies.ManagementPolicy == trv1.Manage {
		return nil, errWorkspaceGoing
	}
	acct, err := e.account(ctx, &ws)
	if err != nil {
		return nil, err
	}
	return pick(acct.Workspace(ws.Status.SID)), nil
}
