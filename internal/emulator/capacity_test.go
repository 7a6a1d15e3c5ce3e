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
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/taskrouter-operator/taskrouter-operator/internal/capability"
)

// channelFigures are what a test reads of a WorkerChannel answer.
type channelFigures struct {
	Capacity, Assigned, FreePercent float64
	Available                       bool
}

func figuresOf(m map[string]any) channelFigures {
	f := channelFigures{Available: m["available"] == true}
	f.Capacity, _ = m["configured_capacity"].(float64)
	f.Assigned, _ = m["assigned_tasks"].(float64)
	f.FreePercent, _ = m["available_capacity_percentage"].(float64)
	return f
}

// TestWorkerChannels checks the WorkerChannel resource: one channel per
// TaskChannel on every worker, new channels appearing on every worker, fetch
// by SID or unique name, and updates within TaskRouter's bounds.
func TestWorkerChannels(t *testing.T) {
	h := newHarness(t, Config{})
	ws := h.workspace("worker-channels")
	base := "/v1/Workspaces/" + ws
	ann := h.mustCreate(base+"/Workers", vals("FriendlyName", "ann")).str("sid")
	channels := base + "/Workers/" + ann + "/Channels"
	list := h.call(http.MethodGet, channels, nil)
	records, _ := list.body["channels"].([]any)
	var names []string
	for _, r := range records {
		m := r.(map[string]any)
		names = append(names, m["task_channel_unique_name"].(string))
		if f := figuresOf(m); f != (channelFigures{Capacity: 1, FreePercent: 100, Available: true}) {
			t.Errorf("new channel %s: %+v, want capacity 1, available, 100%% free", m["task_channel_unique_name"], f)
		}
	}
	if d := cmp.Diff([]string{"default", "voice", "chat", "sms", "video"}, names); d != "" {
		t.Errorf("a new worker's channels (-want +got):\n%s", d)
	}
	h.mustCreate(base+"/TaskChannels", vals("FriendlyName", "Fax", "UniqueName", "fax"))
	ben := h.mustCreate(base+"/Workers", vals("FriendlyName", "ben")).str("sid")
	for _, worker := range []string{ann, ben} {
		if wc, found := h.emu.Admin().WorkerChannel(ws, worker, "fax"); !found || wc.ConfiguredCapacity != 1 || !wc.Available {
			t.Errorf("worker %s's fax channel: %+v found=%v", worker, wc, found)
		}
	}
	chat := h.call(http.MethodGet, channels+"/chat", nil)
	bySID := h.call(http.MethodGet, channels+"/"+chat.str("sid"), nil)
	if chat.status != 200 || !strings.HasPrefix(chat.str("sid"), "WC") || bySID.str("task_channel_unique_name") != "chat" {
		t.Errorf("fetch by unique name %d %s; by SID %d %s", chat.status, chat.raw, bySID.status, bySID.raw)
	}
	updated := h.call(http.MethodPost, channels+"/chat", vals("Capacity", "3", "Available", "false"))
	if f := figuresOf(updated.body); updated.status != 200 || f != (channelFigures{Capacity: 3}) {
		t.Errorf("update: %d %+v, want capacity 3, unavailable, 0%% free", updated.status, f)
	}
	for _, bad := range []struct{ path, param, value, message string }{
		{channels + "/chat", "Capacity", "51", "Capacity is out of range: it must be between 0 and 50"},
		{channels + "/chat", "Capacity", "-1", "between 0 and 50"},
		{channels + "/chat", "Available", "maybe", "Available"},
	} {
		if got := h.call(http.MethodPost, bad.path, vals(bad.param, bad.value)); got.status != 400 || !strings.Contains(got.str("message"), bad.message) {
			t.Errorf("%s=%s: %d %q, want 400 containing %q", bad.param, bad.value, got.status, got.str("message"), bad.message)
		}
	}
	for _, path := range []string{channels + "/pager", base + "/Workers/WK" + strings.Repeat("0", 32) + "/Channels"} {
		if got := h.call(http.MethodGet, path, nil); got.status != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, got.status)
		}
	}
}

