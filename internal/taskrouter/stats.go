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
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/taskrouter-operator/taskrouter-operator/internal/capability"
)

// MaxBulkQueueSIDs is how many TaskQueue sids one bulk real-time statistics call accepts.
const MaxBulkQueueSIDs = 50

// statsCall reads one statistics resource at sub (relative to /v1/Workspaces/{ws}/) on channel, with a
// token that allows a GET of exactly that path.
func (w *WorkspaceClient) statsCall(ctx context.Context, sub, route, channel string, q url.Values, op string, out any) error {
	rel := "Workspaces/" + w.sid + "/" + sub
	r := &request{method: http.MethodGet, path: "/v1/" + rel, route: "/v1/Workspaces/{WorkspaceSid}/" + route, query: q,
		grant: capability.Grant{WorkspaceSID: w.sid, Channel: channel, Policies: w.a.c.urls.StatisticsScope(rel)}}
	_, err := w.a.decodeInto(ctx, w.a.api, r, op, out)
	return err
}

func fetchStats[T any](ctx context.Context, w *WorkspaceClient, sub, route, channel string, q url.Values, op string) (*T, error) {
	var out T
	if err := w.statsCall(ctx, sub, route, channel, q, op, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// FetchWorkspaceStatistics reads the workspace's cumulative and real-time statistics.
func (w *WorkspaceClient) FetchWorkspaceStatistics(ctx context.Context, q StatisticsQuery) (*WorkspaceStatistics, error) {
	return fetchStats[WorkspaceStatistics](ctx, w, "Statistics", "Statistics", w.sid, q.values(cumulativeParams), "workspace statistics "+w.sid)
}

// FetchWorkspaceCumulativeStatistics reads the workspace's statistics over a window.
func (w *WorkspaceClient) FetchWorkspaceCumulativeStatistics(ctx context.Context, q StatisticsQuery) (*WorkspaceCumulativeStatistics, error) {
	return fetchStats[WorkspaceCumulativeStatistics](ctx, w, "CumulativeStatistics", "CumulativeStatistics", w.sid, q.values(cumulativeParams), "workspace cumulative statistics "+w.sid)
}

// FetchWorkspaceRealTimeStatistics reads the workspace's statistics now (only q.TaskChannel applies).
func (w *WorkspaceClient) FetchWorkspaceRealTimeStatistics(ctx context.Context, q StatisticsQuery) (*WorkspaceRealTimeStatistics, error) {
	return fetchStats[WorkspaceRealTimeStatistics](ctx, w, "RealTimeStatistics", "RealTimeStatistics", w.sid, q.values(realTimeParams), "workspace real-time statistics "+w.sid)
}

const queueStatsRoute = "TaskQueues/{TaskQueueSid}/"

// FetchTaskQueueStatistics reads one TaskQueue's cumulative and real-time statistics.
func (w *WorkspaceClient) FetchTaskQueueStatistics(ctx context.Context, sid string, q StatisticsQuery) (*TaskQueueStatistics, error) {
	return fetchStats[TaskQueueStatistics](ctx, w, "TaskQueues/"+sid+"/Statistics", queueStatsRoute+"Statistics", sid, q.values(cumulativeParams), "task queue statistics "+sid)
}

// FetchTaskQueueCumulativeStatistics reads one TaskQueue's statistics over a window.
func (w *WorkspaceClient) FetchTaskQueueCumulativeStatistics(ctx context.Context, sid string, q StatisticsQuery) (*TaskQueueCumulativeStatistics, error) {
	return fetchStats[TaskQueueCumulativeStatistics](ctx, w, "TaskQueues/"+sid+"/CumulativeStatistics", queueStatsRoute+"CumulativeStatistics", sid, q.values(cumulativeParams), "task queue cumulative statistics "+sid)
}

// FetchTaskQueueRealTimeStatistics reads one TaskQueue's statistics now (only q.TaskChannel applies).
func (w *WorkspaceClient) FetchTaskQueueRealTimeStatistics(ctx context.Context, sid string, q StatisticsQuery) (*TaskQueueRealTimeStatistics, error) {
	return fetchStats[TaskQueueRealTimeStatistics](ctx, w, "TaskQueues/"+sid+"/RealTimeStatistics", queueStatsRoute+"RealTimeStatistics", sid, q.values(realTimeParams), "task queue real-time statistics "+sid)
}

const workflowStatsRoute = "Workflows/{WorkflowSid}/"

// FetchWorkflowStatistics reads one Workflow's cumulative and real-time statistics.
func (w *WorkspaceClient) FetchWorkflowStatistics(ctx context.Context, sid string, q StatisticsQuery) (*WorkflowStatistics, error) {
	return fetchStats[WorkflowStatistics](ctx, w, "Workflows/"+sid+"/Statistics", workflowStatsRoute+"Statistics", w.sid, q.values(cumulativeParams), "workflow statistics "+sid)
}

// FetchWorkflowCumulativeStatistics reads one Workflow's statistics over a window.
func (w *WorkspaceClient) FetchWorkflowCumulativeStatistics(ctx context.Context, sid string, q StatisticsQuery) (*WorkflowCumulativeStatistics, error) {
	return fetchStats[WorkflowCumulativeStatistics](ctx, w, "Workflows/"+sid+"/CumulativeStatistics", workflowStatsRoute+"CumulativeStatistics", w.sid, q.values(cumulativeParams), "workflow cumulative statistics "+sid)
}

// FetchWorkflowRealTimeStatistics reads one Workflow's statistics now (only q.TaskChannel applies).
func (w *WorkspaceClient) FetchWorkflowRealTimeStatistics(ctx context.Context, sid string, q StatisticsQuery) (*WorkflowRealTimeStatistics, error) {
	return fetchStats[WorkflowRealTimeStatistics](ctx, w, "Workflows/"+sid+"/RealTimeStatistics", workflowStatsRoute+"RealTimeStatistics", w.sid, q.values(realTimeParams), "workflow real-time statistics "+sid)
}

// FetchWorkerStatistics reads one Worker's cumulative statistics (TaskRouter has no per-worker real-time ones).
func (w *WorkspaceClient) FetchWorkerStatistics(ctx context.Context, sid string, q StatisticsQuery) (*WorkerStatistics, error) {
	return fetchStats[WorkerStatistics](ctx, w, "Workers/"+sid+"/Statistics", "Workers/{WorkerSid}/Statistics", sid, q.values(workerParams), "worker statistics "+sid)
}

// FetchWorkersStatistics reads the statistics of all the workspace's Workers.
func (w *WorkspaceClient) FetchWorkersStatistics(ctx context.Context, q StatisticsQuery) (*WorkersStatistics, error) {
	return fetchStats[WorkersStatistics](ctx, w, "Workers/Statistics", "Workers/Statistics", w.sid, q.values(workerParams), "workers statistics in workspace "+w.sid)
}

// FetchWorkersCumulativeStatistics reads all Workers' statistics over a window.
func (w *WorkspaceClient) FetchWorkersCumulativeStatistics(ctx context.Context, q StatisticsQuery) (*WorkersCumulativeStatistics, error) {
	return fetchStats[WorkersCumulativeStatistics](ctx, w, "Workers/CumulativeStatistics", "Workers/CumulativeStatistics", w.sid, q.values(workerParams), "workers cumulative statistics in workspace "+w.sid)
}

// FetchWorkersRealTimeStatistics reads all Workers by Activity now (only q.TaskChannel applies).
func (w *WorkspaceClient) FetchWorkersRealTimeStatistics(ctx context.Context, q StatisticsQuery) (*WorkersRealTimeStatistics, error) {
	return fetchStats[WorkersRealTimeStatistics](ctx, w, "Workers/RealTimeStatistics", "Workers/RealTimeStatistics", w.sid, q.values(realTimeParams), "workers real-time statistics in workspace "+w.sid)
}

// ListTaskQueueStatistics reads every TaskQueue's statistics, all pages; a non-empty friendlyName filters.
func (w *WorkspaceClient) ListTaskQueueStatistics(ctx context.Context, friendlyName string, q StatisticsQuery) ([]TaskQueueStatistics, error) {
	query := q.values(cumulativeParams)
	for k, v := range w.a.listQuery(friendlyName) {
		query[k] = v
	}
	rel := "Workspaces/" + w.sid + "/TaskQueues/Statistics"
	r := &request{method: http.MethodGet, path: "/v1/" + rel, route: "/v1/Workspaces/{WorkspaceSid}/TaskQueues/Statistics", query: query,
		grant: capability.Grant{WorkspaceSID: w.sid, Channel: w.sid, Policies: w.a.c.urls.StatisticsScope(rel)}}
	out, err := listAll[TaskQueueStatistics](ctx, w.a, w.a.api, r, "task_queues_statistics")
	if err != nil {
		return nil, fmt.Errorf("list task queue statistics in workspace %s: %w", w.sid, err)
	}
	return out, nil
}

// BulkTaskQueueRealTimeStatistics reads the real-time statistics of 1..MaxBulkQueueSIDs TaskQueues in
// one call (TaskRouter allows 5 such calls per second; the client paces them).
func (w *WorkspaceClient) BulkTaskQueueRealTimeStatistics(ctx context.Context, sids []string) ([]TaskQueueRealTimeStatistics, error) {
	op := fmt.Sprintf("bulk real-time statistics of %d task queues in workspace %s", len(sids), w.sid)
	if len(sids) == 0 || len(sids) > MaxBulkQueueSIDs {
		return nil, fmt.Errorf("%s: %w: want 1 to %d sids", op, ErrInvalidRequest, MaxBulkQueueSIDs)
	}
	r := &request{method: http.MethodPost, path: workspacePath(w.sid) + "/TaskQueues/RealTimeStatistics",
		route: "/v1/Workspaces/{WorkspaceSid}/TaskQueues/RealTimeStatistics", jsonBody: true, bulkStats: true,
		form:  url.Values{"QueueSids": append([]string(nil), sids...)},
		grant: capability.Grant{WorkspaceSID: w.sid, Channel: w.sid, Policies: w.a.c.urls.BulkQueueStatisticsScope(w.sid)}}
	var out bulkRealTimeStatistics
	if _, err := w.a.decodeInto(ctx, w.a.api, r, op, &out); err != nil {
		return nil, err
	}
	return out.TaskQueueData, nil
}

// TaskQueuesRealTimeStatistics reads the real-time statistics of any number of TaskQueues, de-duplicated
// and split into bulk calls of MaxBulkQueueSIDs; results come back in the order of the calls.
func (w *WorkspaceClient) TaskQueuesRealTimeStatistics(ctx context.Context, sids []string) ([]TaskQueueRealTimeStatistics, error) {
	var out []TaskQueueRealTimeStatistics
	for _, batch := range SplitSIDs(sids, MaxBulkQueueSIDs) {
		page, err := w.BulkTaskQueueRealTimeStatistics(ctx, batch)
		if err != nil {
			return out, err
		}
		out = append(out, page...)
	}
	return out, nil
}

// SplitSIDs drops empty and repeated sids and splits the rest, in order, into batches of at most size.
func SplitSIDs(sids []string, size int) [][]string {
	if size <= 0 {
		size = MaxBulkQueueSIDs
	}
	seen := map[string]bool{}
	var batches [][]string
	for _, sid := range sids {
		sid = strings.TrimSpace(sid)
		if sid == "" || seen[sid] {
			continue
		}
		seen[sid] = true
		if len(batches) == 0 || len(batches[len(batches)-1]) == size {
			batches = append(batches, make([]string, 0, size))
		}
		batches[len(batches)-1] = append(batches[len(batches)-1], sid)
	}
	return batches
}
