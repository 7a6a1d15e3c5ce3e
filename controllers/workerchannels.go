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
	"fmt"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/internal/taskrouter"
)

// A Worker's channels are the worker adapter's subresources: TaskRouter gives every worker one
// WorkerChannel per TaskChannel, read and updated, never created. Only the channels the spec lists
// are touched, and a worker that lists none costs nothing. One that lists some costs one list call
// per sync (the status mirror: assigned tasks and free capacity move all day) and one update per
// listed channel that differs from the spec, when the channel policy lets it be written.

// syncSubresources makes the worker's listed channels match the spec and mirrors them. With
// channelPolicy Initial a channel is written once: on the pass that created or adopted the worker,
// or the first time it is listed (it has no status entry yet); supervisors own it afterwards.
func (workerAdapter) syncSubresources(ctx context.Context, e *env, c connection, w *trv1.Worker, remote taskrouter.Worker, first bool) error {
	if len(w.Spec.Channels) == 0 {
		w.Status.Channels = nil
		return nil
	}
	want, err := listedChannels(ctx, e.refs, w)
	if err != nil {
		return err
	}
	channels := c.objects.WorkerChannels(remote.SID)
	have, err := channels.List(ctx)
	if err != nil {
		return err
	}
	manage := w.RemoteSpec().Policies.ManagementPolicy == trv1.Manage
	mirrored := make([]trv1.WorkerChannelStatus, 0, len(want))
	for _, ch := range want {
		cur, ok := findChannel(have, ch.uniqueName)
		if !ok {
			// A uniqueName for a channel created later in TaskRouter resolves by itself at a later sync.
			return waiting(reasonWaitingForReference, "%s: the workspace has no TaskChannel %q", ch.field, ch.uniqueName)
		}
		set := manage && (first || w.Spec.ChannelPolicy == trv1.ChannelEnforce || !hasChannelStatus(w.Status.Channels, ch.uniqueName))
		if update, differs := ch.diff(cur); set && differs {
			if cur, err = channels.Update(ctx, ch.uniqueName, update); err != nil {
				return err
			}
		}
		mirrored = append(mirrored, channelStatus(ch.uniqueName, cur))
	}
	w.Status.Channels = mirrored
	return nil
}

// listedChannel is one entry of spec.channels with its channelRef resolved to a unique name.
type listedChannel struct {
	field      string
	uniqueName string
	capacity   *int32
	available  *bool
}

// listedChannels resolves spec.channels: a channelRef waits until its TaskChannel is Ready. Two
// entries naming one channel (a channelRef to the TaskChannel "chat" and uniqueName chat) cannot
// both be right, so that stalls; the schema already refuses repeats of one spelling.
func listedChannels(ctx context.Context, refs *resolver, w *trv1.Worker) ([]listedChannel, error) {
	out := make([]listedChannel, 0, len(w.Spec.Channels))
	seen := map[string]string{}
	for i, ch := range w.Spec.Channels {
		field := fmt.Sprintf("spec.channels[%d]", i)
		name := ch.UniqueName
		if ch.ChannelRef != nil {
			var err error
			if name, err = refs.taskChannelName(ctx, w, ch.ChannelRef, field+".channelRef"); err != nil {
				return nil, err
			}
		}
		if other, repeated := seen[name]; repeated {
			return nil, stall(reasonInvalidSpec, "%s names the channel %q, which %s already lists: list each channel once", field, name, other)
		}
		seen[name] = field
		out = append(out, listedChannel{field: field, uniqueName: name, capacity: ch.Capacity, available: ch.Available})
	}
	return out, nil
}

// diff is the update that sends only what differs from the spec; a field the spec leaves unset is
// left as TaskRouter has it.
func (ch listedChannel) diff(cur taskrouter.WorkerChannel) (taskrouter.WorkerChannelParams, bool) {
	var p taskrouter.WorkerChannelParams
	if ch.capacity != nil && int(*ch.capacity) != cur.ConfiguredCapacity {
		p.Capacity = taskrouter.Ptr(int(*ch.capacity))
	}
	if ch.available != nil && *ch.available != cur.Available {
		p.Available = ch.available
	}
	return p, p.Capacity != nil || p.Available != nil
}

func findChannel(have []taskrouter.WorkerChannel, uniqueName string) (taskrouter.WorkerChannel, bool) {
	for _, c := range have {
		if c.TaskChannelUniqueName == uniqueName {
			return c, true
		}
	}
	return taskrouter.WorkerChannel{}, false
}

func hasChannelStatus(status []trv1.WorkerChannelStatus, uniqueName string) bool {
	for _, s := range status {
		if s.UniqueName == uniqueName {
			return true
		}
	}
	return false
}

func channelStatus(uniqueName string, c taskrouter.WorkerChannel) trv1.WorkerChannelStatus {
	return trv1.WorkerChannelStatus{UniqueName: uniqueName, SID: c.SID, ConfiguredCapacity: int32(c.ConfiguredCapacity),
		Available: c.Available, AssignedTasks: int32(c.AssignedTasks), AvailableCapacityPercentage: int32(c.AvailableCapacityPercentage)}
}
