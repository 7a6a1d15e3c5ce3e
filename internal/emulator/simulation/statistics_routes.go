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
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator/api"
	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator/state"
)

// Bulk real-time statistics take 1..50 queues.
const maxBulkQueues = 50

// statisticsRoutes are every statistics resource; channel answers name them
// "statistics.fetched".
func (s *Simulation) statisticsRoutes() []api.Route {
	const ws = "/v1/Workspaces/{WorkspaceSid}"
	get := func(path string, h api.Handler) api.Route {
		return api.Route{Method: http.MethodGet, Pattern: ws + path, Kind: api.KindStatistics, Handle: h}
	}
	return []api.Route{
		get("/Statistics", s.statsHandler(workspaceStatistics(true, true))),
		get("/CumulativeStatistics", s.statsHandler(workspaceStatistics(true, false))),
		get("/RealTimeStatistics", s.statsHandler(workspaceStatistics(false, true))),
		get("/TaskQueues/{TaskQueueSid}/Statistics", s.statsHandler(queueStatistics(true, true))),
		get("/TaskQueues/{TaskQueueSid}/CumulativeStatistics", s.statsHandler(queueStatistics(true, false))),
		get("/TaskQueues/{TaskQueueSid}/RealTimeStatistics", s.statsHandler(queueStatistics(false, true))),
		{Method: http.MethodGet, Pattern: ws + "/TaskQueues/Statistics", Kind: api.KindStatistics, List: true, Handle: s.listQueueStatistics},
		{Method: http.MethodPost, Pattern: ws + "/TaskQueues/RealTimeStatistics", Kind: api.KindStatistics, JSONBody: true,
			Handle: s.statsHandler(bulkQueueStatistics)},
		get("/Workflows/{WorkflowSid}/Statistics", s.statsHandler(workflowStatistics(true, true))),
		get("/Workflows/{WorkflowSid}/CumulativeStatistics", s.statsHandler(workflowStatistics(true, false))),
		get("/Workflows/{WorkflowSid}/RealTimeStatistics", s.statsHandler(workflowStatistics(false, true))),
		get("/Workers/{WorkerSid}/Statistics", s.statsHandler(workerStatistics)),
		get("/Workers/Statistics", s.statsHandler(workersStatistics(true, true))),
		get("/Workers/CumulativeStatistics", s.statsHandler(workersStatistics(true, false))),
		get("/Workers/RealTimeStatistics", s.statsHandler(workersStatistics(false, true))),
	}
}

// statsView is what a statistics handler reads: the workspace, its tasks and
// the call's window, under the read lock.
type statsView struct {
	c      *api.Call
	ws     *state.WorkspaceState
	st     *taskState
	q      statsQuery
	now    time.Time
	roster *roster
}

// roster is a workspace's workers in creation order with their attributes parsed, built once per
// statistics call: a TaskQueues/Statistics page of 1,000 queues would otherwise sort and parse
// every worker again for each queue (at 5,000 workers that held the emulator's CPU at its limit
// and made it, not the operator, the bottleneck of the scale benchmark).
type roster struct {
	once    sync.Once
	ws      *state.WorkspaceState
	workers []*state.Worker
	attrs   []map[string]any
}

func (r *roster) get() ([]*state.Worker, []map[string]any) {
	r.once.Do(func() {
		r.workers = r.ws.SortedWorkers()
		r.attrs = make([]map[string]any, len(r.workers))
		for i, w := range r.workers {
			r.attrs[i] = w.AttributeMap()
		}
	})
	return r.workers, r.attrs
}

// statsHandler wraps a statistics computation with locking, the workspace
// lookup and query parsing.
func (s *Simulation) statsHandler(compute func(v statsView) (map[string]any, error)) api.Handler {
	return func(c *api.Call) (*api.Reply, error) {
		s.store.RLock()
		defer s.store.RUnlock()
		ws, err := s.store.Workspace(c.Vars["WorkspaceSid"])
		if err != nil {
			return nil, err
		}
		now := s.timestamp()
		q, err := parseStatsQuery(ws, c.Params, now)
		if err != nil {
			return nil, err
		}
		body, err := compute(statsView{c: c, ws: ws, st: s.readTasks(ws), q: q, now: now, roster: &roster{ws: ws}})
		if err != nil {
			return nil, err
		}
		return api.OK(body), nil
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
				m["activity_statistics"] = activityStatistics(v.ws, v.ws.SortedWorkers())
				m["total_workers"] = len(v.ws.Workers)
				return m
			})
		return withIdentity(m, v.c, v.ws.SID), nil
	}
}

