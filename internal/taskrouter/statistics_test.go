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
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestLooseNumbers(t *testing.T) {
	tests := []struct {
		in       string
		wantInt  Int
		wantFlt  Float
		wantFail bool
	}{
		{"3", 3, 3, false},
		{"0.0", 0, 0, false},
		{"2.6", 3, 2.6, false},
		{`"10"`, 10, 10, false},
		{`"4.5"`, 5, 4.5, false},
		{`""`, 0, 0, false},
		{"null", 0, 0, false},
		{"-1", -1, -1, false},
		{`"ten"`, 0, 0, true},
		{"true", 0, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var i Int
			var f Float
			errI, errF := json.Unmarshal([]byte(tt.in), &i), json.Unmarshal([]byte(tt.in), &f)
			if tt.wantFail {
				if errI == nil || errF == nil {
					t.Errorf("%s decoded without error", tt.in)
				}
				return
			}
			if errI != nil || errF != nil {
				t.Fatalf("decode %s: %v %v", tt.in, errI, errF)
			}
			if diff := cmp.Diff([]any{tt.wantInt, tt.wantFlt}, []any{i, f}); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestStatisticsDecodeAsServed(t *testing.T) {
	// The spec's own example shape, with the quirks TaskRouter serves: 0.0 integers, string counts, nulls.
	entry := `{"account_sid":"AC1","workspace_sid":"` + testWS + `","task_queue_sid":"` + testWQ + `",
	  "cumulative":{"avg_task_acceptance_time":0.0,"start_time":"2026-01-01T00:00:00Z","end_time":"2026-01-01T00:15:00Z",
	    "reservations_created":"4","reservations_accepted":2.0,"tasks_entered":7,"tasks_moved":null,
	    "wait_duration_until_accepted":{"avg":1.5,"min":0,"max":3,"total":"3"},
	    "split_by_wait_time":{"5":{"above":{"tasks_canceled":0,"reservations_accepted":1},"below":{"tasks_canceled":"2","reservations_accepted":0}}}},
	  "realtime":{"total_tasks":5,"total_available_workers":"1","total_eligible_workers":3.0,"longest_task_waiting_age":12,
	    "tasks_by_priority":{"0":"10","99":"5"},"tasks_by_status":{"pending":3,"reserved":1,"assigned":1,"wrapping":0},
	    "activity_statistics":[{"friendly_name":"Idle","sid":"WA1","workers":"2"}]}}`
	body := `{"meta":{"key":"task_queues_statistics","next_page_url":null},"task_queues_statistics":[` + entry + `]}`
	srv := newFakeServer(t, always(200, body))
	a := mustAccount(t, testClient(srv, newFakeClock()), keyCreds(), AuthBasic)
	got, err := a.Workspace(testWS).ListTaskQueueStatistics(context.Background(), StatisticsQuery{})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	want := []TaskQueueStatistics{{
		TaskQueueSID: testWQ,
		Cumulative: TaskQueueCumulativeStatistics{
			Window:                    Window{StartTime: start, EndTime: start.Add(15 * time.Minute)},
			ReservationCounts:         ReservationCounts{ReservationsCreated: 4, ReservationsAccepted: 2},
			TasksEntered:              7,
			WaitDurationUntilAccepted: &DurationStats{Avg: 1.5, Max: 3, Total: 3},
			SplitByWaitTime: map[string]WaitTimeSplit{"5": {
				Above: map[string]Int{"tasks_canceled": 0, "reservations_accepted": 1},
				Below: map[string]Int{"tasks_canceled": 2, "reservations_accepted": 0},
			}},
		},
		RealTime: TaskQueueRealTimeStatistics{
			TotalTasks: 5, TotalAvailableWorkers: 1, TotalEligibleWorkers: 3, LongestTaskWaitingAge: 12,
			TasksByPriority:    map[string]Int{"0": 10, "99": 5},
			TasksByStatus:      map[string]Int{"pending": 3, "reserved": 1, "assigned": 1, "wrapping": 0},
			ActivityStatistics: []ActivityCount{{SID: "WA1", FriendlyName: "Idle", Workers: 2}},
		},
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("statistics (-want +got):\n%s", diff)
	}
}

func TestWorkerStatisticsDecode(t *testing.T) {
	body := `{"worker_sid":"` + testWK + `","cumulative":{"reservations_created":1,"activity_durations":[{"sid":"WA1","friendly_name":"Offline","avg":1080,"min":900,"max":0,"total":5400.0}],"start_time":"2026-01-01T00:00:00Z","end_time":"2026-01-01T00:00:00Z"}}`
	srv := newFakeServer(t, always(200, body))
	a := mustAccount(t, testClient(srv, newFakeClock()), keyCreds(), AuthBasic)
	got, err := a.Workspace(testWS).FetchWorkerStatistics(context.Background(), testWK, StatisticsQuery{})
	if err != nil {
		t.Fatal(err)
	}
	want := []ActivityDuration{{SID: "WA1", FriendlyName: "Offline", DurationStats: DurationStats{Avg: 1080, Min: 900, Total: 5400}}}
	if diff := cmp.Diff(want, got.Cumulative.ActivityDurations); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if got.Cumulative.ReservationsCreated != 1 || got.WorkerSID != testWK {
		t.Errorf("worker statistics = %+v", got)
	}
}
