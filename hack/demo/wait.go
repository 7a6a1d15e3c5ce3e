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

package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
)

// waitReady polls until every sample is Ready, printing progress as it changes.
func waitReady(ctx context.Context, c *cluster, objs []*unstructured.Unstructured, procs *processes) error {
	last := ""
	for {
		pending, err := notReady(ctx, c, objs)
		if err != nil {
			return err
		}
		if len(pending) == 0 {
			return nil
		}
		if summary := fmt.Sprintf("%d not Ready yet", len(pending)); summary != last {
			step("%s", summary)
			last = summary
		}
		if err := procs.check(); err != nil {
			return err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("not Ready in time:\n  %s\nmanager log: %s", strings.Join(pending, "\n  "), procs.dir+"/manager.log")
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// waitStatistics waits until every TaskQueue and Workflow shows TaskRouter
// statistics and the Workspace counts every Worker, so the first table the user
// sees already has consistent live figures.
func waitStatistics(ctx context.Context, c *cluster, procs *processes) error {
	for {
		missing, err := missingStatistics(ctx, c)
		if err != nil {
			return err
		}
		if missing == "" {
			return nil
		}
		if err := procs.check(); err != nil {
			return err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("no statistics in time (%s); manager log: %s/manager.log", missing, procs.dir)
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// missingStatistics says what has no statistics yet, or "" when everything has.
func missingStatistics(ctx context.Context, c *cluster) (string, error) {
	var queues trv1.TaskQueueList
	var flows trv1.WorkflowList
	var workers trv1.WorkerList
	var spaces trv1.WorkspaceList
	for _, l := range []client.ObjectList{&queues, &flows, &workers, &spaces} {
		if err := c.client.List(ctx, l, client.InNamespace(namespace)); err != nil {
			return "", err
		}
	}
	for _, q := range queues.Items {
		if q.Status.Statistics == nil || q.Status.Statistics.Realtime == nil {
			return "taskqueue/" + q.Name, nil
		}
	}
	for _, f := range flows.Items {
		if f.Status.Statistics == nil || f.Status.Statistics.Realtime == nil {
			return "workflow/" + f.Name, nil
		}
	}
	for _, w := range spaces.Items {
		st := w.Status.Statistics
		if st == nil || st.Realtime == nil || st.Realtime.TotalWorkers < int64(len(workers.Items)) {
			return "workspace/" + w.Name + " does not count every worker yet", nil
		}
	}
	return "", nil
}
