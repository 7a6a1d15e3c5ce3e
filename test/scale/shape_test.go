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

package scale

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestCounts(t *testing.T) {
	for _, tc := range []struct {
		name   string
		shape  Shape
		n      int
		want   Counts
		writes int
		err    string
	}{
		{name: "issue 11's N=1,000", shape: DefaultShape, n: 1000,
			want: Counts{Workspaces: 1, Activities: 10, TaskQueues: 200, Workflows: 5, Workers: 784}, writes: 999},
		{name: "N=5,000 scales every kind", shape: DefaultShape, n: 5000,
			want: Counts{Workspaces: 1, Activities: 50, TaskQueues: 1000, Workflows: 25, Workers: 3924}, writes: 4999},
		{name: "N=100 keeps the three Activities the shape refers to", shape: DefaultShape, n: 100,
			want: Counts{Workspaces: 1, Activities: 3, TaskQueues: 20, Workflows: 1, Workers: 75}, writes: 99},
		{name: "N=20,000 stops at 99 Activities: with the workspace's own Unavailable, TaskRouter's 100 per workspace", shape: DefaultShape, n: 20000,
			want: Counts{Workspaces: 1, Activities: 99, TaskQueues: 4000, Workflows: 100, Workers: 15800}, writes: 19999},
		{name: "no Workers left", shape: Shape{Activities: 10, TaskQueues: 990, Workflows: 5}, n: 1000,
			err: "leave no Workers"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.shape.Counts(tc.n)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("Counts(%d) error %v, want one containing %q", tc.n, err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Counts(%d) (-want +got):\n%s", tc.n, diff)
			}
			if got.Total() != tc.n || got.WritesNeeded() != tc.writes {
				t.Errorf("Counts(%d): total %d, writes needed %d; want %d and %d", tc.n, got.Total(), got.WritesNeeded(), tc.n, tc.writes)
			}
		})
	}
}

func TestParseShapeAndPhases(t *testing.T) {
	shape, err := ParseShape("taskqueues=100, workflows=2")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(Shape{Activities: 10, TaskQueues: 100, Workflows: 2}, shape); diff != "" {
		t.Errorf("ParseShape (-want +got):\n%s", diff)
	}
	phases, err := ParsePhases("sweep,converge")
	if err != nil {
		t.Fatal(err)
	}
	if got := phases.String(); got != "converge,sweep" {
		t.Errorf("phases %q, want them in running order converge,sweep", got)
	}
	for spec, want := range map[string]string{
		"workers=10":      "unknown kind \"workers\"",
		"taskqueues=-1":   "want kind=count",
		"taskqueues":      "want kind=count",
		"phase:converge":  "unknown phase",
		" , ":             "-phases is empty",
		"converge,sweeps": "unknown phase \"sweeps\"",
	} {
		var err error
		if strings.Contains(want, "phase") {
			_, err = ParsePhases(spec)
		} else {
			_, err = ParseShape(spec)
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want one containing %q", spec, err, want)
		}
	}
}

func TestPlanRoutesEveryQueueOnce(t *testing.T) {
	counts, err := DefaultShape.Counts(1000)
	if err != nil {
		t.Fatal(err)
	}
	p := newPlan(counts)
	routed := map[string]int{}
	for _, wf := range p.workflows {
		for _, f := range wf.filters {
			routed[f.queue]++
		}
	}
	if len(routed) != counts.TaskQueues {
		t.Errorf("workflows route to %d queues, want all %d", len(routed), counts.TaskQueues)
	}
	for q, n := range routed {
		if n != 1 {
			t.Errorf("queue %s is routed by %d filters, want 1", q, n)
		}
	}
	// The Secret, then one resource per object.
	if got := len(p.objects()); got != counts.Total()+1 {
		t.Errorf("plan has %d objects, want %d resources and the Secret", got, counts.Total())
	}
}

func TestP95(t *testing.T) {
	var ds []time.Duration
	for i := 1; i <= 20; i++ {
		ds = append(ds, time.Duration(i)*time.Second)
	}
	for _, tc := range []struct {
		in   []time.Duration
		want time.Duration
	}{
		{nil, 0},
		{[]time.Duration{3 * time.Second}, 3 * time.Second},
		{ds, 19 * time.Second},
		// Of 20, the slowest is beyond the 95th percentile; of 10, it is the 95th.
		{append([]time.Duration{time.Hour}, ds[:19]...), 19 * time.Second},
		{append([]time.Duration{time.Hour}, ds[:9]...), time.Hour},
	} {
		if got := p95(tc.in); got != tc.want {
			t.Errorf("p95 of %d durations = %s, want %s", len(tc.in), got, tc.want)
		}
	}
}
