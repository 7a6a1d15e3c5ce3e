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

package simulation

import (
	"encoding/json"
	"math"
	"strconv"
	"time"

	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator/api"
	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator/state"
)

// secondsOf is d in whole seconds, the unit every statistic reports.
func secondsOf(d time.Duration) int { return int(d / time.Second) }

// durationStats is the {avg, min, max, total} object of a set of durations.
func durationStats(ds []time.Duration) map[string]any {
	if len(ds) == 0 {
		return map[string]any{"avg": 0, "min": 0, "max": 0, "total": 0}
	}
	total, lo, hi := time.Duration(0), ds[0], ds[0]
	for _, d := range ds {
		total += d
		lo, hi = min(lo, d), max(hi, d)
	}
	return map[string]any{"avg": secondsOf(total / time.Duration(len(ds))), "min": secondsOf(lo),
		"max": secondsOf(hi), "total": secondsOf(total)}
}

// decimal renders f as a JSON number with a decimal point, the way TaskRouter
// serves avg_task_acceptance_time (0.0, 12.5).
func decimal(f float64) json.Number {
	if f == math.Trunc(f) {
		return json.Number(strconv.FormatFloat(f, 'f', 1, 64))
	}
	return json.Number(strconv.FormatFloat(f, 'f', -1, 64))
}

// avgAcceptance is the average age of tasks at acceptance, in seconds.
func (c cumulative) avgAcceptance() json.Number {
	if len(c.accepted) == 0 {
		return decimal(0)
	}
	var total time.Duration
	for _, d := range c.accepted {
		total += d
	}
	return decimal(math.Round(total.Seconds()/float64(len(c.accepted))*100) / 100)
}

// splitByWaitTime counts canceled tasks and accepted reservations above and
// below each SplitByWaitTime threshold; null when the call asked for none.
func (c cumulative) splitByWaitTime() any {
	if len(c.q.split) == 0 {
		return nil
	}
	out := map[string]any{}
	for _, threshold := range c.q.split {
		limit := time.Duration(threshold) * time.Second
		above := map[string]int{"tasks_canceled": 0, "reservations_accepted": 0}
		below := map[string]int{"tasks_canceled": 0, "reservations_accepted": 0}
		for _, d := range c.canceled {
			side(d, limit, above, below)["tasks_canceled"]++
		}
		for _, d := range c.accepted {
			side(d, limit, above, below)["reservations_accepted"]++
		}
		out[strconv.Itoa(threshold)] = map[string]any{"above": above, "below": below}
	}
	return out
}

// side picks the bucket of d: below when it is at most the limit.
func side(d, limit time.Duration, above, below map[string]int) map[string]int {
	if d > limit {
		return above
	}
	return below
}

// reservationFields adds the six reservation counters.
func (c cumulative) reservationFields(m map[string]any) map[string]any {
	m["reservations_created"] = c.counts[evReservationCreated]
	m["reservations_accepted"] = c.counts[evReservationAccepted]
	m["reservations_rejected"] = c.counts[evReservationRejected]
	m["reservations_timed_out"] = c.counts[evReservationTimedOut]
	m["reservations_canceled"] = c.counts[evReservationCanceled]
	m["reservations_rescinded"] = c.counts[evReservationRescinded]
	m["start_time"] = api.FormatTime(c.q.start)
	m["end_time"] = api.FormatTime(c.q.end)
	return m
}

// taskFields adds what workspace, queue and workflow cumulative statistics share.
func (c cumulative) taskFields() map[string]any {
	m := c.reservationFields(map[string]any{})
	m["avg_task_acceptance_time"] = c.avgAcceptance()
	m["tasks_canceled"] = c.counts[evTaskCanceled]
	m["tasks_completed"] = c.counts[evTaskCompleted]
	m["tasks_deleted"] = c.counts[evTaskDeleted]
	m["tasks_moved"] = c.counts[evTaskMoved]
	m["wait_duration_until_accepted"] = durationStats(c.accepted)
	m["wait_duration_until_canceled"] = durationStats(c.canceled)
	m["split_by_wait_time"] = c.splitByWaitTime()
	return m
}

