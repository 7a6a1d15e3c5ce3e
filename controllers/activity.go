package controllers

import (
	"context"

	"sigs.k8s.io/controller-runtime/pkg/client"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/internal/taskrouter"
)

// activityAdapter maps an Activity resource to a TaskRouter Activity. Only the
// friendly name can change: TaskRouter fixes `available` at create, and the
// schema rejects a change to it at admission.
type activityAdapter struct{}

func (activityAdapter) kind() string               { return "Activity" }
func (activityAdapter) newObject() *trv1.Activity  { return &trv1.Activity{} }
func (activityAdapter) newList() client.ObjectList { return &trv1.ActivityList{} }
func (activityAdapter) references(a *trv1.Activity) []reference {
	return []reference{{kind: "Workspace", name: a.Spec.WorkspaceRef.Name}}
}

func (activityAdapter) connect(ctx context.Context, e *env, a *trv1.Activity) (binding[*trv1.Activity, taskrouter.Activity], error) {
	ws, _, err := e.workspace(ctx, a.Namespace, a.Spec.WorkspaceRef.Name)
	if err != nil {
		return nil, err
	}
	return &activityBinding{ws: ws, name: a.RemoteSpec().FriendlyName, available: a.Spec.Available}, nil
}

func (activityAdapter) deleter(ctx context.Context, e *env, a *trv1.Activity) (deleteFunc, error) {
	return childDeleter(ctx, e, a.Namespace, a.Spec.WorkspaceRef.Name, func(ws *taskrouter.WorkspaceClient) deleteFunc { return ws.DeleteActivity })
}

type activityBinding struct {
	ws        *taskrouter.WorkspaceClient
	name      string
	available *bool
}

func (b *activityBinding) sid(r taskrouter.Activity) string { return r.SID }

func (b *activityBinding) fetch(ctx context.Context, sid string) (taskrouter.Activity, error) {
	return deref(b.ws.FetchActivity(ctx, sid))
}

func (b *activityBinding) findByName(ctx context.Context, name string) ([]taskrouter.Activity, error) {
	all, err := b.ws.ListActivities(ctx, name)
	return exactly(all, err, name, func(a taskrouter.Activity) string { return a.FriendlyName })
}

func (b *activityBinding) create(ctx context.Context) (taskrouter.Activity, error) {
	return deref(b.ws.CreateActivity(ctx, taskrouter.ActivityParams{FriendlyName: &b.name, Available: b.available}))
}

func (b *activityBinding) diff(r taskrouter.Activity) change[taskrouter.Activity] {
	var c change[taskrouter.Activity]
	var p taskrouter.ActivityParams
	if r.FriendlyName != b.name {
		c.fields, p.FriendlyName = append(c.fields, "friendlyName"), &b.name
	}
	if b.available != nil && r.Available != *b.available {
		// TaskRouter cannot change it: only recreating the Activity could. Say so instead of looping.
		c.fields = append(c.fields, "available")
		c.apply = func(context.Context) (taskrouter.Activity, error) {
			return r, stall("ImmutableField", "Activity %s is available=%t in TaskRouter and TaskRouter cannot change it: delete and recreate the Activity to change it", r.SID, r.Available)
		}
		return c
	}
	c.apply = func(ctx context.Context) (taskrouter.Activity, error) {
		return deref(b.ws.UpdateActivity(ctx, r.SID, p))
	}
	return c
}

func (b *activityBinding) delete(ctx context.Context, sid string) error {
	return b.ws.DeleteActivity(ctx, sid)
}

func (b *activityBinding) mirror(a *trv1.Activity, r taskrouter.Activity) {
	a.Status.Available = &r.Available
}
