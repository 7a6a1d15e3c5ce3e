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

// TaskChannelSpec is the desired state of a TaskRouter TaskChannel (voice, chat, sms, ...).
// +kubebuilder:validation:XValidation:rule="!(has(self.sid) && self.adoptionPolicy == 'CreateOnly')",message="sid adopts an existing task channel; adoptionPolicy CreateOnly forbids adoption: remove one of them",fieldPath=".adoptionPolicy"
type TaskChannelSpec struct {
	// WorkspaceRef names the Workspace in this namespace the TaskChannel belongs to.
	WorkspaceRef LocalObjectReference `json:"workspaceRef"`

	// UniqueName identifies the channel in TaskRouter and in tasks ("voice", "chat"); defaults to
	// metadata.name. Adoption matches it, so a workspace's built-in channels (default, voice, chat,
	// sms, video; email in Flex) are adopted, never duplicated. TaskRouter cannot change it, so it
	// is immutable here: create a new TaskChannel instead. At most 64 characters (the operator's
	// bound, as for friendly names; TaskRouter documents none).
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=64
	// +optional
	UniqueName string `json:"uniqueName,omitempty"`

	// FriendlyName of the remote TaskChannel, at most 64 characters. Unset, a new channel is named
	// metadata.name and an adopted one keeps its name (Flex's "Chat", "Voice"): adoption goes by
	// uniqueName, so the friendly name is written only when set here.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=64
	// +optional
	FriendlyName string `json:"friendlyName,omitempty"`

	// SID of an existing TaskChannel (TC followed by 32 hex digits) to adopt instead of creating one.
	// +kubebuilder:validation:Pattern=`^TC[0-9a-fA-F]{32}$`
	// +optional
	SID string `json:"sid,omitempty"`

	RemoteObjectPolicies `json:",inline"`

	// ChannelOptimizedRouting lets TaskRouter offer this channel's tasks to the worker best placed
	// to take them now rather than in strict order (TaskRouter's channel-optimized routing, meant
	// for chat-like channels). Unset leaves it as TaskRouter has it.
	// +optional
	ChannelOptimizedRouting *bool `json:"channelOptimizedRouting,omitempty"`
}

// TaskChannelStatus is the observed state of a TaskChannel.
type TaskChannelStatus struct {
	RemoteObjectStatus `json:",inline"`

	// UniqueName as TaskRouter reports it: what tasks and worker channels name the channel by.
	// +optional
	UniqueName string `json:"uniqueName,omitempty"`
	// FriendlyName as TaskRouter reports it.
	// +optional
	FriendlyName string `json:"friendlyName,omitempty"`
	// ChannelOptimizedRouting as TaskRouter reports it.
	// +optional
	ChannelOptimizedRouting *bool `json:"channelOptimizedRouting,omitempty"`
}

// TaskChannel is a TaskRouter TaskChannel: a kind of work (voice, chat, sms, ...) that workers
// have a capacity for.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=ttc,categories=taskrouter
// +kubebuilder:printcolumn:name="SID",type=string,JSONPath=`.status.sid`
// +kubebuilder:printcolumn:name="Unique-Name",type=string,JSONPath=`.status.uniqueName`
// +kubebuilder:printcolumn:name="Optimized",type=boolean,JSONPath=`.status.channelOptimizedRouting`
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
// +kubebuilder:printcolumn:name="Reason",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].reason`,priority=1
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
// +kubebuilder:validation:XValidation:rule="has(self.spec.uniqueName) || size(self.metadata.name) <= 64",message="metadata.name is longer than 64 characters: set spec.uniqueName (at most 64)",fieldPath=".spec.uniqueName"
// +kubebuilder:validation:XValidation:rule="has(self.spec.friendlyName) || size(self.metadata.name) <= 64",message="metadata.name is longer than 64 characters: set spec.friendlyName (at most 64)",fieldPath=".spec.friendlyName"
// +kubebuilder:validation:XValidation:rule="(has(self.spec.uniqueName) ? self.spec.uniqueName : self.metadata.name) == (has(oldSelf.spec.uniqueName) ? oldSelf.spec.uniqueName : oldSelf.metadata.name)",message="uniqueName cannot change after the TaskChannel is created (TaskRouter identifies a channel by it): create a new TaskChannel instead",fieldPath=".spec.uniqueName"
type TaskChannel struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   TaskChannelSpec   `json:"spec"`
	Status TaskChannelStatus `json:"status,omitempty"`
}

// TaskChannelList is a list of TaskChannels.
// +kubebuilder:object:root=true
type TaskChannelList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []TaskChannel `json:"items"`
}
