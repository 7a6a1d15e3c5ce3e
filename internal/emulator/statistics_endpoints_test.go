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

package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// postJSON sends a REST POST with a JSON body, as the typed client sends the
// bulk statistics call, and checks the answer against the spec.
func (h *harness) postJSON(path string, body any) response {
	h.t.Helper()
	raw, err := json.Marshal(body)
	if err != nil {
		h.t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, h.srv.URL+path, bytes.NewReader(raw))
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.SetBasicAuth(h.emu.cfg.AccountSID, h.emu.cfg.AuthToken)
	resp := h.send(req)
	if err := h.spec.CheckResponse(http.MethodPost, path, resp.status, resp.raw); err != nil {
		h.t.Errorf("POST %s: answer does not meet the spec: %v\n%s", path, err, resp.raw)
	}
	return resp
}

// queues creates n queues named q00.. and returns their SIDs.
func (h *harness) queues(base string, n int) []string {
	sids := make([]string, n)
	for i := range sids {
		sids[i] = h.mustCreate(base+"/TaskQueues", vals("FriendlyName", fmt.Sprintf("q%02d", i))).str("sid")
	}
	return sids
}

// TestBulkQueueStatisticsLimits accepts 1..50 known queues under either field
// name and refuses 0, 51 and unknown SIDs.
func TestBulkQueueStatisticsLimits(t *testing.T) {
	h := newHarness(t, Config{})
	base := "/v1/Workspaces/" + h.workspace("bulk")
	sids := h.queues(base, 51)
	path := base + "/TaskQueues/RealTimeStatistics"
	cases := []struct {
		name       string
		body       map[string]any
		wantStatus int
		wantCount  int
	}{
		{"one queue", map[string]any{"QueueSids": sids[:1]}, http.StatusOK, 1},
		{"fifty queues", map[string]any{"QueueSids": sids[:50]}, http.StatusOK, 50},
		{"camel-case field of the docs' example", map[string]any{"queueSids": sids[:2]}, http.StatusOK, 2},
		{"no queue", map[string]any{"QueueSids": []string{}}, http.StatusBadRequest, 0},
		{"no field", map[string]any{}, http.StatusBadRequest, 0},
		{"fifty-one queues", map[string]any{"QueueSids": sids}, http.StatusBadRequest, 0},
		{"unknown queue", map[string]any{"QueueSids": []string{sids[0], "WQ00000000000000000000000000000000"}}, http.StatusBadRequest, 0},
	}
	for _, tc := range cases {
		got := h.postJSON(path, tc.body)
		count, _ := got.body["task_queue_response_count"].(float64)
		data, _ := got.body["task_queue_data"].([]any)
		if got.status != tc.wantStatus || int(count) != tc.wantCount || len(data) != tc.wantCount {
			t.Errorf("%s: status %d count %v entries %d, want %d with %d", tc.name, got.status, count, len(data), tc.wantStatus, tc.wantCount)
		}
		if tc.wantStatus == http.StatusOK && data[0].(map[string]any)["task_queue_sid"] != sids[0] && tc.name != "camel-case field of the docs' example" {
			t.Errorf("%s: first entry is not queue %s", tc.name, sids[0])
		}
	}
}

// TestQueueStatisticsPages pages through the statistics of seven queues three
// at a time, and filters them by FriendlyName.
func TestQueueStatisticsPages(t *testing.T) {
	h := newHarness(t, Config{})
	base := "/v1/Workspaces/" + h.workspace("pages")
	want := h.queues(base, 7)
	var got []string
	next, pages := base+"/TaskQueues/Statistics?PageSize=3", 0
	for next != "" {
		page := h.call(http.MethodGet, strings.TrimPrefix(next, h.srv.URL), nil)
		if page.status != http.StatusOK {
			t.Fatalf("page %d: %d %s", pages, page.status, page.raw)
		}
		for _, rec := range page.body["task_queues_statistics"].([]any) {
			entry := rec.(map[string]any)
			if _, ok := entry["cumulative"].(map[string]any)["tasks_entered"]; !ok {
				t.Errorf("entry %v lacks cumulative.tasks_entered", entry["task_queue_sid"])
			}
			got = append(got, entry["task_queue_sid"].(string))
		}
		next, _ = page.body["meta"].(map[string]any)["next_page_url"].(string)
		pages++
	}
	if d := cmp.Diff(want, got); d != "" || pages != 3 {
		t.Errorf("%d pages, want 3; queues (-want +got):\n%s", pages, d)
	}
	one := h.call(http.MethodGet, base+"/TaskQueues/Statistics", vals("FriendlyName", "q04"))
	if recs := one.body["task_queues_statistics"].([]any); len(recs) != 1 || recs[0].(map[string]any)["task_queue_sid"] != want[4] {
		t.Errorf("FriendlyName=q04: %s", one.raw)
	}
	if bad := h.call(http.MethodGet, base+"/TaskQueues/Statistics", vals("PageSize", "1001")); bad.status != http.StatusBadRequest {
		t.Errorf("PageSize 1001: status %d, want 400", bad.status)
	}
}

