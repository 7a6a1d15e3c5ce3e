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
	"fmt"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator"
	"github.com/taskrouter-operator/taskrouter-operator/internal/taskrouter"
)

// costFixture is a workspace of n queues in an emulator of its own, read the
// way the poller reads it: through capability tokens, the default auth mode.
type costFixture struct {
	emu  *emulator.Emulator
	wc   *taskrouter.WorkspaceClient
	ws   string
	plan statsPlan
}

func newCostFixture(tb testing.TB, queues int) *costFixture {
	tb.Helper()
	e := emulator.New(emulator.Config{Seed: 2})
	srv := httptest.NewServer(e)
	tb.Cleanup(srv.Close)
	ws, err := e.Admin().CreateWorkspace(url.Values{"FriendlyName": {"cost"}})
	if err != nil {
		tb.Fatal(err)
	}
	plan := newStatsPlan()
	plan.addWorkspace(defaultStatisticsMinutes, nil)
	for i := 0; i < queues; i++ {
		q, err := e.Admin().CreateTaskQueue(ws.SID, url.Values{"FriendlyName": {fmt.Sprintf("q%04d", i)}, "TargetWorkers": {"1==1"}})
		if err != nil {
			tb.Fatal(err)
		}
		plan.addQueue(q.SID, defaultStatisticsMinutes, nil)
	}
	client := taskrouter.New(taskrouter.Config{TaskRouterBaseURL: srv.URL, EventBridgeBaseURL: srv.URL, QPS: 1e6, Burst: 1e6})
	acct, err := client.Account(taskrouter.Credentials{AccountSID: emulator.DevAccountSID, AuthToken: emulator.DevAuthToken}, taskrouter.AuthCapabilityToken)
	if err != nil {
		tb.Fatal(err)
	}
	return &costFixture{emu: e, wc: acct.Workspace(ws.SID), ws: ws.SID, plan: plan}
}

// refresh runs one refresh and returns the TaskRouter calls it cost and the queues it read.
func (f *costFixture) refresh(tb testing.TB) (calls, queues int) {
	f.emu.ResetRequests()
	res, err := fetchStatistics(context.Background(), f.wc, f.plan)
	if err != nil {
		tb.Fatal(err)
	}
	calls = f.emu.CountRequests(func(r emulator.Request) bool { return strings.Contains(r.Path, f.ws) })
	return calls, len(res.queues[statsKey{minutes: defaultStatisticsMinutes}])
}

func TestRefreshOf120QueuesCostsAtMostThreeCalls(t *testing.T) {
	f := newCostFixture(t, 120)
	calls, queues := f.refresh(t)
	if queues != 120 {
		t.Fatalf("a refresh read %d queues, want 120", queues)
	}
	if calls > 3 {
		t.Fatalf("a refresh of 120 queues cost %d TaskRouter calls, want at most 3", calls)
	}
}

// TestChannelsAndThresholdsKeepTheRefreshFlat: per-channel figures cost one read per channel, for
// the workspace and for all its queues together, and queues asking different thresholds share a read.
func TestChannelsAndThresholdsKeepTheRefreshFlat(t *testing.T) {
	f := newCostFixture(t, 120)
	sids := f.plan.queues[statsKey{minutes: defaultStatisticsMinutes}].queues
	f.plan = newStatsPlan()
	f.plan.addWorkspace(defaultStatisticsMinutes, &trv1.SplitStatisticsSpec{TaskChannels: []string{"chat"}, SplitByWaitTime: []int32{20}})
	for i, sid := range sids {
		spec := &trv1.SplitStatisticsSpec{TaskChannels: []string{"chat", "voice"}, SplitByWaitTime: []int32{20}}
		if i%2 == 1 {
			spec.SplitByWaitTime = []int32{60, 20}
		}
		f.plan.addQueue(sid, defaultStatisticsMinutes, spec)
	}
	f.emu.ResetRequests()
	res, err := fetchStatistics(context.Background(), f.wc, f.plan)
	if err != nil {
		t.Fatal(err)
	}
	var calls []string
	for _, r := range f.emu.Requests() {
		calls = append(calls, strings.TrimPrefix(r.Path, "/v1/Workspaces/"+f.ws)+" "+r.Params.Get("TaskChannel")+" "+r.Params.Get("SplitByWaitTime"))
	}
	want := []string{"/Statistics  20", "/Statistics chat 20", "/TaskQueues/Statistics  20,60", "/TaskQueues/Statistics chat 20,60", "/TaskQueues/Statistics voice 20,60"}
	if diff := cmp.Diff(want, calls); diff != "" {
		t.Fatalf("calls of a refresh of 120 queues on 2 channels (-want +got):\n%s", diff)
	}
	for _, ch := range []string{"", "chat", "voice"} {
		if n := len(res.queues[statsKey{minutes: defaultStatisticsMinutes, channel: ch}]); n != 120 {
			t.Errorf("channel %q: figures of %d queues, want 120", ch, n)
		}
	}
}

// BenchmarkRefreshCalls reports the TaskRouter calls one workspace refresh costs
// (workspace statistics plus every queue) for N queues: 2 up to 1000 queues,
// then one more per further 1000 (TaskRouter's PageSize maximum).
func BenchmarkRefreshCalls(b *testing.B) {
	for _, n := range []int{1, 10, 120, 1000, 2500} {
		b.Run(fmt.Sprintf("queues=%d", n), func(b *testing.B) {
			f := newCostFixture(b, n)
			b.ResetTimer()
			var calls int
			for i := 0; i < b.N; i++ {
				calls, _ = f.refresh(b)
			}
			b.ReportMetric(float64(calls), "calls/refresh")
		})
	}
}
