package controllers

import (
	"context"
	"encoding/json"
	"fmt"

	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	apierrors "k8s.io/apimachinery/pkg/api/errors"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/internal/expression"
	"github.com/taskrouter-operator/taskrouter-operator/internal/taskrouter"
)

// maxConfigurationBytes is TaskRouter's limit on a workflow configuration.
const maxConfigurationBytes = 1 << 20

// workflowAdapter maps a Workflow resource to a TaskRouter Workflow. The
// structured configuration is rendered to TaskRouter's task_routing JSON with
// each queueRef replaced by the TaskQueue's SID, and compared as a JSON document.
type workflowAdapter struct{}

func (workflowAdapter) kind() string               { return "Workflow" }
func (workflowAdapter) newObject() *trv1.Workflow  { return &trv1.Workflow{} }
func (workflowAdapter) newList() client.ObjectList { return &trv1.WorkflowList{} }
func (workflowAdapter) references(w *trv1.Workflow) []reference {
	refs := []reference{{kind: "Workspace", name: w.Spec.WorkspaceRef.Name}}
	forEachQueue(w, func(_ string, q trv1.QueueSelector) {
		if q.QueueRef != nil {
			refs = append(refs, reference{kind: "TaskQueue", name: q.QueueRef.Name})
		}
	})
	return refs
}

func (workflowAdapter) connect(ctx context.Context, e *env, w *trv1.Workflow) (binding[*trv1.Workflow, taskrouter.Workflow], error) {
	if err := validateExpressions(w); err != nil {
		return nil, err
	}
	ws, _, err := e.workspace(ctx, w.Namespace, w.Spec.WorkspaceRef.Name)
	if err != nil {
		return nil, err
	}
	config, err := renderConfiguration(ctx, e, w)
	if err != nil {
		return nil, err
	}
	b := &workflowBinding{ws: ws, want: taskrouter.WorkflowParams{
		FriendlyName:  taskrouter.Ptr(w.RemoteSpec().FriendlyName),
		Configuration: &config,
	}}
	if w.Spec.AssignmentCallbackURL != "" {
		b.want.AssignmentCallbackURL = &w.Spec.AssignmentCallbackURL
	}
	if w.Spec.FallbackAssignmentCallbackURL != "" {
		b.want.FallbackAssignmentCallbackURL = &w.Spec.FallbackAssignmentCallbackURL
	}
	if w.Spec.TaskReservationTimeout != nil {
		b.want.TaskReservationTimeout = taskrouter.Ptr(int(*w.Spec.TaskReservationTimeout))
	}
	return b, nil
}

func (workflowAdapter) deleter(ctx context.Context, e *env, w *trv1.Workflow) (deleteFunc, error) {
	return childDeleter(ctx, e, w.Namespace, w.Spec.WorkspaceRef.Name, func(ws *taskrouter.WorkspaceClient) deleteFunc { return ws.DeleteWorkflow })
}

type workflowBinding struct {
	ws   *taskrouter.WorkspaceClient
	want taskrouter.WorkflowParams
}

func (b *workflowBinding) sid(r taskrouter.Workflow) string { return r.SID }

func (b *workflowBinding) fetch(ctx context.Context, sid string) (taskrouter.Workflow, error) {
	return deref(b.ws.FetchWorkflow(ctx, sid))
}

func (b *workflowBinding) findByName(ctx context.Context, name string) ([]taskrouter.Workflow, error) {
	all, err := b.ws.ListWorkflows(ctx, name)
	return exactly(all, err, name, func(w taskrouter.Workflow) string { return w.FriendlyName })
}

func (b *workflowBinding) create(ctx context.Context) (taskrouter.Workflow, error) {
	return deref(b.ws.CreateWorkflow(ctx, b.want))
}

func (b *workflowBinding) diff(r taskrouter.Workflow) change[taskrouter.Workflow] {
	var c change[taskrouter.Workflow]
	var p taskrouter.WorkflowParams
	differs := func(field string, want *string, have string, dst **string) {
		c.fields = sendIfDiffers(c.fields, field, want, have, dst)
	}
	differs("friendlyName", b.want.FriendlyName, r.FriendlyName, &p.FriendlyName)
	differs("assignmentCallbackUrl", b.want.AssignmentCallbackURL, r.AssignmentCallbackURL, &p.AssignmentCallbackURL)
	differs("fallbackAssignmentCallbackUrl", b.want.FallbackAssignmentCallbackURL, r.FallbackAssignmentCallbackURL, &p.FallbackAssignmentCallbackURL)
	if !sameJSON(*b.want.Configuration, r.Configuration) {
		c.fields, p.Configuration = append(c.fields, "configuration"), b.want.Configuration
	}
	if b.want.TaskReservationTimeout != nil && *b.want.TaskReservationTimeout != r.TaskReservationTimeout {
		c.fields, p.TaskReservationTimeout = append(c.fields, "taskReservationTimeout"), b.want.TaskReservationTimeout
	}
	c.apply = func(ctx context.Context) (taskrouter.Workflow, error) {
		return deref(b.ws.UpdateWorkflow(ctx, r.SID, p))
	}
	return c
}

func (b *workflowBinding) delete(ctx context.Context, sid string) error {
	return b.ws.DeleteWorkflow(ctx, sid)
}

