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
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/taskrouter-operator/taskrouter-operator/internal/openapi"
)

// everyCall invokes each request the client can send once, with every optional parameter set.
func everyCall(a *Account) []func() error {
	ctx := context.Background()
	w := a.Workspace(testWS)
	start, end := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)
	window := StatisticsQuery{Minutes: Ptr(30), TaskChannel: "voice", SplitByWaitTime: []int{10, 60}}
	dates := StatisticsQuery{StartDate: &start, EndDate: &end, TaskChannel: "voice", SplitByWaitTime: []int{10}}
	errOf := func(_ any, err error) error { return err }
	return []func() error{
		func() error {
			return errOf(a.Workspaces().Create(ctx, WorkspaceParams{FriendlyName: Ptr("ops"), EventCallbackURL: Ptr("https://example.com/cb"),
				EventsFilter: []string{"task.created"}, MultiTaskEnabled: Ptr(true), Template: Ptr("FIFO"), PrioritizeQueueOrder: Ptr("FIFO")}))
		},
		func() error { return errOf(a.Workspaces().Fetch(ctx, testWS)) },
		func() error {
			return errOf(a.Workspaces().Update(ctx, testWS, WorkspaceParams{FriendlyName: Ptr("ops"), EventCallbackURL: Ptr("https://example.com/cb"),
				EventsFilter: []string{"task.created", "worker.activity.update"}, MultiTaskEnabled: Ptr(false), PrioritizeQueueOrder: Ptr("LIFO"),
				DefaultActivitySID: Ptr(testWA), TimeoutActivitySID: Ptr(testWA)}))
		},
		func() error { return a.Workspaces().Delete(ctx, testWS) },
		func() error { return errOf(a.Workspaces().List(ctx, "ops")) },
		func() error {
			return errOf(w.Activities().Create(ctx, ActivityParams{FriendlyName: Ptr("Break"), Available: Ptr(false)}))
		},
		func() error { return errOf(w.Activities().Fetch(ctx, testWA)) },
		func() error {
			return errOf(w.Activities().Update(ctx, testWA, ActivityParams{FriendlyName: Ptr("Lunch")}))
		},
		func() error { return w.Activities().Delete(ctx, testWA) },
		func() error { return errOf(w.Activities().List(ctx, "Break")) },
		func() error {
			return errOf(w.TaskQueues().Create(ctx, TaskQueueParams{FriendlyName: Ptr("q"), TargetWorkers: Ptr("1==1"), MaxReservedWorkers: Ptr(2),
				TaskOrder: Ptr("LIFO"), ReservationActivitySID: Ptr(testWA), AssignmentActivitySID: Ptr(testWA)}))
		},
		func() error { return errOf(w.TaskQueues().Fetch(ctx, testWQ)) },
		func() error {
			return errOf(w.TaskQueues().Update(ctx, testWQ, TaskQueueParams{FriendlyName: Ptr("q"), TargetWorkers: Ptr("1==1"), MaxReservedWorkers: Ptr(50),
				TaskOrder: Ptr("FIFO"), ReservationActivitySID: Ptr(testWA), AssignmentActivitySID: Ptr(testWA)}))
		},
		func() error { return w.TaskQueues().Delete(ctx, testWQ) },
		func() error { return errOf(w.TaskQueues().List(ctx, "q")) },
		func() error {
			return errOf(w.Workflows().Create(ctx, WorkflowParams{FriendlyName: Ptr("wf"), Configuration: Ptr(`{"task_routing":{"filters":[]}}`),
				AssignmentCallbackURL: Ptr("https://example.com/a"), FallbackAssignmentCallbackURL: Ptr("https://example.com/b"), TaskReservationTimeout: Ptr(120)}))
		},
		func() error { return errOf(w.Workflows().Fetch(ctx, testWW)) },
		func() error {
			return errOf(w.Workflows().Update(ctx, testWW, WorkflowParams{FriendlyName: Ptr("wf"), Configuration: Ptr(`{}`),
				AssignmentCallbackURL: Ptr("https://example.com/a"), FallbackAssignmentCallbackURL: Ptr("https://example.com/b"),
				TaskReservationTimeout: Ptr(300), ReEvaluateTasks: Ptr(true)}))
		},
		func() error { return w.Workflows().Delete(ctx, testWW) },
		func() error { return errOf(w.Workflows().List(ctx, "wf")) },
		func() error {
			return errOf(w.Workers().Create(ctx, WorkerParams{FriendlyName: Ptr("alice"), ActivitySID: Ptr(testWA), Attributes: Ptr(`{"languages":["en"]}`)}))
		},
		func() error { return errOf(w.Workers().Fetch(ctx, testWK)) },
		func() error {
			return errOf(w.Workers().Update(ctx, testWK, WorkerParams{FriendlyName: Ptr("alice"), ActivitySID: Ptr(testWA), Attributes: Ptr(`{}`),
				RejectPendingReservations: Ptr(true), IfMatch: `"3"`}))
		},
		func() error { return w.Workers().Delete(ctx, testWK) },
		func() error { return errOf(w.Workers().List(ctx, "alice")) },
		func() error { return errOf(w.TaskChannels().Fetch(ctx, testTC)) },
		func() error { return errOf(w.TaskChannels().List(ctx, "")) },
		func() error {
			return errOf(w.TaskChannels().Create(ctx, TaskChannelParams{FriendlyName: Ptr("Callbacks"), UniqueName: Ptr("callback"), ChannelOptimizedRouting: Ptr(true)}))
		},
		func() error {
			return errOf(w.TaskChannels().Update(ctx, testTC, TaskChannelParams{FriendlyName: Ptr("Callbacks"), ChannelOptimizedRouting: Ptr(false)}))
		},
		func() error { return w.TaskChannels().Delete(ctx, testTC) },
		func() error { return errOf(w.WorkerChannels(testWK).List(ctx)) },
		func() error { return errOf(w.WorkerChannels(testWK).Fetch(ctx, "chat")) },
		func() error {
			return errOf(w.WorkerChannels(testWK).Update(ctx, "chat", WorkerChannelParams{Capacity: Ptr(3), Available: Ptr(true)}))
		},
		func() error { return errOf(w.FetchWorkspaceStatistics(ctx, window)) },
		func() error { return errOf(w.ListTaskQueueStatistics(ctx, dates)) },
		func() error { return errOf(w.FetchWorkflowStatistics(ctx, testWW, window)) },
		func() error { return errOf(w.FetchWorkerStatistics(ctx, testWK, dates)) },
	}
}

