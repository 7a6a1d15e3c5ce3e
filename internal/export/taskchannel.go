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

package export

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/internal/taskrouter"
)

// taskChannelResource is the TaskChannel kind as API.md names its fields. The
// kind's Go type is not in api/v1alpha1 yet; once it is, this type gives way to
// it and nothing else here changes.
type taskChannelResource struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`
	Spec              taskChannelSpec `json:"spec"`
}

type taskChannelSpec struct {
	WorkspaceRef              trv1.LocalObjectReference `json:"workspaceRef"`
	FriendlyName              string                    `json:"friendlyName,omitempty"`
	SID                       string                    `json:"sid,omitempty"`
	trv1.RemoteObjectPolicies `json:",inline"`
	UniqueName                string `json:"uniqueName"`
	ChannelOptimizedRouting   *bool  `json:"channelOptimizedRouting,omitempty"`
}

// builtInChannels are the channels TaskRouter puts in every workspace (email in
// a Flex one), by unique name, with the friendly name they are created with.
var builtInChannels = map[string]string{
	"default": "Default", "voice": "Voice", "chat": "Chat", "sms": "SMS", "video": "Video", "email": "Email",
}

// taskChannels exports the workspace's own channels, and a built-in one only
// when its settings were changed: every workspace has the built-ins as
// TaskRouter made them, and a Worker names one by uniqueName without a
// resource, so exporting them unchanged would add objects that say nothing.
func (b *builder) taskChannels() []exported {
	var out []exported
	for _, c := range b.s.TaskChannels {
		if builtInChannels[c.UniqueName] == c.FriendlyName && !c.ChannelOptimizedRouting {
			continue
		}
		spec := taskChannelSpec{WorkspaceRef: b.workspaceRef(), FriendlyName: b.friendlyName(c.SID, c.FriendlyName),
			SID: c.SID, RemoteObjectPolicies: b.policies(), UniqueName: c.UniqueName}
		if c.ChannelOptimizedRouting {
			spec.ChannelOptimizedRouting = taskrouter.Ptr(true)
		}
		out = append(out, &taskChannelResource{TypeMeta: typeMeta("TaskChannel"), ObjectMeta: b.meta(c.SID), Spec: spec})
	}
	return out
}
