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

package preview

import (
	"context"
	"fmt"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/internal/routing"
	"github.com/taskrouter-operator/taskrouter-operator/internal/taskrouter"
)

// Workflow previews how the Workflow resource name routes task. An applied
// Workflow that has a SID routes with the configuration TaskRouter holds,
// which is what routes tasks now; a Workflow from a file, or one not created
// yet, with its spec rendered as the operator would render it, its queues as
// the files (else TaskRouter) have them. task.Channel may be a unique name or
// a TC SID; empty is "default", as for a task TaskRouter creates without one.
func (r *Resources) Workflow(ctx context.Context, name string, task Task) (WorkflowPreview, error) {
	wf, err := find[*trv1.Workflow](ctx, r, "Workflow", "", name)
	if err != nil {
		return WorkflowPreview{}, err
	}
	ws, wsObject, err := r.workspace(ctx, wf.obj.Namespace, wf.obj.Spec.WorkspaceRef.Name)
	if err != nil {
		return WorkflowPreview{}, err
	}
	in := r.Account.Workspace(ws.SID)
	if task.Channel, err = taskChannel(ctx, in, ws.FriendlyName, firstOf(task.Channel, defaultChannel)); err != nil {
		return WorkflowPreview{}, err
	}
	queues, err := in.TaskQueues().List(ctx, "")
	if err != nil {
		return WorkflowPreview{}, err
	}
	p := WorkflowPreview{Workspace: wsObject, Task: task.Attributes, TaskChannel: task.Channel,
		Workflow: Object{Resource: wf.obj.Name, FriendlyName: wf.obj.RemoteSpec().FriendlyName}}
	var rt Routing
	if sid := firstOf(wf.obj.Status.SID, wf.obj.Spec.SID); sid != "" && wf.file == "" {
		remote, err := in.Workflows().Fetch(ctx, sid)
		if err != nil {
			return p, fmt.Errorf("read the remote workflow of Workflow %s: %w", wf.obj.Name, err)
		}
		p.Workflow.FriendlyName, p.Workflow.SID = remote.FriendlyName, remote.SID
		p.Source = fmt.Sprintf("the configuration of %s in TaskRouter", remote.SID)
		if rt, err = liveRouting(remote, queues); err != nil {
			return p, fmt.Errorf("the configuration of Workflow %s in TaskRouter: %w", wf.obj.Name, err)
		}
	} else {
		p.Source = wf.describe("Workflow")
		if p.Workflow.SID, err = remoteWorkflowSID(ctx, in, wf.obj); err != nil {
			return p, err
		}
		if rt, err = r.specRouting(ctx, wf.obj, queues); err != nil {
			return p, err
		}
	}
	workers, channelsRead, err := r.workers(ctx, in, true)
	if err != nil {
		return p, err
	}
	p.WorkersRead, p.ChannelsRead, p.Filters = len(workers), channelsRead, len(rt.Filters)
	if p.TaskRoute, err = Route(rt, task, Workforce{Workers: workers, MultiTask: ws.MultiTaskEnabled}); err != nil {
		return p, fmt.Errorf("route the task through Workflow %s: %w", wf.obj.Name, err)
	}
	return p, nil
}

// defaultChannel is the TaskChannel of a task created without one.
const defaultChannel = "default"

// remoteWorkflowSID is the SID of the remote workflow a Workflow resource
// would adopt: its spec.sid, else the one workflow with its friendly name; ""
// when there is none yet.
func remoteWorkflowSID(ctx context.Context, in *taskrouter.WorkspaceClient, wf *trv1.Workflow) (string, error) {
	if wf.Spec.SID != "" {
		return wf.Spec.SID, nil
	}
	named, err := in.Workflows().List(ctx, wf.RemoteSpec().FriendlyName)
	if err != nil {
		return "", err
	}
	var sids []string
	for _, w := range named {
		if w.FriendlyName == wf.RemoteSpec().FriendlyName {
			sids = append(sids, w.SID)
		}
	}
	if len(sids) == 1 {
		return sids[0], nil
	}
	return "", nil
}

// liveRouting is the routing TaskRouter holds for remote, its queues by SID.
func liveRouting(remote taskrouter.Workflow, queues []taskrouter.TaskQueue) (Routing, error) {
	doc, err := routing.Parse(remote.Configuration)
	if err != nil {
		return Routing{}, err
	}
	bySID := map[string]Queue{}
	for _, q := range queues {
		bySID[q.SID] = Queue{Name: q.FriendlyName, SID: q.SID, TargetWorkers: q.TargetWorkers}
	}
	var missing error
	queue := func(sid string) Queue {
		q, ok := bySID[sid]
		if !ok && missing == nil {
			missing = fmt.Errorf("its configuration names queue %s, which is no queue of the workspace", sid)
		}
		return q
	}
	target := func(t routing.Target) Target {
		return Target{Queue: queue(t.Queue), Priority: t.Priority, Timeout: t.Timeout, Expression: t.Expression, OrderBy: t.OrderBy,
			SkipIf: t.SkipIf, KnownWorkerSID: t.KnownWorkerSID, KnownWorkerFriendlyName: t.KnownWorkerFriendlyName}
	}
	var rt Routing
	for _, f := range doc.TaskRouting.Filters {
		filter := Filter{Name: f.FilterFriendlyName, Expression: f.Expression}
		for _, t := range f.Targets {
			filter.Targets = append(filter.Targets, target(t))
		}
		rt.Filters = append(rt.Filters, filter)
	}
	if d := doc.TaskRouting.DefaultFilter; d != nil {
		t := target(*d)
		rt.Default = &t
	}
	return rt, missing
}