// sent is a request reduced to what the catalogue checks.
type sent struct {
	method, path string
	query, form  url.Values
}

// asSent turns a recorded request (REST or channel) into the TaskRouter call it carries.
func asSent(t *testing.T, mode AuthMode, r recorded) sent {
	t.Helper()
	if mode == AuthCapabilityToken && strings.HasPrefix(r.Path, "/v1/wschannels/") {
		msg := channelMessage(t, r)
		u, err := url.Parse(msg.URL)
		if err != nil {
			t.Fatal(err)
		}
		params := paramsAsValues(msg.Params)
		if msg.Method == http.MethodGet {
			return sent{msg.Method, u.Path, params, url.Values{}}
		}
		return sent{msg.Method, u.Path, u.Query(), params}
	}
	form := url.Values{}
	switch r.Header.Get("Content-Type") {
	case "application/json":
		var body map[string][]string
		if err := json.Unmarshal([]byte(r.Body), &body); err != nil {
			t.Fatalf("json body %q: %v", r.Body, err)
		}
		form = body
	case "application/x-www-form-urlencoded":
		form = mustQuery(t, r.Body)
	}
	return sent{r.Method, r.Path, mustQuery(t, r.Query), form}
}

// recordEveryCall runs everyCall against a server that answers each call with an empty success.
func recordEveryCall(t *testing.T, mode AuthMode) []sent {
	t.Helper()
	srv := newFakeServer(t, func(r recorded, _ int) reply {
		body := `{"meta":{"next_page_url":null}}`
		if mode == AuthCapabilityToken && strings.HasPrefix(r.Path, "/v1/wschannels/") {
			body = wrap(body)
		}
		return reply{body: body}
	})
	a := mustAccount(t, testClient(srv, newFakeClock()), tokenCreds(), mode)
	for i, call := range everyCall(a) {
		if err := call(); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	var out []sent
	for _, r := range srv.Requests() {
		out = append(out, asSent(t, mode, r))
	}
	return out
}

func TestEveryRequestConformsToTheSpec(t *testing.T) {
	catalogue := openapi.Load()
	for _, mode := range []AuthMode{AuthBasic, AuthCapabilityToken} {
		t.Run(string(mode), func(t *testing.T) {
			requests := recordEveryCall(t, mode)
			operations := map[string]bool{}
			for _, s := range requests {
				if err := catalogue.CheckRequest(s.method, s.path, s.query, s.form); err != nil {
					t.Errorf("%s %s: %v", s.method, s.path, err)
				}
				if op, ok := catalogue.Operation(s.method, s.path); ok {
					operations[op.Method+" "+op.PathTemplate] = true
				}
			}
			if got, want := len(operations), len(everyCall(countingAccount())); got != want {
				t.Errorf("covered %d distinct operations, want %d (one per client method)", got, want)
			}
		})
	}
}

func TestCatalogueCheckCatchesAMisspelledParameter(t *testing.T) {
	catalogue := openapi.Load()
	requests := recordEveryCall(t, AuthBasic)
	var checked []string
	withParams := 0
	for _, s := range requests {
		if len(s.query)+len(s.form) > 0 {
			withParams++
		}
		for _, values := range []url.Values{s.query, s.form} {
			keys := make([]string, 0, len(values))
			for k := range values {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			if len(keys) == 0 {
				continue
			}
			good := values[keys[0]]
			delete(values, keys[0])
			values[strings.ToLower(keys[0][:1])+keys[0][1:]] = good // FriendlyName -> friendlyName
			if err := catalogue.CheckRequest(s.method, s.path, s.query, s.form); err == nil {
				t.Errorf("%s %s with %q misspelled passed the catalogue check", s.method, s.path, keys[0])
			}
			checked = append(checked, s.method+" "+keys[0])
			break
		}
	}
	// Every request that carries parameters is checked, and the client sends parameters on most of its
	// calls (fetch and delete carry none).
	if len(checked) != withParams || withParams < 20 {
		t.Errorf("misspelled a parameter in %d of the %d requests with parameters", len(checked), withParams)
	}
	if diff := cmp.Diff("POST EventCallbackUrl", checked[0]); diff != "" {
		t.Errorf("first misspelled (-want +got):\n%s", diff)
	}
}

// countingAccount is an account for counting everyCall's entries; its calls are never run.
func countingAccount() *Account {
	a, _ := New(Config{}).Account(tokenCreds(), AuthBasic)
	return a
}
