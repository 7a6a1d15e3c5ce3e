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

package controllers

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/taskrouter-operator/taskrouter-operator/internal/taskrouter"
)

// defaultStatisticsMinutes is TaskRouter's own default window.
const defaultStatisticsMinutes = 15

// statsPlan is what one workspace refresh reads. Its cost grows with the number
// of distinct windows and workflows, never with the number of queues: every
// queue of a window comes from one paged TaskQueues/Statistics list (one call
// for up to 1000 queues).
type statsPlan struct {
	// workspaceMinutes is the workspace's window; 0 skips the workspace statistics.
	workspaceMinutes int
	// queues are the due queue sids by window.
	queues map[int][]string
	// workflows and workers are the due sids with their windows.
	workflows map[string]int
	workers   map[string]int
}

func newStatsPlan() statsPlan {
	return statsPlan{queues: map[int][]string{}, workflows: map[string]int{}, workers: map[string]int{}}
}

// statsResult holds what a refresh read; a figure that could not be read is absent.
type statsResult struct {
	workspace *taskrouter.WorkspaceStatistics
	queues    map[string]taskrouter.TaskQueueStatistics
	workflows map[string]taskrouter.WorkflowStatistics
	workers   map[string]taskrouter.WorkerStatistics
}

// fetchStatistics reads every figure of the plan. A failure of one read does not
// stop the others: each object's figures stand on their own, and the joined
// error is reported once for the workspace.
func fetchStatistics(ctx context.Context, wc *taskrouter.WorkspaceClient, plan statsPlan) (statsResult, error) {
	res := statsResult{queues: map[string]taskrouter.TaskQueueStatistics{},
		workflows: map[string]taskrouter.WorkflowStatistics{}, workers: map[string]taskrouter.WorkerStatistics{}}
	var errs []error
	if plan.workspaceMinutes > 0 {
		ws, err := wc.FetchWorkspaceStatistics(ctx, window(plan.workspaceMinutes))
		if err == nil {
			res.workspace = &ws
		}
		errs = append(errs, err)
	}
	for _, minutes := range sortedKeys(plan.queues) {
		all, err := wc.ListTaskQueueStatistics(ctx, window(minutes))
		errs = append(errs, err)
		for _, s := range all {
			if slices.Contains(plan.queues[minutes], s.TaskQueueSID) {
				res.queues[s.TaskQueueSID] = s
			}
		}
	}
	for _, sid := range sortedKeys(plan.workflows) {
		s, err := wc.FetchWorkflowStatistics(ctx, sid, window(plan.workflows[sid]))
		if err == nil {
			res.workflows[sid] = s
		}
		errs = append(errs, err)
	}
	for _, sid := range sortedKeys(plan.workers) {
		s, err := wc.FetchWorkerStatistics(ctx, sid, window(plan.workers[sid]))
		if err == nil {
			res.workers[sid] = s
		}
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return res, fmt.Errorf("read statistics: %w", err)
	}
	return res, nil
}

func window(minutes int) taskrouter.StatisticsQuery {
	return taskrouter.StatisticsQuery{Minutes: &minutes}
}

func sortedKeys[K int | string, V any](m map[K]V) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
