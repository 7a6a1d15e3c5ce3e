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
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// Write parameters use pointer fields so a caller sends only what it means to change: nil is "not sent".

// Ptr returns a pointer to v, for filling the optional fields of the parameter structs.
func Ptr[T any](v T) *T { return &v }

// WorkspaceParams are the create and update parameters of a Workspace.
type WorkspaceParams struct {
	FriendlyName     *string
	EventCallbackURL *string
	// EventsFilter is sent as one comma-separated value (the spec types it as a string); nil is not sent,
	// an empty non-nil slice clears the filter.
	EventsFilter         []string
	MultiTaskEnabled     *bool
	PrioritizeQueueOrder *string
	// Template is create-only (NONE or FIFO); setting it on update is an error.
	Template *string
	// DefaultActivitySID and TimeoutActivitySID are update-only: the activities do not exist before the workspace.
	DefaultActivitySID *string
	TimeoutActivitySID *string
}

// ActivityParams are the create and update parameters of an Activity.
type ActivityParams struct {
	FriendlyName *string
	// Available is create-only: TaskRouter cannot change it later, so setting it on update is an error.
	Available *bool
}

// TaskQueueParams are the create and update parameters of a TaskQueue.
type TaskQueueParams struct {
	FriendlyName           *string
	TargetWorkers          *string
	MaxReservedWorkers     *int
	TaskOrder              *string
	ReservationActivitySID *string
	AssignmentActivitySID  *string
}

// WorkflowParams are the create and update parameters of a Workflow.
type WorkflowParams struct {
	FriendlyName *string
	// Configuration is the workflow document as JSON text; it must be valid JSON.
	Configuration                 *string
	AssignmentCallbackURL         *string
	FallbackAssignmentCallbackURL *string
	TaskReservationTimeout        *int
	// ReEvaluateTasks is update-only: re-route pending tasks through the new configuration.
	ReEvaluateTasks *bool
}

// WorkerParams are the create and update parameters of a Worker.
type WorkerParams struct {
	FriendlyName *string
	ActivitySID  *string
	// Attributes is the worker's attributes as JSON text; it must be valid JSON.
	Attributes *string
	// RejectPendingReservations is update-only, meaningful with an ActivitySID change to an unavailable activity.
	RejectPendingReservations *bool
	// IfMatch, when not empty, is sent as the If-Match header on update so the change applies only to the
	// version the caller read (Worker.ETag); a mismatch is a 412 (IsPreconditionFailed).
	IfMatch string
}

// TaskChannelParams are the create and update parameters of a TaskChannel.
type TaskChannelParams struct {
	FriendlyName *string
	// UniqueName is create-only: TaskRouter identifies a channel by it ("voice", "chat") and never changes it.
	UniqueName              *string
	ChannelOptimizedRouting *bool
}

func (p WorkspaceParams) name() string { return deref(p.FriendlyName) }
func (p ActivityParams) name() string  { return deref(p.FriendlyName) }
func (p TaskQueueParams) name() string { return deref(p.FriendlyName) }
func (p WorkflowParams) name() string  { return deref(p.FriendlyName) }
func (p WorkerParams) name() string    { return deref(p.FriendlyName) }
func (p TaskChannelParams) name() string {
	if p.UniqueName != nil {
		return *p.UniqueName
	}
	return deref(p.FriendlyName)
}

func (p WorkerParams) ifMatch() string { return p.IfMatch }

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// writeOp says whether parameters are encoded for a create or an update, which allow different fields.
type writeOp int

const (
	opCreate writeOp = iota
	opUpdate
)

// errCreateOnly and errUpdateOnly reject a field the operation does not accept before anything is sent.
var (
	errCreateOnly = errors.New("parameter can only be set on create")
	errUpdateOnly = errors.New("parameter can only be set on update")
)

// form accumulates form parameters, encoding them the way TaskRouter reads them.
type form url.Values

func (f form) str(key string, v *string) {
	if v != nil {
		url.Values(f).Set(key, *v)
	}
}

func (f form) integer(key string, v *int) {
	if v != nil {
		url.Values(f).Set(key, strconv.Itoa(*v))
	}
}

func (f form) boolean(key string, v *bool) {
	if v != nil {
		url.Values(f).Set(key, strconv.FormatBool(*v))
	}
}

