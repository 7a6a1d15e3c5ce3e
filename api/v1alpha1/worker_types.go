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
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// ActivityPolicy says whether the operator keeps a Worker in the activity the spec names.
// +kubebuilder:validation:Enum=Initial;Enforce
type ActivityPolicy string

const (
	// ActivityInitial sets activityRef only when the Worker is created: agents change their own
	// activity all day and the operator never reverts them.
	ActivityInitial ActivityPolicy = "Initial"
	// ActivityEnforce keeps the Worker in activityRef, reverting any other change.
	ActivityEnforce ActivityPolicy = "Enforce"
)

// AttributesPolicy says which of a Worker's attributes the operator owns.
// +kubebuilder:validation:Enum=Replace;Merge
type AttributesPolicy string

const (
	// AttributesReplace owns the whole attributes document: TaskRouter is made to hold exactly spec.attributes.
	AttributesReplace AttributesPolicy = "Replace"
	// AttributesMerge owns only the keys spec.attributes sets (objects merged deeply, arrays replaced
	// whole); every other key of the remote worker is kept as it is and never reported as drift.
	AttributesMerge AttributesPolicy = "Merge"
)

// ChannelPolicy says whether the operator keeps a Worker's channels as the spec sets them.
// +kubebuilder:validation:Enum=Initial;Enforce
type ChannelPolicy string

const (
	// ChannelInitial sets each listed channel once, when the Worker is created or adopted (or the
	// channel is first listed), and then leaves it to supervisors.
	ChannelInitial ChannelPolicy = "Initial"
	// ChannelEnforce keeps each listed channel as specified, reverting any other change.
	ChannelEnforce ChannelPolicy = "Enforce"
)

// MaxWorkerChannelCapacity is TaskRouter's limit on a worker's capacity for one channel.
const MaxWorkerChannelCapacity = 50

// WorkerChannelSpec is a Worker's capacity for one TaskChannel: a TaskChannel resource, or by
// uniqueName a channel no resource manages (such as a Flex workspace's built-in voice).
// +kubebuilder:validation:XValidation:rule="has(self.channelRef) != has(self.uniqueName)",message="set exactly one of channelRef (a TaskChannel in this namespace) or uniqueName (a channel no TaskChannel manages, e.g. voice)"
type WorkerChannelSpec struct {
	// ChannelRef names a TaskChannel resource in this namespace.
	// +optional
	ChannelRef *LocalObjectReference `json:"channelRef,omitempty"`
	// UniqueName of a TaskChannel of the workspace that no resource manages, e.g. voice.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=64
	// +optional
	UniqueName string `json:"uniqueName,omitempty"`
	// Capacity is how many tasks of the channel the worker takes at once: 0 (none) to 50,
	// TaskRouter's maximum. Unset leaves it as TaskRouter has it.
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=50
	// +optional
	Capacity *int32 `json:"capacity,omitempty"`
	// Available false keeps the worker from new tasks of the channel. Unset leaves it as TaskRouter has it.
	// +optional
	Available *bool `json:"available,omitempty"`
}

// WorkerCapability names an extra front-end capability for a Worker token, as the TaskRouter.js docs name it.
// +kubebuilder:validation:Enum=ActivityUpdates;ReservationUpdates
type WorkerCapability string

// WorkerTokenSecret asks the operator to keep a Secret with a Worker capability token for an agent's browser app.
type WorkerTokenSecret struct {
	// Name of the Secret to keep (created and owned by the operator; key "token").
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	Name string `json:"name"`
	// TTL of each token, between 1m and 24h. The token is renewed at about 80% of it.
	// +kubebuilder:default="1h"
	// +kubebuilder:validation:XValidation:rule="duration(self) >= duration('1m') && duration(self) <= duration('24h')",message="ttl must be between 1m and 24h"
	// +optional
	TTL *metav1.Duration `json:"ttl,omitempty"`
	// Capabilities added to the worker's default policies (its activities, tasks, reservations and itself).
	// +listType=set
	// +optional
	Capabilities []WorkerCapability `json:"capabilities,omitempty"`
}

