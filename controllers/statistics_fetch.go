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
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/internal/taskrouter"
)

// defaultStatisticsMinutes is TaskRouter's own default window.
const defaultStatisticsMinutes = 15

// statsKey is one read of workspace or queue figures: a window, and a TaskChannel ("" for all).
type statsKey struct {
	minutes int
	channel string
}

// statsRead is what one read serves: the queues due (none for the workspace read), and the union of
// the wait-time thresholds they asked for, so objects that differ only in thresholds share the read.
type statsRead struct {
	queues []string
	split  []int
}

// statsPlan is what one workspace refresh reads. Its cost grows with the number of distinct
// windows, channels and workflows, never with the number of queues: every queue of a window and
// channel comes from one paged TaskQueues/Statistics list (one call for up to 1000 queues), and the
// workspace's figures are one call per channel.
type statsPlan struct {
	// workspace holds the workspace's reads (overall and per channel); empty skips its statistics.
	workspace map[statsKey]*statsRead
	// queues holds the queue lists, each with the queue sids it serves.
	queues map[statsKey]*statsRead
	// workflows and workers are the due sids with their windows.
	workflows map[string]int
	workers   map[string]int
}

func newStatsPlan() statsPlan {
	return statsPlan{workspace: map[statsKey]*statsRead{}, queues: map[statsKey]*statsRead{},
		workflows: map[string]int{}, workers: map[string]int{}}
}

// addWorkspace plans the workspace's reads: overall, and one per channel spec lists.
func (p *statsPlan) addWorkspace(minutes int, spec *trv1.SplitStatisticsSpec) {
	for _, key := range splitKeys(minutes, spec) {
		p.workspace[key] = planRead(p.workspace[key], "", spec)
	}
}

// addQueue plans one queue into the lists of its window: overall, and one per channel spec lists.
func (p *statsPlan) addQueue(sid string, minutes int, spec *trv1.SplitStatisticsSpec) {
	for _, key := range splitKeys(minutes, spec) {
		p.queues[key] = planRead(p.queues[key], sid, spec)
	}
}

func splitKeys(minutes int, spec *trv1.SplitStatisticsSpec) []statsKey {
	keys := []statsKey{{minutes: minutes}}
	if spec != nil {
		for _, ch := range spec.TaskChannels {
			keys = append(keys, statsKey{minutes: minutes, channel: ch})
		}
	}
	return keys
}

func planRead(r *statsRead, queue string, spec *trv1.SplitStatisticsSpec) *statsRead {
	if r == nil {
		r = &statsRead{}
	}
	if queue != "" {
		r.queues = append(r.queues, queue)
	}
	if spec != nil {
		for _, t := range spec.SplitByWaitTime {
			if !slices.Contains(r.split, int(t)) {
				r.split = append(r.split, int(t))
			}
		}
		slices.Sort(r.split)
	}
	return r
}

// statsResult holds what a refresh read; a figure that could not be read is absent.
type statsResult struct {
	workspace map[statsKey]taskrouter.WorkspaceStatistics
	queues    map[statsKey]map[string]taskrouter.TaskQueueStatistics
	workflows map[string]taskrouter.WorkflowStatistics
	workers   map[string]taskrouter.WorkerStatistics
}

// queue returns one queue's figures of one read.
func (r statsResult) queue(key statsKey, sid string) (taskrouter.TaskQueueStatistics, bool) {
	s, ok := r.queues[key][sid]
	return s, ok
}

// fetchStatistics reads every figure of the plan. A failure of one read does not
// stop the others: each object's figures stand on their own, and the joined
// error is reported once for the workspace.
func fetchStatistics(ctx context.Context, wc *taskrouter.WorkspaceClient, plan statsPlan) (statsResult, error) {
	res := statsResult{workspace: map[statsKey]taskrouter.WorkspaceStatistics{}, queues: map[statsKey]map[string]taskrouter.TaskQueueStatistics{},
		workflows: map[string]taskrouter.WorkflowStatistics{}, workers: map[string]taskrouter.WorkerStatistics{}}
	var errs []error
	for _, key := range sortedStatsKeys(plan.workspace) {
		ws, err := wc.FetchWorkspaceStatistics(ctx, plan.workspace[key].query(key))
		if err == nil {
			res.workspace[key] = ws
		}
		errs = append(errs, err)
	}
	for _, key := range sortedStatsKeys(plan.queues) {
		read := plan.queues[key]
		due := make(map[string]bool, len(read.queues))
		for _, sid := range read.queues {
			due[sid] = true
		}
		got := make(map[string]taskrouter.TaskQueueStatistics, len(read.queues))
		// Only the busy activities are decoded: the status leaves out the others (queueRealtime).
		errs = append(errs, wc.EachBusyTaskQueueStatistics(ctx, read.query(key), func(s taskrouter.TaskQueueStatistics) {
			if due[s.TaskQueueSID] {
				got[s.TaskQueueSID] = s
			}
		}))
		res.queues[key] = got
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

func (r *statsRead) query(key statsKey) taskrouter.StatisticsQuery {
	q := window(key.minutes)
	q.TaskChannel, q.SplitByWaitTime = key.channel, r.split
	return q
}

func sortedStatsKeys(m map[statsKey]*statsRead) []statsKey {
	keys := make([]statsKey, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b statsKey) int {
		return cmp.Or(cmp.Compare(a.minutes, b.minutes), cmp.Compare(a.channel, b.channel))
	})
	return keys
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

// busyActivities keeps the activities that have at least one of the queue's eligible workers.
// TaskRouter lists every activity of the workspace for every queue (up to 100 times thousands of
// queues); the ones with no worker say nothing a reader needs, and keeping them is most of what a
// refresh would hold and most of every TaskQueue's status.
func busyActivities(in []taskrouter.ActivityCount) []taskrouter.ActivityCount {
	var out []taskrouter.ActivityCount
	for _, a := range in {
		if a.Workers != 0 {
			out = append(out, a)
		}
	}
	return out
}
