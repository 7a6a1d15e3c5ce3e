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

package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// QueueSelector names the TaskQueue a routing step sends tasks to: a TaskQueue resource in this
// namespace, or the SID of a queue the operator does not manage. Exactly one is set.
// +kubebuilder:validation:XValidation:rule="has(self.queueRef) != has(self.queueSid)",message="set exactly one of queueRef (a TaskQueue in this namespace) or queueSid (WQ...)"
type QueueSelector struct {
	// QueueRef names a TaskQueue resource in this namespace; the operator renders its SID.
	// +optional
	QueueRef *LocalObjectReference `json:"queueRef,omitempty"`
	// QueueSid is the SID of a TaskQueue (WQ followed by 32 hex digits) not managed here.
	// +kubebuilder:validation:Pattern=`^WQ[0-9a-fA-F]{32}$`
	// +optional
	QueueSid string `json:"queueSid,omitempty"`
}

// WorkflowTarget is one routing step of a filter: a queue and how long the task may wait there.
type WorkflowTarget struct {
	QueueSelector `json:",inline"`

	// Priority of the task while in this target (higher first).
	// +optional
	Priority *int32 `json:"priority,omitempty"`
	// Timeout in seconds before the task moves on to the next target.
	// +kubebuilder:validation:Minimum=0
	// +optional
	Timeout *int32 `json:"timeout,omitempty"`
	// Expression further restricts workers within the queue, with worker. and task. prefixes,
	// e.g. `worker.level > 2` or `task.language IN worker.languages`.
	// +kubebuilder:validation:MaxLength=4096
	// +optional
	Expression string `json:"expression,omitempty"`
	// OrderBy sorts eligible workers, e.g. `worker.level DESC`.
	// +kubebuilder:validation:MaxLength=1024
	// +optional
	OrderBy string `json:"orderBy,omitempty"`
	// SkipIf skips this target when true, e.g. `workers.available == 0`.
	// +kubebuilder:validation:MaxLength=1024
	// +optional
	SkipIf string `json:"skipIf,omitempty"`
	// KnownWorkerSid routes the task to this one worker (WK...).
	// +kubebuilder:validation:Pattern=`^WK[0-9a-fA-F]{32}$`
	// +optional
	KnownWorkerSid string `json:"knownWorkerSid,omitempty"`
	// KnownWorkerFriendlyName routes the task to the worker with this friendly name.
	// +kubebuilder:validation:MaxLength=64
	// +optional
	KnownWorkerFriendlyName string `json:"knownWorkerFriendlyName,omitempty"`
}

// WorkflowFilter matches tasks by an expression and sends them through its targets in order.
type WorkflowFilter struct {
	// FilterFriendlyName names the filter (shown in TaskRouter's console and events); optional, as
	// TaskRouter documents it.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=64
	// +optional
	FilterFriendlyName string `json:"filterFriendlyName,omitempty"`
	// Expression over task attributes that selects the tasks of this filter, e.g. `language == "es"`.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=4096
	Expression string `json:"expression"`
	// Targets are tried in order until one accepts the task.
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=50
	Targets []WorkflowTarget `json:"targets"`
}

// TaskRouting is the routing part of a workflow configuration.
type TaskRouting struct {
	// Filters are tried from top to bottom; the first whose expression matches a task routes it.
	// +kubebuilder:validation:MaxItems=100
	// +optional
	Filters []WorkflowFilter `json:"filters,omitempty"`
	// DefaultFilter takes the tasks no filter matched.
	// +optional
	DefaultFilter *QueueSelector `json:"defaultFilter,omitempty"`
}

// WorkflowConfiguration is the workflow's routing configuration as structured YAML; the operator
// renders it to TaskRouter's task_routing JSON with SIDs and compares it semantically.
type WorkflowConfiguration struct {
	// TaskRouting holds the filters and the default filter.
	TaskRouting TaskRouting `json:"taskRouting"`
}

