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
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// scenario is the scripted call-centre morning of the statistics tests: two
// queues (English, Spanish), one workflow, four workers in various activities
// and five tasks that get accepted, completed, canceled, rejected and deleted.
type scenario struct {
	h                       *harness
	ws, base                string
	english, spanish, route string
	alice, bob, carol, dave string
	t1, t2, t3, t4, t5      string
	offline, avail, unavail string
}

// newScenario plays the script; the comments give each step's time after T0.
func newScenario(t *testing.T) *scenario {
	h := newHarness(t, Config{})
	s := &scenario{h: h, ws: h.workspace("stats")}
	s.base = "/v1/Workspaces/" + s.ws
	for _, a := range h.emu.Admin().Activities(s.ws) {
		switch a.FriendlyName {
		case "Offline":
			s.offline = a.SID
		case "Available":
			s.avail = a.SID
		case "Unavailable":
			s.unavail = a.SID
		}
	}
	s.english = h.mustCreate(s.base+"/TaskQueues", vals("FriendlyName", "english", "TargetWorkers", `languages HAS "en"`)).str("sid")
	s.spanish = h.mustCreate(s.base+"/TaskQueues", vals("FriendlyName", "spanish", "TargetWorkers", `languages HAS "es"`)).str("sid")
	config := `{"task_routing":{"filters":[{"filter_friendly_name":"es","expression":"language == \"es\"",` +
		`"targets":[{"queue":"` + s.spanish + `"}]}],"default_filter":{"queue":"` + s.english + `"}}}`
	s.route = h.mustCreate(s.base+"/Workflows", vals("FriendlyName", "route", "Configuration", config)).str("sid")
	s.alice = s.worker("alice", `{"languages":["en"]}`, s.avail)
	s.bob = s.worker("bob", `{"languages":["en","es"]}`, "")
	s.carol = s.worker("carol", `{"languages":["es"]}`, s.unavail)
	s.dave = s.worker("dave", `{"languages":["en"]}`, "")

	s.t1 = s.task(0, "en")  // reserved to alice at once
	s.t2 = s.task(10, "en") // waits: alice is busy
	s.t3 = s.task(20, "es") // waits: no Spanish speaker available
	s.t4 = s.task(30, "es")
	s.at(40)
	s.must(h.emu.Admin().AcceptReservation(s.ws, s.t1)) // waited 40 s
	s.at(50)
	s.update(s.t3, "AssignmentStatus", "canceled", "Reason", "caller hung up") // waited 30 s
	s.at(60)
	s.update(s.t1, "AssignmentStatus", "wrapping")
	s.at(70)
	s.update(s.t1, "AssignmentStatus", "completed", "Reason", "done") // alice is free: t2 reserved to her
	s.at(80)
	h.call(http.MethodPost, s.base+"/Workers/"+s.bob, vals("ActivitySid", s.avail)) // t4 reserved to bob
	s.at(90)
	s.must(h.emu.Admin().RejectReservation(s.ws, s.t4)) // t4 waits again; bob is not offered it anew
	s.at(100)
	if del := h.call(http.MethodDelete, s.base+"/Tasks/"+s.t2, nil); del.status != http.StatusNoContent {
		t.Fatalf("delete t2: %d %s", del.status, del.raw)
	}
	s.t5 = s.task(110, "en") // reserved to alice at once
	s.at(120)
	return s
}

func (s *scenario) at(seconds int) {
	s.h.clock.now = time.Date(2026, 3, 1, 12, 0, seconds, 0, time.UTC)
}

func (s *scenario) must(err error) {
	s.h.t.Helper()
	if err != nil {
		s.h.t.Fatal(err)
	}
}

func (s *scenario) worker(name, attrs, activity string) string {
	p := vals("FriendlyName", name, "Attributes", attrs)
	if activity != "" {
		p.Set("ActivitySid", activity)
	}
	return s.h.mustCreate(s.base+"/Workers", p).str("sid")
}

