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

package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// The statistics types below mirror the figures a contact-center lead reads from TaskRouter's
// Statistics endpoints, renamed to camelCase. Durations and ages are whole seconds: CRDs avoid
// floating point, and a sub-second difference never matters to a queue's health.

// StatisticsWindow says when statistics were read and which window the cumulative figures cover.
type StatisticsWindow struct {
	// ObservedAt is when the operator read these figures from TaskRouter.
	ObservedAt metav1.Time `json:"observedAt"`
	// Minutes of history the cumulative figures cover.
	// +optional
	Minutes int32 `json:"minutes,omitempty"`
}

// ReservationCounts counts reservations by outcome over the statistics window.
type ReservationCounts struct {
	// ReservationsCreated in the window.
	ReservationsCreated int64 `json:"reservationsCreated"`
	// ReservationsAccepted in the window.
	ReservationsAccepted int64 `json:"reservationsAccepted"`
	// ReservationsRejected in the window.
	ReservationsRejected int64 `json:"reservationsRejected"`
	// ReservationsTimedOut in the window.
	ReservationsTimedOut int64 `json:"reservationsTimedOut"`
	// ReservationsCanceled in the window.
	ReservationsCanceled int64 `json:"reservationsCanceled"`
	// ReservationsRescinded in the window.
	ReservationsRescinded int64 `json:"reservationsRescinded"`
}

// TaskCounts counts tasks over the statistics window.
type TaskCounts struct {
	// TasksCompleted in the window.
	TasksCompleted int64 `json:"tasksCompleted"`
	// TasksCanceled in the window.
	TasksCanceled int64 `json:"tasksCanceled"`
	// TasksDeleted in the window.
	TasksDeleted int64 `json:"tasksDeleted"`
	// TasksMoved out in the window.
	TasksMoved int64 `json:"tasksMoved"`
	// AvgTaskAcceptanceTime is the average seconds from a task's creation to its acceptance.
	AvgTaskAcceptanceTime int64 `json:"avgTaskAcceptanceTime"`
}

// WaitingTasks describes the tasks that are open right now.
type WaitingTasks struct {
	// TotalTasks open now.
	TotalTasks int64 `json:"totalTasks"`
	// TasksByStatus counts open tasks by status: pending, reserved, assigned, wrapping.
	// +optional
	TasksByStatus map[string]int64 `json:"tasksByStatus,omitempty"`
	// LongestTaskWaitingAge is how many seconds the oldest pending task has waited.
	LongestTaskWaitingAge int64 `json:"longestTaskWaitingAge"`
	// LongestTaskWaitingSID is the SID of that task.
	// +optional
	LongestTaskWaitingSID string `json:"longestTaskWaitingSid,omitempty"`
}

// ServiceLevel counts, over the window, the reservations accepted and the tasks canceled within and
// after one wait-time threshold (TaskRouter's SplitByWaitTime), measured from each task's creation.
type ServiceLevel struct {
	// ThresholdSeconds is one of spec.statistics.splitByWaitTime.
	ThresholdSeconds int32 `json:"thresholdSeconds"`
	// ReservationsAcceptedWithin the threshold.
	ReservationsAcceptedWithin int64 `json:"reservationsAcceptedWithin"`
	// ReservationsAcceptedAfter the threshold.
	ReservationsAcceptedAfter int64 `json:"reservationsAcceptedAfter"`
	// TasksCanceledWithin the threshold (callers who gave up early).
	TasksCanceledWithin int64 `json:"tasksCanceledWithin"`
	// TasksCanceledAfter the threshold (callers who waited longer, then gave up).
	TasksCanceledAfter int64 `json:"tasksCanceledAfter"`
	// ServiceLevelPercent is the reservations accepted within the threshold as a whole percentage of
	// those accepted plus the tasks canceled after it; tasks canceled within it are left out, as
	// contact centers leave out short abandons. Absent while there is neither.
	// +optional
	ServiceLevelPercent *int32 `json:"serviceLevelPercent,omitempty"`
}

// WorkspaceRealtime are a workspace's figures right now.
type WorkspaceRealtime struct {
	WaitingTasks `json:",inline"`
	// TotalWorkers in the workspace.
	TotalWorkers int64 `json:"totalWorkers"`
	// ActivityStatistics counts workers by activity.
	// +optional
	ActivityStatistics []ActivityCount `json:"activityStatistics,omitempty"`
}

// WorkspaceCumulative are a workspace's figures over the window.
type WorkspaceCumulative struct {
	// TasksCreated in the window.
	TasksCreated int64 `json:"tasksCreated"`
	// TasksTimedOutInWorkflow in the window.
	TasksTimedOutInWorkflow int64 `json:"tasksTimedOutInWorkflow"`
	TaskCounts              `json:",inline"`
	ReservationCounts       `json:",inline"`
	// ServiceLevel for each of spec.statistics.splitByWaitTime.
	// +optional
	ServiceLevel []ServiceLevel `json:"serviceLevel,omitempty"`
}

