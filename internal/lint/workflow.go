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

type workflow struct{ trv1.Workflow }

func (w *workflow) meta() *metav1.ObjectMeta { return &w.ObjectMeta }
func (w *workflow) workspace() string        { return w.Spec.WorkspaceRef.Name }
func (w *workflow) check() []issue           { return nil }

func (w *workflow) uniqueNames() []uniqueName {
	return adoptedByName(&w.ObjectMeta, w.Spec.FriendlyName, w.Spec.SID, inWorkspace(w.workspace()))
}

// references: every queueRef must name a TaskQueue of the Workflow's own
// Workspace, as the controller requires before it renders the SIDs.
func (w *workflow) references() []reference {
	refs := []reference{workspaceRef(w.Spec.WorkspaceRef)}
	add := func(path string, q trv1.QueueSelector) {
		if q.QueueRef != nil {
			refs = append(refs, reference{field: path + ".queueRef", kind: "TaskQueue", name: q.QueueRef.Name, workspace: w.workspace()})
		}
	}
	routing := w.Spec.Configuration.TaskRouting
	for i, f := range routing.Filters {
		for j, t := range f.Targets {
			add(targetPath(i, j), t.QueueSelector)
		}
	}
	if routing.DefaultFilter != nil {
		add("spec.configuration.taskRouting.defaultFilter", *routing.DefaultFilter)
	}
	return refs
}

func (w *workflow) expressions() []validate.Expression {
	return validate.WorkflowExpressions(&w.Workflow)
}

func targetPath(filter, target int) string {
	return fmt.Sprintf("spec.configuration.taskRouting.filters[%d].targets[%d]", filter, target)
}
