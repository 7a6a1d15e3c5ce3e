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
	"strings"
	"time"
)

// KindStatistics is the kind of every statistics resource (channel answers are
// "statistics.fetched").
const KindStatistics Kind = "statistics"

// Bulk real-time statistics take 1..50 queues.
const maxBulkQueues = 50

func init() { registerRoutes(statisticsRoutes) }

func statisticsRoutes() []route {
	const ws = "/v1/Workspaces/{WorkspaceSid}"
	get := func(path string, h handlerFunc) route {
		return route{method: http.MethodGet, pattern: ws + path, kind: KindStatistics, handle: h}
	}
	return []route{
		get("/Statistics", statsHandler(workspaceStatistics(true, true))),
		get("/CumulativeStatistics", statsHandler(workspaceStatistics(true, false))),
		get("/RealTimeStatistics", statsHandler(workspaceStatistics(false, true))),
		get("/TaskQueues/{TaskQueueSid}/Statistics", statsHandler(queueStatistics(true, true))),
		get("/TaskQueues/{TaskQueueSid}/CumulativeStatistics", statsHandler(queueStatistics(true, false))),
		get("/TaskQueues/{TaskQueueSid}/RealTimeStatistics", statsHandler(queueStatistics(false, true))),
		{method: http.MethodGet, pattern: ws + "/TaskQueues/Statistics", kind: KindStatistics, list: true, handle: listQueueStatistics},
		{method: http.MethodPost, pattern: ws + "/TaskQueues/RealTimeStatistics", kind: KindStatistics, handle: statsHandler(bulkQueueStatistics)},
		get("/Workflows/{WorkflowSid}/Statistics", statsHandler(workflowStatistics(true, true))),
		get("/Workflows/{WorkflowSid}/CumulativeStatistics", statsHandler(workflowStatistics(true, false))),
		get("/Workflows/{WorkflowSid}/RealTimeStatistics", statsHandler(workflowStatistics(false, true))),
		get("/Workers/{WorkerSid}/Statistics", statsHandler(workerStatistics)),
		get("/Workers/Statistics", statsHandler(workersStatistics(true, true))),
		get("/Workers/CumulativeStatistics", statsHandler(workersStatistics(true, false))),
		get("/Workers/RealTimeStatistics", statsHandler(workersStatistics(false, true))),
	}
}

// statsView is what a statistics handler reads: the workspace, its tasks and
// the call's window, under the read lock.
type statsView struct {
	c   *call
	ws  *workspaceState
	st  *taskState
	q   statsQuery
	now time.Time
}

// statsHandler wraps a statistics computation with locking, the workspace
// lookup and query parsing.
func statsHandler(compute func(v statsView) (map[string]any, error)) handlerFunc {
	return func(e *Emulator, c *call) (*reply, error) {
		e.store.mu.RLock()
		defer e.store.mu.RUnlock()
		ws, err := e.store.workspace(c.vars["WorkspaceSid"])
		if err != nil {
			return nil, err
		}
		now := e.store.timestamp()
		q, err := parseStatsQuery(ws, c.params, now)
		if err != nil {
			return nil, err
		}
		body, err := compute(statsView{c: c, ws: ws, st: readTasks(ws), q: q, now: now})
		if err != nil {
			return nil, err
		}
		return ok(body), nil
	}
}

// combine answers a Statistics (both parts), CumulativeStatistics or
// RealTimeStatistics call from its two parts.
func combine(cumulative, realtime bool, cum func() map[string]any, rt func() map[string]any) map[string]any {
	switch {
	case cumulative && realtime:
		return map[string]any{"cumulative": cum(), "realtime": rt()}
	case cumulative:
		return cum()
	}
	return rt()
}

func workspaceStatistics(cumulative, realtime bool) func(v statsView) (map[string]any, error) {
	return func(v statsView) (map[string]any, error) {
		m := combine(cumulative, realtime,
			func() map[string]any { return v.st.cumulative(v.q, scope{}).workspaceFigures() },
			func() map[string]any {
				m := v.st.realtime(scope{}, v.q.channel).taskFigures(v.now)
				m["activity_statistics"] = activityStatistics(v.ws, v.ws.sortedWorkers())
				m["total_workers"] = len(v.ws.workers)
				return m
			})
		return withIdentity(m, v.c, v.ws.SID), nil
	}
}

// queueParts returns the cumulative and real-time computations of queue q.
func queueParts(v statsView, q *TaskQueue) (func() map[string]any, func() map[string]any) {
	return func() map[string]any { return v.st.cumulative(v.q, scope{queue: q.SID}).queueFigures() },
		func() map[string]any {
			return v.st.realtime(scope{queue: q.SID}, v.q.channel).queueFigures(v.ws, q, v.now)
		}
}

