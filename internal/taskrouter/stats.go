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

	"github.com/taskrouter-operator/taskrouter-operator/internal/capability"
)

// The statistics the operator mirrors, each read with a token that allows a GET of exactly its path.
// TaskRouter has more statistics endpoints (CumulativeStatistics, RealTimeStatistics, the Workers
// aggregates, the bulk real-time call); the combined ones below return the same figures, so the client
// offers only these.

// FetchWorkspaceStatistics reads the workspace's cumulative and real-time statistics.
func (w *WorkspaceClient) FetchWorkspaceStatistics(ctx context.Context, q StatisticsQuery) (WorkspaceStatistics, error) {
	return fetchStatistics[WorkspaceStatistics](ctx, w, "Statistics", "Statistics", w.sid, q.values(cumulativeParams), "workspace statistics "+w.sid)
}

// FetchWorkflowStatistics reads one Workflow's cumulative and real-time statistics.
func (w *WorkspaceClient) FetchWorkflowStatistics(ctx context.Context, sid string, q StatisticsQuery) (WorkflowStatistics, error) {
	return fetchStatistics[WorkflowStatistics](ctx, w, "Workflows/"+sid+"/Statistics", "Workflows/{WorkflowSid}/Statistics", w.sid, q.values(cumulativeParams), "workflow statistics "+sid)
}

// FetchWorkerStatistics reads one Worker's cumulative statistics (TaskRouter has no per-worker real-time ones).
func (w *WorkspaceClient) FetchWorkerStatistics(ctx context.Context, sid string, q StatisticsQuery) (WorkerStatistics, error) {
	return fetchStatistics[WorkerStatistics](ctx, w, "Workers/"+sid+"/Statistics", "Workers/{WorkerSid}/Statistics", sid, q.values(workerParams), "worker statistics "+sid)
}

// ListTaskQueueStatistics reads every TaskQueue's cumulative and real-time statistics, all pages: one
// call per 1000 queues, however many there are.
func (w *WorkspaceClient) ListTaskQueueStatistics(ctx context.Context, q StatisticsQuery) ([]TaskQueueStatistics, error) {
	var out []TaskQueueStatistics
	err := queueStatisticsPages(ctx, w, q, func(s TaskQueueStatistics) { out = append(out, s) }, func(n int) { out = out[:len(out)-n] })
	return out, err
}

// EachTaskQueueStatistics reads the same pages as ListTaskQueueStatistics and hands each queue's
// statistics to use as it is decoded, for callers that keep only some of them: a page of 1000
// queues in a workspace of 100 activities decodes to about 10 MB. A page whose answer broke off is read
// again, and its queues handed over again: use keys them by queue.
func (w *WorkspaceClient) EachTaskQueueStatistics(ctx context.Context, q StatisticsQuery, use func(TaskQueueStatistics)) error {
	return queueStatisticsPages(ctx, w, q, use, nil)
}

// queueStatisticsPages reads every page of the workspace's queue statistics, each queue decoded as T.
func queueStatisticsPages[T any](ctx context.Context, w *WorkspaceClient, q StatisticsQuery, use func(T), again func(n int)) error {
	query := q.values(cumulativeParams)
	query.Set("PageSize", fmt.Sprint(w.a.c.cfg.PageSize))
	r := w.statisticsRequest("TaskQueues/Statistics", "TaskQueues/Statistics", w.sid, query)
	if err := eachPage(ctx, w.a, w.a.api, r, "task_queues_statistics", use, again); err != nil {
		return fmt.Errorf("list task queue statistics in workspace %s: %w", w.sid, err)
	}
	return nil
}

// EachBusyTaskQueueStatistics is EachTaskQueueStatistics keeping, of each queue's real-time activity
// statistics, only the activities with at least one worker; the others are passed over while the page
// is read, never decoded. TaskRouter lists every activity of the workspace for every queue: a refresh
// of 2,000 queues in a workspace of 99 activities decoded about 200,000 of them, some 50 MB to collect,
// to keep a few hundred.
func (w *WorkspaceClient) EachBusyTaskQueueStatistics(ctx context.Context, q StatisticsQuery, use func(TaskQueueStatistics)) error {
	return queueStatisticsPages(ctx, w, q, func(b busyQueueStatistics) { use(b.statistics()) }, nil)
}

func fetchStatistics[T any](ctx context.Context, w *WorkspaceClient, sub, route, channel string, q url.Values, op string) (T, error) {
	var out T
	_, err := w.a.decodeInto(ctx, w.a.api, w.statisticsRequest(sub, route, channel, q), op, &out)
	return out, err
}

// statisticsRequest reads the statistics resource at sub (relative to /v1/Workspaces/{ws}/) on channel.
func (w *WorkspaceClient) statisticsRequest(sub, route, channel string, q url.Values) *request {
	rel := "Workspaces/" + w.sid + "/" + sub
	return &request{method: http.MethodGet, path: "/v1/" + rel, route: "/v1/Workspaces/{WorkspaceSid}/" + route, query: q,
		grant: capability.Grant{WorkspaceSID: w.sid, Channel: channel, Policies: w.a.urls.StatisticsScope(rel)}}
}
