package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

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

// waitStatistics waits until every TaskQueue shows TaskRouter statistics, so the
// first table the user sees already has live figures.
func waitStatistics(ctx context.Context, c *cluster, procs *processes) error {
	for {
		var queues trv1.TaskQueueList
		if err := c.client.List(ctx, &queues); err != nil {
			return err
		}
		missing := 0
		for _, q := range queues.Items {
			if q.Status.Statistics == nil || q.Status.Statistics.Realtime == nil {
				missing++
			}
		}
		if missing == 0 && len(queues.Items) > 0 {
			return nil
		}
		if err := procs.check(); err != nil {
			return err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%d TaskQueues show no statistics in time; manager log: %s/manager.log", missing, procs.dir)
		case <-time.After(500 * time.Millisecond):
		}
	}
}
