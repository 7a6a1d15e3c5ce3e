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
	"bytes"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/expfmt"
)

// TestFiguresExposeAsGaugeVectors: the figures share label pairs between series and send them
// pre-sorted; what a scrape reads must be exactly what gauge vectors with the same labels and
// values expose, whatever order the objects' figures are set in.
func TestFiguresExposeAsGaugeVectors(t *testing.T) {
	queueA := Object{Namespace: "cc", Name: "sales", SID: "WQ1", Workspace: "ws"}
	queueB := Object{Namespace: "cc", Name: "support", SID: "WQ2", Workspace: "ws"}
	worker := Object{Namespace: "agents", Name: "alice", SID: "WK1", Workspace: "ws"}
	type set struct {
		figure func(*Figures) *Figure
		object Object
		extra  []string
		value  float64
	}
	sets := []set{
		{func(f *Figures) *Figure { return f.QueueTasks }, queueA, []string{"status", "pending"}, 3},
		{func(f *Figures) *Figure { return f.QueueTasks }, queueA, []string{"status", "assigned"}, 1},
		{func(f *Figures) *Figure { return f.QueueTasks }, queueB, []string{"status", "pending"}, 7},
		// Back to an object set before: its pairs are made again, not mixed with queueB's.
		{func(f *Figures) *Figure { return f.QueueLongestWait }, queueA, nil, 42},
		{func(f *Figures) *Figure { return f.QueueWaitTimeSplit }, queueB,
			[]string{"threshold", "30", "channel", "voice", "outcome", "accepted", "wait", "within"}, 9},
		{func(f *Figures) *Figure { return f.WorkerAvailable }, worker, []string{"activity", "Available"}, 1},
		// A label left out is empty, as With on a gauge vector would not allow but a mirror may do.
		{func(f *Figures) *Figure { return f.WorkerActivitySeconds }, worker, nil, 60},
		// Set twice in one scrape: the first value is served.
		{func(f *Figures) *Figure { return f.QueueTasks }, queueB, []string{"status", "pending"}, 8},
	}

	figures := prometheus.NewRegistry()
	figures.MustRegister(FiguresCollector(func(f *Figures) {
		for _, s := range sets {
			s.figure(f).With(s.object, s.extra...).Set(s.value)
		}
	}))

	vectors := prometheus.NewRegistry()
	reference := newFigures(nil)
	made := map[string]*prometheus.GaugeVec{}
	done := map[string]bool{}
	for _, s := range sets {
		f := s.figure(reference)
		vec, ok := made[f.name]
		if !ok {
			vec = prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: f.name, Help: "h"}, f.labels)
			vectors.MustRegister(vec)
			made[f.name] = vec
		}
		labels := prometheus.Labels{}
		for i, name := range objectLabels {
			labels[name] = s.object.value(i)
		}
		for _, name := range f.labels[len(objectLabels):] {
			labels[name] = extraValue(name, s.extra)
		}
		key := f.name + "|" + s.object.SID + "|" + labels["status"] + labels["activity"]
		if !done[key] {
			vec.With(labels).Set(s.value)
			done[key] = true
		}
	}

	if diff := cmp.Diff(exposition(t, vectors), exposition(t, figures)); diff != "" {
		t.Fatalf("figures' exposition differs from gauge vectors' (-vectors +figures):\n%s", diff)
	}
}

// exposition is a registry's series in the text format, without HELP lines (the reference's
// help texts are placeholders).
func exposition(t *testing.T, reg *prometheus.Registry) string {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	for _, f := range families {
		f.Help = nil
		if _, err := expfmt.MetricFamilyToText(&out, f); err != nil {
			t.Fatal(err)
		}
	}
	return out.String()
}

// BenchmarkFiguresScrape gathers the figures of 2,000 queues and 7,850 workers, the 10,000-object
// shape of make bench-scale: 29,850 series, all held by the registry until written out.
// B/op is what one scrape allocates.
func BenchmarkFiguresScrape(b *testing.B) {
	queues, workers := make([]Object, 2000), make([]Object, 7850)
	for i := range queues {
		queues[i] = Object{Namespace: "contact-center", Name: fmt.Sprintf("queue-%05d", i), SID: fmt.Sprintf("WQ%032d", i), Workspace: "contact-center"}
	}
	for i := range workers {
		workers[i] = Object{Namespace: "contact-center", Name: fmt.Sprintf("worker-%05d", i), SID: fmt.Sprintf("WK%032d", i), Workspace: "contact-center"}
	}
	statuses := []string{"pending", "reserved", "assigned", "wrapping"}
	reg := prometheus.NewRegistry()
	reg.MustRegister(FiguresCollector(func(f *Figures) {
		for _, q := range queues {
			for _, s := range statuses {
				f.QueueTasks.With(q, "status", s).Set(1)
			}
			for _, g := range []*Figure{f.QueueLongestWait, f.QueueAvailableWorkers, f.QueueEligibleWorkers,
				f.QueueTasksEntered, f.QueueTasksCanceled, f.QueueTasksCompleted, f.QueueAvgAcceptance} {
				g.With(q).Set(2)
			}
		}
		for _, w := range workers {
			f.WorkerAvailable.With(w, "activity", "Available").Set(1)
		}
	}))
	b.ReportAllocs()
	for b.Loop() {
		families, err := reg.Gather()
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for _, f := range families {
			n += len(f.GetMetric())
		}
		if want := len(queues)*(len(statuses)+7) + len(workers); n != want {
			b.Fatalf("%d series gathered, want %d", n, want)
		}
	}
}