func (b *workflowBinding) mirror(*trv1.Workflow, taskrouter.Workflow) {}

// forEachQueue calls fn for every queue selector in the configuration, with its field path.
func forEachQueue(w *trv1.Workflow, fn func(path string, q trv1.QueueSelector)) {
	for i, f := range w.Spec.Configuration.TaskRouting.Filters {
		for j, t := range f.Targets {
			fn(fmt.Sprintf("spec.configuration.taskRouting.filters[%d].targets[%d]", i, j), t.QueueSelector)
		}
	}
	if d := w.Spec.Configuration.TaskRouting.DefaultFilter; d != nil {
		fn("spec.configuration.taskRouting.defaultFilter", *d)
	}
}

// validateExpressions reports a syntax error with its field and position before TaskRouter sees it.
func validateExpressions(w *trv1.Workflow) error {
	check := func(path, src string, roots ...string) error {
		if src == "" {
			return nil
		}
		x, err := expression.Parse(src)
		if err == nil && roots != nil {
			err = x.ValidateKeys(roots...)
		}
		if err != nil {
			return stall("InvalidSpec", "%s: %v", path, err)
		}
		return nil
	}
	for i, f := range w.Spec.Configuration.TaskRouting.Filters {
		path := fmt.Sprintf("spec.configuration.taskRouting.filters[%d]", i)
		if err := check(path+".expression", f.Expression); err != nil {
			return err
		}
		for j, t := range f.Targets {
			tp := fmt.Sprintf("%s.targets[%d]", path, j)
			if err := check(tp+".expression", t.Expression, "worker", "task", "taskrouter"); err != nil {
				return err
			}
			if err := check(tp+".skipIf", t.SkipIf); err != nil {
				return err
			}
		}
	}
	return nil
}

// renderConfiguration produces TaskRouter's configuration JSON, resolving each
// queueRef to the SID of a Ready TaskQueue of the same Workspace.
func renderConfiguration(ctx context.Context, e *env, w *trv1.Workflow) (string, error) {
	sids := map[string]string{}
	var resolveErr error
	forEachQueue(w, func(path string, q trv1.QueueSelector) {
		if resolveErr != nil || q.QueueRef == nil {
			return
		}
		sid, err := queueSID(ctx, e, w, q.QueueRef.Name, path+".queueRef")
		sids[q.QueueRef.Name], resolveErr = sid, err
	})
	if resolveErr != nil {
		return "", resolveErr
	}
	queue := func(q trv1.QueueSelector) string {
		if q.QueueRef != nil {
			return sids[q.QueueRef.Name]
		}
		return q.QueueSid
	}
	routing := map[string]any{}
	filters := []any{}
	for _, f := range w.Spec.Configuration.TaskRouting.Filters {
		targets := []any{}
		for _, t := range f.Targets {
			targets = append(targets, renderTarget(t, queue(t.QueueSelector)))
		}
		filters = append(filters, map[string]any{"filter_friendly_name": f.FilterFriendlyName, "expression": f.Expression, "targets": targets})
	}
	routing["filters"] = filters
	if d := w.Spec.Configuration.TaskRouting.DefaultFilter; d != nil {
		routing["default_filter"] = map[string]any{"queue": queue(*d)}
	}
	out, err := json.Marshal(map[string]any{"task_routing": routing})
	if err != nil {
		return "", fmt.Errorf("render workflow configuration: %w", err)
	}
	if len(out) > maxConfigurationBytes {
		return "", stall("InvalidSpec", "spec.configuration renders to %d bytes; TaskRouter allows at most %d", len(out), maxConfigurationBytes)
	}
	return string(out), nil
}

func renderTarget(t trv1.WorkflowTarget, queue string) map[string]any {
	out := map[string]any{"queue": queue}
	if t.Priority != nil {
		out["priority"] = *t.Priority
	}
	if t.Timeout != nil {
		out["timeout"] = *t.Timeout
	}
	for key, v := range map[string]string{"expression": t.Expression, "order_by": t.OrderBy, "skip_if": t.SkipIf,
		"known_worker_sid": t.KnownWorkerSid, "known_worker_friendly_name": t.KnownWorkerFriendlyName} {
		if v != "" {
			out[key] = v
		}
	}
	return out
}

func queueSID(ctx context.Context, e *env, w *trv1.Workflow, name, field string) (string, error) {
	var q trv1.TaskQueue
	if err := e.kube.Get(ctx, types.NamespacedName{Namespace: w.Namespace, Name: name}, &q); err != nil {
		if apierrors.IsNotFound(err) {
			return "", waitFor("WaitingForReference", "%s: TaskQueue %q not found", field, name)
		}
		return "", err
	}
	if q.Spec.WorkspaceRef.Name != w.Spec.WorkspaceRef.Name {
		return "", stall("InvalidReference", "%s: TaskQueue %q belongs to Workspace %q, not %q", field, name, q.Spec.WorkspaceRef.Name, w.Spec.WorkspaceRef.Name)
	}
	if !isReady(&q) || q.Status.SID == "" {
		return "", waitFor("WaitingForReference", "%s: TaskQueue %q is not Ready yet", field, name)
	}
	return q.Status.SID, nil
}
