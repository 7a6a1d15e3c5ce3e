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

package preview

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var t0 = time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)

// workforce: Ana and Bea speak Spanish; Bea has been available longest; Cy is offline.
var workforce = []Worker{
	{SID: "WK1", Name: "Ana", Activity: "Available", Available: true, StatusChanged: t0.Add(2 * time.Minute),
		Attributes: map[string]any{"languages": []any{"es", "en"}, "level": 2.0}},
	{SID: "WK2", Name: "Bea", Activity: "Available", Available: true, StatusChanged: t0,
		Attributes: map[string]any{"languages": []any{"es"}, "level": 1.0}},
	{SID: "WK3", Name: "Cy", Activity: "Offline", Available: false, StatusChanged: t0,
		Attributes: map[string]any{"languages": []any{"en"}, "level": 5.0}},
}

var (
	spanish  = Queue{Name: "Spanish", SID: "WQ1", TargetWorkers: `languages HAS "es"`}
	everyone = Queue{Name: "Everyone", SID: "WQ2", TargetWorkers: "1==1"}
)

func ptr[T any](v T) *T { return &v }

func TestRoute(t *testing.T) {
	routing := Routing{
		Filters: []Filter{
			{Name: "Senior", Expression: `tier == "gold"`, Targets: []Target{
				{Queue: spanish, Expression: "worker.level >= task.minLevel", SkipIf: "workers.available == 0", Priority: ptr[int32](10)},
				{Queue: everyone, OrderBy: "worker.level DESC", Timeout: ptr[int32](30)},
			}},
			{Name: "Spanish", Expression: `language == "es"`, Targets: []Target{{Queue: spanish}}},
			{Name: "Ana only", Expression: `vip == true`, Targets: []Target{{Queue: everyone, KnownWorkerFriendlyName: "ana"}}},
		},
		Default: &Target{Queue: everyone},
	}
	tests := []struct {
		name string
		task map[string]any
		want TaskRoute
	}{
		{"the longest available first", map[string]any{"language": "es"}, TaskRoute{
			Filter:  &MatchedFilter{Index: 1, Name: "Spanish", Expression: `language == "es"`},
			Targets: []TargetResult{{Step: "filters[1].targets[0]", Queue: spanish, Chosen: true, Eligible: 2, Available: 2, InLine: []string{"Bea", "Ana"}}},
			Queue:   &spanish, Next: "Bea"}},
		{"a target expression with task keys", map[string]any{"tier": "gold", "minLevel": 2.0}, TaskRoute{
			Filter: &MatchedFilter{Index: 0, Name: "Senior", Expression: `tier == "gold"`},
			Targets: []TargetResult{
				{Step: "filters[0].targets[0]", Queue: spanish, Priority: ptr[int32](10), Expression: "worker.level >= task.minLevel",
					SkipIf: "workers.available == 0", Chosen: true, Eligible: 1, Available: 1, InLine: []string{"Ana"}},
				{Step: "filters[0].targets[1]", Queue: everyone, Timeout: ptr[int32](30), OrderBy: "worker.level DESC",
					Eligible: 3, Available: 2, InLine: []string{"Ana", "Bea"}},
			},
			Queue: &spanish, Next: "Ana"}},
		{"skipIf passes a target by", map[string]any{"tier": "gold", "minLevel": 3.0}, TaskRoute{
			Filter: &MatchedFilter{Index: 0, Name: "Senior", Expression: `tier == "gold"`},
			Targets: []TargetResult{
				{Step: "filters[0].targets[0]", Queue: spanish, Priority: ptr[int32](10), Expression: "worker.level >= task.minLevel",
					SkipIf: "workers.available == 0", Skipped: true, InLine: []string{}},
				{Step: "filters[0].targets[1]", Queue: everyone, Timeout: ptr[int32](30), OrderBy: "worker.level DESC",
					Chosen: true, Eligible: 3, Available: 2, InLine: []string{"Ana", "Bea"}},
			},
			Queue: &everyone, Next: "Ana"}},
		{"a known worker, named regardless of case", map[string]any{"vip": true}, TaskRoute{
			Filter: &MatchedFilter{Index: 2, Name: "Ana only", Expression: "vip == true"},
			Targets: []TargetResult{{Step: "filters[2].targets[0]", Queue: everyone, KnownWorkerFriendlyName: "ana",
				Chosen: true, Eligible: 1, Available: 1, InLine: []string{"Ana"}}},
			Queue: &everyone, Next: "Ana"}},
		{"no filter: the default filter", map[string]any{"language": "fr"}, TaskRoute{
			Targets: []TargetResult{{Step: "defaultFilter", Queue: everyone, Chosen: true, Eligible: 3, Available: 2, InLine: []string{"Bea", "Ana"}}},
			Queue:   &everyone, Next: "Bea"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Route(routing, Task{Attributes: tt.task}, Workforce{Workers: workforce, MultiTask: true})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("route (-want +got):\n%s", diff)
			}
		})
	}
}

