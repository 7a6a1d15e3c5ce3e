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
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Shape is the mix of kinds per 1,000 objects; Workers take what is left after
// the one Workspace, the Activities, TaskQueues and Workflows.
type Shape struct {
	Activities, TaskQueues, Workflows float64
}

// DefaultShape is issue 11's: at N=1,000, 1 Workspace, 10 Activities, 200
// TaskQueues, 5 Workflows and 784 Workers.
var DefaultShape = Shape{Activities: 10, TaskQueues: 200, Workflows: 5}

// TaskRouter's per-workspace limits (NOTES.md).
const (
	// maxActivities: a workspace holds at most 100, and the Unavailable one a new workspace
	// comes with is not in the shape (Offline and Available are, adopted): 99 leaves room for it.
	maxActivities = 99
	maxTaskQueues = 5000
	// minActivities are the ones the shape refers to: Offline, Available, Break.
	minActivities = 3
)

// ParseShape reads "activities=10,taskqueues=200,workflows=5" (per 1,000 objects).
func ParseShape(spec string) (Shape, error) {
	s := DefaultShape
	for _, item := range strings.Split(spec, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		name, value, found := strings.Cut(item, "=")
		v, err := strconv.ParseFloat(value, 64)
		if !found || err != nil || v < 0 || math.IsNaN(v) {
			return Shape{}, fmt.Errorf("-shape %q: want kind=count per 1,000 objects, such as taskqueues=200", item)
		}
		switch name {
		case "activities":
			s.Activities = v
		case "taskqueues":
			s.TaskQueues = v
		case "workflows":
			s.Workflows = v
		default:
			return Shape{}, fmt.Errorf("-shape: unknown kind %q (known: activities, taskqueues, workflows; workers take the rest)", name)
		}
	}
	return s, nil
}

// String renders the shape in ParseShape's syntax.
func (s Shape) String() string {
	return fmt.Sprintf("activities=%g,taskqueues=%g,workflows=%g per 1,000 (workers: the rest)", s.Activities, s.TaskQueues, s.Workflows)
}

// Counts is how many objects of each kind a shape of N objects has.
type Counts struct {
	Workspaces, Activities, TaskQueues, Workflows, Workers int
}

// Total is the number of objects.
func (c Counts) Total() int {
	return c.Workspaces + c.Activities + c.TaskQueues + c.Workflows + c.Workers
}

// String reads like "1 Workspace, 10 Activities, ...".
func (c Counts) String() string {
	return fmt.Sprintf("1 Workspace, %d Activities, %d TaskQueues, %d Workflows, %d Workers",
		c.Activities, c.TaskQueues, c.Workflows, c.Workers)
}

// Counts scales the shape to n objects.
func (s Shape) Counts(n int) (Counts, error) {
	scaled := func(per1000 float64) int { return int(math.Round(per1000 * float64(n) / 1000)) }
	c := Counts{Workspaces: 1,
		Activities: min(max(scaled(s.Activities), minActivities), maxActivities),
		TaskQueues: min(max(scaled(s.TaskQueues), 1), maxTaskQueues),
		Workflows:  max(scaled(s.Workflows), 1),
	}
	c.Workflows = min(c.Workflows, c.TaskQueues) // every workflow routes to queues of its own
	c.Workers = n - c.Workspaces - c.Activities - c.TaskQueues - c.Workflows
	if c.Workers < 1 {
		return Counts{}, fmt.Errorf("%d objects leave no Workers after %d Activities, %d TaskQueues and %d Workflows: use a larger N or a smaller -shape",
			n, c.Activities, c.TaskQueues, c.Workflows)
	}
	return c, nil
}

// WritesNeeded is the fewest TaskRouter writes that bring a shape of these counts
// into an empty account, the floor of converging: one create per object except
// the built-in Activities the shape adopts (Offline, Available), plus one update
// of the Workspace, whose timeout activity (Break) cannot be set at create time
// because Break does not exist yet. Issue 11's N=1,000: 1,000 - 2 + 1 = 999.
func (c Counts) WritesNeeded() int {
	return c.Total() - adoptedBuiltins + 1
}

// adoptedBuiltins is how many of the shape's Activities are built in.
const adoptedBuiltins = 2
