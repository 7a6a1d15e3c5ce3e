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
	"time"

	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
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
