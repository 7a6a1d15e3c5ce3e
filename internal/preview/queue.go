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
	"fmt"
	"slices"

	"github.com/taskrouter-operator/taskrouter-operator/internal/expression"
)

// QueueMatch compares the workers a TaskQueue selects today with those a
// proposed targetWorkers would select.
type QueueMatch struct {
	Queue Queue `json:"queue"`
	// Today is what the queue's targetWorkers selects now; nil for a queue that
	// does not exist in TaskRouter yet.
	Today *Selection `json:"today,omitempty"`
	// Proposed is what the new expression selects; nil when there is none.
	Proposed *Selection `json:"proposed,omitempty"`
	// Workers are the workers either selects, by name.
	Workers []WorkerMatch `json:"workers"`
}

// Selection is what one targetWorkers expression selects.
type Selection struct {
	TargetWorkers string `json:"targetWorkers"`
	Eligible      int    `json:"eligible"`
	Available     int    `json:"available"`
}

// WorkerMatch is one worker and which expression selects it.
type WorkerMatch struct {
	Name      string `json:"name"`
	SID       string `json:"sid"`
	Activity  string `json:"activity"`
	Available bool   `json:"available"`
	Today     bool   `json:"today"`
	Proposed  bool   `json:"proposed"`
}

// MatchQueue evaluates the queue's targetWorkers (when it exists in TaskRouter)
// and proposed (when not empty) against every worker.
func MatchQueue(q Queue, proposed string, workers []Worker) (QueueMatch, error) {
	out := QueueMatch{Queue: q, Workers: []WorkerMatch{}}
	today, err := selection(q.SID != "", "targetWorkers", q.TargetWorkers, &out.Today)
	if err != nil {
		return out, err
	}
	next, err := selection(proposed != "", "the proposed targetWorkers", proposed, &out.Proposed)
	if err != nil {
		return out, err
	}
	sorted := slices.Clone(workers)
	slices.SortStableFunc(sorted, byName)
	for _, w := range sorted {
		m := WorkerMatch{Name: w.Name, SID: w.SID, Activity: w.Activity, Available: w.Available,
			Today: today.count(w), Proposed: next.count(w)}
		if m.Today || m.Proposed {
			out.Workers = append(out.Workers, m)
		}
	}
	return out, nil
}

// selector is a parsed targetWorkers and the Selection it counts into; nil
// selects nothing and is not reported.
type selector struct {
	x     *expression.Expression
	total *Selection
}

// selection parses src when wanted and points *report at its Selection.
func selection(wanted bool, field, src string, report **Selection) (*selector, error) {
	if !wanted {
		return nil, nil
	}
	x, err := expression.Parse(src)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", field, err)
	}
	*report = &Selection{TargetWorkers: src}
	return &selector{x: x, total: *report}, nil
}

// count reports whether s selects w, and counts it.
func (s *selector) count(w Worker) bool {
	if s == nil || !s.x.Evaluate(w.Attributes) {
		return false
	}
	s.total.Eligible++
	if w.Available {
		s.total.Available++
	}
	return true
}