func (s *scenario) task(at int, language string) string {
	s.at(at)
	return s.h.mustCreate(s.base+"/Tasks", vals("WorkflowSid", s.route, "Attributes", `{"language":"`+language+`"}`)).str("sid")
}

func (s *scenario) update(task string, kv ...string) {
	s.h.t.Helper()
	if got := s.h.call(http.MethodPost, s.base+"/Tasks/"+task, vals(kv...)); got.status != http.StatusOK {
		s.h.t.Fatalf("update %s %v: %d %s", task, kv, got.status, got.raw)
	}
}

// get fetches a statistics path and fails unless it answers 200.
func (s *scenario) get(path string, kv ...string) map[string]any {
	s.h.t.Helper()
	got := s.h.call(http.MethodGet, s.base+path, vals(kv...))
	if got.status != http.StatusOK {
		s.h.t.Fatalf("GET %s: %d %s", path, got.status, got.raw)
	}
	return got.body
}

func activityCounts(s *scenario, offline, available, unavailable float64) []any {
	return []any{
		map[string]any{"friendly_name": "Offline", "sid": s.offline, "workers": offline},
		map[string]any{"friendly_name": "Available", "sid": s.avail, "workers": available},
		map[string]any{"friendly_name": "Unavailable", "sid": s.unavail, "workers": unavailable},
	}
}

func durations(avg, lo, hi, total float64) map[string]any {
	return map[string]any{"avg": avg, "min": lo, "max": hi, "total": total}
}

func statuses(pending, reserved, assigned, wrapping, completed, canceled float64) map[string]any {
	return map[string]any{"pending": pending, "reserved": reserved, "assigned": assigned, "wrapping": wrapping,
		"completed": completed, "canceled": canceled}
}

// pick keeps the given keys of m, so a test states the figures it counted.
func pick(m map[string]any, keys ...string) map[string]any {
	out := map[string]any{}
	for _, k := range keys {
		out[k] = m[k]
	}
	return out
}

func diffFigures(t *testing.T, what string, got, want map[string]any) {
	t.Helper()
	keys := make([]string, 0, len(want))
	for k := range want {
		keys = append(keys, k)
	}
	if d := cmp.Diff(want, pick(got, keys...)); d != "" {
		t.Errorf("%s (-hand count +emulator):\n%s", what, d)
	}
}

