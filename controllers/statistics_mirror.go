package controllers

import (
	"math"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/internal/taskrouter"
)

// The functions below turn TaskRouter's statistics into the status types:
// camelCase names, whole seconds, no observedAt (the caller stamps it only when a
// figure changed, so an unchanged refresh compares equal).

func mirrorWorkspaceStatistics(s *taskrouter.WorkspaceStatistics, minutes int) *trv1.WorkspaceStatistics {
	r, c := s.RealTime, s.Cumulative
	return &trv1.WorkspaceStatistics{
		StatisticsWindow: trv1.StatisticsWindow{Minutes: int32(minutes)},
		Realtime: &trv1.WorkspaceRealtime{
			WaitingTasks:       waitingTasks(r.TotalTasks, r.TasksByStatus, r.LongestTaskWaitingAge, r.LongestTaskWaitingSID),
			TotalWorkers:       int64(r.TotalWorkers),
			ActivityStatistics: activityCounts(r.ActivityStatistics),
		},
		Cumulative: &trv1.WorkspaceCumulative{
			TasksCreated:            int64(c.TasksCreated),
			TasksTimedOutInWorkflow: int64(c.TasksTimedOutInWorkflow),
			TaskCounts:              taskCounts(c.TasksCompleted, c.TasksCanceled, c.TasksDeleted, c.TasksMoved, c.AvgTaskAcceptanceTime),
			ReservationCounts:       reservationCounts(c.ReservationCounts),
		},
	}
}

func mirrorTaskQueueStatistics(s taskrouter.TaskQueueStatistics, minutes int) *trv1.TaskQueueStatistics {
	r, c := s.RealTime, s.Cumulative
	return &trv1.TaskQueueStatistics{
		StatisticsWindow: trv1.StatisticsWindow{Minutes: int32(minutes)},
		Realtime: &trv1.TaskQueueRealtime{
			WaitingTasks:                  waitingTasks(r.TotalTasks, r.TasksByStatus, r.LongestTaskWaitingAge, r.LongestTaskWaitingSID),
			LongestRelativeTaskAgeInQueue: int64(r.LongestRelativeTaskAgeInQueue),
			TotalAvailableWorkers:         int64(r.TotalAvailableWorkers),
			TotalEligibleWorkers:          int64(r.TotalEligibleWorkers),
			ActivityStatistics:            activityCounts(r.ActivityStatistics),
		},
		Cumulative: &trv1.TaskQueueCumulative{
			TasksEntered:      int64(c.TasksEntered),
			TaskCounts:        taskCounts(c.TasksCompleted, c.TasksCanceled, c.TasksDeleted, c.TasksMoved, c.AvgTaskAcceptanceTime),
			ReservationCounts: reservationCounts(c.ReservationCounts),
		},
	}
}

func mirrorWorkflowStatistics(s *taskrouter.WorkflowStatistics, minutes int) *trv1.WorkflowStatistics {
	r, c := s.RealTime, s.Cumulative
	w := waitingTasks(r.TotalTasks, r.TasksByStatus, r.LongestTaskWaitingAge, r.LongestTaskWaitingSID)
	return &trv1.WorkflowStatistics{
		StatisticsWindow: trv1.StatisticsWindow{Minutes: int32(minutes)},
		Realtime:         &w,
		Cumulative: &trv1.WorkflowCumulative{
			TasksEntered:            int64(c.TasksEntered),
			TasksTimedOutInWorkflow: int64(c.TasksTimedOutInWorkflow),
			TaskCounts:              taskCounts(c.TasksCompleted, c.TasksCanceled, c.TasksDeleted, c.TasksMoved, c.AvgTaskAcceptanceTime),
			ReservationCounts:       reservationCounts(c.ReservationCounts),
		},
	}
}

func mirrorWorkerStatistics(s *taskrouter.WorkerStatistics, minutes int) *trv1.WorkerStatistics {
	c := s.Cumulative
	var durations []trv1.ActivityDuration
	for _, d := range c.ActivityDurations {
		durations = append(durations, trv1.ActivityDuration{FriendlyName: d.FriendlyName, SID: d.SID, TotalSeconds: seconds(d.Total)})
	}
	return &trv1.WorkerStatistics{
		StatisticsWindow: trv1.StatisticsWindow{Minutes: int32(minutes)},
		Cumulative:       &trv1.WorkerCumulative{ActivityDurations: durations, ReservationCounts: reservationCounts(c.ReservationCounts)},
	}
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
