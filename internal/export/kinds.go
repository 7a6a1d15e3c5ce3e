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

package export

import (
	"bytes"
	"encoding/json"
	"strings"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/internal/routing"
	"github.com/taskrouter-operator/taskrouter-operator/internal/taskrouter"
)

// The remote records, by the names this package gives their kinds.
type (
	activity    = taskrouter.Activity
	taskChannel = taskrouter.TaskChannel
	taskQueue   = taskrouter.TaskQueue
	workflow    = taskrouter.Workflow
	worker      = taskrouter.Worker
)

// TaskRouter's defaults, which an exported object leaves out: the operator
// leaves an unset field alone, and a new object gets the same value.
const (
	defaultActivityName       = "Offline" // a new workspace's default and timeout activity
	defaultQueueOrder         = "FIFO"    // prioritize_queue_order and a queue's task_order
	defaultTargetWorkers      = "1==1"    // also the TaskQueue kind's schema default
	defaultMaxReservedWorkers = 1
	defaultReservationTimeout = 120 // a workflow's task_reservation_timeout, in seconds
	emptyAttributes           = "{}"
)

// kind is one exported kind: its name, its plural, the file --dir writes it to
// and how its resources are built from the snapshot.
type kind struct {
	name, plural, file string
	build              func(b *builder) []exported
}

// kinds in the order they are written: what is referred to before what refers to it.
var kinds = []kind{
	{"Workspace", "Workspaces", "workspace.yaml", (*builder).workspaces},
	{"Activity", "Activities", "activities.yaml", (*builder).activities},
	{"TaskChannel", "TaskChannels", "taskchannels.yaml", (*builder).taskChannels},
	{"TaskQueue", "TaskQueues", "taskqueues.yaml", (*builder).taskQueues},
	{"Workflow", "Workflows", "workflows.yaml", (*builder).workflows},
	{"Worker", "Workers", "workers.yaml", (*builder).workers},
}

func (b *builder) workspaces() []exported {
	ws := b.s.Workspace
	spec := trv1.WorkspaceSpec{
		FriendlyName: b.friendlyName(ws.SID, ws.FriendlyName), SID: ws.SID, RemoteObjectPolicies: b.policies(),
		CredentialsRef:   trv1.LocalObjectReference{Name: b.opts.CredentialsSecret},
		EventCallbackURL: ws.EventCallbackURL, EventsFilter: ws.EventsFilterList(),
	}
	if !ws.MultiTaskEnabled {
		spec.MultiTaskEnabled = taskrouter.Ptr(false)
	}
	if ws.PrioritizeQueueOrder != defaultQueueOrder {
		spec.PrioritizeQueueOrder = ws.PrioritizeQueueOrder
	}
	if ws.DefaultActivityName != defaultActivityName {
		spec.DefaultActivityRef = b.activityRef(ws.DefaultActivitySID, "Workspace", ws.SID, "default activity")
	}
	if ws.TimeoutActivityName != defaultActivityName {
		spec.TimeoutActivityRef = b.activityRef(ws.TimeoutActivitySID, "Workspace", ws.SID, "timeout activity")
	}
	return []exported{&trv1.Workspace{TypeMeta: typeMeta("Workspace"), ObjectMeta: b.meta(ws.SID), Spec: spec}}
}

func (b *builder) activities() []exported {
	var out []exported
	for _, a := range b.s.Activities {
		spec := trv1.ActivitySpec{WorkspaceRef: b.workspaceRef(), FriendlyName: b.friendlyName(a.SID, a.FriendlyName),
			SID: a.SID, RemoteObjectPolicies: b.policies()}
		if !a.Available {
			spec.Available = taskrouter.Ptr(false) // the schema defaults an unset one to true
		}
		out = append(out, &trv1.Activity{TypeMeta: typeMeta("Activity"), ObjectMeta: b.meta(a.SID), Spec: spec})
	}
	return out
}

func (b *builder) taskQueues() []exported {
	var out []exported
	for _, q := range b.s.TaskQueues {
		spec := trv1.TaskQueueSpec{WorkspaceRef: b.workspaceRef(), FriendlyName: b.friendlyName(q.SID, q.FriendlyName),
			SID: q.SID, RemoteObjectPolicies: b.policies(),
			ReservationActivityRef: b.activityRef(q.ReservationActivitySID, "TaskQueue", q.SID, "reservation activity"),
			AssignmentActivityRef:  b.activityRef(q.AssignmentActivitySID, "TaskQueue", q.SID, "assignment activity"),
		}
		switch q.TargetWorkers {
		case defaultTargetWorkers:
		case "":
			b.warnf("TaskQueue %q (%s) has no target_workers; the TaskQueue kind cannot leave it empty, so it defaults to %q and the operator will report a difference",
				q.FriendlyName, q.SID, defaultTargetWorkers)
		default:
			spec.TargetWorkers = q.TargetWorkers
		}
		if q.MaxReservedWorkers != defaultMaxReservedWorkers && q.MaxReservedWorkers > 0 {
			spec.MaxReservedWorkers = taskrouter.Ptr(int32(q.MaxReservedWorkers))
		}
		if q.TaskOrder != defaultQueueOrder && q.TaskOrder != "" {
			spec.TaskOrder = q.TaskOrder
		}
		out = append(out, &trv1.TaskQueue{TypeMeta: typeMeta("TaskQueue"), ObjectMeta: b.meta(q.SID), Spec: spec})
	}
	return out
}