// workspaceFigures are a workspace's cumulative statistics.
func (c cumulative) workspaceFigures() map[string]any {
	m := c.taskFields()
	m["tasks_created"] = c.counts[evTaskCreated]
	// The emulator's workflows have no timeout-driven exit, so none times out.
	m["tasks_timed_out_in_workflow"] = 0
	return m
}

// queueFigures are a queue's cumulative statistics.
func (c cumulative) queueFigures() map[string]any {
	m := c.taskFields()
	m["tasks_entered"] = c.counts[evTaskEnteredQueue]
	m["wait_duration_in_queue_until_accepted"] = durationStats(c.inQueue)
	return m
}

// workflowFigures are a workflow's cumulative statistics.
func (c cumulative) workflowFigures() map[string]any {
	m := c.taskFields()
	m["tasks_entered"] = c.counts[evTaskCreated]
	m["tasks_timed_out_in_workflow"] = 0
	return m
}

// taskFigures are the real-time task counters every scope shares.
func (r realtime) taskFigures(now time.Time) map[string]any {
	m := map[string]any{"tasks_by_status": r.byStatus, "tasks_by_priority": r.byPriority, "total_tasks": r.total,
		"longest_task_waiting_age": 0, "longest_task_waiting_sid": nil}
	if r.longest != nil {
		m["longest_task_waiting_age"] = secondsOf(now.Sub(r.longest.DateCreated))
		m["longest_task_waiting_sid"] = r.longest.SID
	}
	return m
}

// queueFigures adds the queue-relative wait and the queue's workers; available
// tells which of them count as available.
func (r realtime) queueFigures(ws *state.WorkspaceState, workers *roster, q *state.TaskQueue, now time.Time,
	available func(*state.Worker) bool) map[string]any {
	m := r.taskFigures(now)
	m["longest_relative_task_age_in_queue"], m["longest_relative_task_sid_in_queue"] = 0, nil
	if r.longestInQueue != nil {
		m["longest_relative_task_age_in_queue"] = secondsOf(now.Sub(r.longestInQueue.TaskQueueEnteredDate))
		m["longest_relative_task_sid_in_queue"] = r.longestInQueue.SID
	}
	var eligibleWorkers []*state.Worker
	availableWorkers := 0
	all, attrs := workers.get()
	targets := parsedExpression(q.TargetWorkers)
	for i, w := range all {
		if targets != nil && targets.Evaluate(attrs[i]) { // queueTargets, on attributes parsed once per call
			eligibleWorkers = append(eligibleWorkers, w)
			if available(w) {
				availableWorkers++
			}
		}
	}
	m["total_eligible_workers"] = len(eligibleWorkers)
	m["total_available_workers"] = availableWorkers
	m["activity_statistics"] = activityStatistics(ws, eligibleWorkers)
	return m
}

// activityStatistics counts workers per activity, every activity listed.
func activityStatistics(ws *state.WorkspaceState, workers []*state.Worker) []map[string]any {
	counts := map[string]int{}
	for _, w := range workers {
		counts[w.ActivitySID]++
	}
	out := []map[string]any{}
	for _, a := range ws.SortedActivities() {
		out = append(out, map[string]any{"friendly_name": a.FriendlyName, "sid": a.SID, "workers": counts[a.SID]})
	}
	return out
}

// workerFigures are the cumulative statistics of a set of workers.
func workerFigures(ws *state.WorkspaceState, st *taskState, q statsQuery, workers []*state.Worker) map[string]any {
	set := map[string]bool{}
	for _, w := range workers {
		set[w.SID] = true
	}
	c := st.cumulative(q, scope{workers: set})
	durations := activityDurations(ws, st, q, set)
	list := []map[string]any{}
	for _, a := range ws.SortedActivities() {
		entry := durationStats(durations[a.SID])
		entry["sid"], entry["friendly_name"] = a.SID, a.FriendlyName
		list = append(list, entry)
	}
	m := c.reservationFields(map[string]any{})
	m["activity_durations"] = list
	return m
}

// withIdentity adds the identifying properties of a statistics resource.
func withIdentity(m map[string]any, c *api.Call, wsSID string, extra ...string) map[string]any {
	m["account_sid"] = c.AccountSID
	m["workspace_sid"] = wsSID
	m["url"] = c.ResourceURL(c.Path)
	for i := 0; i+1 < len(extra); i += 2 {
		m[extra[i]] = extra[i+1]
	}
	return m
}
