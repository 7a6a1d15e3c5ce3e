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
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCheckResponse(t *testing.T) {
	c := Load()
	fetchQueue, _ := c.OperationByID("FetchTaskQueue")
	queueProps := fetchQueue.Responses[200].Properties
	listQueues, _ := c.OperationByID("ListTaskQueue")
	list := listQueues.Responses[200]
	meta := conformingBody(t, list.MetaProperties, map[string]any{"key": "task_queues"})
	record := conformingBody(t, list.ItemProperties, nil)
	without := func(obj map[string]any, key string) map[string]any {
		out := map[string]any{}
		for k, v := range obj {
			if k != key {
				out[k] = v
			}
		}
		return out
	}

	tests := []struct {
		name, method, path string
		status             int
		body               []byte
		want               []string // nil: conforming
	}{
		{"fetch with every property", "GET", wq, 200, mustJSON(t, conformingBody(t, queueProps, map[string]any{"extra": 1})), nil},
		{"fetch lacking properties", "GET", wq, 200, mustJSON(t, without(without(conformingBody(t, queueProps, nil), "task_order"), "links")),
			[]string{"response lacks links, task_order"}},
		{"create answers 201", "POST", ws + "/TaskQueues", 201, mustJSON(t, conformingBody(t, queueProps, nil)), nil},
		{"create answering 200", "POST", ws + "/TaskQueues", 200, mustJSON(t, conformingBody(t, queueProps, nil)),
			[]string{"status 200 is not documented (documented: 201)"}},
		{"not JSON", "GET", wq, 200, []byte("<html>"),
			[]string{"response is not a JSON object: invalid character '<' looking for beginning of value"}},
		{"delete with empty body", "DELETE", wq, 204, nil, nil},
		{"delete with a body", "DELETE", wq, 204, []byte(`{}`), []string{"status 204 must have an empty body"}},
		{"error envelope", "POST", ws + "/TaskQueues", 400, []byte(`{"code":20001,"message":"bad","more_info":"u","status":400}`), nil},
		{"error without more_info", "GET", wq, 404, []byte(`{"code":20404,"message":"gone","status":404}`),
			[]string{"error body lacks more_info"}},
		{"list page", "GET", ws + "/TaskQueues", 200, mustJSON(t, map[string]any{"meta": meta, "task_queues": []any{record, record}}), nil},
		{"empty list page", "GET", ws + "/TaskQueues", 200, mustJSON(t, map[string]any{"meta": meta, "task_queues": []any{}}), nil},
		{"list lacking records", "GET", ws + "/TaskQueues", 200, mustJSON(t, map[string]any{"meta": meta}),
			[]string{"response lacks task_queues"}},
		{"list record lacking a property", "GET", ws + "/TaskQueues", 200,
			mustJSON(t, map[string]any{"meta": without(meta, "next_page_url"), "task_queues": []any{record, without(record, "sid")}}),
			[]string{"meta lacks next_page_url", "task_queues[1] lacks sid"}},
		{"list with the wrong meta.key", "GET", ws + "/TaskQueues", 200,
			mustJSON(t, map[string]any{"meta": conformingBody(t, list.MetaProperties, map[string]any{"key": "queues"}), "task_queues": []any{}}),
			[]string{`meta.key is "queues", want "task_queues"`}},
		{"list records not an array", "GET", ws + "/TaskQueues", 200, mustJSON(t, map[string]any{"meta": meta, "task_queues": nil}),
			[]string{"response task_queues is not a JSON array of objects"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := c.CheckResponse(tt.method, tt.path, tt.status, tt.body)
			var got []string
			if err != nil {
				got = problemsOf(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Fatalf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCheckResponseStatisticsProperties(t *testing.T) {
	c := Load()
	body := mustJSON(t, map[string]any{"account_sid": "AC1", "cumulative": map[string]any{}, "realtime": map[string]any{}, "url": "u", "workspace_sid": "WS1"})
	err := c.CheckResponse("GET", wq+"/Statistics", 200, body)
	if err == nil {
		t.Fatal("CheckResponse accepted a queue statistics body without task_queue_sid")
	}
	if diff := cmp.Diff([]string{"response lacks task_queue_sid"}, problemsOf(err)); diff != "" {
		t.Fatalf("problems (-want +got):\n%s", diff)
	}
}

func TestCheckResponseRejectsUnknownOperations(t *testing.T) {
	err := Load().CheckResponse("GET", ws+"/Queues", 200, []byte(`{}`))
	if want := "openapi: unknown path " + ws + "/Queues"; err == nil || err.Error() != want {
		t.Fatalf("CheckResponse = %v, want %q", err, want)
	}
}
