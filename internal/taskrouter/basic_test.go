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
	"encoding/base64"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// wire is the part of a recorded request a test pins exactly.
type wire struct {
	Method, Path, Query, Body  string
	Auth, ContentType, IfMatch string
	UserAgent                  string
}

func wireOf(r recorded) wire {
	return wire{Method: r.Method, Path: r.Path, Query: r.Query, Body: r.Body, Auth: r.Header.Get("Authorization"),
		ContentType: r.Header.Get("Content-Type"), IfMatch: r.Header.Get("If-Match"), UserAgent: r.Header.Get("User-Agent")}
}

func basicAuth(user, pass string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
}

func TestBasicTransportSendsExactRequests(t *testing.T) {
	ctx := context.Background()
	keyAuth, tokenAuth := basicAuth(testKeySID, testKeySecret), basicAuth(testAccount, testAuthToken)
	start := time.Date(2026, 3, 4, 5, 6, 7, 0, time.FixedZone("x", 3600))
	const form, json = "application/x-www-form-urlencoded", "application/json"
	ua := "taskrouter-operator/" + Version
	tests := []struct {
		name  string
		creds Credentials
		call  func(a *Account) error
		reply reply
		want  wire
	}{{
		name:  "create workspace: booleans, comma-separated EventsFilter, API key",
		creds: keyCreds(),
		call: func(a *Account) error {
			_, err := a.Workspaces().Create(ctx, WorkspaceParams{FriendlyName: Ptr("ops"), EventCallbackURL: Ptr("https://example.com/cb"),
				EventsFilter: []string{"task.created", "task.canceled"}, MultiTaskEnabled: Ptr(true), PrioritizeQueueOrder: Ptr("LIFO"), Template: Ptr("FIFO")})
			return err
		},
		reply: reply{status: 201, body: `{"sid":"` + testWS + `"}`},
		want: wire{Method: "POST", Path: "/v1/Workspaces", Auth: keyAuth, ContentType: form, UserAgent: ua,
			Body: "EventCallbackUrl=https%3A%2F%2Fexample.com%2Fcb&EventsFilter=task.created%2Ctask.canceled&FriendlyName=ops&MultiTaskEnabled=true&PrioritizeQueueOrder=LIFO&Template=FIFO"},
	}, {
		name:  "update workspace: false is sent, unset fields are not",
		creds: tokenCreds(),
		call: func(a *Account) error {
			_, err := a.Workspaces().Update(ctx, testWS, WorkspaceParams{MultiTaskEnabled: Ptr(false), DefaultActivitySID: Ptr(testWA), EventsFilter: []string{}})
			return err
		},
		want: wire{Method: "POST", Path: "/v1/Workspaces/" + testWS, Auth: tokenAuth, ContentType: form, UserAgent: ua,
			Body: "DefaultActivitySid=" + testWA + "&EventsFilter=&MultiTaskEnabled=false"},
	}, {
		name:  "create task queue: integer and activity sids, auth token",
		creds: tokenCreds(),
		call: func(a *Account) error {
			_, err := a.Workspace(testWS).TaskQueues().Create(ctx, TaskQueueParams{FriendlyName: Ptr("support"), TargetWorkers: Ptr(`languages HAS "en"`),
				MaxReservedWorkers: Ptr(3), TaskOrder: Ptr("LIFO"), ReservationActivitySID: Ptr(testWA)})
			return err
		},
		reply: reply{status: 201, body: `{"sid":"` + testWQ + `"}`},
		want: wire{Method: "POST", Path: "/v1/Workspaces/" + testWS + "/TaskQueues", Auth: tokenAuth, ContentType: form, UserAgent: ua,
			Body: "FriendlyName=support&MaxReservedWorkers=3&ReservationActivitySid=" + testWA + "&TargetWorkers=languages+HAS+%22en%22&TaskOrder=LIFO"},
	}, {
		name:  "update worker: JSON attributes, boolean, If-Match header",
		creds: keyCreds(),
		call: func(a *Account) error {
			_, err := a.Workspace(testWS).Workers().Update(ctx, testWK, WorkerParams{ActivitySID: Ptr(testWA), Attributes: Ptr(`{"skills":["en"]}`),
				RejectPendingReservations: Ptr(false), IfMatch: `"7"`})
			return err
		},
		want: wire{Method: "POST", Path: "/v1/Workspaces/" + testWS + "/Workers/" + testWK, Auth: keyAuth, ContentType: form, IfMatch: `"7"`, UserAgent: ua,
			Body: "ActivitySid=" + testWA + "&Attributes=%7B%22skills%22%3A%5B%22en%22%5D%7D&RejectPendingReservations=false"},
	}, {
		name:  "update workflow: configuration JSON and ReEvaluateTasks",
		creds: keyCreds(),
		call: func(a *Account) error {
			_, err := a.Workspace(testWS).Workflows().Update(ctx, testWW, WorkflowParams{Configuration: Ptr(`{"task_routing":{}}`), TaskReservationTimeout: Ptr(300), ReEvaluateTasks: Ptr(true)})
			return err
		},
		want: wire{Method: "POST", Path: "/v1/Workspaces/" + testWS + "/Workflows/" + testWW, Auth: keyAuth, ContentType: form, UserAgent: ua,
			Body: "Configuration=%7B%22task_routing%22%3A%7B%7D%7D&ReEvaluateTasks=true&TaskReservationTimeout=300"},
	}, {
		name:  "delete activity: no body",
		creds: keyCreds(),
		call:  func(a *Account) error { return a.Workspace(testWS).Activities().Delete(ctx, testWA) },
		reply: reply{status: 204},
		want:  wire{Method: "DELETE", Path: "/v1/Workspaces/" + testWS + "/Activities/" + testWA, Auth: keyAuth, UserAgent: ua},
	}, {
		name:  "list task queues: page size and name filter",
		creds: keyCreds(),
		call: func(a *Account) error {
			_, err := a.Workspace(testWS).TaskQueues().List(ctx, "support desk")
			return err
		},
		reply: reply{body: `{"meta":{"key":"task_queues","next_page_url":null},"task_queues":[]}`},
		want:  wire{Method: "GET", Path: "/v1/Workspaces/" + testWS + "/TaskQueues", Query: "FriendlyName=support+desk&PageSize=1000", Auth: keyAuth, UserAgent: ua},
	}, {
		name:  "workflow statistics: window, channel, split thresholds in UTC",
		creds: keyCreds(),
		call: func(a *Account) error {
			_, err := a.Workspace(testWS).FetchWorkflowStatistics(ctx, testWW, StatisticsQuery{StartDate: &start, TaskChannel: "voice", SplitByWaitTime: []int{5, 30}})
			return err
		},
		want: wire{Method: "GET", Path: "/v1/Workspaces/" + testWS + "/Workflows/" + testWW + "/Statistics",
			Query: "SplitByWaitTime=5%2C30&StartDate=2026-03-04T04%3A06%3A07Z&TaskChannel=voice", Auth: keyAuth, UserAgent: ua},
	}, {
		name:  "worker statistics: no SplitByWaitTime, which the endpoint does not take",
		creds: keyCreds(),
		call: func(a *Account) error {
			_, err := a.Workspace(testWS).FetchWorkerStatistics(ctx, testWK, StatisticsQuery{Minutes: Ptr(60), TaskChannel: "chat", SplitByWaitTime: []int{5}})
			return err
		},
		want: wire{Method: "GET", Path: "/v1/Workspaces/" + testWS + "/Workers/" + testWK + "/Statistics", Query: "Minutes=60&TaskChannel=chat", Auth: keyAuth, UserAgent: ua},
	}, {
		name:  "worker channel update: capacity and availability by unique name",
		creds: keyCreds(),
		call: func(a *Account) error {
			_, err := a.Workspace(testWS).WorkerChannels(testWK).Update(ctx, "chat", WorkerChannelParams{Capacity: Ptr(3), Available: Ptr(false)})
			return err
		},
		want: wire{Method: "POST", Path: "/v1/Workspaces/" + testWS + "/Workers/" + testWK + "/Channels/chat", Auth: keyAuth, ContentType: form, UserAgent: ua,
			Body: "Available=false&Capacity=3"},
	}, {
		name:  "worker channels list: page size",
		creds: keyCreds(),
		call: func(a *Account) error {
			_, err := a.Workspace(testWS).WorkerChannels(testWK).List(ctx)
			return err
		},
		reply: reply{body: `{"meta":{"key":"channels","next_page_url":null},"channels":[]}`},
		want:  wire{Method: "GET", Path: "/v1/Workspaces/" + testWS + "/Workers/" + testWK + "/Channels", Query: "PageSize=1000", Auth: keyAuth, UserAgent: ua},
	}, {
		name:  "task queue statistics list: window and page size",
		creds: keyCreds(),
		call: func(a *Account) error {
			_, err := a.Workspace(testWS).ListTaskQueueStatistics(ctx, StatisticsQuery{Minutes: Ptr(30)})
			return err
		},
		reply: reply{body: `{"meta":{"key":"task_queues_statistics","next_page_url":null},"task_queues_statistics":[]}`},
		want:  wire{Method: "GET", Path: "/v1/Workspaces/" + testWS + "/TaskQueues/Statistics", Query: "Minutes=30&PageSize=1000", Auth: keyAuth, UserAgent: ua},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newFakeServer(t, func(recorded, int) reply {
				r := tt.reply
				if r.body == "" && r.status != http.StatusNoContent {
					r.body = "{}"
				}
				return r
			})
			a := mustAccount(t, testClient(srv, newFakeClock()), tt.creds, AuthBasic)
			if err := tt.call(a); err != nil {
				t.Fatalf("call: %v", err)
			}
			reqs := srv.Requests()
			if len(reqs) != 1 {
				t.Fatalf("got %d requests, want 1", len(reqs))
			}
			if diff := cmp.Diff(tt.want, wireOf(reqs[0])); diff != "" {
				t.Errorf("request (-want +got):\n%s", diff)
			}
		})
	}
}

