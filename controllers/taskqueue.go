package controllers

import (
	"context"

	"sigs.k8s.io/controller-runtime/pkg/client"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/internal/expression"
	"github.com/taskrouter-operator/taskrouter-operator/internal/taskrouter"
)

// taskQueueAdapter maps a TaskQueue resource to a TaskRouter TaskQueue. Its
// activity references resolve to SIDs; fields the spec leaves unset are left
// as TaskRouter has them.
type taskQueueAdapter struct{}

func (taskQueueAdapter) kind() string               { return "TaskQueue" }
func (taskQueueAdapter) newObject() *trv1.TaskQueue { return &trv1.TaskQueue{} }
func (taskQueueAdapter) newList() client.ObjectList { return &trv1.TaskQueueList{} }
func (taskQueueAdapter) references(q *trv1.TaskQueue) []reference {
	refs := []reference{{kind: "Workspace", name: q.Spec.WorkspaceRef.Name}}
	for _, r := range []*trv1.LocalObjectReference{q.Spec.ReservationActivityRef, q.Spec.AssignmentActivityRef} {
		if r != nil {
			refs = append(refs, reference{kind: "Activity", name: r.Name})
		}
	}
	return refs
}

func (taskQueueAdapter) connect(ctx context.Context, e *env, q *trv1.TaskQueue) (binding[*trv1.TaskQueue, taskrouter.TaskQueue], error) {
	// A syntax error is reported with its position before TaskRouter sees it.
	if _, err := expression.Parse(q.Spec.TargetWorkers); q.Spec.TargetWorkers != "" && err != nil {
		return nil, stall("InvalidSpec", "spec.targetWorkers: %v", err)
	}
	ws, _, err := e.workspace(ctx, q.Namespace, q.Spec.WorkspaceRef.Name)
	if err != nil {
		return nil, err
	}
	b := &taskQueueBinding{ws: ws, want: taskrouter.TaskQueueParams{FriendlyName: taskrouter.Ptr(q.RemoteSpec().FriendlyName)}}
	if q.Spec.TargetWorkers != "" {
		b.want.TargetWorkers = &q.Spec.TargetWorkers
	}
	if q.Spec.MaxReservedWorkers != nil {
		b.want.MaxReservedWorkers = taskrouter.Ptr(int(*q.Spec.MaxReservedWorkers))
	}
	if q.Spec.TaskOrder != "" {
		b.want.TaskOrder = &q.Spec.TaskOrder
	}
	for _, ref := range []struct {
		ref   *trv1.LocalObjectReference
		field string
		dst   **string
	}{
		{q.Spec.ReservationActivityRef, "spec.reservationActivityRef", &b.want.ReservationActivitySID},
		{q.Spec.AssignmentActivityRef, "spec.assignmentActivityRef", &b.want.AssignmentActivitySID},
	} {
		sid, err := e.activitySID(ctx, q.Namespace, q.Spec.WorkspaceRef.Name, ref.ref, ref.field)
		if err != nil {
			return nil, err
		}
		if sid != "" {
			*ref.dst = &sid
		}
	}
	return b, nil
}

func (taskQueueAdapter) deleter(ctx context.Context, e *env, q *trv1.TaskQueue) (deleteFunc, error) {
	return childDeleter(ctx, e, q.Namespace, q.Spec.WorkspaceRef.Name, func(ws *taskrouter.WorkspaceClient) deleteFunc { return ws.DeleteTaskQueue })
}

type taskQueueBinding struct {
	ws   *taskrouter.WorkspaceClient
	want taskrouter.TaskQueueParams
}

func (b *taskQueueBinding) sid(r taskrouter.TaskQueue) string { return r.SID }

func (b *taskQueueBinding) fetch(ctx context.Context, sid string) (taskrouter.TaskQueue, error) {
	return deref(b.ws.FetchTaskQueue(ctx, sid))
}

func (b *taskQueueBinding) findByName(ctx context.Context, name string) ([]taskrouter.TaskQueue, error) {
	all, err := b.ws.ListTaskQueues(ctx, name)
	return exactly(all, err, name, func(q taskrouter.TaskQueue) string { return q.FriendlyName })
}

func (b *taskQueueBinding) create(ctx context.Context) (taskrouter.TaskQueue, error) {
	return deref(b.ws.CreateTaskQueue(ctx, b.want))
}

func (b *taskQueueBinding) diff(r taskrouter.TaskQueue) change[taskrouter.TaskQueue] {
	var c change[taskrouter.TaskQueue]
	var p taskrouter.TaskQueueParams
	differs := func(field string, want *string, have string, dst **string) {
		c.fields = sendIfDiffers(c.fields, field, want, have, dst)
	}
	differs("friendlyName", b.want.FriendlyName, r.FriendlyName, &p.FriendlyName)
	differs("targetWorkers", b.want.TargetWorkers, r.TargetWorkers, &p.TargetWorkers)
	differs("taskOrder", b.want.TaskOrder, r.TaskOrder, &p.TaskOrder)
	differs("reservationActivityRef", b.want.ReservationActivitySID, r.ReservationActivitySID, &p.ReservationActivitySID)
	differs("assignmentActivityRef", b.want.AssignmentActivitySID, r.AssignmentActivitySID, &p.AssignmentActivitySID)
	if b.want.MaxReservedWorkers != nil && *b.want.MaxReservedWorkers != r.MaxReservedWorkers {
		c.fields, p.MaxReservedWorkers = append(c.fields, "maxReservedWorkers"), b.want.MaxReservedWorkers
	}
	c.apply = func(ctx context.Context) (taskrouter.TaskQueue, error) {
		return deref(b.ws.UpdateTaskQueue(ctx, r.SID, p))
	}
	return c
}

func (b *taskQueueBinding) delete(ctx context.Context, sid string) error {
	return b.ws.DeleteTaskQueue(ctx, sid)
}

func (b *taskQueueBinding) mirror(q *trv1.TaskQueue, r taskrouter.TaskQueue) {
	q.Status.ReservationActivitySID = r.ReservationActivitySID
	q.Status.AssignmentActivitySID = r.AssignmentActivitySID
}
