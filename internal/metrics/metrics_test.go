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

package metrics

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/taskrouter-operator/taskrouter-operator/internal/metrics/metricstest"
)

func TestOperatorMetrics(t *testing.T) {
	reg := prometheus.NewRegistry()
	m, err := New(reg)
	if err != nil {
		t.Fatal(err)
	}
	m.ObserveRequest("/v1/Workspaces/{WorkspaceSid}/TaskQueues/Statistics", "GET", 200, time.Millisecond)
	m.ObserveRequest("/v1/Workspaces/{WorkspaceSid}/TaskQueues/Statistics", "GET", 200, time.Millisecond)
	m.ObserveRequest("/v1/Workspaces", "POST", 429, time.Millisecond)
	m.ObserveTokenMinted("TaskQueue")
	// The figures are the collector AddFigures registers, made at each scrape; a series set twice
	// in one scrape is served once, so the scrape does not fail.
	workers := func(f *Figures) {
		f.WorkspaceWorkers.With(Object{Namespace: "cc", Name: "ws", SID: "WS1", Workspace: "ws"}).Set(4)
		f.WorkspaceWorkers.With(Object{Namespace: "cc", Name: "ws", SID: "WS1", Workspace: "ws"}).Set(5)
	}
	if err := m.AddFigures(FiguresCollector(workers)); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"taskrouter_operator_requests_total{code=200,endpoint=/v1/Workspaces/{WorkspaceSid}/TaskQueues/Statistics,method=GET} 2",
		"taskrouter_operator_requests_total{code=429,endpoint=/v1/Workspaces,method=POST} 1",
		"taskrouter_operator_tokens_minted_total{kind=TaskQueue} 1",
		"taskrouter_workspace_workers{name=ws,namespace=cc,sid=WS1,workspace=ws} 4",
	}
	got := append(metricstest.Series(t, reg, "taskrouter_operator_requests_total"), metricstest.Series(t, reg, "taskrouter_operator_tokens")...)
	got = append(got, metricstest.Series(t, reg, "taskrouter_workspace")...)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("operator metrics (-want +got):\n%s", diff)
	}
	if _, err := New(reg); err == nil {
		t.Fatal("registering twice on one registry succeeded; want an error")
	}
}
