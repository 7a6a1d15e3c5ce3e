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
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	clocktesting "k8s.io/utils/clock/testing"
)

// simulated runs a seeded simulation of one FIFO workspace with four workers
// for the given ticks, one emulator second apart, and returns the workspace's
// statistics, its tasks and the emulator.
func simulated(t *testing.T, seed int64, ticks int) (map[string]any, []Task) {
	t.Helper()
	clock := clocktesting.NewFakeClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	emu := New(Config{Now: clock.Now})
	admin := emu.Admin()
	ws, err := admin.CreateWorkspace(url.Values{"FriendlyName": {"demo"}, "Template": {"FIFO"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"ann", "ben", "cid", "dee"} {
		if _, err := admin.CreateWorker(ws.SID, url.Values{"FriendlyName": {name}}); err != nil {
			t.Fatal(err)
		}
	}
	// Stepping in this goroutine keeps the clock still during each step.
	sim := emu.tasks.NewRun(SimulateSeed(seed), SimulateMaxOpenTasks(5))
	for i := 0; i < ticks; i++ {
		clock.Step(time.Second)
		sim.Step()
	}
	req := httptest.NewRequest(http.MethodGet, "/v1/Workspaces/"+ws.SID+"/Statistics?Minutes=60", nil)
	req.SetBasicAuth(DevAccountSID, DevAuthToken)
	rec := httptest.NewRecorder()
	emu.ServeHTTP(rec, req)
	var stats map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &stats); err != nil || rec.Code != http.StatusOK {
		t.Fatalf("statistics: %d %s", rec.Code, rec.Body)
	}
	return stats, admin.Tasks(ws.SID)
}

// TestSimulateMovesStatistics steps a simulation and sees tasks arrive, get
// accepted and completed, within the open-task cap.
func TestSimulateMovesStatistics(t *testing.T) {
	before, _ := simulated(t, 7, 0)
	after, tasks := simulated(t, 7, 60)
	counters := []string{"tasks_created", "reservations_created", "reservations_accepted", "tasks_completed"}
	for _, k := range counters {
		if before["cumulative"].(map[string]any)[k] != 0.0 {
			t.Errorf("%s before the simulation: %v, want 0", k, before["cumulative"].(map[string]any)[k])
		}
		if got, _ := after["cumulative"].(map[string]any)[k].(float64); got <= 0 {
			t.Errorf("%s after 60 ticks: %v, want more than 0", k, got)
		}
	}
	open := 0
	for _, task := range tasks {
		if task.Open() {
			open++
		}
	}
	if open > 5 {
		t.Errorf("%d open tasks, want at most the cap of 5", open)
	}
}

// TestSimulateRunsOnTicks runs Simulate itself on a tick channel: it steps once
// per tick and returns when the channel closes.
func TestSimulateRunsOnTicks(t *testing.T) {
	emu := New(Config{Now: func() time.Time { return time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC) }})
	ws, err := emu.Admin().CreateWorkspace(url.Values{"FriendlyName": {"ticks"}, "Template": {"FIFO"}})
	if err != nil {
		t.Fatal(err)
	}
	tick := make(chan time.Time)
	done := make(chan struct{})
	go func() {
		defer close(done)
		emu.Simulate(context.Background(), SimulateTicks(tick), SimulateSeed(1), SimulateMaxOpenTasks(3))
	}()
	for i := 0; i < 10; i++ {
		tick <- time.Time{}
	}
	close(tick)
	<-done
	open := 0
	for _, task := range emu.Admin().Tasks(ws.SID) {
		if task.Open() {
			open++
		}
	}
	if open != 3 {
		t.Errorf("%d open tasks after 10 ticks with no worker to take them, want the cap of 3", open)
	}
}

// TestSimulateIsDeterministic gets the same figures from the same seed.
func TestSimulateIsDeterministic(t *testing.T) {
	figures := func(stats map[string]any) map[string]any {
		cum := stats["cumulative"].(map[string]any)
		return map[string]any{"cumulative": pick(cum, "tasks_created", "tasks_completed", "tasks_canceled",
			"reservations_created", "reservations_accepted", "reservations_rejected", "avg_task_acceptance_time"),
			"by_status": stats["realtime"].(map[string]any)["tasks_by_status"]}
	}
	first, _ := simulated(t, 42, 40)
	second, _ := simulated(t, 42, 40)
	if d := cmp.Diff(figures(first), figures(second)); d != "" {
		t.Errorf("same seed, different figures (-first +second):\n%s", d)
	}
}
