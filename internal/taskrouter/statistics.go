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

package taskrouter

import "time"

// ActivityCount is how many Workers are in one Activity right now.
type ActivityCount struct {
	SID          string `json:"sid"`
	FriendlyName string `json:"friendly_name"`
	Workers      Int    `json:"workers"`
}

// DurationStats summarises durations in seconds.
type DurationStats struct {
	Avg   Float `json:"avg"`
	Min   Float `json:"min"`
	Max   Float `json:"max"`
	Total Float `json:"total"`
}

// ActivityDuration is how long Workers spent in one Activity over the window.
type ActivityDuration struct {
	SID          string `json:"sid"`
	FriendlyName string `json:"friendly_name"`
	DurationStats
}

// WaitTimeSplit counts events above and below one SplitByWaitTime threshold.
type WaitTimeSplit struct {
	Above map[string]Int `json:"above"`
	Below map[string]Int `json:"below"`
}

// ReservationCounts are the reservation figures every cumulative statistic carries.
type ReservationCounts struct {
	ReservationsCreated   Int `json:"reservations_created"`
	ReservationsAccepted  Int `json:"reservations_accepted"`
	ReservationsRejected  Int `json:"reservations_rejected"`
	ReservationsTimedOut  Int `json:"reservations_timed_out"`
	ReservationsCanceled  Int `json:"reservations_canceled"`
	ReservationsRescinded Int `json:"reservations_rescinded"`
}

// Window is the time range a cumulative statistic covers.
type Window struct {
	StartTime time.Time `json:"start_time"`
	EndTime   time.Time `json:"end_time"`
}

// WorkspaceCumulativeStatistics are a Workspace's figures over a window.
type WorkspaceCumulativeStatistics struct {
	Window
	ReservationCounts
	AvgTaskAcceptanceTime     Float                    `json:"avg_task_acceptance_time"`
	TasksCreated              Int                      `json:"tasks_created"`
	TasksCanceled             Int                      `json:"tasks_canceled"`
	TasksCompleted            Int                      `json:"tasks_completed"`
	TasksDeleted              Int                      `json:"tasks_deleted"`
	TasksMoved                Int                      `json:"tasks_moved"`
	TasksTimedOutInWorkflow   Int                      `json:"tasks_timed_out_in_workflow"`
	WaitDurationUntilAccepted *DurationStats           `json:"wait_duration_until_accepted,omitempty"`
	WaitDurationUntilCanceled *DurationStats           `json:"wait_duration_until_canceled,omitempty"`
	SplitByWaitTime           map[string]WaitTimeSplit `json:"split_by_wait_time,omitempty"`
}

// WorkspaceRealTimeStatistics are a Workspace's figures now.
type WorkspaceRealTimeStatistics struct {
	ActivityStatistics    []ActivityCount `json:"activity_statistics"`
	LongestTaskWaitingAge Int             `json:"longest_task_waiting_age"`
	LongestTaskWaitingSID string          `json:"longest_task_waiting_sid"`
	TasksByPriority       map[string]Int  `json:"tasks_by_priority"`
	TasksByStatus         map[string]Int  `json:"tasks_by_status"`
	TotalTasks            Int             `json:"total_tasks"`
	TotalWorkers          Int             `json:"total_workers"`
}

// WorkspaceStatistics is GET Workspaces/{WS}/Statistics: both cumulative and real-time figures.
type WorkspaceStatistics struct {
	WorkspaceSID string                        `json:"workspace_sid"`
	Cumulative   WorkspaceCumulativeStatistics `json:"cumulative"`
	RealTime     WorkspaceRealTimeStatistics   `json:"realtime"`
}

// TaskQueueCumulativeStatistics are a TaskQueue's figures over a window.
type TaskQueueCumulativeStatistics struct {
	Window
	ReservationCounts
	TaskQueueSID                     string                   `json:"task_queue_sid"`
	AvgTaskAcceptanceTime            Float                    `json:"avg_task_acceptance_time"`
	TasksCanceled                    Int                      `json:"tasks_canceled"`
	TasksCompleted                   Int                      `json:"tasks_completed"`
	TasksDeleted                     Int                      `json:"tasks_deleted"`
	TasksEntered                     Int                      `json:"tasks_entered"`
	TasksMoved                       Int                      `json:"tasks_moved"`
	WaitDurationUntilAccepted        *DurationStats           `json:"wait_duration_until_accepted,omitempty"`
	WaitDurationUntilCanceled        *DurationStats           `json:"wait_duration_until_canceled,omitempty"`
	WaitDurationInQueueUntilAccepted *DurationStats           `json:"wait_duration_in_queue_until_accepted,omitempty"`
	SplitByWaitTime                  map[string]WaitTimeSplit `json:"split_by_wait_time,omitempty"`
}

