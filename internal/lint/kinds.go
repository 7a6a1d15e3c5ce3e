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

package lint

import (
	"fmt"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/internal/validate"
)

// object is one TaskRouter resource as lint sees it once decoded. Each kind
// answers for itself; the linter never switches on the kind.
type object interface {
	meta() *metav1.ObjectMeta
	// workspace names the Workspace the object belongs to ("" for a Workspace).
	workspace() string
	// uniqueNames lists the names that must not repeat among objects of the
	// same kind and namespace.
	uniqueNames() []uniqueName
	// references lists the objects it names.
	references() []reference
	// expressions lists its TaskRouter expressions.
	expressions() []validate.Expression
	// check reports what the kind needs beyond its schema and references.
	check() []issue
}

// kindInfo is what lint knows of one kind. Adding a kind is one entry in
// kindInfos, its schema in crdrules.go and an object type.
type kindInfo struct {
	schema schema
	// newObject returns an empty object and the value its document decodes
	// into, whose Go type the schema walk follows.
	newObject func() (object, any)
}

func kindInfos() map[string]kindInfo {
	return map[string]kindInfo{
		"Workspace":   {workspaceSchema(), func() (object, any) { o := &workspace{}; return o, &o.Workspace }},
		"Activity":    {activitySchema(), func() (object, any) { o := &activity{}; return o, &o.Activity }},
		"TaskQueue":   {taskQueueSchema(), func() (object, any) { o := &taskQueue{}; return o, &o.TaskQueue }},
		"Workflow":    {workflowSchema(), func() (object, any) { o := &workflow{}; return o, &o.Workflow }},
		"Worker":      {workerSchema(), func() (object, any) { o := &worker{}; return o, &o.Worker }},
		"TaskChannel": {taskChannelSchema(), func() (object, any) { o := &taskChannel{}; return o, &o.TaskChannel }},
	}
}

// uniqueName is a name TaskRouter, or the operator's adoption by name, needs
// unique among objects of one kind, namespace and scope.
type uniqueName struct {
	field, value string
	// what the name is called in messages: "friendly name" or "unique name".
	what string
	// scope narrows where the name must be unique, e.g. `Workspace "acme"`.
	scope string
	// foldCase compares the names case-insensitively (TaskRouter's Worker names).
	foldCase bool
	// why says what goes wrong when the name repeats.
	why string
}

// reference is an object named by a field, e.g. spec.activityRef.
type reference struct {
	field, kind, name string
	// workspace, when set, is the Workspace the named object must belong to.
	workspace string
}

// Why a repeated name is an error, by who refuses it.
const (
	adoptionClash = "both would adopt the same remote object and the younger would stall with reason Conflict"
	taskRouterKey = "TaskRouter refuses a second one"
)

// friendlyName is the name TaskRouter sees and the field that sets it.
func friendlyName(m *metav1.ObjectMeta, spec string) (field, value string) {
	if spec != "" {
		return "spec.friendlyName", spec
	}
	return "metadata.name", m.Name
}

// adoptedByName is the unique name of a kind TaskRouter lets repeat but the
// operator adopts by: only objects without spec.sid adopt by name.
func adoptedByName(m *metav1.ObjectMeta, spec, sid, scope string) []uniqueName {
	if sid != "" {
		return nil
	}
	field, value := friendlyName(m, spec)
	return []uniqueName{{field: field, value: value, what: "friendly name", scope: scope, why: adoptionClash}}
}

func inWorkspace(name string) string { return fmt.Sprintf("Workspace %q", name) }

func workspaceRef(ref trv1.LocalObjectReference) reference {
	return reference{field: "spec.workspaceRef", kind: "Workspace", name: ref.Name}
}

// activityRef is a reference to an Activity of the same Workspace, when set.
func activityRef(field string, ref *trv1.LocalObjectReference, ws string) []reference {
	if ref == nil {
		return nil
	}
	return []reference{{field: field, kind: "Activity", name: ref.Name, workspace: ws}}
}

// noChecks is for kinds whose schema and references say everything.
type noChecks struct{}

func (noChecks) expressions() []validate.Expression { return nil }
func (noChecks) check() []issue                     { return nil }

type workspace struct {
	trv1.Workspace
	noChecks
}

func (w *workspace) meta() *metav1.ObjectMeta { return &w.ObjectMeta }
func (w *workspace) workspace() string        { return "" }

// uniqueNames: two Workspaces with one name and one account would adopt the
// same remote Workspace; the account is known only by its Secret here.
func (w *workspace) uniqueNames() []uniqueName {
	return adoptedByName(&w.ObjectMeta, w.Spec.FriendlyName, w.Spec.SID,
		fmt.Sprintf("credentials Secret %q", w.Spec.CredentialsRef.Name))
}

func (w *workspace) references() []reference {
	return append(activityRef("spec.defaultActivityRef", w.Spec.DefaultActivityRef, w.Name),
		activityRef("spec.timeoutActivityRef", w.Spec.TimeoutActivityRef, w.Name)...)
}

type activity struct {
	trv1.Activity
	noChecks
}

func (a *activity) meta() *metav1.ObjectMeta { return &a.ObjectMeta }
func (a *activity) workspace() string        { return a.Spec.WorkspaceRef.Name }
func (a *activity) uniqueNames() []uniqueName {
	return adoptedByName(&a.ObjectMeta, a.Spec.FriendlyName, a.Spec.SID, inWorkspace(a.workspace()))
}
func (a *activity) references() []reference { return []reference{workspaceRef(a.Spec.WorkspaceRef)} }

type taskQueue struct{ trv1.TaskQueue }

func (q *taskQueue) meta() *metav1.ObjectMeta { return &q.ObjectMeta }
func (q *taskQueue) workspace() string        { return q.Spec.WorkspaceRef.Name }
func (q *taskQueue) check() []issue           { return nil }

// uniqueNames: TaskRouter refuses a second queue with the same name (NOTES.md: 400, code 20001).
func (q *taskQueue) uniqueNames() []uniqueName {
	field, value := friendlyName(&q.ObjectMeta, q.Spec.FriendlyName)
	return []uniqueName{{field: field, value: value, what: "friendly name", scope: inWorkspace(q.workspace()), why: taskRouterKey}}
}

func (q *taskQueue) references() []reference {
	refs := []reference{workspaceRef(q.Spec.WorkspaceRef)}
	refs = append(refs, activityRef("spec.reservationActivityRef", q.Spec.ReservationActivityRef, q.workspace())...)
	return append(refs, activityRef("spec.assignmentActivityRef", q.Spec.AssignmentActivityRef, q.workspace())...)
}

func (q *taskQueue) expressions() []validate.Expression {
	return validate.TaskQueueExpressions(&q.TaskQueue)
}
