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
	"cmp"
	"slices"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/internal/taskrouter"
)

// builtInChannels are the channels TaskRouter puts in every workspace (email in
// a Flex one), by unique name, with the friendly name they are created with.
var builtInChannels = map[string]string{
	"default": "Default", "voice": "Voice", "chat": "Chat", "sms": "SMS", "video": "Video", "email": "Email",
}

// defaultChannelCapacity is what a new worker has on every channel, available:
// the emulator's model, and the only value TaskRouter's documentation shows.
const defaultChannelCapacity = 1

// unchangedBuiltIn reports whether c is a built-in channel with the settings
// TaskRouter gave it, which the export leaves out.
func unchangedBuiltIn(c taskChannel) bool {
	return builtInChannels[c.UniqueName] == c.FriendlyName && !c.ChannelOptimizedRouting
}

// taskChannels exports the workspace's own channels, and a built-in one only
// when its settings were changed: every workspace has the built-ins as
// TaskRouter made them, and a Worker names one by uniqueName without a
// resource, so exporting them unchanged would add objects that say nothing.
// uniqueName is always written, though the kind defaults it to metadata.name:
// it is the channel's identity in tasks and worker channels, and a renamed
// resource (a kustomize namePrefix) must still name the same channel.
func (b *builder) taskChannels() []exported {
	var out []exported
	for _, c := range b.s.TaskChannels {
		if unchangedBuiltIn(c) {
			continue
		}
		spec := trv1.TaskChannelSpec{WorkspaceRef: b.workspaceRef(), FriendlyName: b.friendlyName(c.SID, c.FriendlyName),
			SID: c.SID, RemoteObjectPolicies: b.policies(), UniqueName: c.UniqueName}
		if c.ChannelOptimizedRouting {
			spec.ChannelOptimizedRouting = taskrouter.Ptr(true)
		}
		out = append(out, &trv1.TaskChannel{TypeMeta: typeMeta("TaskChannel"), ObjectMeta: b.meta(c.SID), Spec: spec})
	}
	return out
}

// workerChannels are the worker's channels whose capacity or availability is
// not what a new worker has, each with only what differs, sorted by unique
// name: a channelRef to the exported TaskChannel when there is one, else the
// channel's uniqueName. The Worker's channelPolicy stays the kind's default,
// Initial: the operator then writes a listed channel only when it creates or
// adopts the worker (the export matches TaskRouter, so it writes nothing), and
// a supervisor who changes an agent's capacity later keeps the change, where
// Enforce would revert it at the next sync.
func (b *builder) workerChannels(w worker) []trv1.WorkerChannelSpec {
	channels := slices.SortedFunc(slices.Values(b.s.WorkerChannels[w.SID]), func(x, y taskrouter.WorkerChannel) int {
		return cmp.Compare(x.TaskChannelUniqueName, y.TaskChannelUniqueName)
	})
	var out []trv1.WorkerChannelSpec
	for _, c := range channels {
		if c.ConfiguredCapacity == defaultChannelCapacity && c.Available {
			continue
		}
		var entry trv1.WorkerChannelSpec
		switch sid := b.exportedChannel(c); {
		case sid != "":
			entry.ChannelRef = b.ref(sid)
		case c.TaskChannelUniqueName != "":
			entry.UniqueName = c.TaskChannelUniqueName
		default:
			b.warnf("Worker %q (%s): its channel %s names no TaskChannel; it is left out", w.FriendlyName, w.SID, c.SID)
			continue
		}
		switch {
		case c.ConfiguredCapacity > trv1.MaxWorkerChannelCapacity:
			b.warnf("Worker %q (%s): its capacity %d on channel %q is over the Worker kind's maximum %d; it is left out",
				w.FriendlyName, w.SID, c.ConfiguredCapacity, c.TaskChannelUniqueName, trv1.MaxWorkerChannelCapacity)
		case c.ConfiguredCapacity != defaultChannelCapacity:
			entry.Capacity = taskrouter.Ptr(int32(c.ConfiguredCapacity))
		}
		if !c.Available {
			entry.Available = taskrouter.Ptr(false)
		}
		if entry.Capacity != nil || entry.Available != nil {
			out = append(out, entry)
		}
	}
	return out
}

// exportedChannel is the SID of the exported TaskChannel that c is a worker
// channel of; "" when that channel is not exported (a built-in one unchanged).
func (b *builder) exportedChannel(c taskrouter.WorkerChannel) string {
	for _, tc := range b.s.TaskChannels {
		if tc.SID == c.TaskChannelSID && !unchangedBuiltIn(tc) {
			return tc.SID
		}
	}
	return ""
}
