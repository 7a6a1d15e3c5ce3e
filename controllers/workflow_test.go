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
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator"
)

// reEvaluations lists the updates of a workflow that carried ReEvaluateTasks, as their parameter names.
func reEvaluations(workflowSID string) []string {
	var out []string
	for _, r := range emu.Requests() {
		if r.Write && r.Status < 300 && strings.HasSuffix(r.Path, "/Workflows/"+workflowSID) && r.Params.Has("ReEvaluateTasks") {
			var keys []string
			for k := range r.Params {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			out = append(out, strings.Join(keys, ","))
		}
	}
	return out
}

func TestWorkflowReEvaluatesTasksOncePerGeneration(t *testing.T) {
	ns := newNamespace(t)
	ws := readyWorkspace(t, ns)
	ctx := context.Background()
	first, second := taskQueue(ns, "first", "1==1"), taskQueue(ns, "second", "1==1")
	wf := workflow(ns, "inbound", "first")
	wf.Spec.ReEvaluateTasks = true
	emu.ResetRequests()
	for _, o := range []object{first, second, wf} {
		must(t, k8s.Create(ctx, o))
	}
	waitReady(t, wf)
	if got := reEvaluations(wf.Status.SID); len(got) != 0 || wf.Status.ReEvaluatedGeneration != wf.Generation {
		t.Fatalf("a new workflow sent ReEvaluateTasks %v (reEvaluatedGeneration %d of %d); want none, generation done",
			got, wf.Status.ReEvaluatedGeneration, wf.Generation)
	}
	_, err := emu.Admin().CreateTask(ws.Status.SID, url.Values{"WorkflowSid": {wf.Status.SID}, "Attributes": {`{"language":"es"}`}})
	must(t, err)

	// A routing change re-evaluates the pending task once, with the change itself.
	update(t, wf, func(w *trv1.Workflow) {
		w.Spec.Configuration.TaskRouting.DefaultFilter.QueueRef.Name = "second"
	})
	waitReady(t, wf)
	time.Sleep(2 * testSyncPeriod)
	if diff := cmp.Diff([]string{"Configuration,ReEvaluateTasks"}, reEvaluations(wf.Status.SID)); diff != "" {
		t.Fatalf("updates with ReEvaluateTasks after a routing change (-want +got):\n%s", diff)
	}
	remote, _ := emu.Admin().Workflow(ws.Status.SID, wf.Status.SID)
	if !strings.Contains(remote.Configuration, second.Status.SID) {
		t.Fatalf("emulator configuration %s does not route to the second queue", remote.Configuration)
	}

	// A generation that changes nothing in TaskRouter still re-evaluates once, on its own.
	update(t, wf, func(w *trv1.Workflow) { w.Spec.Statistics = everySecond() })
	waitReady(t, wf)
	eventually(t, "reEvaluatedGeneration follows the generation", func() (bool, string) {
		must(t, k8s.Get(ctx, keyOf(wf), wf))
		return wf.Status.ReEvaluatedGeneration == wf.Generation, ""
	})
	time.Sleep(2 * testSyncPeriod)
	if diff := cmp.Diff([]string{"Configuration,ReEvaluateTasks", "ReEvaluateTasks"}, reEvaluations(wf.Status.SID)); diff != "" {
		t.Fatalf("updates with ReEvaluateTasks after a spec change TaskRouter does not see (-want +got):\n%s", diff)
	}
}

func TestWorkflowFilterFriendlyNameIsOptional(t *testing.T) {
	ns := newNamespace(t)
	ws := readyWorkspace(t, ns)
	ctx := context.Background()
	q := taskQueue(ns, "q", "1==1")
	wf := workflow(ns, "unnamed", "q")
	wf.Spec.Configuration.TaskRouting.Filters[0].FilterFriendlyName = ""
	must(t, k8s.Create(ctx, q))
	must(t, k8s.Create(ctx, wf))
	waitReady(t, wf)
	remote, _ := emu.Admin().Workflow(ws.Status.SID, wf.Status.SID)
	var config struct {
		TaskRouting struct {
			Filters []map[string]any `json:"filters"`
		} `json:"task_routing"`
	}
	must(t, json.Unmarshal([]byte(remote.Configuration), &config))
	if len(config.TaskRouting.Filters) != 1 || config.TaskRouting.Filters[0]["filter_friendly_name"] != nil {
		t.Fatalf("emulator configuration %s: want one filter without filter_friendly_name", remote.Configuration)
	}
	time.Sleep(2 * testSyncPeriod)
	if n := countWrites(func(r emulator.Request) bool { return strings.HasSuffix(r.Path, "/Workflows/"+wf.Status.SID) }); n != 0 {
		t.Fatalf("an unnamed filter drifted: %d updates of the workflow", n)
	}
	if c := condition(t, wf, trv1.ConditionReady); c == nil || c.Status != metav1.ConditionTrue {
		t.Fatalf("workflow with an unnamed filter is not Ready: %+v", c)
	}
}