// WorkspaceStatistics mirrors a workspace's TaskRouter statistics.
type WorkspaceStatistics struct {
	StatisticsWindow `json:",inline"`
	// Realtime figures.
	// +optional
	Realtime *WorkspaceRealtime `json:"realtime,omitempty"`
	// Cumulative figures over the window.
	// +optional
	Cumulative *WorkspaceCumulative `json:"cumulative,omitempty"`
	// Channels are the same figures for each of spec.statistics.taskChannels.
	// +listType=map
	// +listMapKey=taskChannel
	// +optional
	Channels []WorkspaceChannelStatistics `json:"channels,omitempty"`
}

// WorkspaceChannelStatistics are a workspace's figures on one TaskChannel.
type WorkspaceChannelStatistics struct {
	// TaskChannel as spec.statistics.taskChannels names it.
	TaskChannel string `json:"taskChannel"`
	// Realtime figures of the channel's tasks.
	// +optional
	Realtime *WorkspaceRealtime `json:"realtime,omitempty"`
	// Cumulative figures of the channel's tasks over the window.
	// +optional
	Cumulative *WorkspaceCumulative `json:"cumulative,omitempty"`
}

// TaskQueueRealtime are a queue's figures right now.
type TaskQueueRealtime struct {
	WaitingTasks `json:",inline"`
	// LongestRelativeTaskAgeInQueue is how many seconds the oldest task has been in this queue.
	LongestRelativeTaskAgeInQueue int64 `json:"longestRelativeTaskAgeInQueue"`
	// TotalAvailableWorkers are eligible for the queue and in an available activity.
	TotalAvailableWorkers int64 `json:"totalAvailableWorkers"`
	// TotalEligibleWorkers match the queue's targetWorkers.
	TotalEligibleWorkers int64 `json:"totalEligibleWorkers"`
	// ActivityStatistics counts the queue's eligible workers by activity. Activities with none of
	// them are left out: TaskRouter lists every activity of the workspace for every queue.
	// +optional
	ActivityStatistics []ActivityCount `json:"activityStatistics,omitempty"`
}

// TaskQueueCumulative are a queue's figures over the window.
type TaskQueueCumulative struct {
	// TasksEntered the queue in the window.
	TasksEntered      int64 `json:"tasksEntered"`
	TaskCounts        `json:",inline"`
	ReservationCounts `json:",inline"`
	// ServiceLevel for each of spec.statistics.splitByWaitTime.
	// +optional
	ServiceLevel []ServiceLevel `json:"serviceLevel,omitempty"`
}

// TaskQueueStatistics mirrors a queue's TaskRouter statistics.
type TaskQueueStatistics struct {
	StatisticsWindow `json:",inline"`
	// Realtime figures.
	// +optional
	Realtime *TaskQueueRealtime `json:"realtime,omitempty"`
	// Cumulative figures over the window.
	// +optional
	Cumulative *TaskQueueCumulative `json:"cumulative,omitempty"`
	// Channels are the same figures for each of spec.statistics.taskChannels; a channel's
	// totalAvailableWorkers counts the workers with room on it.
	// +listType=map
	// +listMapKey=taskChannel
	// +optional
	Channels []TaskQueueChannelStatistics `json:"channels,omitempty"`
}

// TaskQueueChannelStatistics are a queue's figures on one TaskChannel.
type TaskQueueChannelStatistics struct {
	// TaskChannel as spec.statistics.taskChannels names it.
	TaskChannel string `json:"taskChannel"`
	// Realtime figures of the channel's tasks.
	// +optional
	Realtime *TaskQueueRealtime `json:"realtime,omitempty"`
	// Cumulative figures of the channel's tasks over the window.
	// +optional
	Cumulative *TaskQueueCumulative `json:"cumulative,omitempty"`
}

// WorkflowCumulative are a workflow's figures over the window.
type WorkflowCumulative struct {
	// TasksEntered the workflow in the window.
	TasksEntered int64 `json:"tasksEntered"`
	// TasksTimedOutInWorkflow in the window.
	TasksTimedOutInWorkflow int64 `json:"tasksTimedOutInWorkflow"`
	TaskCounts              `json:",inline"`
	ReservationCounts       `json:",inline"`
}

// WorkflowStatistics mirrors a workflow's TaskRouter statistics.
type WorkflowStatistics struct {
	StatisticsWindow `json:",inline"`
	// Realtime figures.
	// +optional
	Realtime *WaitingTasks `json:"realtime,omitempty"`
	// Cumulative figures over the window.
	// +optional
	Cumulative *WorkflowCumulative `json:"cumulative,omitempty"`
}

// ActivityDuration is how long a worker spent in one activity over the window.
type ActivityDuration struct {
	// FriendlyName of the activity.
	FriendlyName string `json:"friendlyName"`
	// SID of the activity.
	// +optional
	SID string `json:"sid,omitempty"`
	// TotalSeconds spent in the activity.
	TotalSeconds int64 `json:"totalSeconds"`
}

// WorkerCumulative are a worker's figures over the window.
type WorkerCumulative struct {
	// ActivityDurations: time spent in each activity.
	// +optional
	ActivityDurations []ActivityDuration `json:"activityDurations,omitempty"`
	ReservationCounts `json:",inline"`
}

// WorkerStatistics mirrors a worker's TaskRouter statistics (TaskRouter serves only cumulative ones per worker).
type WorkerStatistics struct {
	StatisticsWindow `json:",inline"`
	// Cumulative figures over the window.
	// +optional
	Cumulative *WorkerCumulative `json:"cumulative,omitempty"`
}