// Every target of the matched filter skipped sends the task to the default filter; without one it
// waits with no queue.
func TestRouteWhenEveryTargetIsSkipped(t *testing.T) {
	routing := Routing{Filters: []Filter{{Name: "All", Expression: "1==1", Targets: []Target{{Queue: spanish, SkipIf: "workers.available > 0"}}}}}
	staff := Workforce{Workers: workforce, MultiTask: true}
	got, err := Route(routing, Task{}, staff)
	if err != nil {
		t.Fatal(err)
	}
	if got.Queue != nil || got.Next != "" || len(got.Targets) != 1 || !got.Targets[0].Skipped {
		t.Errorf("got %+v, want the one target skipped and no queue", got)
	}
	routing.Default = &Target{Queue: everyone}
	got, err = Route(routing, Task{}, staff)
	if err != nil {
		t.Fatal(err)
	}
	if got.Queue == nil || got.Queue.Name != "Everyone" || len(got.Targets) != 2 || got.Targets[1].Step != "defaultFilter" {
		t.Errorf("got %+v, want the default filter after the skipped target", got)
	}
}

func TestRouteNamesTheBadExpression(t *testing.T) {
	tests := []struct {
		routing Routing
		want    string
	}{
		{Routing{Filters: []Filter{{Name: "x", Expression: "a ==", Targets: []Target{{Queue: everyone}}}}},
			`filters[0] (x) expression: at position 4: expected a value after "==", found end of expression`},
		{Routing{Filters: []Filter{{Name: "x", Expression: "1==1", Targets: []Target{{Queue: everyone, Expression: "level > 2"}}}}},
			`filters[0].targets[0].expression: at position 0: key "level" must start with one of "worker.", "task.", "taskrouter."`},
		{Routing{Default: &Target{Queue: Queue{Name: "Bad", TargetWorkers: "skills HAS"}}},
			`defaultFilter: TaskQueue "Bad" targetWorkers: at position 10: expected a value after "HAS", found end of expression`},
		{Routing{Filters: []Filter{{Name: "x", Expression: "1==1", Targets: []Target{{Queue: everyone, OrderBy: "level"}}}}},
			`filters[0].targets[0].orderBy: at position 0: key "level" must start with "worker."`},
	}
	for _, tt := range tests {
		_, err := Route(tt.routing, Task{}, Workforce{Workers: workforce})
		if err == nil || err.Error() != tt.want {
			t.Errorf("error %v, want %q", err, tt.want)
		}
	}
}

func TestMatchQueue(t *testing.T) {
	got, err := MatchQueue(spanish, "level >= 2", workforce)
	if err != nil {
		t.Fatal(err)
	}
	want := QueueMatch{Queue: spanish,
		Today:    &Selection{TargetWorkers: `languages HAS "es"`, Eligible: 2, Available: 2},
		Proposed: &Selection{TargetWorkers: "level >= 2", Eligible: 2, Available: 1},
		Workers: []WorkerMatch{
			{Name: "Ana", SID: "WK1", Activity: "Available", Available: true, Today: true, Proposed: true},
			{Name: "Bea", SID: "WK2", Activity: "Available", Available: true, Today: true},
			{Name: "Cy", SID: "WK3", Activity: "Offline", Proposed: true},
		}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("match (-want +got):\n%s", diff)
	}
	planned := Queue{Name: "New", TargetWorkers: "level > 4"}
	got, err = MatchQueue(planned, "", workforce)
	if err != nil {
		t.Fatal(err)
	}
	if got.Today != nil || got.Proposed != nil || len(got.Workers) != 0 {
		t.Errorf("a queue not in TaskRouter without a proposal: %+v, want nothing selected", got)
	}
	if _, err := MatchQueue(spanish, "level >", workforce); err == nil ||
		err.Error() != `the proposed targetWorkers: at position 7: expected a value after ">", found end of expression` {
		t.Errorf("error %v", err)
	}
}
