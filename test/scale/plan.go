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

package scale

import (
	"fmt"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator"
)

// namespace holds every object of a scenario.
const namespace = "default"

// workspaceName is the one Workspace resource of every scenario.
const workspaceName = "contact-center"

// credentialsSecret is the Workspace's credentials Secret: the emulator's
// development account.
const credentialsSecret = "taskrouter-credentials"

// group is the API group of the CRDs.
var group = schema.GroupVersion{Group: "taskrouter.operator.dev", Version: "v1alpha1"}

// plan is a shape of N objects spelled out: the names and settings of every
// object, from which both the resources and (for adoption) the matching remote
// objects are made.
type plan struct {
	counts     Counts
	workspace  named
	activities []activityPlan
	queues     []queuePlan
	workflows  []workflowPlan
	workers    []workerPlan
}

// named is an object's resource name and TaskRouter friendly name.
type named struct{ name, friendly string }

type activityPlan struct {
	named
	available bool
}

type queuePlan struct {
	named
	targetWorkers string
}

type workflowPlan struct {
	named
	filters      []filterPlan
	defaultQueue string
}

type filterPlan struct {
	friendly, expression, queue string
	priority                    int64
}

type workerPlan struct {
	named
	attributes map[string]any
}

// The Activities the shape names first; the rest are numbered.
var namedActivities = []activityPlan{
	{named{"offline", "Offline"}, false}, {named{"available", "Available"}, true},
	{named{"break", "Break"}, false}, {named{"wrap-up", "Wrap Up"}, false},
}

// newPlan spells out a shape: skills-based TaskQueues (each skill served by at
// most two queues, the second for senior agents), Workflows that split the
// queues between them with one filter per queue, and Workers with three skills,
// one or two languages and a level.
func newPlan(c Counts) plan {
	p := plan{counts: c, workspace: named{workspaceName, "Scale Contact Center"}}
	for i := range c.Activities {
		if i < len(namedActivities) {
			p.activities = append(p.activities, namedActivities[i])
			continue
		}
		p.activities = append(p.activities, activityPlan{named{fmt.Sprintf("activity-%03d", i), fmt.Sprintf("Activity %03d", i)}, false})
	}
	skills := max(1, (c.TaskQueues+1)/2)
	for i := range c.TaskQueues {
		target := fmt.Sprintf(`skills HAS "%s"`, skill(i%skills))
		if i >= skills {
			target += " AND level >= 3"
		}
		p.queues = append(p.queues, queuePlan{queueName(i), target})
	}
	for j := range c.Workflows {
		wf := workflowPlan{named: named{fmt.Sprintf("workflow-%03d", j), fmt.Sprintf("Workflow %03d", j)}}
		for i := j; i < c.TaskQueues; i += c.Workflows {
			q := p.queues[i]
			wf.filters = append(wf.filters, filterPlan{friendly: q.friendly, expression: fmt.Sprintf(`queue == "%s"`, q.name), queue: q.name, priority: int64(1 + i%10)})
		}
		wf.defaultQueue = wf.filters[0].queue
		p.workflows = append(p.workflows, wf)
	}
	for k := range c.Workers {
		languages := []any{"en"}
		if k%3 == 0 {
			languages = append(languages, "es")
		}
		attrs := map[string]any{
			"skills":    []any{skill(k % skills), skill((k + 7) % skills), skill((k + 13) % skills)},
			"languages": languages,
			"level":     int64(1 + k%5),
		}
		p.workers = append(p.workers, workerPlan{named{fmt.Sprintf("worker-%05d", k), fmt.Sprintf("Worker %05d", k)}, attrs})
	}
	return p
}

func skill(i int) string { return fmt.Sprintf("skill-%03d", i) }

func queueName(i int) named { return named{fmt.Sprintf("queue-%04d", i), fmt.Sprintf("Queue %04d", i)} }

// objects are the plan's resources in the order they are applied: the
// credentials Secret, then the Workspace and its children.
func (p plan) objects() []*unstructured.Unstructured {
	out := []*unstructured.Unstructured{credentials(), p.workspaceObject()}
	for _, a := range p.activities {
		out = append(out, resource("Activity", a.named, map[string]any{"available": a.available}))
	}
	for _, q := range p.queues {
		out = append(out, resource("TaskQueue", q.named, map[string]any{"targetWorkers": q.targetWorkers}))
	}
	for _, wf := range p.workflows {
		out = append(out, resource("Workflow", wf.named, map[string]any{"configuration": wf.configuration()}))
	}
	for _, w := range p.workers {
		out = append(out, resource("Worker", w.named, map[string]any{
			"attributes": w.attributes, "activityRef": map[string]any{"name": "available"}}))
	}
	return out
}

func credentials() *unstructured.Unstructured {
	return &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "v1", "kind": "Secret",
		"metadata": map[string]any{"name": credentialsSecret, "namespace": namespace},
		"stringData": map[string]any{
			"accountSid": emulator.DevAccountSID, "authToken": emulator.DevAuthToken,
			"apiKeySid": emulator.DevAPIKeySID, "apiKeySecret": emulator.DevAPIKeySecret,
		},
	}}
}

func (p plan) workspaceObject() *unstructured.Unstructured {
	return &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": group.String(), "kind": "Workspace",
		"metadata": map[string]any{"name": p.workspace.name, "namespace": namespace},
		"spec": map[string]any{
			"friendlyName":       p.workspace.friendly,
			"credentialsRef":     map[string]any{"name": credentialsSecret},
			"defaultActivityRef": map[string]any{"name": "offline"},
			"timeoutActivityRef": map[string]any{"name": "break"},
		},
	}}
}

// resource is a child of the plan's Workspace with spec fields beyond the common ones.
func resource(kind string, n named, spec map[string]any) *unstructured.Unstructured {
	spec["friendlyName"] = n.friendly
	spec["workspaceRef"] = map[string]any{"name": workspaceName}
	return &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": group.String(), "kind": kind,
		"metadata": map[string]any{"name": n.name, "namespace": namespace},
		"spec":     spec,
	}}
}

// configuration is the Workflow's spec.configuration, targeting queues by queueRef.
func (wf workflowPlan) configuration() map[string]any {
	filters := make([]any, 0, len(wf.filters))
	for _, f := range wf.filters {
		filters = append(filters, map[string]any{
			"filterFriendlyName": f.friendly, "expression": f.expression,
			"targets": []any{map[string]any{"queueRef": map[string]any{"name": f.queue}, "priority": f.priority}},
		})
	}
	return map[string]any{"taskRouting": map[string]any{
		"filters": filters, "defaultFilter": map[string]any{"queueRef": map[string]any{"name": wf.defaultQueue}},
	}}
}

// pickupQueue is a TaskQueue created to time how soon the manager notices it.
func pickupQueue(name string) *unstructured.Unstructured {
	return resource("TaskQueue", named{name, name}, map[string]any{"targetWorkers": `skills HAS "skill-000"`})
}