func (b *builder) workflows() []exported {
	var out []exported
	for _, wf := range b.s.Workflows {
		cfg, ok := b.configuration(wf)
		if !ok {
			continue
		}
		spec := trv1.WorkflowSpec{WorkspaceRef: b.workspaceRef(), FriendlyName: b.friendlyName(wf.SID, wf.FriendlyName),
			SID: wf.SID, RemoteObjectPolicies: b.policies(), Configuration: cfg,
			AssignmentCallbackURL: wf.AssignmentCallbackURL, FallbackAssignmentCallbackURL: wf.FallbackAssignmentCallbackURL}
		if wf.TaskReservationTimeout != defaultReservationTimeout && wf.TaskReservationTimeout > 0 {
			spec.TaskReservationTimeout = taskrouter.Ptr(int32(wf.TaskReservationTimeout))
		}
		out = append(out, &trv1.Workflow{TypeMeta: typeMeta("Workflow"), ObjectMeta: b.meta(wf.SID), Spec: spec})
	}
	return out
}

// configuration is the workflow's routing with every queue SID turned into a
// queueRef to the exported TaskQueue. The operator will render it and compare
// it with TaskRouter's document; when that rendering differs (keys the kind
// does not carry, no "filters" list), a warning says so. ok is false when the
// document cannot be held by the kind at all.
func (b *builder) configuration(wf workflow) (trv1.WorkflowConfiguration, bool) {
	doc, err := routing.Parse(wf.Configuration)
	if err != nil {
		b.warnf("Workflow %q (%s) is not exported: %v", wf.FriendlyName, wf.SID, err)
		return trv1.WorkflowConfiguration{}, false
	}
	queues := map[string]string{} // exported TaskQueue name -> SID
	for _, q := range b.s.TaskQueues {
		queues[b.names[q.SID]] = q.SID
	}
	cfg := doc.Configuration(func(sid string) trv1.QueueSelector {
		if name, ok := b.names[sid]; ok && queues[name] == sid {
			return trv1.QueueSelector{QueueRef: &trv1.LocalObjectReference{Name: name}}
		}
		return trv1.QueueSelector{QueueSid: sid}
	})
	rendered := routing.Render(cfg, func(q trv1.QueueSelector) string {
		if q.QueueRef != nil {
			return queues[q.QueueRef.Name]
		}
		return q.QueueSid
	})
	if !routing.Same(rendered.JSON(), wf.Configuration) {
		b.warnf("Workflow %q (%s): its configuration has parts the Workflow kind does not carry (keys it does not know, or no \"filters\" list); "+
			"the operator will report it Drifted under ObserveOnly and rewrite it as exported under Manage", wf.FriendlyName, wf.SID)
	}
	return cfg, true
}

func (b *builder) workers() []exported {
	var out []exported
	for _, w := range b.s.Workers {
		spec := trv1.WorkerSpec{WorkspaceRef: b.workspaceRef(), FriendlyName: b.friendlyName(w.SID, w.FriendlyName),
			SID: w.SID, RemoteObjectPolicies: b.policies()}
		attrs, ok := b.attributes(w)
		if !ok {
			continue
		}
		spec.Attributes = attrs
		spec.Channels = b.workerChannels(w)
		// No activityRef: a worker's activity is what its agent chose last, not configuration, and
		// activityPolicy Initial never applies it to an adopted worker.
		out = append(out, &trv1.Worker{TypeMeta: typeMeta("Worker"), ObjectMeta: b.meta(w.SID), Spec: spec})
	}
	return out
}

// attributes is the worker's attributes as the Worker kind holds them: nil
// when they are TaskRouter's default, an empty object. ok is false when they
// are not a JSON object, which the kind cannot hold.
func (b *builder) attributes(w worker) (*apiextensionsv1.JSON, bool) {
	text := strings.TrimSpace(w.Attributes)
	if text == "" || text == emptyAttributes {
		return nil, true
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, []byte(text)); err != nil || !strings.HasPrefix(text, "{") {
		b.warnf("Worker %q (%s) is not exported: its attributes are not a JSON object", w.FriendlyName, w.SID)
		return nil, false
	}
	if compact.String() == emptyAttributes {
		return nil, true
	}
	return &apiextensionsv1.JSON{Raw: compact.Bytes()}, true
}

// activityRef refers to the exported Activity for sid, which the object (kind, owner) uses as its
// role; nil when sid is empty, and nil with a warning when it is no activity of the workspace.
func (b *builder) activityRef(sid, kind, owner, role string) *trv1.LocalObjectReference {
	if sid == "" {
		return nil
	}
	for _, a := range b.s.Activities {
		if a.SID == sid {
			return b.ref(sid)
		}
	}
	b.warnf("%s %s: its %s %s is not an activity of the workspace; the reference is left out", kind, owner, role, sid)
	return nil
}
