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

// AuthMode is how the operator authenticates to TaskRouter for one Workspace.
// +kubebuilder:validation:Enum=CapabilityToken;Basic
type AuthMode string

const (
	// AuthCapabilityToken sends every call with a capability token scoped to the one object it touches
	// (signed with the credentials Secret's authToken).
	AuthCapabilityToken AuthMode = "CapabilityToken"
	// AuthBasic sends REST calls with HTTP Basic auth: the API key when the Secret has one, else the auth token.
	AuthBasic AuthMode = "Basic"
)

// WorkspaceCapability names a front-end capability for a Workspace token, as the TaskRouter.js docs name it.
// +kubebuilder:validation:Enum=FetchSubresources;Updates;UpdatesSubresources;Delete;DeleteSubresources
type WorkspaceCapability string

// WorkspaceTokenSecret asks the operator to keep a Secret with a Workspace capability token for browser apps.
type WorkspaceTokenSecret struct {
	// Name of the Secret to keep (created and owned by the operator; key "token").
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	Name string `json:"name"`
	// TTL of each token, between 1m and 24h. The token is renewed at about 80% of it.
	// +kubebuilder:default="1h"
	// +kubebuilder:validation:XValidation:rule="duration(self) >= duration('1m') && duration(self) <= duration('24h')",message="ttl must be between 1m and 24h"
	// +optional
	TTL *metav1.Duration `json:"ttl,omitempty"`
	// Capabilities the token grants beyond fetching the workspace itself.
	// +listType=set
	// +optional
	Capabilities []WorkspaceCapability `json:"capabilities,omitempty"`
}

// WorkspaceSpec is the desired state of a TaskRouter Workspace.
// +kubebuilder:validation:XValidation:rule="has(self.template) == has(oldSelf.template)",message="template is create-only: it cannot be added or removed after the Workspace exists",fieldPath=".template"
// +kubebuilder:validation:XValidation:rule="!(has(self.sid) && self.adoptionPolicy == 'CreateOnly')",message="sid adopts an existing workspace; adoptionPolicy CreateOnly forbids adoption: remove one of them",fieldPath=".adoptionPolicy"
type WorkspaceSpec struct {
	// FriendlyName of the remote Workspace; defaults to metadata.name. At most 64 characters.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=64
	// +optional
	FriendlyName string `json:"friendlyName,omitempty"`

	// SID of an existing Workspace (WS followed by 32 hex digits) to adopt instead of creating one.
	// +kubebuilder:validation:Pattern=`^WS[0-9a-fA-F]{32}$`
	// +optional
	SID string `json:"sid,omitempty"`

	RemoteObjectPolicies `json:",inline"`

	// CredentialsRef names the Secret in this namespace with the Twilio account credentials:
	// accountSid (AC...), authToken (needed for CapabilityToken), and optionally apiKeySid (SK...)
	// with apiKeySecret for Basic auth.
	CredentialsRef LocalObjectReference `json:"credentialsRef"`

	// AuthMode: CapabilityToken (default) sends each call with a token scoped to the one object it
	// touches, signed with the auth token; Basic uses REST with the API key (or the auth token).
	// Creating, listing and deleting workspaces always uses Basic.
	// +kubebuilder:default=CapabilityToken
	// +optional
	AuthMode AuthMode `json:"authMode,omitempty"`

	// EventCallbackURL receives TaskRouter's event callbacks (an http or https URL).
	// +kubebuilder:validation:MaxLength=2048
	// +kubebuilder:validation:Pattern=`^https?://`
	// +optional
	EventCallbackURL string `json:"eventCallbackUrl,omitempty"`

	// EventsFilter lists the event types sent to eventCallbackUrl (e.g. task.created); empty sends all.
	// +listType=set
	// +optional
	EventsFilter []string `json:"eventsFilter,omitempty"`

	// MultiTaskEnabled lets workers handle several tasks at once (per task channel capacity).
	// +optional
	MultiTaskEnabled *bool `json:"multiTaskEnabled,omitempty"`

	// PrioritizeQueueOrder: FIFO or LIFO, how tasks of equal priority are ordered across queues.
	// +kubebuilder:validation:Enum=FIFO;LIFO
	// +optional
	PrioritizeQueueOrder string `json:"prioritizeQueueOrder,omitempty"`

	// Template: NONE or FIFO. FIFO makes TaskRouter create a sample queue and workflow with the
	// workspace. Create-only: it cannot change once the Workspace exists.
	// +kubebuilder:validation:Enum=NONE;FIFO
	// +kubebuilder:validation:XValidation:rule="self == oldSelf",message="template is create-only and cannot change"
	// +optional
	Template string `json:"template,omitempty"`

	// DefaultActivityRef names the Activity new workers start in. Set it once the Activity exists
	// (this breaks the create-time cycle between a Workspace and its Activities).
	// +optional
	DefaultActivityRef *LocalObjectReference `json:"defaultActivityRef,omitempty"`

	// TimeoutActivityRef names the Activity a worker is moved to when a reservation times out.
	// +optional
	TimeoutActivityRef *LocalObjectReference `json:"timeoutActivityRef,omitempty"`

	// Statistics controls how often workspace statistics are mirrored into status.
	// +optional
	Statistics *SplitStatisticsSpec `json:"statistics,omitempty"`

	// TokenSecret makes the operator keep a Secret with a Workspace capability token for front ends.
	// +optional
	TokenSecret *WorkspaceTokenSecret `json:"tokenSecret,omitempty"`

	// SIDConfigMap makes the operator keep a ConfigMap of that name in this namespace with one key per
	// object of the workspace and its SID as the value, e.g. WORKFLOW_INBOUND=WW... and
	// TASKCHANNEL_CHAT=TC..., for the Studio flows, Functions and front ends that need them. The key is
	// the kind and the resource's metadata.name in upper case, anything but letters and digits turned
	// into "_". The ConfigMap is owned by the Workspace; one the operator does not own is never
	// overwritten.
	// +optional
	SIDConfigMap *LocalObjectReference `json:"sidConfigMap,omitempty"`
}

