// Package v1alpha1 holds the taskrouter.operator.dev/v1alpha1 API: one kind per
// Twilio TaskRouter object (Workspace, Activity, TaskQueue, Workflow, Worker).
//
// +kubebuilder:object:generate=true
// +groupName=taskrouter.operator.dev
package v1alpha1

import (
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/scheme"
)

var (
	// GroupVersion is the group and version of every kind in this package.
	GroupVersion = schema.GroupVersion{Group: "taskrouter.operator.dev", Version: "v1alpha1"}

	// SchemeBuilder registers the kinds of this package with a runtime.Scheme.
	SchemeBuilder = &scheme.Builder{GroupVersion: GroupVersion}

	// AddToScheme adds the kinds of this package to a runtime.Scheme.
	AddToScheme = SchemeBuilder.AddToScheme
)
