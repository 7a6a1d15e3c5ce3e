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

package emulator

import (
	"context"
	"time"

	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator/simulation"
)

// Defaults of Simulate.
const (
	DefaultSimulateTick         = simulation.DefaultTick
	DefaultSimulateMaxOpenTasks = simulation.DefaultMaxOpenTasks
)

// SimulateOption tunes Simulate.
type SimulateOption = simulation.Option

// SimulateTick sets how often the simulation steps (default one second).
func SimulateTick(d time.Duration) SimulateOption { return simulation.Tick(d) }

// SimulateSeed makes the simulation's choices reproducible (default Config.Seed).
func SimulateSeed(seed int64) SimulateOption { return simulation.Seed(seed) }

// SimulateMaxOpenTasks caps the open tasks of a workspace (default 20).
func SimulateMaxOpenTasks(n int) SimulateOption { return simulation.MaxOpenTasks(n) }

// SimulateTicks drives the simulation from ticks instead of a timer: one step
// per value received; Simulate returns when the channel closes. Tests use it to
// step a simulation at the pace of an injected clock.
func SimulateTicks(ticks <-chan time.Time) SimulateOption { return simulation.Ticks(ticks) }

// Simulate keeps every workspace busy until ctx ends: tasks arrive on every
// workflow, agents accept, reject, wrap up and complete them, callers abandon
// waiting tasks and free workers change activity, so statistics move in a demo.
// It works on the state directly (no faults, no request records), with the
// emulator's clock for every timestamp, and is deterministic under a seed.
func (e *Emulator) Simulate(ctx context.Context, opts ...SimulateOption) {
	e.tasks.NewRun(opts...).Loop(ctx)
}
