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

package controllers

import (
	"context"

	"sigs.k8s.io/controller-runtime/pkg/client"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/internal/taskrouter"
)

// +kubebuilder:rbac:groups=taskrouter.operator.dev,resources=activities,verbs=get;list;watch;update;patch
// +kubebuilder:rbac:groups=taskrouter.operator.dev,resources=activities/status,verbs=get;update;patch
// +kubebuilder:rbac:groups=taskrouter.operator.dev,resources=activities/finalizers,verbs=update

// activityAdapter maps an Activity resource to a TaskRouter Activity. Only the friendly name can
// change: TaskRouter fixes `available` at create, and the schema rejects a change to it at admission.
type activityAdapter struct{}

func (activityAdapter) kind() string               { return "Activity" }
func (activityAdapter) newObject() *trv1.Activity  { return &trv1.Activity{} }
func (activityAdapter) newList() client.ObjectList { return &trv1.ActivityList{} }

func (activityAdapter) references(a *trv1.Activity) []reference {
	return []reference{{kind: "Workspace", name: a.Spec.WorkspaceRef.Name}}
}

func (activityAdapter) collection(c connection) remoteCollection[taskrouter.Activity, taskrouter.ActivityParams] {
	return c.objects.Activities()
}

func (activityAdapter) identify(r taskrouter.Activity) identity {
	return identity{sid: r.SID, name: r.FriendlyName}
}

func (activityAdapter) adoptionName(a *trv1.Activity) string { return a.RemoteSpec().FriendlyName }

func (activityAdapter) render(_ context.Context, _ *resolver, _ connection, a *trv1.Activity) (desired[taskrouter.Activity, taskrouter.ActivityParams], error) {
	return activityDesired{name: a.RemoteSpec().FriendlyName, available: a.Spec.Available}, nil
}

func (activityAdapter) mirror(a *trv1.Activity, r taskrouter.Activity) {
	a.Status.Available = &r.Available
}

// activityDesired is an Activity's rendered spec.
type activityDesired struct {
	name      string
	available *bool
}

func (d activityDesired) create() taskrouter.ActivityParams {
	return taskrouter.ActivityParams{FriendlyName: &d.name, Available: d.available}
}

func (d activityDesired) diff(r taskrouter.Activity) change[taskrouter.ActivityParams] {
	var c change[taskrouter.ActivityParams]
	if r.FriendlyName != d.name {
		c.fields, c.update.FriendlyName = append(c.fields, "friendlyName"), &d.name
	}
	if d.available != nil && r.Available != *d.available {
		// TaskRouter cannot change it: only recreating the Activity could. Say so instead of looping.
		c.fields = append(c.fields, "available")
		c.refused = stall(reasonImmutableField, "Activity %s is available=%t in TaskRouter and TaskRouter cannot change it: delete and recreate the Activity to change it", r.SID, r.Available)
	}
	return c
}
