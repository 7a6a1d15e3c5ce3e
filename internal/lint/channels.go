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
	"github.com/taskrouter-operator/taskrouter-operator/internal/validate"
)

// taskChannel is the TaskChannel kind; its schema says everything but the
// unique name, which TaskRouter keys channels by.
type taskChannel struct {
	trv1.TaskChannel
	noChecks
}

func (c *taskChannel) meta() *metav1.ObjectMeta { return &c.ObjectMeta }
func (c *taskChannel) workspace() string        { return c.Spec.WorkspaceRef.Name }
func (c *taskChannel) references() []reference  { return []reference{workspaceRef(c.Spec.WorkspaceRef)} }

// uniqueNames: TaskRouter keys channels by unique name (it refuses a second
// "voice"), and the operator adopts by it.
func (c *taskChannel) uniqueNames() []uniqueName {
	field, value := "spec.uniqueName", c.Spec.UniqueName
	if value == "" {
		field, value = "metadata.name", c.Name
	}
	return []uniqueName{{field: field, value: value, what: "unique name", scope: inWorkspace(c.workspace()), why: taskRouterKey}}
}

// worker is the Worker kind, with its channels' references and repeats.
type worker struct{ trv1.Worker }

// maxAttributesChars is TaskRouter's limit on a worker's attributes (NOTES.md).
const maxAttributesChars = 4096

func (w *worker) meta() *metav1.ObjectMeta           { return &w.ObjectMeta }
func (w *worker) workspace() string                  { return w.Spec.WorkspaceRef.Name }
func (w *worker) expressions() []validate.Expression { return nil }

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
	// The CRD refuses a repeated channel with one message for the list; this
	// names the entry and the one it repeats. Exactly one of channelRef and
	// uniqueName is the schema's rule (crdrules.go).
	seen := map[string]int{}
	for i, c := range w.Spec.Channels {
		path := fmt.Sprintf("spec.channels[%d]", i)
		if (c.ChannelRef != nil) == (c.UniqueName != "") {
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