// WorkspaceStatus is the observed state of a Workspace.
type WorkspaceStatus struct {
	RemoteObjectStatus `json:",inline"`

	// DefaultActivitySID is the workspace's live default activity.
	// +optional
	DefaultActivitySID string `json:"defaultActivitySid,omitempty"`
	// DefaultActivityName is the friendly name of the default activity.
	// +optional
	DefaultActivityName string `json:"defaultActivityName,omitempty"`
	// TimeoutActivitySID is the workspace's live timeout activity.
	// +optional
	TimeoutActivitySID string `json:"timeoutActivitySid,omitempty"`
	// TimeoutActivityName is the friendly name of the timeout activity.
	// +optional
	TimeoutActivityName string `json:"timeoutActivityName,omitempty"`

	// Statistics mirrored from TaskRouter.
	// +optional
	Statistics *WorkspaceStatistics `json:"statistics,omitempty"`

	// TokenSecret reports the Secret with the front-end token.
	// +optional
	TokenSecret *TokenSecretStatus `json:"tokenSecret,omitempty"`

	// SIDConfigMap is the name of the ConfigMap of SIDs the operator keeps (spec.sidConfigMap).
	// +optional
	SIDConfigMap string `json:"sidConfigMap,omitempty"`
}

// Workspace is a TaskRouter Workspace: the container of a contact center's activities, queues,
// workflows and workers.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=tws,categories=taskrouter
// +kubebuilder:printcolumn:name="SID",type=string,JSONPath=`.status.sid`
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
// +kubebuilder:printcolumn:name="Tasks",type=integer,JSONPath=`.status.statistics.realtime.totalTasks`
// +kubebuilder:printcolumn:name="Workers",type=integer,JSONPath=`.status.statistics.realtime.totalWorkers`
// +kubebuilder:printcolumn:name="Service-Level",type=integer,JSONPath=`.status.statistics.cumulative.serviceLevel[0].serviceLevelPercent`,priority=1
// +kubebuilder:printcolumn:name="Reason",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].reason`,priority=1
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
// +kubebuilder:validation:XValidation:rule="has(self.spec.friendlyName) || size(self.metadata.name) <= 64",message="metadata.name is longer than 64 characters: set spec.friendlyName (at most 64)",fieldPath=".spec.friendlyName"
type Workspace struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   WorkspaceSpec   `json:"spec"`
	Status WorkspaceStatus `json:"status,omitempty"`
}

// WorkspaceList is a list of Workspaces.
// +kubebuilder:object:root=true
type WorkspaceList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []Workspace `json:"items"`
}
