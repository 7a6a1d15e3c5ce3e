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
	"math"
	"strconv"
	"time"

	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/internal/metrics"
	"github.com/taskrouter-operator/taskrouter-operator/internal/taskrouter"
)

// The conversions every kind's statistics share: TaskRouter's figures into the status types, with
// camelCase names and whole seconds. Which figures a kind mirrors is in its adapter.

// windowed is a statistics status type, which embeds a StatisticsWindow.
type windowed[S any] interface {
	*S
	Window() *trv1.StatisticsWindow
}

// replaceStatistics puts next into *cur when a figure differs, ignoring observedAt, and stamps it
// with now: observedAt is when these figures were first seen, so an unchanged refresh leaves the
// status (and the API server) alone.
func replaceStatistics[S any, PS windowed[S]](cur **S, next PS, now time.Time) bool {
	if *cur != nil {
		old := **cur
		PS(&old).Window().ObservedAt = metav1.Time{}
		if equality.Semantic.DeepEqual(&old, (*S)(next)) {
			return false
		}
	}
	next.Window().ObservedAt = metav1.NewTime(now.Truncate(time.Second))
	*cur = next
	return true
}

func waitingTasks(total taskrouter.Int, byStatus map[string]taskrouter.Int, longest taskrouter.Int, longestSID string) trv1.WaitingTasks {
	w := trv1.WaitingTasks{TotalTasks: int64(total), LongestTaskWaitingAge: int64(longest), LongestTaskWaitingSID: longestSID}
	if len(byStatus) > 0 {
		w.TasksByStatus = make(map[string]int64, len(byStatus))
		for k, v := range byStatus {
			w.TasksByStatus[k] = int64(v)
		}
	}
	return w
}

func activityCounts(in []taskrouter.ActivityCount) []trv1.ActivityCount {
	var out []trv1.ActivityCount
	for _, a := range in {
		out = append(out, trv1.ActivityCount{FriendlyName: a.FriendlyName, SID: a.SID, Workers: int64(a.Workers)})
	}
	return out
}

func taskCounts(completed, canceled, deleted, moved taskrouter.Int, avgAcceptance taskrouter.Float) trv1.TaskCounts {
	return trv1.TaskCounts{TasksCompleted: int64(completed), TasksCanceled: int64(canceled), TasksDeleted: int64(deleted),
		TasksMoved: int64(moved), AvgTaskAcceptanceTime: seconds(avgAcceptance)}
}

func reservationCounts(r taskrouter.ReservationCounts) trv1.ReservationCounts {
	return trv1.ReservationCounts{
		ReservationsCreated: int64(r.ReservationsCreated), ReservationsAccepted: int64(r.ReservationsAccepted),
		ReservationsRejected: int64(r.ReservationsRejected), ReservationsTimedOut: int64(r.ReservationsTimedOut),
		ReservationsCanceled: int64(r.ReservationsCanceled), ReservationsRescinded: int64(r.ReservationsRescinded),
	}
}

// seconds rounds a duration in (fractional) seconds to whole seconds.
func seconds(f taskrouter.Float) int64 { return int64(math.Round(float64(f))) }

// Per-channel figures and service levels, shared by the kinds with split statistics (Workspace,
// TaskQueue).

// splitSpec reads spec.statistics' channels and thresholds, nil-safe.
func splitSpec(spec *trv1.SplitStatisticsSpec) (channels []string, thresholds []int32) {
	if spec == nil {
		return nil, nil
	}
	return spec.TaskChannels, spec.SplitByWaitTime
}

// serviceLevels turns TaskRouter's split_by_wait_time into one ServiceLevel per threshold asked
// for, in the spec's order; a read shared with other objects may carry more thresholds.
func serviceLevels(split map[string]taskrouter.WaitTimeSplit, thresholds []int32) []trv1.ServiceLevel {
	var out []trv1.ServiceLevel
	for _, t := range thresholds {
		s, ok := split[strconv.Itoa(int(t))]
		if !ok {
			continue
		}
		l := trv1.ServiceLevel{ThresholdSeconds: t,
			ReservationsAcceptedWithin: int64(s.Below["reservations_accepted"]), ReservationsAcceptedAfter: int64(s.Above["reservations_accepted"]),
			TasksCanceledWithin: int64(s.Below["tasks_canceled"]), TasksCanceledAfter: int64(s.Above["tasks_canceled"])}
		if counted := l.ReservationsAcceptedWithin + l.ReservationsAcceptedAfter + l.TasksCanceledAfter; counted > 0 {
			// Rounded down, so 100 means every one.
			percent := int32(l.ReservationsAcceptedWithin * 100 / counted)
			l.ServiceLevelPercent = &percent
		}
		out = append(out, l)
	}
	return out
}

// channelEntries builds the per-channel list of a status: read(ch) is a channel's figures from this
// refresh; a channel whose read failed keeps its previous entry (from previous, by channel of), so a
// passing error does not make it vanish and come back.
func channelEntries[C any](channels []string, read func(ch string) (C, bool), previous []C, of func(C) string) []C {
	var out []C
	for _, ch := range channels {
		if entry, ok := read(ch); ok {
			out = append(out, entry)
			continue
		}
		for _, p := range previous {
			if of(p) == ch {
				out = append(out, p)
			}
		}
	}
	return out
}

// publishServiceLevels sets the service-level gauges of one object, channel "" being every channel
// together.
func publishServiceLevels(percent, split *metrics.Figure, o metrics.Object, byChannel map[string][]trv1.ServiceLevel) {
	for ch, levels := range byChannel {
		for _, l := range levels {
			threshold := strconv.Itoa(int(l.ThresholdSeconds))
			if l.ServiceLevelPercent != nil {
				percent.With(o, "threshold", threshold, "channel", ch).Set(float64(*l.ServiceLevelPercent))
			}
			for _, f := range []struct {
				outcome, wait string
				n             int64
			}{
				{"reservations_accepted", "within", l.ReservationsAcceptedWithin}, {"reservations_accepted", "after", l.ReservationsAcceptedAfter},
				{"tasks_canceled", "within", l.TasksCanceledWithin}, {"tasks_canceled", "after", l.TasksCanceledAfter},
			} {
				split.With(o, "threshold", threshold, "channel", ch, "outcome", f.outcome, "wait", f.wait).Set(float64(f.n))
			}
		}
	}
}

// publishChannelTasks sets one channel's open tasks by status and its longest wait.
func publishChannelTasks(tasks, longest *metrics.Figure, o metrics.Object, channel string, w trv1.WaitingTasks) {
	for status, n := range w.TasksByStatus {
		tasks.With(o, "channel", channel, "status", status).Set(float64(n))
	}
	longest.With(o, "channel", channel).Set(float64(w.LongestTaskWaitingAge))
}