// TestWorkerChannelsThroughChannel reads and updates a worker's channel with a
// capability token, and checks the payloads against the spec.
func TestWorkerChannelsThroughChannel(t *testing.T) {
	h := newHarness(t, Config{})
	ws := h.workspace("worker-channels-token")
	worker := h.mustCreate("/v1/Workspaces/"+ws+"/Workers", vals("FriendlyName", "ann")).str("sid")
	m := h.minter()
	policies, err := m.URLs.WorkspacePolicies(ws, capability.WorkspaceFetchSubresources, capability.WorkspaceUpdatesSubresources)
	if err != nil {
		t.Fatal(err)
	}
	token := h.mint(m, ws, ws, policies, time.Hour)
	channels := "/v1/Workspaces/" + ws + "/Workers/" + worker + "/Channels"
	for _, s := range []struct {
		method, path string
		params       map[string]any
		event        string
	}{
		{"GET", channels, nil, "worker_channel.listed"},
		{"GET", channels + "/sms", nil, "worker_channel.fetched"},
		{"POST", channels + "/sms", map[string]any{"Capacity": 4}, "worker_channel.updated"},
	} {
		got := h.channelCall(h.emu.cfg.AccountSID, ws, token, s.method, s.path, s.params)
		if got.status != 200 || got.str("event_type") != s.event {
			t.Fatalf("%s %s: %d %s", s.method, s.path, got.status, got.raw)
		}
		h.payloadMeetsSpec(s.method, s.path, 200, got)
	}
	if wc, _ := h.emu.Admin().WorkerChannel(ws, worker, "sms"); wc.ConfiguredCapacity != 4 {
		t.Errorf("sms capacity after the channel update: %d, want 4", wc.ConfiguredCapacity)
	}
}

// capacityFixture is a workspace with the FIFO sample routing and one
// available worker; multiTask says whether the workspace multitasks.
type capacityFixture struct {
	h          *harness
	ws, worker string
}

func newCapacityFixture(t *testing.T, multiTask string) capacityFixture {
	h := newHarness(t, Config{})
	ws := h.mustCreate("/v1/Workspaces", vals("FriendlyName", "capacity", "Template", "FIFO", "MultiTaskEnabled", multiTask)).str("sid")
	worker := h.mustCreate("/v1/Workspaces/"+ws+"/Workers", vals("FriendlyName", "ann",
		"ActivitySid", h.activitySID(ws, "Available"))).str("sid")
	return capacityFixture{h: h, ws: ws, worker: worker}
}

// task creates a task on channel and returns its SID.
func (f capacityFixture) task(channel string) string {
	f.h.t.Helper()
	task, err := f.h.emu.Admin().CreateTask(f.ws, vals("TaskChannel", channel))
	if err != nil {
		f.h.t.Fatal(err)
	}
	return task.SID
}

// statuses returns each task's assignment status.
func (f capacityFixture) statuses(tasks ...string) []string {
	var out []string
	for _, sid := range tasks {
		task, _ := f.h.emu.Admin().Task(f.ws, sid)
		out = append(out, task.AssignmentStatus)
	}
	return out
}

func (f capacityFixture) channel(name string) channelFigures {
	f.h.t.Helper()
	return figuresOf(f.h.call(http.MethodGet, "/v1/Workspaces/"+f.ws+"/Workers/"+f.worker+"/Channels/"+name, nil).body)
}