func TestWorkspaceCollectionCallsUseBasicInTokenMode(t *testing.T) {
	srv := newFakeServer(t, always(201, `{"sid":"`+testWS+`"}`))
	a := mustAccount(t, testClient(srv, newFakeClock()), tokenCreds(), AuthCapabilityToken)
	if _, err := a.Workspaces().Create(context.Background(), WorkspaceParams{FriendlyName: Ptr("ops")}); err != nil {
		t.Fatal(err)
	}
	if err := a.Workspaces().Delete(context.Background(), testWS); err != nil {
		t.Fatal(err)
	}
	var got []wire
	for _, r := range srv.Requests() {
		w := wireOf(r)
		got = append(got, wire{Method: w.Method, Path: w.Path, Auth: w.Auth})
	}
	auth := basicAuth(testAccount, testAuthToken)
	want := []wire{{Method: "POST", Path: "/v1/Workspaces", Auth: auth}, {Method: "DELETE", Path: "/v1/Workspaces/" + testWS, Auth: auth}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
}

func TestWorkerETagIsCaptured(t *testing.T) {
	srv := newFakeServer(t, func(recorded, int) reply {
		return reply{header: map[string]string{"ETag": `"12"`}, body: `{"sid":"` + testWK + `","attributes":"{\"a\":1}"}`}
	})
	a := mustAccount(t, testClient(srv, newFakeClock()), keyCreds(), AuthBasic)
	w, err := a.Workspace(testWS).Workers().Fetch(context.Background(), testWK)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{`"12"`, `{"a":1}`}, []string{w.ETag, w.Attributes}); diff != "" {
		t.Errorf("etag, attributes (-want +got):\n%s", diff)
	}
}

func TestUserAgentOverride(t *testing.T) {
	srv := newFakeServer(t, always(200, `{}`))
	c := testClient(srv, newFakeClock(), func(c *Config) { c.UserAgent = "custom/1" })
	if _, err := mustAccount(t, c, keyCreds(), AuthBasic).Workspaces().Fetch(context.Background(), testWS); err != nil {
		t.Fatal(err)
	}
	if got := srv.Requests()[0].Header.Get("User-Agent"); got != "custom/1" {
		t.Errorf("User-Agent = %q, want custom/1", got)
	}
}