// WorkflowSpec is the desired state of a TaskRouter Workflow.
// +kubebuilder:validation:XValidation:rule="!(has(self.sid) && self.adoptionPolicy == 'CreateOnly')",message="sid adopts an existing workflow; adoptionPolicy CreateOnly forbids adoption: remove one of them",fieldPath=".adoptionPolicy"
type WorkflowSpec struct {
	// WorkspaceRef names the Workspace in this namespace the Workflow belongs to.
	WorkspaceRef LocalObjectReference `json:"workspaceRef"`

	// FriendlyName of the remote Workflow; defaults to metadata.name. At most 64 characters.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=64
	// +optional
	FriendlyName string `json:"friendlyName,omitempty"`

	// SID of an existing Workflow (WW followed by 32 hex digits) to adopt instead of creating one.
	// +kubebuilder:validation:Pattern=`^WW[0-9a-fA-F]{32}$`
	// +optional
	SID string `json:"sid,omitempty"`

	RemoteObjectPolicies `json:",inline"`

	// AssignmentCallbackURL receives a request when a task is reserved for a worker.
	// +kubebuilder:validation:MaxLength=2048
	// +kubebuilder:validation:Pattern=`^https?://`
	// +optional
	AssignmentCallbackURL string `json:"assignmentCallbackUrl,omitempty"`

	// FallbackAssignmentCallbackURL is tried when assignmentCallbackUrl fails.
	// +kubebuilder:validation:MaxLength=2048
	// +kubebuilder:validation:Pattern=`^https?://`
	// +optional
	FallbackAssignmentCallbackURL string `json:"fallbackAssignmentCallbackUrl,omitempty"`

	// TaskReservationTimeout is how many seconds a worker has to accept a reservation (1 to 86400;
	// TaskRouter's default is 120).
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=86400
	// +optional
	TaskReservationTimeout *int32 `json:"taskReservationTimeout,omitempty"`

	// Configuration routes tasks to queues.
	Configuration WorkflowConfiguration `json:"configuration"`

	// ReEvaluateTasks re-routes the workflow's pending tasks through its configuration (TaskRouter's
	// ReEvaluateTasks), once for each generation of this spec: with the update that applies the
	// generation, or on its own when TaskRouter already matches. A workflow this resource creates has
	// no pending task, so its first generation sends nothing. Change the spec to re-evaluate again.
	// +optional
	ReEvaluateTasks bool `json:"reEvaluateTasks,omitempty"`

	// Statistics controls how often workflow statistics are mirrored into status.
	// +optional
	Statistics *StatisticsSpec `json:"statistics,omitempty"`
}

// WorkflowStatus is the observed state of a Workflow.
type WorkflowStatus struct {
	RemoteObjectStatus `json:",inline"`

	// ReEvaluatedGeneration is the generation of the spec whose reEvaluateTasks was acted on, so it
	// acts at most once per generation.
	// +optional
	ReEvaluatedGeneration int64 `json:"reEvaluatedGeneration,omitempty"`

	// Statistics mirrored from TaskRouter.
	// +optional
	Statistics *WorkflowStatistics `json:"statistics,omitempty"`
}

// Workflow is a TaskRouter Workflow: the rules that route incoming tasks to task queues.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=twf,categories=taskrouter
// +kubebuilder:printcolumn:name="SID",type=string,JSONPath=`.status.sid`
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
// +kubebuilder:printcolumn:name="Tasks",type=integer,JSONPath=`.status.statistics.realtime.totalTasks`
// +kubebuilder:printcolumn:name="Reason",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].reason`,priority=1
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
// +kubebuilder:validation:XValidation:rule="has(self.spec.friendlyName) || size(self.metadata.name) <= 64",message="metadata.name is longer than 64 characters: set spec.friendlyName (at most 64)",fieldPath=".spec.friendlyName"
type Workflow struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   WorkflowSpec   `json:"spec"`
	Status WorkflowStatus `json:"status,omitempty"`
}

// WorkflowList is a list of Workflows.
// +kubebuilder:object:root=true
type WorkflowList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []Workflow `json:"items"`
}