// TestRoutingHonoursChannelCapacity reserves tasks to a multitasking worker up
// to each channel's capacity, never on an unavailable channel, and again as
// room appears; assigned_tasks follows acceptance and completion.
func TestRoutingHonoursChannelCapacity(t *testing.T) {
	f := newCapacityFixture(t, "true")
	admin := f.h.emu.Admin()
	if _, err := admin.UpdateWorkerChannel(f.ws, f.worker, "chat", vals("Capacity", "2")); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.UpdateWorkerChannel(f.ws, f.worker, "voice", vals("Available", "false")); err != nil {
		t.Fatal(err)
	}
	chat1, chat2, chat3, voice := f.task("chat"), f.task("chat"), f.task("chat"), f.task("voice")
	steps := []struct {
		name       string
		act        func() error
		want       []string
		chatFigure channelFigures
	}{
		{"two chats fill a capacity of 2; voice is unavailable", func() error { return nil },
			[]string{TaskReserved, TaskReserved, TaskPending, TaskPending}, channelFigures{Capacity: 2, Available: true}},
		{"voice becomes available", func() error {
			_, err := admin.UpdateWorkerChannel(f.ws, f.worker, "voice", vals("Available", "true"))
			return err
		}, []string{TaskReserved, TaskReserved, TaskPending, TaskReserved}, channelFigures{Capacity: 2, Available: true}},
		{"the first chat is accepted", func() error { return admin.AcceptReservation(f.ws, chat1) },
			[]string{TaskAssigned, TaskReserved, TaskPending, TaskReserved}, channelFigures{Capacity: 2, Assigned: 1, Available: true}},
		{"it wraps up and still holds its place", func() error {
			_, err := admin.UpdateTask(f.ws, chat1, vals("AssignmentStatus", "wrapping"))
			return err
		}, []string{TaskWrapping, TaskReserved, TaskPending, TaskReserved}, channelFigures{Capacity: 2, Assigned: 1, Available: true}},
		{"completing it makes room for the third chat", func() error {
			_, err := admin.UpdateTask(f.ws, chat1, vals("AssignmentStatus", "completed"))
			return err
		}, []string{TaskCompleted, TaskReserved, TaskReserved, TaskReserved}, channelFigures{Capacity: 2, Available: true}},
		{"the third chat is rejected; capacity 3 leaves a third free", func() error {
			if err := admin.RejectReservation(f.ws, chat3); err != nil {
				return err
			}
			_, err := admin.UpdateWorkerChannel(f.ws, f.worker, "chat", vals("Capacity", "3"))
			return err
		}, []string{TaskCompleted, TaskReserved, TaskPending, TaskReserved}, channelFigures{Capacity: 3, FreePercent: 66, Available: true}},
	}
	for _, s := range steps {
		if err := s.act(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if d := cmp.Diff(s.want, f.statuses(chat1, chat2, chat3, voice)); d != "" {
			t.Errorf("%s: statuses of chat1, chat2, chat3, voice (-want +got):\n%s", s.name, d)
		}
		if got := f.channel("chat"); got != s.chatFigure {
			t.Errorf("%s: chat channel %+v, want %+v", s.name, got, s.chatFigure)
		}
	}
}

// TestSingleTaskingWorkspace gives a worker of a workspace without
// multitasking one task at a time, whatever its channels' capacities.
func TestSingleTaskingWorkspace(t *testing.T) {
	f := newCapacityFixture(t, "false")
	admin := f.h.emu.Admin()
	if _, err := admin.UpdateWorkerChannel(f.ws, f.worker, "chat", vals("Capacity", "5")); err != nil {
		t.Fatal(err)
	}
	chat1, chat2, voice := f.task("chat"), f.task("chat"), f.task("voice")
	if d := cmp.Diff([]string{TaskReserved, TaskPending, TaskPending}, f.statuses(chat1, chat2, voice)); d != "" {
		t.Errorf("one task at a time (-want +got):\n%s", d)
	}
	if err := admin.AcceptReservation(f.ws, chat1); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.UpdateTask(f.ws, chat1, vals("AssignmentStatus", "completed")); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{TaskCompleted, TaskReserved, TaskPending}, f.statuses(chat1, chat2, voice)); d != "" {
		t.Errorf("after completing the first (-want +got):\n%s", d)
	}
}

// TestAssignTasks sets what a worker's channel holds through Admin, whatever
// its capacity, and refuses what TaskRouter could not hold.
func TestAssignTasks(t *testing.T) {
	f := newCapacityFixture(t, "true")
	admin := f.h.emu.Admin()
	tasks, err := admin.AssignTasks(f.ws, f.worker, "sms", 3)
	if err != nil || len(tasks) != 3 || tasks[0].AssignmentStatus != TaskAssigned || tasks[0].WorkerSID != f.worker {
		t.Fatalf("AssignTasks: %+v %v", tasks, err)
	}
	if got := f.channel("sms"); got != (channelFigures{Capacity: 1, Assigned: 3, Available: true}) {
		t.Errorf("sms after assigning 3 over a capacity of 1: %+v", got)
	}
	for _, bad := range []struct {
		worker, channel string
		n               int
	}{{f.worker, "fax", 1}, {f.worker, "sms", 0}, {f.worker, "sms", 51}, {"WK" + strings.Repeat("0", 32), "sms", 1}} {
		if _, err := admin.AssignTasks(f.ws, bad.worker, bad.channel, bad.n); err == nil {
			t.Errorf("AssignTasks(%s, %s, %d) succeeded", bad.worker, bad.channel, bad.n)
		}
	}
}

