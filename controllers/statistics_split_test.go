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
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator"
	"github.com/taskrouter-operator/taskrouter-operator/internal/taskrouter"
)

func TestServiceLevels(t *testing.T) {
	split := func(acceptedBelow, acceptedAbove, canceledBelow, canceledAbove taskrouter.Int) taskrouter.WaitTimeSplit {
		return taskrouter.WaitTimeSplit{
			Below: map[string]taskrouter.Int{"reservations_accepted": acceptedBelow, "tasks_canceled": canceledBelow},
			Above: map[string]taskrouter.Int{"reservations_accepted": acceptedAbove, "tasks_canceled": canceledAbove},
		}
	}
	percent := func(p int32) *int32 { return &p }
	tests := []struct {
		name       string
		split      map[string]taskrouter.WaitTimeSplit
		thresholds []int32
		want       []trv1.ServiceLevel
	}{
		{"abandons after the threshold count against, early ones do not; rounded down",
			map[string]taskrouter.WaitTimeSplit{"20": split(7, 1, 4, 1)}, []int32{20},
			[]trv1.ServiceLevel{{ThresholdSeconds: 20, ReservationsAcceptedWithin: 7, ReservationsAcceptedAfter: 1, TasksCanceledWithin: 4, TasksCanceledAfter: 1, ServiceLevelPercent: percent(77)}}},
		{"in the spec's order, and only the thresholds asked (a shared read carries more)",
			map[string]taskrouter.WaitTimeSplit{"20": split(1, 1, 0, 0), "60": split(2, 0, 0, 0), "90": split(2, 0, 0, 0)}, []int32{60, 20},
			[]trv1.ServiceLevel{{ThresholdSeconds: 60, ReservationsAcceptedWithin: 2, ServiceLevelPercent: percent(100)},
				{ThresholdSeconds: 20, ReservationsAcceptedWithin: 1, ReservationsAcceptedAfter: 1, ServiceLevelPercent: percent(50)}}},
		{"nothing answered or abandoned late: no percentage",
			map[string]taskrouter.WaitTimeSplit{"20": split(0, 0, 3, 0)}, []int32{20},
			[]trv1.ServiceLevel{{ThresholdSeconds: 20, TasksCanceledWithin: 3}}},
		{"a threshold TaskRouter did not answer is left out", map[string]taskrouter.WaitTimeSplit{}, []int32{20}, nil},
		{"no thresholds, no service levels", map[string]taskrouter.WaitTimeSplit{"20": split(1, 0, 0, 0)}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, serviceLevels(tt.split, tt.thresholds)); diff != "" {
				t.Errorf("service levels (-want +got):\n%s", diff)
			}
		})
	}
}

