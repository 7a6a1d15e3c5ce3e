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
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator/api"
	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator/state"
)

// eventKind is one thing that happened to a task or reservation; cumulative
// statistics count events over a time window.
type eventKind int

const (
	evTaskCreated eventKind = iota
	evTaskEnteredQueue
	evTaskMoved
	evTaskCanceled
	evTaskCompleted
	evTaskDeleted
	evReservationCreated
	evReservationAccepted
	evReservationRejected
	evReservationTimedOut
	evReservationCanceled
	evReservationRescinded
)

// statEvent is one recorded event with the scope it happened in.
type statEvent struct {
	at                                     time.Time
	kind                                   eventKind
	task, queue, workflow, worker, channel string
	// wait is the task's age at acceptance or cancellation; queueWait its time
	// in the queue at acceptance.
	wait, queueWait time.Duration
}

// activitySpan is one finished stay of a worker in an activity.
type activitySpan struct {
	worker, activity string
	from, to         time.Time
}

// maxRecorded bounds the events and spans kept per workspace; past it the older
// half is dropped, so a long simulation runs in bounded memory.
const maxRecorded = 100000

func (st *taskState) record(ev statEvent) {
	st.events = append(st.events, ev)
	if len(st.events) > maxRecorded {
		st.events = slices.Clone(st.events[len(st.events)/2:])
	}
}

func (st *taskState) recordSpan(sp activitySpan) {
	st.spans = append(st.spans, sp)
	if len(st.spans) > maxRecorded {
		st.spans = slices.Clone(st.spans[len(st.spans)/2:])
	}
}

// defaultStatsMinutes is the window TaskRouter uses when a call names none.
const defaultStatsMinutes = 15

// statsQuery is the window and filters of a statistics call.
type statsQuery struct {
	start, end time.Time
	channel    string
	split      []int
}

// parseStatsQuery reads Minutes, StartDate, EndDate, TaskChannel and
// SplitByWaitTime. StartDate wins over Minutes; the window ends at EndDate or now.
func parseStatsQuery(ws *state.WorkspaceState, p api.Form, now time.Time) (statsQuery, error) {
	q := statsQuery{end: now}
	minutes, _, err := p.Integer("Minutes", 1, 1<<31-1)
	if err != nil {
		return q, err
	}
	if minutes == 0 {
		minutes = defaultStatsMinutes
	}
	if v := p.Get("EndDate"); v != "" {
		if q.end, err = parseStatsDate("EndDate", v); err != nil {
			return q, err
		}
	}
	q.start = q.end.Add(-time.Duration(minutes) * time.Minute)
	if v := p.Get("StartDate"); v != "" {
		if q.start, err = parseStatsDate("StartDate", v); err != nil {
			return q, err
		}
	}
	if q.start.After(q.end) {
		return q, api.Invalid("StartDate %s is after EndDate %s", api.FormatTime(q.start), api.FormatTime(q.end))
	}
	if ref := p.Get("TaskChannel"); ref != "" {
		sid, ok := ws.TaskChannelRef(ref)
		if !ok {
			return q, api.Invalid("TaskChannel %q is not a TaskChannel of Workspace %s", ref, ws.SID)
		}
		q.channel = sid
	}
	if q.split, err = parseSplit(p.Get("SplitByWaitTime")); err != nil {
		return q, err
	}
	return q, nil
}

// parseStatsDate reads an ISO 8601 date-time or date.
func parseStatsDate(name, v string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339, "2006-01-02"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, api.Invalid("%s %q is not an ISO 8601 date or date-time", name, v)
}

// parseSplit reads SplitByWaitTime: comma-separated thresholds in seconds.
func parseSplit(v string) ([]int, error) {
	if v == "" {
		return nil, nil
	}
	var out []int
	for _, item := range strings.Split(v, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(item))
		if err != nil || n <= 0 {
			return nil, api.Invalid("SplitByWaitTime %q must list positive whole seconds separated by commas", v)
		}
		out = append(out, n)
	}
	return out, nil
}

