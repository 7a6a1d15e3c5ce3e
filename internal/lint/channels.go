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
	"encoding/json"
	"fmt"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
)

// API.md describes TaskChannel and the Worker's channels, which api/v1alpha1
// does not have yet. Lint accepts them as API.md writes them so manifests can
// be prepared now; when the API gains them, decode into its types instead and
// drop these (the CRD drift test fails until then).

// taskChannel is API.md's TaskChannel.
type taskChannel struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`
	Spec              taskChannelSpec `json:"spec"`
}

type taskChannelSpec struct {
	WorkspaceRef              trv1.LocalObjectReference `json:"workspaceRef"`
	FriendlyName              string                    `json:"friendlyName,omitempty"`
	SID                       string                    `json:"sid,omitempty"`
	trv1.RemoteObjectPolicies `json:",inline"`
	// UniqueName is what TaskRouter and adoption match on; metadata.name when unset.
	UniqueName              string `json:"uniqueName,omitempty"`
	ChannelOptimizedRouting *bool  `json:"channelOptimizedRouting,omitempty"`
}

func (c *taskChannel) meta() *metav1.ObjectMeta       { return &c.ObjectMeta }
func (c *taskChannel) workspace() string              { return c.Spec.WorkspaceRef.Name }
func (c *taskChannel) references() []reference        { return []reference{workspaceRef(c.Spec.WorkspaceRef)} }
func (c *taskChannel) expressions() []expressionField { return nil }
func (c *taskChannel) check() []issue                 { return nil }

// uniqueNames: TaskRouter keys channels by unique name (it refuses a second
// "voice"), and the operator adopts by it.
func (c *taskChannel) uniqueNames() []uniqueName {
	field, value := "spec.uniqueName", c.Spec.UniqueName
	if value == "" {
		field, value = "metadata.name", c.Name
	}
	return []uniqueName{{field: field, value: value, what: "unique name", scope: inWorkspace(c.workspace()), why: taskRouterKey}}
}

// worker is trv1.Worker with API.md's channels beside its spec.
type worker struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`
	Spec              workerSpec `json:"spec"`
}

type workerSpec struct {
	trv1.WorkerSpec `json:",inline"`
	Channels        []workerChannel `json:"channels,omitempty"`
	ChannelPolicy   string          `json:"channelPolicy,omitempty"`
}

// workerChannel is the worker's capacity on one channel: a TaskChannel
// resource, or by uniqueName a channel no resource manages (e.g. "voice").
type workerChannel struct {
	ChannelRef *trv1.LocalObjectReference `json:"channelRef,omitempty"`
	UniqueName string                     `json:"uniqueName,omitempty"`
	Capacity   *int32                     `json:"capacity,omitempty"`
	Available  *bool                      `json:"available,omitempty"`
}

// maxAttributesChars is TaskRouter's limit on a worker's attributes (NOTES.md).
const maxAttributesChars = 4096

func (w *worker) meta() *metav1.ObjectMeta       { return &w.ObjectMeta }
func (w *worker) workspace() string              { return w.Spec.WorkspaceRef.Name }
func (w *worker) expressions() []expressionField { return nil }

// uniqueNames: TaskRouter compares worker names regardless of case.
func (w *worker) uniqueNames() []uniqueName {
	field, value := friendlyName(&w.ObjectMeta, w.Spec.FriendlyName)
	return []uniqueName{{field: field, value: value, what: "friendly name", scope: inWorkspace(w.workspace()), foldCase: true,
		why: taskRouterKey + " (it compares worker names regardless of case)"}}
}

func (w *worker) references() []reference {
	refs := append([]reference{workspaceRef(w.Spec.WorkspaceRef)}, activityRef("spec.activityRef", w.Spec.ActivityRef, w.workspace())...)
	for i, c := range w.Spec.Channels {
		if c.ChannelRef != nil {
			refs = append(refs, reference{field: fmt.Sprintf("spec.channels[%d].channelRef", i), kind: "TaskChannel",
				name: c.ChannelRef.Name, workspace: w.workspace()})
		}
	}
	return refs
}

func (w *worker) check() []issue {
	var issues []issue
	if a := w.Spec.Attributes; a != nil && len(a.Raw) > 0 {
		var doc any
		if err := json.Unmarshal(a.Raw, &doc); err == nil {
			if _, isObject := doc.(map[string]any); !isObject {
				issues = append(issues, errorAt("spec.attributes", "must be an object of attribute names and values, e.g. {skills: [support], level: 2}"))
			}
		}
		if size := len(a.Raw); size > maxAttributesChars {
			issues = append(issues, errorAt("spec.attributes", fmt.Sprintf("is %d characters as JSON; TaskRouter allows at most %d", size, maxAttributesChars)))
		}
	}
	seen := map[string]int{}
	for i, c := range w.Spec.Channels {
		path := fmt.Sprintf("spec.channels[%d]", i)
		if (c.ChannelRef != nil) == (c.UniqueName != "") {
			issues = append(issues, errorAt(path, "set exactly one of channelRef (a TaskChannel in this namespace) or uniqueName (a channel no TaskChannel manages, e.g. voice)"))
			continue
		}
		id := fmt.Sprintf("uniqueName %q", c.UniqueName)
		if c.ChannelRef != nil {
			id = fmt.Sprintf("channelRef %q", c.ChannelRef.Name)
		}
		if first, repeated := seen[id]; repeated {
			issues = append(issues, errorAt(path, fmt.Sprintf("%s is already listed at spec.channels[%d]", id, first)))
		}
		seen[id] = i
	}
	return issues
}

func errorAt(field, message string) issue {
	return issue{field: field, message: message, severity: Error}
}