// specRouting is the routing wf's spec describes, each queueRef resolved to
// its TaskQueue resource (in the files, else the cluster) and each queueSid to
// the workspace's queue.
func (r *Resources) specRouting(ctx context.Context, wf *trv1.Workflow, queues []taskrouter.TaskQueue) (Routing, error) {
	resolved := map[string]Queue{}
	queue := func(path string, sel trv1.QueueSelector) (Queue, error) {
		if sel.QueueRef == nil {
			for _, q := range queues {
				if q.SID == sel.QueueSid {
					return Queue{Name: q.FriendlyName, SID: q.SID, TargetWorkers: q.TargetWorkers}, nil
				}
			}
			return Queue{}, fmt.Errorf("%s.queueSid of Workflow %s: %s is no queue of the workspace", path, wf.Name, sel.QueueSid)
		}
		if q, ok := resolved[sel.QueueRef.Name]; ok {
			return q, nil
		}
		q, err := r.taskQueue(ctx, wf.Namespace, sel.QueueRef.Name, queues)
		if err != nil {
			return Queue{}, fmt.Errorf("%s.queueRef of Workflow %s: %w", path, wf.Name, err)
		}
		resolved[sel.QueueRef.Name] = q.forRouting()
		return resolved[sel.QueueRef.Name], nil
	}
	var rt Routing
	for i, f := range wf.Spec.Configuration.TaskRouting.Filters {
		filter := Filter{Name: f.FilterFriendlyName, Expression: f.Expression}
		for j, t := range f.Targets {
			q, err := queue(fmt.Sprintf("spec.configuration.taskRouting.filters[%d].targets[%d]", i, j), t.QueueSelector)
			if err != nil {
				return rt, err
			}
			filter.Targets = append(filter.Targets, Target{Queue: q, Priority: t.Priority, Timeout: t.Timeout, Expression: t.Expression,
				OrderBy: t.OrderBy, SkipIf: t.SkipIf, KnownWorkerSID: t.KnownWorkerSid, KnownWorkerFriendlyName: t.KnownWorkerFriendlyName})
		}
		rt.Filters = append(rt.Filters, filter)
	}
	if d := wf.Spec.Configuration.TaskRouting.DefaultFilter; d != nil {
		q, err := queue("spec.configuration.taskRouting.defaultFilter", *d)
		if err != nil {
			return rt, err
		}
		rt.Default = &Target{Queue: q}
	}
	return rt, nil
}

// TaskQueue previews which workers the TaskQueue resource name selects today
// (TaskRouter's targetWorkers) and which proposed would select: proposed when
// given, else the spec's targetWorkers of a queue from a file when it differs
// from today's.
func (r *Resources) TaskQueue(ctx context.Context, name, proposed string) (QueuePreview, error) {
	tq, err := find[*trv1.TaskQueue](ctx, r, "TaskQueue", "", name)
	if err != nil {
		return QueuePreview{}, err
	}
	ws, wsObject, err := r.workspace(ctx, tq.obj.Namespace, tq.obj.Spec.WorkspaceRef.Name)
	if err != nil {
		return QueuePreview{}, err
	}
	in := r.Account.Workspace(ws.SID)
	queues, err := in.TaskQueues().List(ctx, "")
	if err != nil {
		return QueuePreview{}, err
	}
	q, err := r.taskQueue(ctx, tq.obj.Namespace, name, queues)
	if err != nil {
		return QueuePreview{}, err
	}
	live := q.live()
	p := QueuePreview{Workspace: wsObject, TaskQueue: Object{Resource: name, FriendlyName: live.Name, SID: live.SID}}
	source := "--target-workers"
	if desired := q.desired().TargetWorkers; proposed == "" && q.file != "" && (q.remote == nil || desired != live.TargetWorkers) {
		proposed, source = desired, q.describe("TaskQueue")
	}
	p.Source = queueSource(q.remote != nil, proposed != "", source)
	workers, _, err := r.workers(ctx, in, false)
	if err != nil {
		return p, err
	}
	p.WorkersRead = len(workers)
	if p.QueueMatch, err = MatchQueue(live, proposed, workers); err != nil {
		return p, fmt.Errorf("compare the targetWorkers of TaskQueue %s: %w", name, err)
	}
	return p, nil
}

func queueSource(exists, proposed bool, source string) string {
	today := "today's from TaskRouter"
	if !exists {
		today = "the queue is not in TaskRouter yet"
	}
	if !proposed {
		return today
	}
	return today + ", proposed from " + source
}
