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

package main

import (
	"context"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator"
	"github.com/taskrouter-operator/taskrouter-operator/internal/taskrouter"
)

// contactCenter is the workspace "Acme Support" built by hand through TaskRouter's REST API, as an
// administrator would in the Console, never by the operator: what config/samples describe, its
// workflow routing by queue SID, plus a fourth agent, Dana, and a channel of its own, callback.
// The docs' examples run against it.
type contactCenter struct {
	emu *emulator.Emulator
	// ahead is how far the emulator's clock runs ahead of the real one: advance moves it, so that
	// who has been longest in an activity never depends on how fast a test runs.
	ahead      atomic.Int64
	url        string
	acct       *taskrouter.Account
	ws         taskrouter.Workspace
	activities map[string]string // friendly name -> SID
	queues     map[string]string
	workflow   string
	workers    map[string]string
	channels   map[string]string // unique name -> TaskChannel SID
}

// inboundRouting is the samples' routing in TaskRouter's terms, {{...}} standing for queue SIDs.
const inboundRouting = `{"task_routing":{"filters":[
  {"filter_friendly_name":"Spanish","expression":"language == \"es\"","targets":[
    {"queue":"{{Spanish Support}}","priority":5,"timeout":120},{"queue":"{{General Support}}","priority":5}]},
  {"filter_friendly_name":"Billing VIP","expression":"type == \"billing\" AND vip == true","targets":[
    {"queue":"{{Billing}}","priority":10,"expression":"worker.level >= 3","timeout":60},{"queue":"{{Billing}}","priority":10}]},
  {"filter_friendly_name":"Billing","expression":"type == \"billing\"","targets":[{"queue":"{{Billing}}","priority":1}]}],
 "default_filter":{"queue":"{{General Support}}"}}}`

func newContactCenter(t *testing.T) *contactCenter {
	t.Helper()
	c := &contactCenter{activities: map[string]string{}, queues: map[string]string{}, workers: map[string]string{}, channels: map[string]string{}}
	emu := emulator.New(emulator.Config{Now: func() time.Time { return time.Now().Add(time.Duration(c.ahead.Load())) }})
	server := httptest.NewServer(emu)
	t.Cleanup(server.Close)
	client := taskrouter.New(taskrouter.Config{TaskRouterBaseURL: server.URL, EventBridgeBaseURL: server.URL, QPS: 1000, Burst: 1000})
	acct, err := client.Account(taskrouter.Credentials{AccountSID: emulator.DevAccountSID, APIKeySID: emulator.DevAPIKeySID,
		APIKeySecret: emulator.DevAPIKeySecret}, taskrouter.AuthBasic)
	if err != nil {
		t.Fatal(err)
	}
	c.emu, c.url, c.acct = emu, server.URL, acct
	ctx := context.Background()
	c.ws = must[taskrouter.Workspace](t)(acct.Workspaces().Create(ctx, taskrouter.WorkspaceParams{FriendlyName: taskrouter.Ptr("Acme Support"),
		EventsFilter: []string{"task.created", "task.canceled", "worker.activity.update"}}))
	in := acct.Workspace(c.ws.SID)
	for _, a := range must[[]taskrouter.Activity](t)(in.Activities().List(ctx, "")) {
		c.activities[a.FriendlyName] = a.SID
	}
	for _, name := range []string{"Break", "Wrap Up"} {
		c.activities[name] = must[taskrouter.Activity](t)(in.Activities().Create(ctx, taskrouter.ActivityParams{FriendlyName: taskrouter.Ptr(name), Available: taskrouter.Ptr(false)})).SID
	}
	c.ws = must[taskrouter.Workspace](t)(acct.Workspaces().Update(ctx, c.ws.SID, taskrouter.WorkspaceParams{TimeoutActivitySID: taskrouter.Ptr(c.activities["Break"])}))
	for _, q := range []taskrouter.TaskQueueParams{
		{FriendlyName: taskrouter.Ptr("General Support"), TargetWorkers: taskrouter.Ptr(`skills HAS "support"`)},
		{FriendlyName: taskrouter.Ptr("Billing"), TargetWorkers: taskrouter.Ptr(`skills HAS "billing" AND level >= 2`),
			MaxReservedWorkers: taskrouter.Ptr(2), AssignmentActivitySID: taskrouter.Ptr(c.activities["Wrap Up"])},
		{FriendlyName: taskrouter.Ptr("Spanish Support"), TargetWorkers: taskrouter.Ptr(`languages HAS "es"`)},
	} {
		c.queues[*q.FriendlyName] = must[taskrouter.TaskQueue](t)(in.TaskQueues().Create(ctx, q)).SID
	}
	c.workflow = must[taskrouter.Workflow](t)(in.Workflows().Create(ctx, taskrouter.WorkflowParams{FriendlyName: taskrouter.Ptr("Inbound Calls"),
		Configuration: taskrouter.Ptr(c.withSIDs(inboundRouting)), TaskReservationTimeout: taskrouter.Ptr(60)})).SID
	c.advance()
	for _, w := range []struct{ name, attributes, activity string }{
		{"Alice", `{"skills":["support","billing"],"languages":["en","es"],"level":3}`, "Available"},
		{"Bob", `{"skills":["support"],"languages":["en"],"level":1}`, "Available"},
		{"Carmen", `{"skills":["billing","support"],"languages":["es","en"],"level":2}`, "Offline"},
		{"Dana", `{"skills":["billing"],"languages":["en"],"level":4}`, "Available"},
	} {
		c.workers[w.name] = must[taskrouter.Worker](t)(in.Workers().Create(ctx, taskrouter.WorkerParams{FriendlyName: taskrouter.Ptr(w.name),
			Attributes: taskrouter.Ptr(w.attributes), ActivitySID: taskrouter.Ptr(c.activities[w.activity])})).SID
	}
	c.setUpChannels(t)
	return c
}