// TestChannelStatisticsAndServiceLevels: a queue and its workspace mirror per-channel figures and
// service levels equal to TaskRouter's own reads, and the hand count, and export them as gauges.
func TestChannelStatisticsAndServiceLevels(t *testing.T) {
	ns := newNamespace(t)
	ctx := context.Background()
	ws := readyWorkspace(t, ns, func(w *trv1.Workspace) {
		w.Spec.Statistics = everySecondSplit()
		w.Spec.Statistics.TaskChannels, w.Spec.Statistics.SplitByWaitTime = []string{"chat"}, []int32{20}
	})
	avail := activity(ns, "avail", true)
	support := taskQueue(ns, "support", "1==1")
	support.Spec.Statistics = everySecondSplit()
	support.Spec.Statistics.TaskChannels, support.Spec.Statistics.SplitByWaitTime = []string{"chat", "voice"}, []int32{60, 20}
	route := workflow(ns, "route", "support")
	ann := worker(ns, "ann", `{"skills":["support"]}`)
	ann.Spec.ActivityRef = &trv1.LocalObjectReference{Name: "avail"}
	ann.Spec.Channels = []trv1.WorkerChannelSpec{byName("chat", 2), byName("voice", 1)}
	for _, o := range []object{avail, support, route, ann} {
		must(t, k8s.Create(ctx, o))
	}
	for _, o := range []object{avail, support, route, ann} {
		waitReady(t, o)
	}
	// Three chats and a call: Ann takes two chats and the call (channels count apart), accepts one
	// chat and the call; the third chat's caller gives up while it waits.
	tasks := map[string]string{}
	for _, name := range []string{"chat1", "chat2", "chat3", "call"} {
		channel := "chat"
		if name == "call" {
			channel = "voice"
		}
		task, err := emu.Admin().CreateTask(ws.Status.SID, url.Values{"WorkflowSid": {route.Status.SID}, "TaskChannel": {channel},
			"Attributes": {fmt.Sprintf(`{"name":%q}`, name)}})
		must(t, err)
		tasks[name] = task.SID
	}
	must(t, emu.Admin().AcceptReservation(ws.Status.SID, tasks["chat1"]))
	must(t, emu.Admin().AcceptReservation(ws.Status.SID, tasks["call"]))
	_, err := emu.Admin().UpdateTask(ws.Status.SID, tasks["chat3"], url.Values{"AssignmentStatus": {"canceled"}, "Reason": {"hung up"}})
	must(t, err)

	acct, err := taskrouter.New(taskrouter.Config{TaskRouterBaseURL: base, EventBridgeBaseURL: base}).Account(taskrouter.Credentials{
		AccountSID: emulator.DevAccountSID, AuthToken: emulator.DevAuthToken}, taskrouter.AuthBasic)
	must(t, err)
	wc := acct.Workspace(ws.Status.SID)
	thresholds := support.Spec.Statistics.SplitByWaitTime
	eventually(t, "queue and workspace statistics equal TaskRouter's reads, per channel", func() (bool, string) {
		must(t, k8s.Get(ctx, keyOf(support), support))
		must(t, k8s.Get(ctx, keyOf(ws), ws))
		want := queueRead(t, wc, support.Status.SID, "", thresholds)
		for _, ch := range []string{"chat", "voice"} {
			s := queueRead(t, wc, support.Status.SID, ch, thresholds)
			want.Channels = append(want.Channels, trv1.TaskQueueChannelStatistics{TaskChannel: ch, Realtime: s.Realtime, Cumulative: s.Cumulative})
		}
		wsWant := workspaceRead(t, wc, "", []int32{20})
		chat := workspaceRead(t, wc, "chat", []int32{20})
		wsWant.Channels = []trv1.WorkspaceChannelStatistics{{TaskChannel: "chat", Realtime: chat.Realtime, Cumulative: chat.Cumulative}}
		if support.Status.Statistics == nil || ws.Status.Statistics == nil {
			return false, "no statistics yet"
		}
		diff := cmp.Diff(want, support.Status.Statistics, mirrorAge(support.Status.Statistics.StatisticsWindow)) +
			cmp.Diff(wsWant, ws.Status.Statistics, mirrorAge(ws.Status.Statistics.StatisticsWindow))
		return diff == "", diff
	})

	// The hand count: within 20 seconds, overall two accepted (a chat, the call) and one chat
	// abandoned early; on chat one accepted, one reserved, one abandoned.
	got := support.Status.Statistics
	level := func(levels []trv1.ServiceLevel) string {
		for _, l := range levels {
			if l.ThresholdSeconds == 20 && l.ServiceLevelPercent != nil {
				return fmt.Sprintf("accepted %d+%d canceled %d+%d: %d%%", l.ReservationsAcceptedWithin, l.ReservationsAcceptedAfter,
					l.TasksCanceledWithin, l.TasksCanceledAfter, *l.ServiceLevelPercent)
			}
		}
		return "no 20s level"
	}
	if diff := cmp.Diff([]string{"accepted 2+0 canceled 1+0: 100%", "accepted 1+0 canceled 1+0: 100%", "accepted 1+0 canceled 0+0: 100%"},
		[]string{level(got.Cumulative.ServiceLevel), level(got.Channels[0].Cumulative.ServiceLevel), level(got.Channels[1].Cumulative.ServiceLevel)}); diff != "" {
		t.Errorf("20s service levels: overall, chat, voice (-want +got):\n%s", diff)
	}
	// A canceled task counts in the real-time figures until it is deleted.
	if diff := cmp.Diff(map[string]int64{"assigned": 1, "reserved": 1, "canceled": 1}, openOnly(got.Channels[0].Realtime.TasksByStatus)); diff != "" {
		t.Errorf("chat tasks by status (-want +got):\n%s", diff)
	}

	body := scrape(t)
	labels := fmt.Sprintf(`name="support",namespace=%q,sid=%q`, ns, support.Status.SID)
	for _, want := range []string{
		fmt.Sprintf(`taskrouter_taskqueue_service_level_percent{channel="",%s,threshold="20",workspace="ws"} 100`, labels),
		fmt.Sprintf(`taskrouter_taskqueue_service_level_percent{channel="chat",%s,threshold="60",workspace="ws"} 100`, labels),
		fmt.Sprintf(`taskrouter_taskqueue_wait_time_split{channel="",name="support",namespace=%q,outcome="tasks_canceled",sid=%q,threshold="20",wait="within",workspace="ws"} 1`,
			ns, support.Status.SID),
		fmt.Sprintf(`taskrouter_taskqueue_channel_tasks{channel="chat",%s,status="reserved",workspace="ws"} 1`, labels),
		fmt.Sprintf(`taskrouter_workspace_service_level_percent{channel="chat",name="ws",namespace=%q,sid=%q,threshold="20",workspace="ws"} 100`, ns, ws.Status.SID),
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

// queueRead and workspaceRead are what TaskRouter serves for one channel ("" for all), converted.
func queueRead(t *testing.T, wc *taskrouter.WorkspaceClient, sid, channel string, thresholds []int32) *trv1.TaskQueueStatistics {
	t.Helper()
	all, err := wc.ListTaskQueueStatistics(context.Background(), splitQuery(channel, thresholds))
	must(t, err)
	for _, s := range all {
		if s.TaskQueueSID == sid {
			return taskQueueStatistics(s, defaultStatisticsMinutes, thresholds)
		}
	}
	t.Fatalf("no statistics for queue %s on channel %q", sid, channel)
	return nil
}

func workspaceRead(t *testing.T, wc *taskrouter.WorkspaceClient, channel string, thresholds []int32) *trv1.WorkspaceStatistics {
	t.Helper()
	s, err := wc.FetchWorkspaceStatistics(context.Background(), splitQuery(channel, thresholds))
	must(t, err)
	return workspaceStatistics(s, defaultStatisticsMinutes, thresholds)
}

func splitQuery(channel string, thresholds []int32) taskrouter.StatisticsQuery {
	q := window(defaultStatisticsMinutes)
	q.TaskChannel = channel
	for _, th := range thresholds {
		q.SplitByWaitTime = append(q.SplitByWaitTime, int(th))
	}
	return q
}
