package controllers

import (
	"context"
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/internal/taskrouter"
)

// maxAttributesLength is TaskRouter's limit on a worker's attributes as JSON.
const maxAttributesLength = 4096

// workerAdapter maps a Worker resource to a TaskRouter Worker. Attributes are
// compared as JSON documents. The activity is set at create and, with
// activityPolicy Enforce, kept; with Initial an agent's own change stands.
type workerAdapter struct{}

func (workerAdapter) kind() string               { return "Worker" }
func (workerAdapter) newObject() *trv1.Worker    { return &trv1.Worker{} }
func (workerAdapter) newList() client.ObjectList { return &trv1.WorkerList{} }
func (workerAdapter) references(w *trv1.Worker) []reference {
	refs := []reference{{kind: "Workspace", name: w.Spec.WorkspaceRef.Name}}
	if w.Spec.ActivityRef != nil {
		refs = append(refs, reference{kind: "Activity", name: w.Spec.ActivityRef.Name})
	}
	return refs
}

func (workerAdapter) connect(ctx context.Context, e *env, w *trv1.Worker) (binding[*trv1.Worker, taskrouter.Worker], error) {
	b := &workerBinding{name: w.RemoteSpec().FriendlyName, enforce: w.Spec.ActivityPolicy == trv1.ActivityEnforce}
	if w.Spec.Attributes != nil {
		attrs := string(w.Spec.Attributes.Raw)
		if len(attrs) > maxAttributesLength {
			return nil, stall("InvalidSpec", "spec.attributes is %d characters as JSON; TaskRouter allows at most %d", len(attrs), maxAttributesLength)
		}
		b.attributes = &attrs
	}
	ws, _, err := e.workspace(ctx, w.Namespace, w.Spec.WorkspaceRef.Name)
	if err != nil {
		return nil, err
	}
	b.ws = ws
	sid, err := e.activitySID(ctx, w.Namespace, w.Spec.WorkspaceRef.Name, w.Spec.ActivityRef, "spec.activityRef")
	if err != nil {
		return nil, err
	}
	if sid != "" {
		b.activity = &sid
	}
	return b, nil
}

func (workerAdapter) deleter(ctx context.Context, e *env, w *trv1.Worker) (deleteFunc, error) {
	return childDeleter(ctx, e, w.Namespace, w.Spec.WorkspaceRef.Name, func(ws *taskrouter.WorkspaceClient) deleteFunc { return ws.DeleteWorker })
}

type workerBinding struct {
	ws         *taskrouter.WorkspaceClient
	name       string
	attributes *string
	activity   *string
	enforce    bool
}

func (b *workerBinding) sid(r taskrouter.Worker) string { return r.SID }

func (b *workerBinding) fetch(ctx context.Context, sid string) (taskrouter.Worker, error) {
	return deref(b.ws.FetchWorker(ctx, sid))
}

// findByName matches case-insensitively, as TaskRouter enforces worker names.
func (b *workerBinding) findByName(ctx context.Context, name string) ([]taskrouter.Worker, error) {
	all, err := b.ws.ListWorkers(ctx, name)
	if err != nil {
		return nil, err
	}
	var out []taskrouter.Worker
	for _, w := range all {
		if strings.EqualFold(w.FriendlyName, name) {
			out = append(out, w)
		}
	}
	return out, nil
}

func (b *workerBinding) create(ctx context.Context) (taskrouter.Worker, error) {
	return deref(b.ws.CreateWorker(ctx, taskrouter.WorkerParams{FriendlyName: &b.name, Attributes: b.attributes, ActivitySID: b.activity}))
}

func (b *workerBinding) diff(r taskrouter.Worker) change[taskrouter.Worker] {
	var c change[taskrouter.Worker]
	p := taskrouter.WorkerParams{IfMatch: r.ETag}
	if r.FriendlyName != b.name {
		c.fields, p.FriendlyName = append(c.fields, "friendlyName"), &b.name
	}
	if b.attributes != nil && !sameJSON(*b.attributes, r.Attributes) {
		c.fields, p.Attributes = append(c.fields, "attributes"), b.attributes
	}
	if b.enforce && b.activity != nil && *b.activity != r.ActivitySID {
		c.fields, p.ActivitySID = append(c.fields, "activityRef"), b.activity
	}
	// If-Match guards the update: an agent changing activity in between makes it a
	// 412, retried against the fresh state rather than overwriting it.
	c.apply = func(ctx context.Context) (taskrouter.Worker, error) { return deref(b.ws.UpdateWorker(ctx, r.SID, p)) }
	return c
}

func (b *workerBinding) delete(ctx context.Context, sid string) error {
	return b.ws.DeleteWorker(ctx, sid)
}

func (b *workerBinding) mirror(w *trv1.Worker, r taskrouter.Worker) {
	w.Status.ActivitySID = r.ActivitySID
	w.Status.ActivityName = r.ActivityName
	w.Status.Available = &r.Available
	if !r.DateStatusChanged.IsZero() {
		// Status holds whole seconds; a finer time would look like a change on every pass.
		t := metav1.NewTime(r.DateStatusChanged.UTC().Truncate(time.Second))
		w.Status.ActivityChangedAt = &t
	}
}
