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

// TaskQueueCapability names a front-end capability for a TaskQueue token, as the TaskRouter.js docs name it.
// +kubebuilder:validation:Enum=FetchSubresources;Updates;Delete
type TaskQueueCapability string

// TaskQueueTokenSecret asks the operator to keep a Secret with a TaskQueue capability token for browser apps.
type TaskQueueTokenSecret struct {
	// Name of the Secret to keep (created and owned by the operator; key "token").
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	Name string `json:"name"`
	// TTL of each token, between 1m and 24h. The token is renewed at about 80% of it.
	// +kubebuilder:default="1h"
	// +kubebuilder:validation:XValidation:rule="duration(self) >= duration('1m') && duration(self) <= duration('24h')",message="ttl must be between 1m and 24h"
	// +optional
	TTL *metav1.Duration `json:"ttl,omitempty"`
	// Capabilities the token grants beyond fetching the queue itself.
	// +listType=set
	// +optional
	Capabilities []TaskQueueCapability `json:"capabilities,omitempty"`
}

// TaskQueueSpec is the desired state of a TaskRouter TaskQueue.
// +kubebuilder:validation:XValidation:rule="!(has(self.sid) && self.adoptionPolicy == 'CreateOnly')",message="sid adopts an existing task queue; adoptionPolicy CreateOnly forbids adoption: remove one of them",fieldPath=".adoptionPolicy"
type TaskQueueSpec struct {
	// WorkspaceRef names the Workspace in this namespace the TaskQueue belongs to.
	WorkspaceRef LocalObjectReference `json:"workspaceRef"`

	// FriendlyName of the remote TaskQueue; defaults to metadata.name. At most 64 characters, unique in the workspace.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=64
	// +optional
	FriendlyName string `json:"friendlyName,omitempty"`

	// SID of an existing TaskQueue (WQ followed by 32 hex digits) to adopt instead of creating one.
	// +kubebuilder:validation:Pattern=`^WQ[0-9a-fA-F]{32}$`
	// +optional
	SID string `json:"sid,omitempty"`

	RemoteObjectPolicies `json:",inline"`

	// TargetWorkers is a TaskRouter expression over worker attributes that selects the workers
	// eligible for this queue, e.g. `skills HAS "billing" AND languages HAS "es"`. "1==1" (the
	// default) makes every worker eligible. The operator checks the syntax before calling TaskRouter.
	// +kubebuilder:default="1==1"
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=4096
	// +optional
	TargetWorkers string `json:"targetWorkers,omitempty"`

	// MaxReservedWorkers is how many workers a task in this queue may reserve at once (1 to 50).
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=50
	// +optional
	MaxReservedWorkers *int32 `json:"maxReservedWorkers,omitempty"`

	// TaskOrder: FIFO (oldest task first) or LIFO (newest first).
	// +kubebuilder:validation:Enum=FIFO;LIFO
	// +optional
	TaskOrder string `json:"taskOrder,omitempty"`

	// ReservationActivityRef names the Activity a worker moves to when a task from this queue is reserved for it.
	// +optional
	ReservationActivityRef *LocalObjectReference `json:"reservationActivityRef,omitempty"`

	// AssignmentActivityRef names the Activity a worker moves to when it accepts a task from this queue.
	// +optional
	AssignmentActivityRef *LocalObjectReference `json:"assignmentActivityRef,omitempty"`

	// Statistics controls how often queue statistics are mirrored into status.
	// +optional
	Statistics *SplitStatisticsSpec `json:"statistics,omitempty"`

	// TokenSecret makes the operator keep a Secret with a TaskQueue capability token for front ends.
	// +optional
	TokenSecret *TaskQueueTokenSecret `json:"tokenSecret,omitempty"`
}

// TaskQueueStatus is the observed state of a TaskQueue.
type TaskQueueStatus struct {
	RemoteObjectStatus `json:",inline"`

	// ReservationActivitySID is the live reservation activity.
	// +optional
	ReservationActivitySID string `json:"reservationActivitySid,omitempty"`
	// AssignmentActivitySID is the live assignment activity.
	// +optional
	AssignmentActivitySID string `json:"assignmentActivitySid,omitempty"`

	// Statistics mirrored from TaskRouter.
	// +optional
	Statistics *TaskQueueStatistics `json:"statistics,omitempty"`

	// TokenSecret reports the Secret with the front-end token.
	// +optional
	TokenSecret *TokenSecretStatus `json:"tokenSecret,omitempty"`
}

// TaskQueue is a TaskRouter TaskQueue: where tasks wait for an eligible worker.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=tq,categories=taskrouter
// +kubebuilder:printcolumn:name="SID",type=string,JSONPath=`.status.sid`
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
// +kubebuilder:printcolumn:name="Waiting",type=integer,JSONPath=`.status.statistics.realtime.tasksByStatus.pending`
// +kubebuilder:printcolumn:name="Longest-Wait",type=integer,JSONPath=`.status.statistics.realtime.longestTaskWaitingAge`
// +kubebuilder:printcolumn:name="Available",type=integer,JSONPath=`.status.statistics.realtime.totalAvailableWorkers`
// +kubebuilder:printcolumn:name="Eligible",type=integer,JSONPath=`.status.statistics.realtime.totalEligibleWorkers`
// +kubebuilder:printcolumn:name="Service-Level",type=integer,JSONPath=`.status.statistics.cumulative.serviceLevel[0].serviceLevelPercent`,priority=1
// +kubebuilder:printcolumn:name="Reason",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].reason`,priority=1
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
// +kubebuilder:validation:XValidation:rule="has(self.spec.friendlyName) || size(self.metadata.name) <= 64",message="metadata.name is longer than 64 characters: set spec.friendlyName (at most 64)",fieldPath=".spec.friendlyName"
type TaskQueue struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   TaskQueueSpec   `json:"spec"`
	Status TaskQueueStatus `json:"status,omitempty"`
}

// TaskQueueList is a list of TaskQueues.
// +kubebuilder:object:root=true
type TaskQueueList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []TaskQueue `json:"items"`
}