// scope selects the events and tasks of one statistics subject; empty fields
// match everything, a nil workers set every worker.
type scope struct {
	queue, workflow string
	workers         map[string]bool
}

func (sc scope) matches(queue, workflow, worker string) bool {
	return (sc.queue == "" || sc.queue == queue) && (sc.workflow == "" || sc.workflow == workflow) &&
		(sc.workers == nil || sc.workers[worker])
}

// cumulative is what a window's events add up to.
type cumulative struct {
	q      statsQuery
	counts map[eventKind]int
	// accepted and canceled are the task ages at acceptance and cancellation;
	// inQueue the time spent in the queue until acceptance.
	accepted, canceled, inQueue []time.Duration
}

// cumulative counts the events of sc within q's window. The window includes its
// start and end second.
func (st *taskState) cumulative(q statsQuery, sc scope) cumulative {
	out := cumulative{q: q, counts: map[eventKind]int{}}
	for _, ev := range st.events {
		if ev.at.Before(q.start) || ev.at.After(q.end) || (q.channel != "" && ev.channel != q.channel) ||
			!sc.matches(ev.queue, ev.workflow, ev.worker) {
			continue
		}
		out.counts[ev.kind]++
		switch ev.kind {
		case evReservationAccepted:
			out.accepted = append(out.accepted, ev.wait)
			out.inQueue = append(out.inQueue, ev.queueWait)
		case evTaskCanceled:
			out.canceled = append(out.canceled, ev.wait)
		}
	}
	return out
}

// realtime is the current state of a set of tasks.
type realtime struct {
	byStatus   map[string]int
	byPriority map[string]int
	total      int
	// longest* is the oldest task still waiting (pending or reserved), by age
	// and, relative, by time in its queue.
	longest, longestInQueue *Task
}

// realtime sums up the tasks of sc (on channel, when given) now.
func (st *taskState) realtime(sc scope, channel string) realtime {
	out := realtime{byStatus: map[string]int{}, byPriority: map[string]int{}}
	for _, s := range taskStatuses {
		out.byStatus[s] = 0
	}
	for _, t := range st.sortedTasks() {
		if !sc.matches(t.TaskQueueSID, t.WorkflowSID, "") || (channel != "" && t.TaskChannelSID != channel) {
			continue
		}
		out.total++
		out.byStatus[t.AssignmentStatus]++
		out.byPriority[strconv.Itoa(t.Priority)]++
		if t.AssignmentStatus != TaskPending && t.AssignmentStatus != TaskReserved {
			continue
		}
		if out.longest == nil || t.DateCreated.Before(out.longest.DateCreated) {
			out.longest = t
		}
		if out.longestInQueue == nil || t.TaskQueueEnteredDate.Before(out.longestInQueue.TaskQueueEnteredDate) {
			out.longestInQueue = t
		}
	}
	return out
}

// activityDurations sums, per activity, each worker's time in it within the
// window (finished stays and the current one); min, max and avg are over the
// workers who spent time in it.
func activityDurations(ws *state.WorkspaceState, st *taskState, q statsQuery, workers map[string]bool) map[string][]time.Duration {
	perWorker := map[string]map[string]time.Duration{} // activity -> worker -> time
	add := func(worker, activity string, from, to time.Time) {
		if !workers[worker] {
			return
		}
		from, to = later(from, q.start), earlier(to, q.end)
		if !to.After(from) {
			return
		}
		if perWorker[activity] == nil {
			perWorker[activity] = map[string]time.Duration{}
		}
		perWorker[activity][worker] += to.Sub(from)
	}
	for _, sp := range st.spans {
		add(sp.worker, sp.activity, sp.from, sp.to)
	}
	for _, w := range ws.Workers {
		since, ok := st.activitySince[w.SID]
		if !ok {
			since = w.DateCreated
		}
		add(w.SID, w.ActivitySID, since, q.end)
	}
	out := map[string][]time.Duration{}
	for activity, byWorker := range perWorker {
		for _, d := range byWorker {
			out[activity] = append(out[activity], d)
		}
	}
	return out
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
