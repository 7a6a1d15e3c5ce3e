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

// ActivitySpec is the desired state of a TaskRouter Activity (an agent state such as "Lunch").
// +kubebuilder:validation:XValidation:rule="!(has(self.sid) && self.adoptionPolicy == 'CreateOnly')",message="sid adopts an existing activity; adoptionPolicy CreateOnly forbids adoption: remove one of them",fieldPath=".adoptionPolicy"
type ActivitySpec struct {
	// WorkspaceRef names the Workspace in this namespace the Activity belongs to.
	WorkspaceRef LocalObjectReference `json:"workspaceRef"`

	// FriendlyName of the remote Activity; defaults to metadata.name. At most 64 characters.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=64
	// +optional
	FriendlyName string `json:"friendlyName,omitempty"`

	// SID of an existing Activity (WA followed by 32 hex digits) to adopt instead of creating one.
	// +kubebuilder:validation:Pattern=`^WA[0-9a-fA-F]{32}$`
	// +optional
	SID string `json:"sid,omitempty"`

	RemoteObjectPolicies `json:",inline"`

	// Available says whether a worker in this activity can be offered tasks. TaskRouter cannot change
	// it on an existing Activity, so it is immutable here: create a new Activity instead.
	// +kubebuilder:default=true
	// +kubebuilder:validation:XValidation:rule="self == oldSelf",message="available cannot change after the Activity is created (TaskRouter forbids it): create a new Activity instead"
	// +optional
	Available *bool `json:"available,omitempty"`
}

// ActivityStatus is the observed state of an Activity.
type ActivityStatus struct {
	RemoteObjectStatus `json:",inline"`

	// Available as TaskRouter reports it.
	// +optional
	Available *bool `json:"available,omitempty"`
}

// Activity is a TaskRouter Activity: a state a worker can be in, available for tasks or not.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=tact,categories=taskrouter
// +kubebuilder:printcolumn:name="SID",type=string,JSONPath=`.status.sid`
// +kubebuilder:printcolumn:name="Available",type=boolean,JSONPath=`.spec.available`
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
// +kubebuilder:printcolumn:name="Reason",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].reason`,priority=1
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
// +kubebuilder:validation:XValidation:rule="has(self.spec.friendlyName) || size(self.metadata.name) <= 64",message="metadata.name is longer than 64 characters: set spec.friendlyName (at most 64)",fieldPath=".spec.friendlyName"
type Activity struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   ActivitySpec   `json:"spec"`
	Status ActivityStatus `json:"status,omitempty"`
}

// ActivityList is a list of Activities.
// +kubebuilder:object:root=true
type ActivityList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []Activity `json:"items"`
}
