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

package routing

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
)

// Document is a Workflow configuration as TaskRouter holds it. Its JSON is the
// operator's rendering: filters always present (an empty list when there are
// none), every filter with its name, expression and targets, a target's
// optional fields only when set.
type Document struct {
	TaskRouting TaskRouting `json:"task_routing"`
}

// TaskRouting is the task_routing object.
type TaskRouting struct {
	Filters       []Filter `json:"filters"`
	DefaultFilter *Target  `json:"default_filter,omitempty"`
}

// Filter is one entry of task_routing.filters.
type Filter struct {
	// FilterFriendlyName is optional, as TaskRouter documents it: no key when empty.
	FilterFriendlyName string   `json:"filter_friendly_name,omitempty"`
	Expression         string   `json:"expression"`
	Targets            []Target `json:"targets"`
}

// Target is one routing step of a filter; the default filter uses Queue only.
type Target struct {
	Queue                   string `json:"queue"`
	Priority                *int32 `json:"priority,omitempty"`
	Timeout                 *int32 `json:"timeout,omitempty"`
	Expression              string `json:"expression,omitempty"`
	OrderBy                 string `json:"order_by,omitempty"`
	SkipIf                  string `json:"skip_if,omitempty"`
	KnownWorkerSID          string `json:"known_worker_sid,omitempty"`
	KnownWorkerFriendlyName string `json:"known_worker_friendly_name,omitempty"`
}

// Parse reads a configuration as TaskRouter returns it. Keys the document
// type does not carry are dropped; Same tells whether anything was.
func Parse(text string) (Document, error) {
	var doc Document
	if err := json.Unmarshal([]byte(text), &doc); err != nil {
		return Document{}, fmt.Errorf("configuration is not a task_routing document the Workflow kind can hold: %w", err)
	}
	return doc, nil
}

// JSON is the document's text: the operator's rendering, semantically (the
// operator escapes < and > as \u003c and \u003e; this keeps them readable).
func (d Document) JSON() string {
	if d.TaskRouting.Filters == nil {
		d.TaskRouting.Filters = []Filter{}
	}
	for i := range d.TaskRouting.Filters {
		if d.TaskRouting.Filters[i].Targets == nil {
			d.TaskRouting.Filters[i].Targets = []Target{}
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // expressions hold > and <: keep them readable
	if err := enc.Encode(d); err != nil {
		// Strings, int32 pointers and slices of them always encode.
		return fmt.Sprintf("unencodable document: %v", err)
	}
	return strings.TrimSuffix(buf.String(), "\n")
}

// Same compares two JSON documents semantically, as the operator's drift check
// does (it calls this): key order, whitespace and number spelling (1 vs 1.0)
// never count. A document that does not parse is compared as text.
func Same(a, b string) bool {
	var va, vb any
	if json.Unmarshal([]byte(a), &va) != nil || json.Unmarshal([]byte(b), &vb) != nil {
		return a == b
	}
	return reflect.DeepEqual(va, vb)
}

// Render turns the Workflow kind's configuration into TaskRouter's document;
// queueSID gives the SID each queue selector stands for (the queueSid itself,
// or the SID of the TaskQueue its queueRef names).
func Render(cfg trv1.WorkflowConfiguration, queueSID func(trv1.QueueSelector) string) Document {
	doc := Document{TaskRouting: TaskRouting{Filters: []Filter{}}}
	for _, f := range cfg.TaskRouting.Filters {
		filter := Filter{FilterFriendlyName: f.FilterFriendlyName, Expression: f.Expression, Targets: []Target{}}
		for _, t := range f.Targets {
			filter.Targets = append(filter.Targets, Target{
				Queue: queueSID(t.QueueSelector), Priority: t.Priority, Timeout: t.Timeout,
				Expression: t.Expression, OrderBy: t.OrderBy, SkipIf: t.SkipIf,
				KnownWorkerSID: t.KnownWorkerSid, KnownWorkerFriendlyName: t.KnownWorkerFriendlyName,
			})
		}
		doc.TaskRouting.Filters = append(doc.TaskRouting.Filters, filter)
	}
	if d := cfg.TaskRouting.DefaultFilter; d != nil {
		doc.TaskRouting.DefaultFilter = &Target{Queue: queueSID(*d)}
	}
	return doc
}

// Configuration turns the document back into the Workflow kind's
// configuration; queue gives the selector for a queue SID (a queueRef to the
// TaskQueue resource that stands for it, or the queueSid itself).
func (d Document) Configuration(queue func(sid string) trv1.QueueSelector) trv1.WorkflowConfiguration {
	var cfg trv1.WorkflowConfiguration
	for _, f := range d.TaskRouting.Filters {
		filter := trv1.WorkflowFilter{FilterFriendlyName: f.FilterFriendlyName, Expression: f.Expression}
		for _, t := range f.Targets {
			filter.Targets = append(filter.Targets, trv1.WorkflowTarget{
				QueueSelector: queue(t.Queue), Priority: t.Priority, Timeout: t.Timeout,
				Expression: t.Expression, OrderBy: t.OrderBy, SkipIf: t.SkipIf,
				KnownWorkerSid: t.KnownWorkerSID, KnownWorkerFriendlyName: t.KnownWorkerFriendlyName,
			})
		}
		cfg.TaskRouting.Filters = append(cfg.TaskRouting.Filters, filter)
	}
	if t := d.TaskRouting.DefaultFilter; t != nil {
		selector := queue(t.Queue)
		cfg.TaskRouting.DefaultFilter = &selector
	}
	return cfg
}
