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

// +kubebuilder:rbac:groups=taskrouter.operator.dev,resources=taskchannels,verbs=get;list;watch;update;patch
// +kubebuilder:rbac:groups=taskrouter.operator.dev,resources=taskchannels/status,verbs=get;update;patch
// +kubebuilder:rbac:groups=taskrouter.operator.dev,resources=taskchannels/finalizers,verbs=update

// taskChannelAdapter maps a TaskChannel resource to a TaskRouter TaskChannel. TaskRouter keys
// channels by unique name, so adoption matches it: a workspace's built-in channels (voice, chat,
// ...; email in Flex) are adopted, never duplicated. The unique name cannot change (the schema
// refuses a change at admission). The friendly name is written only when the spec sets it, since
// adoption does not go by it and a built-in channel's own name ("Chat") is not drift.
type taskChannelAdapter struct{}

func (taskChannelAdapter) kind() string                 { return "TaskChannel" }
func (taskChannelAdapter) newObject() *trv1.TaskChannel { return &trv1.TaskChannel{} }
func (taskChannelAdapter) newList() client.ObjectList   { return &trv1.TaskChannelList{} }

func (taskChannelAdapter) references(c *trv1.TaskChannel) []reference {
	return []reference{{kind: "Workspace", name: c.Spec.WorkspaceRef.Name}}
}

func (taskChannelAdapter) collection(c connection) remoteCollection[taskrouter.TaskChannel, taskrouter.TaskChannelParams] {
	return c.objects.TaskChannels()
}

func (taskChannelAdapter) identify(r taskrouter.TaskChannel) identity {
	return identity{sid: r.SID, name: r.UniqueName}
}

func (taskChannelAdapter) adoptionName(c *trv1.TaskChannel) string { return c.UniqueName() }

func (taskChannelAdapter) render(_ context.Context, _ *resolver, _ connection, c *trv1.TaskChannel) (desired[taskrouter.TaskChannel, taskrouter.TaskChannelParams], error) {
	d := taskChannelDesired{uniqueName: c.UniqueName(), newName: c.RemoteSpec().FriendlyName, optimized: c.Spec.ChannelOptimizedRouting}
	if c.Spec.FriendlyName != "" {
		d.name = &c.Spec.FriendlyName
	}
	return d, nil
}

func (taskChannelAdapter) mirror(c *trv1.TaskChannel, r taskrouter.TaskChannel) {
	c.Status.UniqueName, c.Status.FriendlyName = r.UniqueName, r.FriendlyName
	c.Status.ChannelOptimizedRouting = &r.ChannelOptimizedRouting
}

// taskChannelDesired is a TaskChannel's rendered spec.
type taskChannelDesired struct {
	uniqueName string
	// name is spec.friendlyName, nil when unset; newName names a channel this resource creates.
	name      *string
	newName   string
	optimized *bool
}

func (d taskChannelDesired) create() taskrouter.TaskChannelParams {
	return taskrouter.TaskChannelParams{FriendlyName: &d.newName, UniqueName: &d.uniqueName, ChannelOptimizedRouting: d.optimized}
}

func (d taskChannelDesired) diff(r taskrouter.TaskChannel) change[taskrouter.TaskChannelParams] {
	var c change[taskrouter.TaskChannelParams]
	c.fields = sendIfDiffers(c.fields, "friendlyName", d.name, r.FriendlyName, &c.update.FriendlyName)
	if d.optimized != nil && *d.optimized != r.ChannelOptimizedRouting {
		c.fields, c.update.ChannelOptimizedRouting = append(c.fields, "channelOptimizedRouting"), d.optimized
	}
	if r.UniqueName != d.uniqueName {
		// Only spec.sid can lead here (adoption by name matches the unique name): say which to change.
		c.fields = append(c.fields, "uniqueName")
		c.refused = stall(reasonImmutableField, "TaskChannel %s has uniqueName %q in TaskRouter, not %q, and TaskRouter cannot change it: point spec.sid at the channel named %q, or remove spec.sid to adopt or create it by name",
			r.SID, r.UniqueName, d.uniqueName, d.uniqueName)
	}
	return c
}
