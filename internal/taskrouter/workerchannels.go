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

package taskrouter

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/taskrouter-operator/taskrouter-operator/internal/capability"
)

// WorkerChannel is a Worker's capacity for one TaskChannel, and what the Worker holds on it now.
type WorkerChannel struct {
	AccountSID            string `json:"account_sid"`
	WorkspaceSID          string `json:"workspace_sid"`
	WorkerSID             string `json:"worker_sid"`
	SID                   string `json:"sid"`
	TaskChannelSID        string `json:"task_channel_sid"`
	TaskChannelUniqueName string `json:"task_channel_unique_name"`
	// ConfiguredCapacity is how many tasks of the channel the Worker takes at once.
	ConfiguredCapacity int `json:"configured_capacity"`
	// Available false keeps the Worker from new tasks of the channel.
	Available bool `json:"available"`
	// AssignedTasks counts the Worker's tasks on the channel now.
	AssignedTasks int `json:"assigned_tasks"`
	// AvailableCapacityPercentage is the share of the capacity still free, 0 to 100.
	AvailableCapacityPercentage int       `json:"available_capacity_percentage"`
	DateCreated                 time.Time `json:"date_created"`
	DateUpdated                 time.Time `json:"date_updated"`
	URL                         string    `json:"url"`
}

// WorkerChannelParams are the update parameters of a WorkerChannel; nil is not sent.
type WorkerChannelParams struct {
	// Capacity is 0 (no new reservations) to TaskRouter's maximum.
	Capacity  *int
	Available *bool
}

func (p WorkerChannelParams) encode() url.Values {
	f := form{}
	f.integer("Capacity", p.Capacity)
	f.boolean("Available", p.Available)
	return url.Values(f)
}

// WorkerChannels is one Worker's channels. TaskRouter gives every Worker one per TaskChannel of its
// workspace and removes them with it, so they are read and updated, never created or deleted. Calls
// go on the Worker's own channel, as TaskRouter.js opens them, each token allowing exactly its call.
type WorkerChannels struct {
	a      *Account
	ws     string
	worker string
}

// WorkerChannels is the channels of the Worker workerSID.
func (w *WorkspaceClient) WorkerChannels(workerSID string) WorkerChannels {
	return WorkerChannels{a: w.a, ws: w.sid, worker: workerSID}
}

// List reads every channel of the Worker, all pages (one call: a workspace has at most a few channels).
func (c WorkerChannels) List(ctx context.Context) ([]WorkerChannel, error) {
	query := url.Values{"PageSize": {fmt.Sprint(c.a.c.cfg.PageSize)}}
	rel := c.collectionPath()
	r := &request{method: http.MethodGet, path: "/v1/" + rel, route: channelsRoute, query: query,
		grant: c.grant(c.a.urls.WorkerChannelListScope(c.ws, c.worker))}
	out, err := listAll[WorkerChannel](ctx, c.a, c.a.api, r, "channels")
	if err != nil {
		return nil, fmt.Errorf("list channels of worker %s in workspace %s: %w", c.worker, c.ws, err)
	}
	return out, nil
}

// Fetch reads one channel of the Worker; channel is its WC sid or the TaskChannel's unique name.
func (c WorkerChannels) Fetch(ctx context.Context, channel string) (WorkerChannel, error) {
	var out WorkerChannel
	_, err := c.a.decodeInto(ctx, c.a.api, c.objectRequest(http.MethodGet, channel), fmt.Sprintf("fetch channel %s of worker %s", channel, c.worker), &out)
	return out, err
}

// Update changes the fields set in p on one channel of the Worker (WC sid or unique name).
func (c WorkerChannels) Update(ctx context.Context, channel string, p WorkerChannelParams) (WorkerChannel, error) {
	var out WorkerChannel
	r := c.objectRequest(http.MethodPost, channel)
	r.form = p.encode()
	_, err := c.a.decodeInto(ctx, c.a.api, r, fmt.Sprintf("update channel %s of worker %s", channel, c.worker), &out)
	return out, err
}

// channelsRoute is the list's path template, the endpoint label of metrics.
const channelsRoute = "/v1/Workspaces/{WorkspaceSid}/Workers/{WorkerSid}/Channels"

// collectionPath is the channels' path relative to /v1/.
func (c WorkerChannels) collectionPath() string {
	return "Workspaces/" + url.PathEscape(c.ws) + "/Workers/" + url.PathEscape(c.worker) + "/Channels"
}

func (c WorkerChannels) objectRequest(method, channel string) *request {
	rel := c.collectionPath() + "/" + url.PathEscape(channel)
	return &request{method: method, path: "/v1/" + rel, route: channelsRoute + "/{Sid}",
		grant: c.grant(c.a.urls.WorkerChannelScope(c.ws, c.worker, url.PathEscape(channel)))}
}

func (c WorkerChannels) grant(policies []capability.Policy) capability.Grant {
	return capability.Grant{WorkspaceSID: c.ws, Channel: c.worker, Policies: policies}
}