// WorkerSpec is the desired state of a TaskRouter Worker (an agent).
// +kubebuilder:validation:XValidation:rule="!(has(self.sid) && self.adoptionPolicy == 'CreateOnly')",message="sid adopts an existing worker; adoptionPolicy CreateOnly forbids adoption: remove one of them",fieldPath=".adoptionPolicy"
// +kubebuilder:validation:XValidation:rule="!(self.activityPolicy == 'Enforce' && !has(self.activityRef))",message="activityPolicy Enforce needs activityRef: name the Activity to keep the worker in",fieldPath=".activityPolicy"
type WorkerSpec struct {
	// WorkspaceRef names the Workspace in this namespace the Worker belongs to.
	WorkspaceRef LocalObjectReference `json:"workspaceRef"`

	// FriendlyName of the remote Worker; defaults to metadata.name. At most 64 characters, unique in
	// the workspace regardless of case.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=64
	// +optional
	FriendlyName string `json:"friendlyName,omitempty"`

	// SID of an existing Worker (WK followed by 32 hex digits) to adopt instead of creating one.
	// +kubebuilder:validation:Pattern=`^WK[0-9a-fA-F]{32}$`
	// +optional
	SID string `json:"sid,omitempty"`

	RemoteObjectPolicies `json:",inline"`

	// Attributes of the worker as a YAML object, e.g. {skills: [billing], languages: [en, es], level: 3};
	// TaskQueue targetWorkers and workflow expressions match against them. At most 4096 characters as JSON.
	// +kubebuilder:validation:Type=object
	// +kubebuilder:pruning:PreserveUnknownFields
	// +optional
	Attributes *apiextensionsv1.JSON `json:"attributes,omitempty"`

	// AttributesPolicy: Replace (default) owns the whole attributes document; Merge owns only the keys
	// spec.attributes sets (objects merged deeply, arrays replaced whole) and keeps every other key of
	// the remote worker as it is, e.g. what Flex single sign-on writes at login.
	// +kubebuilder:default=Replace
	// +optional
	AttributesPolicy AttributesPolicy `json:"attributesPolicy,omitempty"`

	// ActivityRef names the Activity a new Worker starts in (the workspace default when unset).
	// +optional
	ActivityRef *LocalObjectReference `json:"activityRef,omitempty"`

	// ActivityPolicy: Initial (default) sets activityRef only at create, because agents change their
	// own activity all day; Enforce keeps the worker in activityRef.
	// +kubebuilder:default=Initial
	// +optional
	ActivityPolicy ActivityPolicy `json:"activityPolicy,omitempty"`

	// Channels are the worker's capacities per TaskChannel, each named once, by channelRef or uniqueName.
	// Only the channels listed here are read and written.
	// +kubebuilder:validation:MaxItems=15
	// +kubebuilder:validation:XValidation:rule="self.all(a, self.exists_one(b, (has(a.channelRef) && has(b.channelRef) && a.channelRef.name == b.channelRef.name) || (has(a.uniqueName) && has(b.uniqueName) && a.uniqueName == b.uniqueName)))",message="each channel may be listed once: a channelRef or uniqueName repeats"
	// +optional
	Channels []WorkerChannelSpec `json:"channels,omitempty"`

	// ChannelPolicy: Initial (default) sets each listed channel when the worker is created or adopted
	// (or the channel is first listed) and then leaves it to supervisors; Enforce keeps it as specified.
	// +kubebuilder:default=Initial
	// +optional
	ChannelPolicy ChannelPolicy `json:"channelPolicy,omitempty"`

	// Statistics controls how often this worker's statistics are mirrored into status. Worker
	// statistics are opt-in: TaskRouter restricts them in workspaces with many workers.
	// +optional
	Statistics *StatisticsSpec `json:"statistics,omitempty"`

	// TokenSecret makes the operator keep a Secret with this worker's capability token for its agent's app.
	// +optional
	TokenSecret *WorkerTokenSecret `json:"tokenSecret,omitempty"`
}

// WorkerStatus is the observed state of a Worker.
type WorkerStatus struct {
	RemoteObjectStatus `json:",inline"`

	// ActivitySID is the worker's live activity.
	// +optional
	ActivitySID string `json:"activitySid,omitempty"`
	// ActivityName is the friendly name of the worker's live activity.
	// +optional
	ActivityName string `json:"activityName,omitempty"`
	// Available says whether the worker can be offered tasks now.
	// +optional
	Available *bool `json:"available,omitempty"`
	// ActivityChangedAt is when the worker's activity last changed.
	// +optional
	ActivityChangedAt *metav1.Time `json:"activityChangedAt,omitempty"`

	// Channels mirror the worker's listed channels as TaskRouter reports them.
	// +listType=map
	// +listMapKey=uniqueName
	// +optional
	Channels []WorkerChannelStatus `json:"channels,omitempty"`

	// Statistics mirrored from TaskRouter.
	// +optional
	Statistics *WorkerStatistics `json:"statistics,omitempty"`

	// TokenSecret reports the Secret with the agent's token.
	// +optional
	TokenSecret *TokenSecretStatus `json:"tokenSecret,omitempty"`
}

// WorkerChannelStatus is one of a worker's channels as TaskRouter reports it.
type WorkerChannelStatus struct {
	// UniqueName of the TaskChannel.
	UniqueName string `json:"uniqueName"`
	// SID of the WorkerChannel (WC...).
	// +optional
	SID string `json:"sid,omitempty"`
	// ConfiguredCapacity is how many tasks of the channel the worker takes at once.
	ConfiguredCapacity int32 `json:"configuredCapacity"`
	// Available says whether the worker takes new tasks of the channel.
	Available bool `json:"available"`
	// AssignedTasks the worker holds on the channel now.
	AssignedTasks int32 `json:"assignedTasks"`
	// AvailableCapacityPercentage is the share of the capacity still free, 0 to 100.
	AvailableCapacityPercentage int32 `json:"availableCapacityPercentage"`
}

// Worker is a TaskRouter Worker: an agent with attributes who takes tasks.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=twk,categories=taskrouter
// +kubebuilder:printcolumn:name="SID",type=string,JSONPath=`.status.sid`
// +kubebuilder:printcolumn:name="Activity",type=string,JSONPath=`.status.activityName`
// +kubebuilder:printcolumn:name="Available",type=boolean,JSONPath=`.status.available`
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
// +kubebuilder:printcolumn:name="Reason",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].reason`,priority=1
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
// +kubebuilder:validation:XValidation:rule="has(self.spec.friendlyName) || size(self.metadata.name) <= 64",message="metadata.name is longer than 64 characters: set spec.friendlyName (at most 64)",fieldPath=".spec.friendlyName"
type Worker struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   WorkerSpec   `json:"spec"`
	Status WorkerStatus `json:"status,omitempty"`
}

// WorkerList is a list of Workers.
// +kubebuilder:object:root=true
type WorkerList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []Worker `json:"items"`
}