// queueParts returns the cumulative and real-time computations of queue q.
func queueParts(v statsView, q *state.TaskQueue) (func() map[string]any, func() map[string]any) {
	return func() map[string]any { return v.st.cumulative(v.q, scope{queue: q.SID}).queueFigures() },
		func() map[string]any {
			return v.st.realtime(scope{queue: q.SID}, v.q.channel).queueFigures(v.ws, v.roster, q, v.now, v.availableWorker())
		}
}

// availableWorker tells which workers a queue's real-time statistics count as
// available: those in an available activity and, when the call names a
// TaskChannel, with room for one more task of it (assumed: the spec says only
// that the figure is computed for that channel).
func (v statsView) availableWorker() func(*state.Worker) bool {
	if v.q.channel == "" {
		return v.ws.WorkerAvailable
	}
	loads := v.st.loads()
	return func(w *state.Worker) bool {
		return v.ws.WorkerAvailable(w) && hasRoom(v.ws, loads[w.SID], w, v.q.channel)
	}
}

func queueStatistics(cumulative, realtime bool) func(v statsView) (map[string]any, error) {
	return func(v statsView) (map[string]any, error) {
		q, found := v.ws.TaskQueues[v.c.Vars["TaskQueueSid"]]
		if !found {
			return nil, api.NotFound("TaskQueue", v.c.Vars["TaskQueueSid"])
		}
		cum, rt := queueParts(v, q)
		return withIdentity(combine(cumulative, realtime, cum, rt), v.c, v.ws.SID, "task_queue_sid", q.SID), nil
	}
}

// listQueueStatistics pages through every queue's statistics, filtered by
// FriendlyName.
func (s *Simulation) listQueueStatistics(c *api.Call) (*api.Reply, error) {
	var rep *api.Reply
	_, err := s.statsHandler(func(v statsView) (map[string]any, error) {
		name := c.Params.Get("FriendlyName")
		var queues []*state.TaskQueue
		for _, q := range v.ws.SortedTaskQueues() {
			if name == "" || q.FriendlyName == name {
				queues = append(queues, q)
			}
		}
		var err error
		rep, err = api.Paginate(c, "task_queues_statistics", queues, (*state.TaskQueue).Seq,
			func(q *state.TaskQueue) any {
				cum, rt := queueParts(v, q)
				return map[string]any{"account_sid": c.AccountSID, "workspace_sid": v.ws.SID, "task_queue_sid": q.SID,
					"cumulative": cum(), "realtime": rt()}
			})
		return nil, err
	})(c)
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
		for _, value := range v.c.Params[key] {
			for _, sid := range strings.Split(value, ",") {
				if sid = strings.TrimSpace(sid); sid != "" {
					sids = append(sids, sid)
				}
			}
		}
	}
	if len(sids) == 0 || len(sids) > maxBulkQueues {
		return nil, api.Invalid("QueueSids must list between 1 and %d TaskQueue SIDs; got %d", maxBulkQueues, len(sids))
	}
	data := make([]map[string]any, 0, len(sids))
	for _, sid := range sids {
		q, found := v.ws.TaskQueues[sid]
		if !found {
			return nil, api.Invalid("QueueSids: %q is not a TaskQueue of Workspace %s", sid, v.ws.SID)
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
		wf, found := v.ws.Workflows[v.c.Vars["WorkflowSid"]]
		if !found {
			return nil, api.NotFound("Workflow", v.c.Vars["WorkflowSid"])
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
	w, found := v.ws.Workers[v.c.Vars["WorkerSid"]]
	if !found {
		return nil, api.NotFound("Worker", v.c.Vars["WorkerSid"])
	}
	m := map[string]any{"cumulative": workerFigures(v.ws, v.st, v.q, []*state.Worker{w})}
	return withIdentity(m, v.c, v.ws.SID, "worker_sid", w.SID), nil
}

// workersStatistics covers every worker, or those the Workers list filters
// (FriendlyName, TaskQueueSid, TaskQueueName, ...) keep.
func workersStatistics(cumulative, realtime bool) func(v statsView) (map[string]any, error) {
	return func(v statsView) (map[string]any, error) {
		match, err := state.WorkerFilter(v.ws, v.c.Params)
		if err != nil {
			return nil, err
		}
		var workers []*state.Worker
		for _, w := range v.ws.SortedWorkers() {
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
