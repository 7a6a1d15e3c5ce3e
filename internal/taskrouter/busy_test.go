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
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// busyOnly is what the full decode gives, with the activities without workers taken out.
func busyOnly(all []TaskQueueStatistics) []TaskQueueStatistics {
	out := make([]TaskQueueStatistics, 0, len(all))
	for _, s := range all {
		var busy []ActivityCount
		for _, a := range s.RealTime.ActivityStatistics {
			if a.Workers != 0 {
				busy = append(busy, a)
			}
		}
		s.RealTime.ActivityStatistics = busy
		out = append(out, s)
	}
	return out
}

// TestBusyQueueStatisticsDecodeAsTheFullOnes: passing over the idle activities in the bytes gives
// what decoding everything and filtering gives, whatever the spacing, the member order, the form of
// the count (string, float, null, missing), a member named with escapes, or a workers member nested
// in another one; every other field of the statistics is decoded as before.
func TestBusyQueueStatisticsDecodeAsTheFullOnes(t *testing.T) {
	queues := []string{
		`{"task_queue_sid":"WQ1","cumulative":{"tasks_entered":"7"},"realtime":{"total_tasks":5,"tasks_by_status":{"pending":3},
		  "activity_statistics":[{"friendly_name":"Idle","sid":"WA1","workers":"2"}, {"sid":"WA2","workers":0} ,
		   { "sid" : "WA3" , "friendly_name" : "Busy \"x\", [y]" , "workers" : 3.0 },{"workers":null,"sid":"WA4"},{"sid":"WA5"},
		   {"sid":"WA6","extra":{"workers":9},"workers":0},{"sid":"WA7","w\u006frkers":4},{"sid":"WA8","workers":1}
		  ],"longest_task_waiting_age":12}}`,
		`{"task_queue_sid":"WQ2","realtime":{"activity_statistics":[]}}`,
		`{"task_queue_sid":"WQ3","realtime":{"activity_statistics":null,"total_eligible_workers":2}}`,
		`{"realtime":{"total_tasks":1},"task_queue_sid":"WQ4"}`,
	}
	body := `{"task_queues_statistics":[` + strings.Join(queues, ",") + `],"meta":{"key":"task_queues_statistics","next_page_url":null}}`
	srv := newFakeServer(t, always(200, body))
	w := mustAccount(t, testClient(srv, newFakeClock()), keyCreds(), AuthBasic).Workspace(testWS)
	all, err := w.ListTaskQueueStatistics(context.Background(), StatisticsQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var busy []TaskQueueStatistics
	if err := w.EachBusyTaskQueueStatistics(context.Background(), StatisticsQuery{}, func(s TaskQueueStatistics) { busy = append(busy, s) }); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(busyOnly(all), busy); diff != "" {
		t.Errorf("busy statistics (-from the full decode +passed over):\n%s", diff)
	}
	var sids []string
	for _, a := range busy[0].RealTime.ActivityStatistics {
		sids = append(sids, a.SID)
	}
	if diff := cmp.Diff([]string{"WA1", "WA3", "WA7", "WA8"}, sids); diff != "" {
		t.Errorf("busy activities of WQ1 (-want +got):\n%s", diff)
	}
	if busy[0].RealTime.LongestTaskWaitingAge != 12 || busy[0].Cumulative.TasksEntered != 7 || busy[2].RealTime.TotalEligibleWorkers != 2 {
		t.Errorf("other fields not decoded: %+v", busy)
	}
}

// TestBusyQueueStatisticsRefuseWhatTheFullOnesRefuse: a count that is not a number, or statistics
// that are not an array of objects, fail the page as the full decode does.
func TestBusyQueueStatisticsRefuseWhatTheFullOnesRefuse(t *testing.T) {
	for _, activities := range []string{`[{"sid":"WA1","workers":"ten"}]`, `{"sid":"WA1"}`, `[1,2]`, `"none"`} {
		body := `{"task_queues_statistics":[{"task_queue_sid":"WQ1","realtime":{"activity_statistics":` + activities + `}}]}`
		srv := newFakeServer(t, always(200, body))
		w := mustAccount(t, testClient(srv, newFakeClock()), keyCreds(), AuthBasic).Workspace(testWS)
		if _, err := w.ListTaskQueueStatistics(context.Background(), StatisticsQuery{}); err == nil {
			t.Fatalf("%s: the full decode accepts it; the case is wrong", activities)
		}
		if err := w.EachBusyTaskQueueStatistics(context.Background(), StatisticsQuery{}, func(TaskQueueStatistics) {}); err == nil {
			t.Errorf("%s: decoded without an error", activities)
		}
	}
}

// TestBusyQueueStatisticsAllocateAFractionOfTheFullOnes: a page of 1,000 queues in a workspace of
// 99 activities, two of them busy, allocates under a fifth of what decoding every activity does.
func TestBusyQueueStatisticsAllocateAFractionOfTheFullOnes(t *testing.T) {
	srv := newFakeServer(t, always(200, queueStatisticsPage()))
	w := mustAccount(t, testClient(srv, newFakeClock()), keyCreds(), AuthBasic).Workspace(testWS)
	allocated := func(each func(context.Context, StatisticsQuery, func(TaskQueueStatistics)) error) (uint64, int) {
		busy := 0
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		err := each(context.Background(), StatisticsQuery{}, func(s TaskQueueStatistics) {
			for _, a := range s.RealTime.ActivityStatistics {
				if a.Workers != 0 {
					busy++
				}
			}
		})
		runtime.ReadMemStats(&after)
		if err != nil {
			t.Fatal(err)
		}
		return after.TotalAlloc - before.TotalAlloc, busy
	}
	full, fullBusy := allocated(w.EachTaskQueueStatistics)
	passed, passedBusy := allocated(w.EachBusyTaskQueueStatistics)
	if fullBusy != 2000 || passedBusy != 2000 {
		t.Fatalf("busy activities: %d decoding all, %d passing over, want 2000", fullBusy, passedBusy)
	}
	if passed > full/5 {
		t.Errorf("passing over the idle activities allocated %d bytes, decoding them all %d: want at most a fifth", passed, full)
	}
}
