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

	"github.com/prometheus/client_golang/prometheus"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/log"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/internal/metrics"
)

// The mirrored figures are published at scrape time, from the statuses in the informer cache: the
// statistics reconciler is also their Prometheus collector. The cache holds the figures already, so
// keeping them again as gauge series between scrapes would cost a second copy per object (tens of
// thousands of series at 10,000 objects), and every gone object's series would have to be found
// and deleted.

// scrapeTimeout bounds one scrape's reads of the cache, which answer from memory.
const scrapeTimeout = 10 * time.Second

// Describe implements prometheus.Collector with the figures' descriptions.
func (r *statisticsReconciler) Describe(ch chan<- *prometheus.Desc) {
	metrics.NewFigures().Describe(ch)
}

// Collect implements prometheus.Collector: every Workspace with a SID and every object of it
// publishes its live figures, and its statistics while they are read (interval above 0), as the
// status has them. Objects being deleted publish nothing, nor does a replica that does not lead.
func (r *statisticsReconciler) Collect(ch chan<- prometheus.Metric) {
	select {
	case <-r.elected:
	default:
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	f := metrics.NewFigures()
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
	f.Collect(ch)
}