// jsonText sends v after checking it is JSON, so a malformed document fails here with a clear error
// instead of a remote 400.
func (f form) jsonText(key string, v *string) error {
	if v == nil {
		return nil
	}
	if !json.Valid([]byte(*v)) {
		return fmt.Errorf("%s is not valid JSON", key)
	}
	url.Values(f).Set(key, *v)
	return nil
}

func onlyOn(op, allowed writeOp, key string, set bool) error {
	if !set || op == allowed {
		return nil
	}
	if allowed == opCreate {
		return fmt.Errorf("%s: %w", key, errCreateOnly)
	}
	return fmt.Errorf("%s: %w", key, errUpdateOnly)
}

func (p WorkspaceParams) encode(op writeOp) (url.Values, error) {
	if err := errors.Join(
		onlyOn(op, opCreate, "Template", p.Template != nil),
		onlyOn(op, opUpdate, "DefaultActivitySid", p.DefaultActivitySID != nil),
		onlyOn(op, opUpdate, "TimeoutActivitySid", p.TimeoutActivitySID != nil),
	); err != nil {
		return nil, err
	}
	f := form{}
	f.str("FriendlyName", p.FriendlyName)
	f.str("EventCallbackUrl", p.EventCallbackURL)
	if p.EventsFilter != nil {
		url.Values(f).Set("EventsFilter", strings.Join(p.EventsFilter, ","))
	}
	f.boolean("MultiTaskEnabled", p.MultiTaskEnabled)
	f.str("PrioritizeQueueOrder", p.PrioritizeQueueOrder)
	f.str("Template", p.Template)
	f.str("DefaultActivitySid", p.DefaultActivitySID)
	f.str("TimeoutActivitySid", p.TimeoutActivitySID)
	return url.Values(f), nil
}

func (p ActivityParams) encode(op writeOp) (url.Values, error) {
	if err := onlyOn(op, opCreate, "Available", p.Available != nil); err != nil {
		return nil, err
	}
	f := form{}
	f.str("FriendlyName", p.FriendlyName)
	f.boolean("Available", p.Available)
	return url.Values(f), nil
}

func (p TaskQueueParams) encode(writeOp) (url.Values, error) {
	f := form{}
	f.str("FriendlyName", p.FriendlyName)
	f.str("TargetWorkers", p.TargetWorkers)
	f.integer("MaxReservedWorkers", p.MaxReservedWorkers)
	f.str("TaskOrder", p.TaskOrder)
	f.str("ReservationActivitySid", p.ReservationActivitySID)
	f.str("AssignmentActivitySid", p.AssignmentActivitySID)
	return url.Values(f), nil
}

func (p WorkflowParams) encode(op writeOp) (url.Values, error) {
	if err := onlyOn(op, opUpdate, "ReEvaluateTasks", p.ReEvaluateTasks != nil); err != nil {
		return nil, err
	}
	f := form{}
	f.str("FriendlyName", p.FriendlyName)
	if err := f.jsonText("Configuration", p.Configuration); err != nil {
		return nil, err
	}
	f.str("AssignmentCallbackUrl", p.AssignmentCallbackURL)
	f.str("FallbackAssignmentCallbackUrl", p.FallbackAssignmentCallbackURL)
	f.integer("TaskReservationTimeout", p.TaskReservationTimeout)
	f.boolean("ReEvaluateTasks", p.ReEvaluateTasks)
	return url.Values(f), nil
}

func (p WorkerParams) encode(op writeOp) (url.Values, error) {
	if err := errors.Join(
		onlyOn(op, opUpdate, "RejectPendingReservations", p.RejectPendingReservations != nil),
		onlyOn(op, opUpdate, "If-Match", p.IfMatch != ""),
	); err != nil {
		return nil, err
	}
	f := form{}
	f.str("FriendlyName", p.FriendlyName)
	f.str("ActivitySid", p.ActivitySID)
	if err := f.jsonText("Attributes", p.Attributes); err != nil {
		return nil, err
	}
	f.boolean("RejectPendingReservations", p.RejectPendingReservations)
	return url.Values(f), nil
}

func (p TaskChannelParams) encode(op writeOp) (url.Values, error) {
	if err := onlyOn(op, opCreate, "UniqueName", p.UniqueName != nil); err != nil {
		return nil, err
	}
	f := form{}
	f.str("FriendlyName", p.FriendlyName)
	f.str("UniqueName", p.UniqueName)
	f.boolean("ChannelOptimizedRouting", p.ChannelOptimizedRouting)
	return url.Values(f), nil
}