// TestStatisticsByChannel plays chats and a voice call on one multitasking
// worker and reads the statistics of each channel, with SplitByWaitTime, over
// REST and the channel; a queue's available workers count, per channel, only
// workers with room on it.
func TestStatisticsByChannel(t *testing.T) {
	f := newCapacityFixture(t, "true")
	h, admin := f.h, f.h.emu.Admin()
	at := func(seconds int) { h.clock.now = time.Date(2026, 3, 1, 12, 0, seconds, 0, time.UTC) }
	if _, err := admin.UpdateWorkerChannel(f.ws, f.worker, "chat", vals("Capacity", "2")); err != nil {
		t.Fatal(err)
	}
	at(0)
	chat1 := f.task("chat") // reserved at once
	at(10)
	voice := f.task("voice") // reserved at once: another channel
	at(20)
	chat2 := f.task("chat") // reserved: the chat capacity is 2
	at(30)
	if err := admin.AcceptReservation(f.ws, chat1); err != nil { // waited 30 s
		t.Fatal(err)
	}
	at(40)
	if _, err := admin.UpdateTask(f.ws, voice, vals("AssignmentStatus", "canceled")); err != nil { // waited 40 s
		t.Fatal(err)
	}
	at(50)
	if err := admin.AcceptReservation(f.ws, chat2); err != nil { // waited 30 s
		t.Fatal(err)
	}
	at(60)
	split := func(canceledAbove, acceptedAbove, canceledBelow, acceptedBelow float64) map[string]any {
		return map[string]any{"above": map[string]any{"tasks_canceled": canceledAbove, "reservations_accepted": acceptedAbove},
			"below": map[string]any{"tasks_canceled": canceledBelow, "reservations_accepted": acceptedBelow}}
	}
	want := map[string]map[string]any{
		"chat": {"tasks_created": 2.0, "reservations_created": 2.0, "reservations_accepted": 2.0, "tasks_canceled": 0.0,
			"split_by_wait_time": map[string]any{"20": split(0, 2, 0, 0), "60": split(0, 0, 0, 2)}},
		"voice": {"tasks_created": 1.0, "reservations_created": 1.0, "reservations_canceled": 1.0, "tasks_canceled": 1.0,
			"split_by_wait_time": map[string]any{"20": split(1, 0, 0, 0), "60": split(0, 0, 1, 0)}},
	}
	wantRealtime := map[string]map[string]any{
		"chat":  {"total_tasks": 2.0, "tasks_by_status": statuses(0, 0, 2, 0, 0, 0)},
		"voice": {"total_tasks": 1.0, "tasks_by_status": statuses(0, 0, 0, 0, 0, 1)},
	}
	base := "/v1/Workspaces/" + f.ws
	m := h.minter()
	token := h.mint(m, f.ws, f.ws, m.URLs.StatisticsScope("Workspaces/"+f.ws+"/Statistics"), time.Hour)
	for channel := range want {
		query := vals("TaskChannel", channel, "SplitByWaitTime", "20,60")
		rest := h.call(http.MethodGet, base+"/Statistics", query)
		viaToken := h.channelCall(h.emu.cfg.AccountSID, f.ws, token, http.MethodGet, base+"/Statistics?"+query.Encode(), nil)
		payload, _ := viaToken.body["payload"].(map[string]any)
		for how, stats := range map[string]map[string]any{"REST": rest.body, "channel": payload} {
			cum, _ := stats["cumulative"].(map[string]any)
			rt, _ := stats["realtime"].(map[string]any)
			diffFigures(t, how+" "+channel+" cumulative", cum, want[channel])
			diffFigures(t, how+" "+channel+" real-time", rt, wantRealtime[channel])
		}
	}
	queue := admin.TaskQueues(f.ws)[0].SID
	for channel, available := range map[string]float64{"": 1, "chat": 0, "voice": 1} {
		got := h.call(http.MethodGet, base+"/TaskQueues/"+queue+"/RealTimeStatistics", vals("TaskChannel", channel))
		if got.body["total_available_workers"] != available {
			t.Errorf("queue real-time TaskChannel=%q: total_available_workers %v, want %v", channel, got.body["total_available_workers"], available)
		}
	}
	workers := h.call(http.MethodGet, base+"/Workers/CumulativeStatistics", vals("TaskChannel", "voice"))
	diffFigures(t, "workers cumulative on voice", workers.body, map[string]any{"reservations_created": 1.0,
		"reservations_canceled": 1.0, "reservations_accepted": 0.0})
}
