package controllers

import (
	"context"

	"sigs.k8s.io/controller-runtime/pkg/client"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/internal/taskrouter"
)

// workspaceAdapter maps a Workspace resource to a TaskRouter Workspace. Its
// default and timeout activities are Activities inside it, which cannot exist
// before it does: the Workspace is created without them, and stays Reconciling
// (WaitingForReference) until they are Ready and set.
type workspaceAdapter struct{}

func (workspaceAdapter) kind() string               { return "Workspace" }
func (workspaceAdapter) newObject() *trv1.Workspace { return &trv1.Workspace{} }
func (workspaceAdapter) newList() client.ObjectList { return &trv1.WorkspaceList{} }
func (workspaceAdapter) references(w *trv1.Workspace) []reference {
	var refs []reference
	for _, r := range []*trv1.LocalObjectReference{w.Spec.DefaultActivityRef, w.Spec.TimeoutActivityRef} {
		if r != nil {
			refs = append(refs, reference{kind: "Activity", name: r.Name})
		}
	}
	return refs
}

func (workspaceAdapter) connect(ctx context.Context, e *env, w *trv1.Workspace) (binding[*trv1.Workspace, taskrouter.Workspace], error) {
	acct, err := e.account(ctx, w)
	if err != nil {
		return nil, err
	}
	b := &workspaceBinding{acct: acct, want: taskrouter.WorkspaceParams{FriendlyName: taskrouter.Ptr(w.RemoteSpec().FriendlyName)}}
	if w.Spec.EventCallbackURL != "" {
		b.want.EventCallbackURL = &w.Spec.EventCallbackURL
	}
	if len(w.Spec.EventsFilter) > 0 {
		b.want.EventsFilter = w.Spec.EventsFilter
	}
	b.want.MultiTaskEnabled = w.Spec.MultiTaskEnabled
	if w.Spec.PrioritizeQueueOrder != "" {
		b.want.PrioritizeQueueOrder = &w.Spec.PrioritizeQueueOrder
	}
	if w.Spec.Template != "" {
		b.template = &w.Spec.Template
	}
	if w.Status.SID == "" {
		return b, nil // no Activity can be ready before the workspace exists
	}
	for _, ref := range []struct {
		ref   *trv1.LocalObjectReference
		field string
		dst   **string
	}{
		{w.Spec.DefaultActivityRef, "spec.defaultActivityRef", &b.want.DefaultActivitySID},
		{w.Spec.TimeoutActivityRef, "spec.timeoutActivityRef", &b.want.TimeoutActivitySID},
	} {
		sid, err := e.activitySID(ctx, w.Namespace, w.Name, ref.ref, ref.field)
		if err != nil {
			b.waiting = err
			continue
		}
		if sid != "" {
			*ref.dst = &sid
		}
	}
	return b, nil
}

func (workspaceAdapter) deleter(ctx context.Context, e *env, w *trv1.Workspace) (deleteFunc, error) {
	acct, err := e.account(ctx, w)
	if err != nil {
		return nil, err
	}
	return acct.DeleteWorkspace, nil
}

type workspaceBinding struct {
	acct     *taskrouter.Account
	want     taskrouter.WorkspaceParams
	template *string
	// waiting holds why an activity reference could not be set yet.
	waiting error
}

func (b *workspaceBinding) sid(r taskrouter.Workspace) string { return r.SID }

func (b *workspaceBinding) fetch(ctx context.Context, sid string) (taskrouter.Workspace, error) {
	return deref(b.acct.FetchWorkspace(ctx, sid))
}

func (b *workspaceBinding) findByName(ctx context.Context, name string) ([]taskrouter.Workspace, error) {
	all, err := b.acct.ListWorkspaces(ctx, name)
	return exactly(all, err, name, func(w taskrouter.Workspace) string { return w.FriendlyName })
}

func (b *workspaceBinding) create(ctx context.Context) (taskrouter.Workspace, error) {
	p := b.want
	p.Template = b.template
	p.DefaultActivitySID, p.TimeoutActivitySID = nil, nil // update-only in TaskRouter
	return deref(b.acct.CreateWorkspace(ctx, p))
}

func (b *workspaceBinding) diff(r taskrouter.Workspace) change[taskrouter.Workspace] {
	var c change[taskrouter.Workspace]
	var p taskrouter.WorkspaceParams
	differs := func(field string, want *string, have string, dst **string) {
		c.fields = sendIfDiffers(c.fields, field, want, have, dst)
	}
	differs("friendlyName", b.want.FriendlyName, r.FriendlyName, &p.FriendlyName)
	differs("eventCallbackUrl", b.want.EventCallbackURL, r.EventCallbackURL, &p.EventCallbackURL)
	differs("prioritizeQueueOrder", b.want.PrioritizeQueueOrder, r.PrioritizeQueueOrder, &p.PrioritizeQueueOrder)
	differs("defaultActivityRef", b.want.DefaultActivitySID, r.DefaultActivitySID, &p.DefaultActivitySID)
	differs("timeoutActivityRef", b.want.TimeoutActivitySID, r.TimeoutActivitySID, &p.TimeoutActivitySID)
	if b.want.EventsFilter != nil && !sameSet(b.want.EventsFilter, r.EventsFilterList()) {
		c.fields, p.EventsFilter = append(c.fields, "eventsFilter"), b.want.EventsFilter
	}
	if b.want.MultiTaskEnabled != nil && *b.want.MultiTaskEnabled != r.MultiTaskEnabled {
		c.fields, p.MultiTaskEnabled = append(c.fields, "multiTaskEnabled"), b.want.MultiTaskEnabled
	}
	c.apply = func(ctx context.Context) (taskrouter.Workspace, error) {
		return deref(b.acct.UpdateWorkspace(ctx, r.SID, p))
	}
	return c
}

func (b *workspaceBinding) delete(ctx context.Context, sid string) error {
	return b.acct.DeleteWorkspace(ctx, sid)
}

func (b *workspaceBinding) mirror(w *trv1.Workspace, r taskrouter.Workspace) {
	w.Status.DefaultActivitySID, w.Status.DefaultActivityName = r.DefaultActivitySID, r.DefaultActivityName
	w.Status.TimeoutActivitySID, w.Status.TimeoutActivityName = r.TimeoutActivitySID, r.TimeoutActivityName
}

// pending reports an activity reference that could not be set yet.
func (b *workspaceBinding) pending() error { return b.waiting }