// TestStatisticsThroughChannel serves statistics to a token whose policies
// allow them, and refuses a token whose policies do not.
func TestStatisticsThroughChannel(t *testing.T) {
	s := newScenario(t)
	h := s.h
	m := h.minter()
	paths := []string{"Workspaces/" + s.ws + "/Statistics", "Workspaces/" + s.ws + "/TaskQueues/" + s.spanish + "/RealTimeStatistics",
		"Workspaces/" + s.ws + "/Workers/CumulativeStatistics"}
	allowed := h.mint(m, s.ws, s.ws, m.URLs.StatisticsScope(paths...), time.Hour)
	refused := h.mint(m, s.ws, s.ws, nil, time.Hour)
	for _, p := range paths {
		path := "/v1/" + p
		got := h.channelCall(h.emu.cfg.AccountSID, s.ws, allowed, http.MethodGet, path, nil)
		payload, _ := got.body["payload"].(map[string]any)
		if got.status != http.StatusOK || got.body["event_type"] != "statistics.fetched" || payload == nil {
			t.Fatalf("%s with a statistics token: %d %s", p, got.status, got.raw)
		}
		raw, _ := json.Marshal(payload)
		if err := h.spec.CheckResponse(http.MethodGet, path, http.StatusOK, raw); err != nil {
			t.Errorf("%s payload does not meet the spec: %v", p, err)
		}
		if denied := h.channelCall(h.emu.cfg.AccountSID, s.ws, refused, http.MethodGet, path, nil); denied.status != http.StatusForbidden {
			t.Errorf("%s without a statistics policy: status %d, want 403", p, denied.status)
		}
	}
	rt := h.channelCall(h.emu.cfg.AccountSID, s.ws, allowed, http.MethodGet, "/v1/"+paths[1], nil)
	diffFigures(t, "spanish real-time through the channel", rt.body["payload"].(map[string]any), map[string]any{
		"tasks_by_status": statuses(1, 0, 0, 0, 0, 1), "total_available_workers": 1.0, "total_eligible_workers": 2.0})
	bulk := h.mint(m, s.ws, s.ws, m.URLs.BulkQueueStatisticsScope(s.ws), time.Hour)
	got := h.channelCall(h.emu.cfg.AccountSID, s.ws, bulk, http.MethodPost, s.base+"/TaskQueues/RealTimeStatistics",
		map[string]any{"QueueSids": []any{s.english, s.spanish}})
	if payload, _ := got.body["payload"].(map[string]any); got.status != http.StatusOK || payload["task_queue_response_count"] != 2.0 {
		t.Errorf("bulk through the channel: %d %s", got.status, got.raw)
	}
}

// TestNestedStatisticsMeetTheSpec checks that the cumulative and realtime
// objects inside the combined Statistics answers (which CheckResponse does not
// look into) carry every figure of the spec's matching schema.
func TestNestedStatisticsMeetTheSpec(t *testing.T) {
	s := newScenario(t)
	const ns = "taskrouter.v1.workspace."
	queueList := s.get("/TaskQueues/Statistics")["task_queues_statistics"].([]any)[0].(map[string]any)
	cases := []struct {
		name   string
		object map[string]any
		schema string
	}{
		{"workspace cumulative", s.get("/Statistics")["cumulative"].(map[string]any), ns + "workspace_cumulative_statistics"},
		{"workspace realtime", s.get("/Statistics")["realtime"].(map[string]any), ns + "workspace_real_time_statistics"},
		{"queue cumulative", s.get("/TaskQueues/" + s.english + "/Statistics")["cumulative"].(map[string]any), ns + "task_queue.task_queue_cumulative_statistics"},
		{"queue realtime", s.get("/TaskQueues/" + s.english + "/Statistics")["realtime"].(map[string]any), ns + "task_queue.task_queue_real_time_statistics"},
		{"queue list cumulative", queueList["cumulative"].(map[string]any), ns + "task_queue.task_queue_cumulative_statistics"},
		{"queue list realtime", queueList["realtime"].(map[string]any), ns + "task_queue.task_queue_real_time_statistics"},
		{"workflow cumulative", s.get("/Workflows/" + s.route + "/Statistics")["cumulative"].(map[string]any), ns + "workflow.workflow_cumulative_statistics"},
		{"workflow realtime", s.get("/Workflows/" + s.route + "/Statistics")["realtime"].(map[string]any), ns + "workflow.workflow_real_time_statistics"},
		{"workers cumulative", s.get("/Workers/Statistics")["cumulative"].(map[string]any), ns + "worker.workers_cumulative_statistics"},
		{"workers realtime", s.get("/Workers/Statistics")["realtime"].(map[string]any), ns + "worker.workers_real_time_statistics"},
		{"worker cumulative", s.get("/Workers/" + s.alice + "/Statistics")["cumulative"].(map[string]any), ns + "worker.workers_cumulative_statistics"},
	}
	identity := map[string]bool{"account_sid": true, "workspace_sid": true, "url": true, "task_queue_sid": true, "workflow_sid": true}
	for _, tc := range cases {
		schema, ok := s.h.spec.Schemas[tc.schema]
		if !ok {
			t.Fatalf("schema %s is not in the catalogue", tc.schema)
		}
		var missing []string
		for _, prop := range schema.Properties {
			if _, present := tc.object[prop]; !present && !identity[prop] {
				missing = append(missing, prop)
			}
		}
		if len(missing) > 0 {
			t.Errorf("%s lacks %v", tc.name, missing)
		}
	}
}