// TaskQueueRealTimeStatistics are a TaskQueue's figures now.
type TaskQueueRealTimeStatistics struct {
	TaskQueueSID                  string          `json:"task_queue_sid"`
	ActivityStatistics            []ActivityCount `json:"activity_statistics"`
	LongestTaskWaitingAge         Int             `json:"longest_task_waiting_age"`
	LongestTaskWaitingSID         string          `json:"longest_task_waiting_sid"`
	LongestRelativeTaskAgeInQueue Int             `json:"longest_relative_task_age_in_queue"`
	LongestRelativeTaskSIDInQueue string          `json:"longest_relative_task_sid_in_queue"`
	TasksByPriority               map[string]Int  `json:"tasks_by_priority"`
	TasksByStatus                 map[string]Int  `json:"tasks_by_status"`
	TotalAvailableWorkers         Int             `json:"total_available_workers"`
	TotalEligibleWorkers          Int             `json:"total_eligible_workers"`
	TotalTasks                    Int             `json:"total_tasks"`
}

// TaskQueueStatistics is GET TaskQueues/{WQ}/Statistics, and one entry of the TaskQueues/Statistics list.
type TaskQueueStatistics struct {
	TaskQueueSID string                        `json:"task_queue_sid"`
	Cumulative   TaskQueueCumulativeStatistics `json:"cumulative"`
	RealTime     TaskQueueRealTimeStatistics   `json:"realtime"`
}

// WorkflowCumulativeStatistics are a Workflow's figures over a window.
type WorkflowCumulativeStatistics struct {
	Window
	ReservationCounts
	WorkflowSID               string                   `json:"workflow_sid"`
	AvgTaskAcceptanceTime     Float                    `json:"avg_task_acceptance_time"`
	TasksCanceled             Int                      `json:"tasks_canceled"`
	TasksCompleted            Int                      `json:"tasks_completed"`
	TasksEntered              Int                      `json:"tasks_entered"`
	TasksDeleted              Int                      `json:"tasks_deleted"`
	TasksMoved                Int                      `json:"tasks_moved"`
	TasksTimedOutInWorkflow   Int                      `json:"tasks_timed_out_in_workflow"`
	WaitDurationUntilAccepted *DurationStats           `json:"wait_duration_until_accepted,omitempty"`
	WaitDurationUntilCanceled *DurationStats           `json:"wait_duration_until_canceled,omitempty"`
	SplitByWaitTime           map[string]WaitTimeSplit `json:"split_by_wait_time,omitempty"`
}

// WorkflowRealTimeStatistics are a Workflow's figures now.
type WorkflowRealTimeStatistics struct {
	WorkflowSID           string         `json:"workflow_sid"`
	LongestTaskWaitingAge Int            `json:"longest_task_waiting_age"`
	LongestTaskWaitingSID string         `json:"longest_task_waiting_sid"`
	TasksByPriority       map[string]Int `json:"tasks_by_priority"`
	TasksByStatus         map[string]Int `json:"tasks_by_status"`
	TotalTasks            Int            `json:"total_tasks"`
}

// WorkflowStatistics is GET Workflows/{WW}/Statistics.
type WorkflowStatistics struct {
	WorkflowSID string                       `json:"workflow_sid"`
	Cumulative  WorkflowCumulativeStatistics `json:"cumulative"`
	RealTime    WorkflowRealTimeStatistics   `json:"realtime"`
}

// WorkerCumulativeStatistics are the cumulative figures of one Worker.
type WorkerCumulativeStatistics struct {
	Window
	ReservationCounts
	ActivityDurations []ActivityDuration `json:"activity_durations"`
}

// WorkerStatistics is GET Workers/{WK}/Statistics; TaskRouter serves only cumulative figures per Worker.
type WorkerStatistics struct {
	WorkerSID  string                     `json:"worker_sid"`
	Cumulative WorkerCumulativeStatistics `json:"cumulative"`
}
