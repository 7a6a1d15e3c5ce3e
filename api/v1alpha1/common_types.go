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

// LocalObjectReference names another object in the same namespace.
type LocalObjectReference struct {
	// Name of the referenced object in the same namespace.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	Name string `json:"name"`
}

// AdoptionPolicy says whether the operator may take over an existing remote object.
// +kubebuilder:validation:Enum=AdoptOrCreate;CreateOnly;AdoptOnly
type AdoptionPolicy string

const (
	// AdoptOrCreate adopts the one remote object with this friendly name, else creates one.
	AdoptOrCreate AdoptionPolicy = "AdoptOrCreate"
	// CreateOnly always creates; an existing remote object with the same name is a conflict.
	CreateOnly AdoptionPolicy = "CreateOnly"
	// AdoptOnly never creates; the object waits until a remote object with the name (or spec.sid) exists.
	AdoptOnly AdoptionPolicy = "AdoptOnly"
)

// DeletionPolicy says what happens to the remote object when the custom resource is deleted.
// +kubebuilder:validation:Enum=Delete;Orphan
type DeletionPolicy string

const (
	// DeletionDelete deletes the remote object with the custom resource.
	DeletionDelete DeletionPolicy = "Delete"
	// DeletionOrphan leaves the remote object in TaskRouter.
	DeletionOrphan DeletionPolicy = "Orphan"
)

// ManagementPolicy says whether the operator may write to TaskRouter for this object.
// +kubebuilder:validation:Enum=Manage;ObserveOnly
type ManagementPolicy string

const (
	// Manage creates, updates and deletes the remote object to match the spec.
	Manage ManagementPolicy = "Manage"
	// ObserveOnly reads the remote object and mirrors its status and statistics; it never writes.
	ObserveOnly ManagementPolicy = "ObserveOnly"
)

// RemoteObjectPolicies are the fields that say how the operator treats the remote object. Every kind has them.
type RemoteObjectPolicies struct {
	// AdoptionPolicy: AdoptOrCreate (default) adopts the one remote object with this friendly name or
	// creates one; CreateOnly refuses to take over an existing object; AdoptOnly never creates.
	// +kubebuilder:default=AdoptOrCreate
	// +optional
	AdoptionPolicy AdoptionPolicy `json:"adoptionPolicy,omitempty"`

	// DeletionPolicy: Delete removes the remote object with this resource, Orphan leaves it in TaskRouter.
	// Unset means Delete for objects the operator created and Orphan for adopted ones.
	// +optional
	DeletionPolicy DeletionPolicy `json:"deletionPolicy,omitempty"`

	// ManagementPolicy: Manage (default) makes TaskRouter match the spec; ObserveOnly only reads
	// the remote object and mirrors its status and statistics, and never writes. Use ObserveOnly
	// first when taking over an existing production workspace.
	// +kubebuilder:default=Manage
	// +optional
	ManagementPolicy ManagementPolicy `json:"managementPolicy,omitempty"`
}

// Origin records how the operator came to own a remote object; it decides the default deletion policy.
// +kubebuilder:validation:Enum=Created;Adopted
type Origin string

const (
	// OriginCreated marks a remote object the operator created.
	OriginCreated Origin = "Created"
	// OriginAdopted marks a remote object that existed before and was adopted.
	OriginAdopted Origin = "Adopted"
)

// RemoteObjectStatus is the part of the status every kind has.
type RemoteObjectStatus struct {
	// SID of the remote TaskRouter object.
	// +optional
	SID string `json:"sid,omitempty"`

	// Origin is Created when the operator created the remote object, Adopted when it took over an
	// existing one. It decides what an unset deletionPolicy means.
	// +optional
	Origin Origin `json:"origin,omitempty"`

	// CreateAttemptedAt is written before the operator asks TaskRouter to create the object. When a
	// create's answer is lost, the next reconcile finds the object by friendly name and knows it is
	// its own instead of creating a second one.
	// +optional
	CreateAttemptedAt *metav1.Time `json:"createAttemptedAt,omitempty"`

	// ObservedGeneration is the metadata.generation of the spec last reconciled successfully.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`

	// Conditions: Ready, Reconciling and Stalled, each stamped with the generation it describes.
	// +listType=map
	// +listMapKey=type
	// +optional
	Conditions []metav1.Condition `json:"conditions,omitempty"`
}

// Condition types, as kstatus and Flux read them.
const (
	// ConditionReady is True when the remote object matches the spec.
	ConditionReady = "Ready"
	// ConditionReconciling is True while work is under way.
	ConditionReconciling = "Reconciling"
	// ConditionStalled is True when retrying cannot help until something changes.
	ConditionStalled = "Stalled"
)

// StatisticsSpec controls how often TaskRouter statistics are mirrored into status.
type StatisticsSpec struct {
	// Interval between statistics refreshes, e.g. 30s. 0 turns polling off for this object.
	// Unset uses the manager's --statistics-interval.
	// +optional
	Interval *metav1.Duration `json:"interval,omitempty"`

	// Minutes of history the cumulative figures cover (TaskRouter's Minutes parameter). Default 15.
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=43200
	// +optional
	Minutes *int32 `json:"minutes,omitempty"`
}

// SplitStatisticsSpec is StatisticsSpec for the kinds whose figures TaskRouter can split per
// TaskChannel and by wait time (Workspace, TaskQueue): a per-channel breakdown and service levels.
type SplitStatisticsSpec struct {
	StatisticsSpec `json:",inline"`

	// TaskChannels whose figures are also mirrored apart, into status.statistics.channels: unique
	// names (or TC SIDs), e.g. [voice, chat]. Each channel costs one more read per refresh of the
	// workspace, however many queues there are.
	// +kubebuilder:validation:MaxItems=15
	// +kubebuilder:validation:items:MinLength=1
	// +kubebuilder:validation:items:MaxLength=64
	// +listType=set
	// +optional
	TaskChannels []string `json:"taskChannels,omitempty"`

	// SplitByWaitTime are service-level thresholds in seconds, e.g. [20, 60]: for each, how many
	// reservations were accepted and tasks canceled within and after it over the window, and the
	// service level they make, in status.statistics.cumulative.serviceLevel.
	// +kubebuilder:validation:MaxItems=10
	// +kubebuilder:validation:items:Minimum=1
	// +kubebuilder:validation:items:Maximum=86400
	// +listType=set
	// +optional
	SplitByWaitTime []int32 `json:"splitByWaitTime,omitempty"`
}

// TokenSecretStatus reports the Secret that holds a front-end capability token.
type TokenSecretStatus struct {
	// Name of the Secret (key "token").
	Name string `json:"name"`
	// ExpiresAt is when the token in the Secret expires; it is renewed well before.
	// +optional
	ExpiresAt *metav1.Time `json:"expiresAt,omitempty"`
	// Message says why the Secret is not kept, e.g. a Secret of that name that the operator does not own.
	// +optional
	Message string `json:"message,omitempty"`

	// Conditions: Ready is True while the Secret holds a valid token; otherwise its reason says why
	// (WaitingForSID, TokenSecretConflict, InvalidCapability, CredentialsInvalid) and its message what to do.
	// +listType=map
	// +listMapKey=type
	// +optional
	Conditions []metav1.Condition `json:"conditions,omitempty"`
}

// ActivityCount is how many workers are in one activity.
type ActivityCount struct {
	// FriendlyName of the activity.
	FriendlyName string `json:"friendlyName"`
	// SID of the activity.
	// +optional
	SID string `json:"sid,omitempty"`
	// Workers in this activity.
	Workers int64 `json:"workers"`
}