func queueStatistics(cumulative, realtime bool) func(v statsView) (map[string]any, error) {
	return func(v statsView) (map[string]any, error) {
		q, found := v.ws.taskQueues[v.c.vars["TaskQueueSid"]]
		if !found {
			return nil, notFound("TaskQueue", v.c.vars["TaskQueueSid"])
		}
		cum, rt := queueParts(v, q)
		return withIdentity(combine(cumulative, realtime, cum, rt), v.c, v.ws.SID, "task_queue_sid", q.SID), nil
	}
}

// listQueueStatistics pages through every queue's statistics, filtered by
// FriendlyName.
func listQueueStatistics(e *Emulator, c *call) (*reply, error) {
	var rep *reply
	_, err := statsHandler(func(v statsView) (map[string]any, error) {
		name := c.params.get("FriendlyName")
		var queues []*TaskQueue
		for _, q := range v.ws.sortedTaskQueues() {
			if name == "" || q.FriendlyName == name {
				queues = append(queues, q)
			}
		}
		var err error
		rep, err = paginate(c, "task_queues_statistics", queues, func(q *TaskQueue) uint64 { return q.seq },
			func(q *TaskQueue) any {
				cum, rt := queueParts(v, q)
				return map[string]any{"account_sid": accountOf(c), "workspace_sid": v.ws.SID, "task_queue_sid": q.SID,
					"cumulative": cum(), "realtime": rt()}
			})
		return nil, err
	})(e, c)
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// bulkQueueStatistics answers the real-time statistics of 1..50 queues named
// by QueueSids (or queueSids, as the docs' example spells it).
func bulkQueueStatistics(v statsView) (map[string]any, error) {
	var sids []string
	for _, key := range []string{"QueueSids", "queueSids"} {
		for _, value := range v.c.params[key] {
			for _, sid := range strings.Split(value, ",") {
				if sid = strings.TrimSpace(sid); sid != "" {
					sids = append(sids, sid)
				}
			}
		}
	}
	if len(sids) == 0 || len(sids) > maxBulkQueues {
		return nil, invalid("QueueSids must list between 1 and %d TaskQueue SIDs; got %d", maxBulkQueues, len(sids))
	}
	data := make([]map[string]any, 0, len(sids))
	for _, sid := range sids {
		q, found := v.ws.taskQueues[sid]
		if !found {
			return nil, invalid("QueueSids: %q is not a TaskQueue of Workspace %s", sid, v.ws.SID)
		}
		_, rt := queueParts(v, q)
		entry := rt()
		entry["task_queue_sid"] = q.SID
		data = append(data, entry)
	}
	m := map[string]any{"task_queue_data": data, "task_queue_response_count": len(data)}
	return withIdentity(m, v.c, v.ws.SID), nil
}

func workflowStatistics(cumulative, realtime bool) func(v statsView) (map[string]any, error) {
	return func(v statsView) (map[string]any, error) {
		wf, found := v.ws.workflows[v.c.vars["WorkflowSid"]]
		if !found {
			return nil, notFound("Workflow", v.c.vars["WorkflowSid"])
		}
		sc := scope{workflow: wf.SID}
		m := combine(cumulative, realtime,
			func() map[string]any { return v.st.cumulative(v.q, sc).workflowFigures() },
			func() map[string]any { return v.st.realtime(sc, v.q.channel).taskFigures(v.now) })
		return withIdentity(m, v.c, v.ws.SID, "workflow_sid", wf.SID), nil
	}
}

// workerStatistics is one worker's statistics: TaskRouter serves only the
// cumulative part per worker.
func workerStatistics(v statsView) (map[string]any, error) {
	w, found := v.ws.workers[v.c.vars["WorkerSid"]]
	if !found {
		return nil, notFound("Worker", v.c.vars["WorkerSid"])
	}
	m := map[string]any{"cumulative": workerFigures(v.ws, v.st, v.q, []*Worker{w})}
	return withIdentity(m, v.c, v.ws.SID, "worker_sid", w.SID), nil
}

// workersStatistics covers every worker, or those the Workers list filters
// (FriendlyName, TaskQueueSid, TaskQueueName, ...) keep.
func workersStatistics(cumulative, realtime bool) func(v statsView) (map[string]any, error) {
	return func(v statsView) (map[string]any, error) {
		match, err := workerFilter(v.ws, v.c.params)
		if err != nil {
			return nil, err
		}
		var workers []*Worker
		for _, w := range v.ws.sortedWorkers() {
			if match(w) {
				workers = append(workers, w)
			}
		}
		m := combine(cumulative, realtime,
			func() map[string]any { return workerFigures(v.ws, v.st, v.q, workers) },
			func() map[string]any {
				return map[string]any{"activity_statistics": activityStatistics(v.ws, workers), "total_workers": len(workers)}
			})
		return withIdentity(m, v.c, v.ws.SID), nil
	}
}