// TestStatisticsScenario checks the task figures of the scripted scenario (of
// the workspace, both queues and the workflow) against a hand count.
func TestStatisticsScenario(t *testing.T) {
	s := newScenario(t)
	const windowStart, windowEnd = "2026-03-01T11:47:00Z", "2026-03-01T12:02:00Z"
	reservations := map[string]any{"reservations_created": 4.0, "reservations_accepted": 1.0, "reservations_rejected": 1.0,
		"reservations_timed_out": 0.0, "reservations_canceled": 1.0, "reservations_rescinded": 0.0}
	workspaceCum := map[string]any{"tasks_created": 5.0, "tasks_canceled": 1.0, "tasks_completed": 1.0, "tasks_deleted": 1.0,
		"tasks_moved": 0.0, "tasks_timed_out_in_workflow": 0.0, "avg_task_acceptance_time": 40.0,
		"wait_duration_until_accepted": durations(40, 40, 40, 40), "wait_duration_until_canceled": durations(30, 30, 30, 30),
		"start_time": windowStart, "end_time": windowEnd, "split_by_wait_time": nil}
	for k, v := range reservations {
		workspaceCum[k] = v
	}
	diffFigures(t, "workspace cumulative", s.get("/CumulativeStatistics"), workspaceCum)
	workspaceRT := map[string]any{"tasks_by_status": statuses(1, 1, 0, 0, 1, 1), "total_tasks": 4.0,
		"tasks_by_priority": map[string]any{"0": 4.0}, "longest_task_waiting_age": 90.0, "longest_task_waiting_sid": s.t4,
		"activity_statistics": activityCounts(s, 1, 2, 1), "total_workers": 4.0} // dave; alice, bob; carol
	diffFigures(t, "workspace real-time", s.get("/RealTimeStatistics"), workspaceRT)
	both := s.get("/Statistics")
	diffFigures(t, "workspace statistics.cumulative", both["cumulative"].(map[string]any), workspaceCum)
	diffFigures(t, "workspace statistics.realtime", both["realtime"].(map[string]any), workspaceRT)

	diffFigures(t, "english cumulative", s.get("/TaskQueues/"+s.english+"/CumulativeStatistics"), map[string]any{
		"tasks_entered": 3.0, "tasks_canceled": 0.0, "tasks_completed": 1.0, "tasks_deleted": 1.0, "tasks_moved": 0.0,
		"reservations_created": 3.0, "reservations_accepted": 1.0, "reservations_rejected": 0.0, "reservations_canceled": 1.0,
		"wait_duration_in_queue_until_accepted": durations(40, 40, 40, 40), "avg_task_acceptance_time": 40.0,
		"task_queue_sid": s.english})
	diffFigures(t, "english real-time", s.get("/TaskQueues/"+s.english+"/RealTimeStatistics"), map[string]any{
		"tasks_by_status": statuses(0, 1, 0, 0, 1, 0), "total_tasks": 2.0, "longest_task_waiting_age": 10.0,
		"longest_task_waiting_sid": s.t5, "longest_relative_task_age_in_queue": 10.0, "longest_relative_task_sid_in_queue": s.t5,
		"total_eligible_workers": 3.0, "total_available_workers": 2.0, "activity_statistics": activityCounts(s, 1, 2, 0)})
	diffFigures(t, "spanish cumulative", s.get("/TaskQueues/"+s.spanish+"/CumulativeStatistics"), map[string]any{
		"tasks_entered": 2.0, "tasks_canceled": 1.0, "tasks_completed": 0.0, "reservations_created": 1.0,
		"reservations_rejected": 1.0, "wait_duration_until_canceled": durations(30, 30, 30, 30), "avg_task_acceptance_time": 0.0})
	diffFigures(t, "spanish real-time", s.get("/TaskQueues/"+s.spanish+"/RealTimeStatistics"), map[string]any{
		"tasks_by_status": statuses(1, 0, 0, 0, 0, 1), "total_tasks": 2.0, "longest_task_waiting_age": 90.0,
		"longest_task_waiting_sid": s.t4, "total_eligible_workers": 2.0, "total_available_workers": 1.0,
		"activity_statistics": activityCounts(s, 0, 1, 1)})

	diffFigures(t, "workflow cumulative", s.get("/Workflows/"+s.route+"/CumulativeStatistics"), map[string]any{
		"tasks_entered": 5.0, "tasks_canceled": 1.0, "tasks_completed": 1.0, "tasks_deleted": 1.0, "reservations_created": 4.0,
		"workflow_sid": s.route})
	diffFigures(t, "workflow real-time", s.get("/Workflows/"+s.route+"/RealTimeStatistics"), map[string]any{
		"tasks_by_status": statuses(1, 1, 0, 0, 1, 1), "total_tasks": 4.0, "longest_task_waiting_sid": s.t4})

}