// setUpChannels makes chat channel-optimized and adds the channel callback, then sets the agents'
// capacities: chat as config/samples has them (Alice 3, Carmen 2, Bob the default 1), and Dana
// takes two callbacks at once and no calls.
func (c *contactCenter) setUpChannels(t *testing.T) {
	ctx := context.Background()
	in := c.acct.Workspace(c.ws.SID)
	for _, ch := range must[[]taskrouter.TaskChannel](t)(in.TaskChannels().List(ctx, "")) {
		c.channels[ch.UniqueName] = ch.SID
	}
	must[taskrouter.TaskChannel](t)(in.TaskChannels().Update(ctx, c.channels["chat"], taskrouter.TaskChannelParams{ChannelOptimizedRouting: taskrouter.Ptr(true)}))
	c.channels["callback"] = must[taskrouter.TaskChannel](t)(in.TaskChannels().Create(ctx, taskrouter.TaskChannelParams{
		FriendlyName: taskrouter.Ptr("Callbacks"), UniqueName: taskrouter.Ptr("callback")})).SID
	for _, ch := range []struct {
		worker, channel string
		params          taskrouter.WorkerChannelParams
	}{
		{"Alice", "chat", taskrouter.WorkerChannelParams{Capacity: taskrouter.Ptr(3)}},
		{"Carmen", "chat", taskrouter.WorkerChannelParams{Capacity: taskrouter.Ptr(2)}},
		{"Dana", "callback", taskrouter.WorkerChannelParams{Capacity: taskrouter.Ptr(2)}},
		{"Dana", "voice", taskrouter.WorkerChannelParams{Available: taskrouter.Ptr(false)}},
	} {
		must[taskrouter.WorkerChannel](t)(in.WorkerChannels(c.workers[ch.worker]).Update(ctx, ch.channel, ch.params))
	}
}

// advance moves the emulator's clock a minute on, past any timestamp it gave so far.
func (c *contactCenter) advance() { c.ahead.Add(int64(time.Minute)) }

// withSIDs replaces {{queue name}} with the queue's SID.
func (c *contactCenter) withSIDs(text string) string {
	for name, sid := range c.queues {
		text = strings.ReplaceAll(text, "{{"+name+"}}", sid)
	}
	return text
}

// env holds the emulator's credentials as the plugin reads them from the environment.
func (c *contactCenter) env() map[string]string {
	return map[string]string{envAccountSID: emulator.DevAccountSID, envAuthToken: emulator.DevAuthToken}
}

// run runs the plugin against the contact center's emulator.
func (c *contactCenter) run(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	return runPlugin(t, stdin, c.env(), append(args, "--taskrouter-base-url", c.url, "--event-bridge-base-url", c.url)...)
}

// must fails the test on an error and returns the value.
func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}
