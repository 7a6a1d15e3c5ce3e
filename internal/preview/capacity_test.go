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

// channels builds a worker's channels: chat as given, voice free.
func channels(chat Channel) map[string]Channel {
	return map[string]Channel{"chat": chat, "voice": {Capacity: 1, Available: true, FreePercentage: 100}}
}

// A busy floor: Ana's chats are full, Bea's chat is off, Cy is offline, Dee has one chat of two,
// Eve's channels were not read.
var floor = []Worker{
	{SID: "WK1", Name: "Ana", Available: true, StatusChanged: t0, Channels: channels(Channel{Capacity: 3, Available: true, Assigned: 3})},
	{SID: "WK2", Name: "Bea", Available: true, StatusChanged: t0.Add(time.Minute), Channels: channels(Channel{Capacity: 2})},
	{SID: "WK3", Name: "Cy", StatusChanged: t0},
	{SID: "WK4", Name: "Dee", Available: true, StatusChanged: t0.Add(2 * time.Minute), Channels: channels(Channel{Capacity: 2, Available: true, Assigned: 1, FreePercentage: 50})},
	{SID: "WK5", Name: "Eve", Available: true, StatusChanged: t0.Add(3 * time.Minute)},
}

// Who is available for a task depends on the task's channel: an available channel with room on
// it, counted apart per channel with multitasking, one task at a time without. skipIf still counts
// every worker in an available activity, as TaskRouter's workers.available does.
func TestRouteCountsRoomOnTheTaskChannel(t *testing.T) {
	routing := Routing{Filters: []Filter{{Name: "All", Expression: "1==1", Targets: []Target{{Queue: everyone, SkipIf: "workers.available == 0"}}}}}
	target := func(available int, inLine []string, noRoom ...NoRoom) []TargetResult {
		return []TargetResult{{Step: "filters[0].targets[0]", Queue: everyone, SkipIf: "workers.available == 0", Chosen: true,
			Eligible: 5, Available: available, InLine: inLine, NoRoom: noRoom}}
	}
	tests := []struct {
		name      string
		channel   string
		multiTask bool
		want      []TargetResult
	}{
		{"a chat: full and unavailable chat channels are passed by", "chat", true,
			target(2, []string{"Dee", "Eve"}, NoRoom{"Ana", "chat full, 3 of 3"}, NoRoom{"Bea", "chat unavailable"})},
		{"a call: channels count apart", "voice", true, target(4, []string{"Ana", "Bea", "Dee", "Eve"})},
		{"a call without multitasking: one task at a time", "voice", false,
			target(2, []string{"Bea", "Eve"}, NoRoom{"Ana", "busy, and multitasking is off"}, NoRoom{"Dee", "busy, and multitasking is off"})},
		{"a channel a worker does not have", "sms", true,
			target(1, []string{"Eve"}, NoRoom{"Ana", "no sms channel"}, NoRoom{"Bea", "no sms channel"}, NoRoom{"Dee", "no sms channel"})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Route(routing, Task{Channel: tt.channel}, Workforce{Workers: floor, MultiTask: tt.multiTask})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got.Targets); diff != "" {
				t.Errorf("targets (-want +got):\n%s", diff)
			}
		})
	}
	full := []Worker{floor[0]}
	got, err := Route(routing, Task{Channel: "chat"}, Workforce{Workers: full, MultiTask: true})
	if err != nil {
		t.Fatal(err)
	}
	if got.Targets[0].Skipped || got.Queue == nil || got.Next != "" {
		t.Errorf("a queue whose only available worker is full: %+v, want it entered, not skipped, and nobody offered the task", got)
	}
}

// Filter and target expressions read TaskRouter's time-of-day keys at the task's arrival, in UTC;
// without a time they are missing.
func TestRouteAtATimeOfDay(t *testing.T) {
	routing := Routing{
		Filters: []Filter{{Name: "Weekend", Expression: `taskrouter.dayOfWeek IN ["Sat", "Sun"]`, Targets: []Target{
			{Queue: everyone, Expression: "taskrouter.currentHour >= 10 OR worker.level >= 2"}}}},
		Default: &Target{Queue: spanish},
	}
	saturday := time.Date(2026, 1, 10, 9, 30, 0, 0, time.UTC)
	tests := []struct {
		name      string
		at        time.Time
		wantQueue string
		wantLine  []string
	}{
		{"Saturday 09:30 UTC: the seniors only", saturday, "Everyone", []string{"Ana"}},
		{"Saturday 10:00 UTC: everyone", saturday.Add(30 * time.Minute), "Everyone", []string{"Bea", "Ana"}},
		{"Monday: the default filter", saturday.Add(48 * time.Hour), "Spanish", []string{"Bea", "Ana"}},
		{"no time: the keys are missing", time.Time{}, "Spanish", []string{"Bea", "Ana"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Route(routing, Task{Attributes: map[string]any{"taskrouter": map[string]any{"dayOfWeek": "Sat"}}, At: tt.at},
				Workforce{Workers: workforce, MultiTask: true})
			if err != nil {
				t.Fatal(err)
			}
			var line []string
			for _, target := range got.Targets {
				if target.Chosen {
					line = target.InLine
				}
			}
			if diff := cmp.Diff(tt.wantQueue, got.Queue.Name); diff != "" {
				t.Errorf("queue (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantLine, line); diff != "" {
				t.Errorf("in line (-want +got):\n%s", diff)
			}
		})
	}
}