// TestWorkerStatisticsScenario checks the worker figures of the scripted
// scenario against a hand count.
func TestWorkerStatisticsScenario(t *testing.T) {
	s := newScenario(t)
	const windowStart, windowEnd = "2026-03-01T11:47:00Z", "2026-03-01T12:02:00Z"
	reservations := map[string]any{"reservations_created": 4.0, "reservations_accepted": 1.0, "reservations_rejected": 1.0,
		"reservations_timed_out": 0.0, "reservations_canceled": 1.0, "reservations_rescinded": 0.0}
	offline, avail, unavail := s.offline, s.avail, s.unavail
	allDurations := []any{
		withActivity(durations(100, 80, 120, 200), offline, "Offline"), // bob 80 s, dave 120 s
		withActivity(durations(80, 40, 120, 160), avail, "Available"),  // alice 120 s, bob 40 s
		withActivity(durations(120, 120, 120, 120), unavail, "Unavailable"),
	}
	workersCum := map[string]any{"activity_durations": allDurations, "start_time": windowStart, "end_time": windowEnd}
	for k, v := range reservations {
		workersCum[k] = v
	}
	diffFigures(t, "workers cumulative", s.get("/Workers/CumulativeStatistics"), workersCum)
	diffFigures(t, "workers real-time", s.get("/Workers/RealTimeStatistics"), map[string]any{
		"activity_statistics": activityCounts(s, 1, 2, 1), "total_workers": 4.0})
	spanishWorkers := s.get("/Workers/Statistics", "TaskQueueSid", s.spanish)
	diffFigures(t, "spanish workers real-time", spanishWorkers["realtime"].(map[string]any), map[string]any{
		"activity_statistics": activityCounts(s, 0, 1, 1), "total_workers": 2.0})
	bob := s.get("/Workers/" + s.bob + "/Statistics")
	diffFigures(t, "bob cumulative", bob["cumulative"].(map[string]any), map[string]any{
		"reservations_created": 1.0, "reservations_rejected": 1.0, "reservations_accepted": 0.0,
		"activity_durations": []any{withActivity(durations(80, 80, 80, 80), offline, "Offline"),
			withActivity(durations(40, 40, 40, 40), avail, "Available"),
			withActivity(durations(0, 0, 0, 0), unavail, "Unavailable")}})
}

func withActivity(m map[string]any, sid, name string) map[string]any {
	m["sid"], m["friendly_name"] = sid, name
	return m
}

// TestStatisticsWindow counts only the events inside the asked window, and
// splits waits by threshold.
func TestStatisticsWindow(t *testing.T) {
	s := newScenario(t)
	// The last minute (T0+60..T0+120): t1 completed, t2 reserved and deleted,
	// t4 reserved and rejected, t5 created and reserved.
	diffFigures(t, "last minute", s.get("/CumulativeStatistics", "Minutes", "1"), map[string]any{
		"tasks_created": 1.0, "tasks_completed": 1.0, "tasks_deleted": 1.0, "tasks_canceled": 0.0,
		"reservations_created": 3.0, "reservations_accepted": 0.0, "reservations_rejected": 1.0, "reservations_canceled": 1.0,
		"start_time": "2026-03-01T12:01:00Z", "end_time": "2026-03-01T12:02:00Z"})
	diffFigures(t, "explicit dates", s.get("/CumulativeStatistics", "StartDate", "2026-03-01T12:00:00Z",
		"EndDate", "2026-03-01T12:00:30Z"), map[string]any{"tasks_created": 4.0, "reservations_created": 1.0})
	diffFigures(t, "split by wait time", s.get("/CumulativeStatistics", "SplitByWaitTime", "35"), map[string]any{
		"split_by_wait_time": map[string]any{"35": map[string]any{
			"above": map[string]any{"tasks_canceled": 0.0, "reservations_accepted": 1.0},
			"below": map[string]any{"tasks_canceled": 1.0, "reservations_accepted": 0.0}}}})
	diffFigures(t, "other channel", s.get("/CumulativeStatistics", "TaskChannel", "voice"), map[string]any{
		"tasks_created": 0.0, "reservations_created": 0.0})
	for _, bad := range [][]string{{"Minutes", "0"}, {"Minutes", "x"}, {"StartDate", "yesterday"},
		{"SplitByWaitTime", "5,-1"}, {"TaskChannel", "fax"}, {"StartDate", "2026-03-02", "EndDate", "2026-03-01"}} {
		if got := s.h.call(http.MethodGet, s.base+"/CumulativeStatistics", vals(bad...)); got.status != http.StatusBadRequest {
			t.Errorf("%v: status %d, want 400", bad, got.status)
		}
	}
}
