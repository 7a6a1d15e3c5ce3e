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

package openapi

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCheckRequestAcceptsConformingRequests(t *testing.T) {
	tests := []struct {
		name, method, path string
		query, form        url.Values
	}{
		{"create workspace", "POST", "/v1/Workspaces", nil,
			url.Values{"FriendlyName": {"support"}, "MultiTaskEnabled": {"true"}, "PrioritizeQueueOrder": {"FIFO"}, "EventCallbackUrl": {"https://example.invalid/events"}}},
		{"update workspace", "POST", ws, nil, url.Values{"DefaultActivitySid": {"WA1"}, "TimeoutActivitySid": {"WA2"}}},
		{"create activity", "POST", ws + "/Activities", nil, url.Values{"FriendlyName": {"Lunch"}, "Available": {"false"}}},
		{"create task queue", "POST", ws + "/TaskQueues", nil,
			url.Values{"FriendlyName": {"support"}, "TargetWorkers": {"languages HAS 'en'"}, "MaxReservedWorkers": {"5"}, "TaskOrder": {"LIFO"}}},
		{"update task queue", "POST", wq, nil, url.Values{"TaskOrder": {"FIFO"}, "ReservationActivitySid": {"WA1"}}},
		{"create workflow", "POST", ws + "/Workflows", nil,
			url.Values{"FriendlyName": {"route"}, "Configuration": {`{"task_routing":{"filters":[]}}`}, "TaskReservationTimeout": {"120"}}},
		{"update workflow", "POST", ww, nil, url.Values{"Configuration": {`{}`}, "ReEvaluateTasks": {"true"}}},
		{"create worker", "POST", ws + "/Workers", nil, url.Values{"FriendlyName": {"alice"}, "Attributes": {`{"languages":["en"]}`}}},
		{"update worker", "POST", wk, nil, url.Values{"ActivitySid": {"WA1"}, "RejectPendingReservations": {"true"}}},
		{"list task queues", "GET", ws + "/TaskQueues", url.Values{"FriendlyName": {"support"}, "PageSize": {"1000"}}, nil},
		{"list workers", "GET", ws + "/Workers", url.Values{"FriendlyName": {"alice"}, "PageSize": {"1"}}, nil},
		{"queue statistics", "GET", wq + "/Statistics", url.Values{"Minutes": {"15"}, "SplitByWaitTime": {"30,60"}}, nil},
		{"delete worker", "DELETE", wk, nil, nil},
		// The spec gives the bulk call an application/json body whose schema
		// declares no properties at all: it names neither QueueSids nor
		// queueSids, so the catalogue leaves that body open. NOTES.md settles
		// it: accept both spellings, send QueueSids.
		{"bulk realtime statistics (QueueSids)", "POST", ws + "/TaskQueues/RealTimeStatistics", nil, url.Values{"QueueSids": {"WQ1", "WQ2"}}},
		{"bulk realtime statistics (queueSids)", "POST", ws + "/TaskQueues/RealTimeStatistics", nil, url.Values{"queueSids": {"WQ1"}}},
	}
	c := Load()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := c.CheckRequest(tt.method, tt.path, tt.query, tt.form); err != nil {
				t.Fatalf("CheckRequest: %v", err)
			}
		})
	}
}

func TestCheckRequestNamesEachProblem(t *testing.T) {
	tests := []struct {
		name, method, path string
		query, form        url.Values
		want               []string // one line per problem
	}{
		{"misspelled form parameter", "POST", wq, nil, url.Values{"FriendlyNme": {"support"}},
			[]string{`unknown form parameter "FriendlyNme"`}},
		{"parameter names are case-sensitive", "POST", ws + "/Workers", nil, url.Values{"FriendlyName": {"a"}, "attributes": {"{}"}},
			[]string{`unknown form parameter "attributes"`}},
		{"bad enum", "POST", ws + "/TaskQueues", nil, url.Values{"FriendlyName": {"q"}, "TaskOrder": {"RANDOM"}},
			[]string{`form parameter TaskOrder: value "RANDOM" is not one of FIFO, LIFO`}},
		{"missing required", "POST", ws + "/Workflows", nil, url.Values{"FriendlyName": {"route"}},
			[]string{"missing required form parameter Configuration"}},
		{"several problems at once", "POST", ws + "/TaskQueues", nil, url.Values{"FriendlyNme": {"q"}, "TaskOrder": {"RANDOM"}},
			[]string{`unknown form parameter "FriendlyNme"`, `form parameter TaskOrder: value "RANDOM" is not one of FIFO, LIFO`, "missing required form parameter FriendlyName"}},
		{"page size out of range", "GET", ws + "/TaskQueues", url.Values{"PageSize": {"1001"}}, nil,
			[]string{"query parameter PageSize: value 1001 is above the maximum 1000"}},
		{"not an integer", "POST", ws + "/TaskQueues", nil, url.Values{"FriendlyName": {"q"}, "MaxReservedWorkers": {"two"}},
			[]string{`form parameter MaxReservedWorkers: value "two" is not an integer`}},
		{"not a boolean", "POST", ws + "/Activities", nil, url.Values{"FriendlyName": {"x"}, "Available": {"True"}},
			[]string{`form parameter Available: value "True" is not true or false`}},
		{"unknown query parameter", "GET", ws + "/Workers", url.Values{"Friendlyname": {"a"}}, nil,
			[]string{`unknown query parameter "Friendlyname"`}},
		{"body on a GET", "GET", wq, nil, url.Values{"FriendlyName": {"q"}},
			[]string{"FetchTaskQueue takes no body, got FriendlyName"}},
		{"update-only parameter on create", "POST", ws + "/Workers", nil, url.Values{"FriendlyName": {"a"}, "RejectPendingReservations": {"true"}},
			[]string{`unknown form parameter "RejectPendingReservations"`}},
	}
	c := Load()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := c.CheckRequest(tt.method, tt.path, tt.query, tt.form)
			if err == nil {
				t.Fatal("CheckRequest accepted the request")
			}
			if diff := cmp.Diff(tt.want, problemsOf(err)); diff != "" {
				t.Fatalf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCheckRequestRejectsUnknownOperations(t *testing.T) {
	tests := []struct{ method, path, want string }{
		{"GET", ws + "/Queues", "openapi: unknown path " + ws + "/Queues"},
		{"PUT", wq, "openapi: method PUT is not documented for " + wq + " (documented: DELETE, GET, POST)"},
	}
	for _, tt := range tests {
		err := Load().CheckRequest(tt.method, tt.path, nil, nil)
		if err == nil || err.Error() != tt.want {
			t.Errorf("CheckRequest(%s %s) = %v, want %q", tt.method, tt.path, err, tt.want)
		}
	}
}

// problemsOf strips the operation prefix from each line of a CheckRequest or CheckResponse error.
func problemsOf(err error) []string {
	var out []string
	for _, line := range strings.Split(err.Error(), "\n") {
		_, problem, _ := strings.Cut(line, "): ")
		out = append(out, problem)
	}
	return out
}

// conformingBody builds a JSON object holding each of props.
func conformingBody(t *testing.T, props []string, extra map[string]any) map[string]any {
	t.Helper()
	obj := map[string]any{}
	for _, p := range props {
		obj[p] = nil
	}
	for k, v := range extra {
		obj[k] = v
	}
	return obj
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
