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

import (
	"strings"
	"time"
)

// The resources below hold the fields the operator and the plugin read. What nothing reads
// (account_sid, workspace_sid, url, links) is left out: the manager keeps a listing of every remote
// object of every workspace (controllers/snapshot.go), and at 10,000 objects those fields alone
// would be megabytes.

// Workspace is a TaskRouter Workspace as the API returns it.
type Workspace struct {
	SID                  string    `json:"sid"`
	FriendlyName         string    `json:"friendly_name"`
	EventCallbackURL     string    `json:"event_callback_url"`
	EventsFilter         string    `json:"events_filter"`
	MultiTaskEnabled     bool      `json:"multi_task_enabled"`
	PrioritizeQueueOrder string    `json:"prioritize_queue_order"`
	DefaultActivitySID   string    `json:"default_activity_sid"`
	DefaultActivityName  string    `json:"default_activity_name"`
	TimeoutActivitySID   string    `json:"timeout_activity_sid"`
	TimeoutActivityName  string    `json:"timeout_activity_name"`
	DateCreated          time.Time `json:"date_created"`
	DateUpdated          time.Time `json:"date_updated"`
}

// EventsFilterList splits the comma-separated events_filter into event types; empty means all events.
func (w *Workspace) EventsFilterList() []string {
	if strings.TrimSpace(w.EventsFilter) == "" {
		return nil
	}
	parts := strings.Split(w.EventsFilter, ",")
	out := make([]string, 0, len(parts))
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// Activity is a state a Worker can be in.
type Activity struct {
	SID          string    `json:"sid"`
	FriendlyName string    `json:"friendly_name"`
	Available    bool      `json:"available"`
	DateCreated  time.Time `json:"date_created"`
	DateUpdated  time.Time `json:"date_updated"`
}

// TaskQueue is a TaskRouter TaskQueue.
type TaskQueue struct {
	SID                     string    `json:"sid"`
	FriendlyName            string    `json:"friendly_name"`
	TargetWorkers           string    `json:"target_workers"`
	MaxReservedWorkers      int       `json:"max_reserved_workers"`
	TaskOrder               string    `json:"task_order"`
	ReservationActivitySID  string    `json:"reservation_activity_sid"`
	ReservationActivityName string    `json:"reservation_activity_name"`
	AssignmentActivitySID   string    `json:"assignment_activity_sid"`
	AssignmentActivityName  string    `json:"assignment_activity_name"`
	DateCreated             time.Time `json:"date_created"`
	DateUpdated             time.Time `json:"date_updated"`
}

// Workflow is a TaskRouter Workflow. Configuration is the JSON document exactly as TaskRouter returns it
// (a JSON string property holding JSON text), so callers compare it semantically, not byte for byte.
type Workflow struct {
	SID                           string    `json:"sid"`
	FriendlyName                  string    `json:"friendly_name"`
	Configuration                 string    `json:"configuration"`
	DocumentContentType           string    `json:"document_content_type"`
	AssignmentCallbackURL         string    `json:"assignment_callback_url"`
	FallbackAssignmentCallbackURL string    `json:"fallback_assignment_callback_url"`
	TaskReservationTimeout        int       `json:"task_reservation_timeout"`
	DateCreated                   time.Time `json:"date_created"`
	DateUpdated                   time.Time `json:"date_updated"`
}

// Worker is a TaskRouter Worker. Attributes is JSON text (TaskRouter serves it as a JSON string); list
// responses leave it empty because TaskRouter returns null there, so fetch one Worker to read it.
type Worker struct {
	SID               string    `json:"sid"`
	FriendlyName      string    `json:"friendly_name"`
	ActivitySID       string    `json:"activity_sid"`
	ActivityName      string    `json:"activity_name"`
	Attributes        string    `json:"attributes"`
	Available         bool      `json:"available"`
	DateCreated       time.Time `json:"date_created"`
	DateUpdated       time.Time `json:"date_updated"`
	DateStatusChanged time.Time `json:"date_status_changed"`
	// ETag is the response's ETag header (fetch and update); pass it as WorkerParams.IfMatch for a guarded update.
	ETag string `json:"-"`
}

func (w *Worker) setETag(etag string) { w.ETag = etag }

// TaskChannel is a TaskRouter TaskChannel (voice, chat, sms, ...).
type TaskChannel struct {
	SID                     string    `json:"sid"`
	FriendlyName            string    `json:"friendly_name"`
	UniqueName              string    `json:"unique_name"`
	ChannelOptimizedRouting bool      `json:"channel_optimized_routing"`
	DateCreated             time.Time `json:"date_created"`
	DateUpdated             time.Time `json:"date_updated"`
}
