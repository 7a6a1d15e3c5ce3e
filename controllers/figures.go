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
	"time"

	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/log"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/internal/metrics"
)

// The mirrored figures are published at scrape time, from the statuses in the informer cache (see
// metrics.Figures): the cache holds the figures already, and a second copy as gauge series would
// be tens of thousands of series at 10,000 objects.

// scrapeTimeout bounds one scrape's reads of the cache, which answer from memory.
const scrapeTimeout = 10 * time.Second

// publishFigures sets the figures of one scrape (metrics.FiguresCollector): every Workspace with a
// SID and every object of it publishes its live figures, and its statistics while they are read
// (interval above 0), as the status has them. Objects being deleted publish nothing, nor does a
// replica that does not lead.
func (r *statisticsReconciler) publishFigures(f *metrics.Figures) {
	select {
	case <-r.elected:
	default:
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	var workspaces trv1.WorkspaceList
	if err := r.env.kube.List(ctx, &workspaces, client.UnsafeDisableDeepCopy); err != nil {
		log.FromContext(ctx).Error(err, "Could not list Workspaces for the metrics scrape")
		return
	}
	for i := range workspaces.Items {
		ws := &workspaces.Items[i]
		if ws.DeletionTimestamp != nil || ws.Status.SID == "" {
			continue
		}
		items, err := r.items(ctx, ws)
		if err != nil {
			log.FromContext(ctx).Error(err, "Could not list a workspace's objects for the metrics scrape", "workspace", client.ObjectKeyFromObject(ws))
			continue
		}
		for _, item := range items {
			obj := item.object()
			if obj.GetDeletionTimestamp() != nil || obj.RemoteStatus().SID == "" {
				continue
			}
			item.publish(f, metricsObject(obj, ws.Name), r.interval(item) > 0)
		}
	}
}
