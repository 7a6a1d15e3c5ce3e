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
	"testing"

	"github.com/google/go-cmp/cmp"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
)

const (
	spanishSID = "WQ00000000000000000000000000000001"
	generalSID = "WQ00000000000000000000000000000002"
	foreignSID = "WQ00000000000000000000000000000009"
)

func ptr[T any](v T) *T { return &v }

// sids stands for the TaskQueue resources a workflow names.
var sids = map[string]string{"spanish": spanishSID, "general": generalSID}

func sidOf(q trv1.QueueSelector) string {
	if q.QueueRef != nil {
		return sids[q.QueueRef.Name]
	}
	return q.QueueSid
}

func selectorOf(sid string) trv1.QueueSelector {
	for name, s := range sids {
		if s == sid {
			return trv1.QueueSelector{QueueRef: &trv1.LocalObjectReference{Name: name}}
		}
	}
	return trv1.QueueSelector{QueueSid: sid}
}

var spanishFirst = trv1.WorkflowConfiguration{TaskRouting: trv1.TaskRouting{
	Filters: []trv1.WorkflowFilter{{
		FilterFriendlyName: "Spanish", Expression: `language == "es"`,
		Targets: []trv1.WorkflowTarget{
			{QueueSelector: selectorOf(spanishSID), Priority: ptr[int32](5), Timeout: ptr[int32](0),
				Expression: "worker.level > 2", OrderBy: "worker.level DESC", SkipIf: "workers.available == 0"},
			{QueueSelector: selectorOf(foreignSID), KnownWorkerFriendlyName: "alice", KnownWorkerSid: "WK00000000000000000000000000000001"},
		},
	}},
	DefaultFilter: &trv1.QueueSelector{QueueRef: &trv1.LocalObjectReference{Name: "general"}},
}}

// Render writes what the operator writes: every filter key, a target's optional keys only when set
// (a timeout of 0 is set), the default filter's queue alone.
func TestRender(t *testing.T) {
	tests := []struct {
		name string
		cfg  trv1.WorkflowConfiguration
		want string
	}{
		{"filters and a default", spanishFirst, `{"task_routing":{"filters":[{"filter_friendly_name":"Spanish","expression":"language == \"es\"","targets":[` +
			`{"queue":"` + spanishSID + `","priority":5,"timeout":0,"expression":"worker.level > 2","order_by":"worker.level DESC","skip_if":"workers.available == 0"},` +
			`{"queue":"` + foreignSID + `","known_worker_sid":"WK00000000000000000000000000000001","known_worker_friendly_name":"alice"}]}],` +
			`"default_filter":{"queue":"` + generalSID + `"}}}`},
		{"no filters", trv1.WorkflowConfiguration{TaskRouting: trv1.TaskRouting{DefaultFilter: &trv1.QueueSelector{QueueSid: generalSID}}},
			`{"task_routing":{"filters":[],"default_filter":{"queue":"` + generalSID + `"}}}`},
		{"nothing", trv1.WorkflowConfiguration{}, `{"task_routing":{"filters":[]}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, Render(tt.cfg, sidOf).JSON()); diff != "" {
				t.Errorf("rendered document (-want +got):\n%s", diff)
			}
		})
	}
}

// A document TaskRouter returns comes back as the configuration it was rendered from, and a
// document with parts the Workflow kind does not carry renders differently, which Same tells.
func TestParseBackToTheConfiguration(t *testing.T) {
	text := Render(spanishFirst, sidOf).JSON()
	doc, err := Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(spanishFirst, doc.Configuration(selectorOf)); diff != "" {
		t.Errorf("configuration (-want +got):\n%s", diff)
	}

	tests := []struct {
		name, remote string
		same         bool
	}{
		{"as rendered, spelled otherwise", "{ \"task_routing\": {\"default_filter\": {\"queue\": \"" + generalSID + "\"}, \"filters\": [] } }", true},
		{"no filters key", `{"task_routing":{"default_filter":{"queue":"` + generalSID + `"}}}`, false},
		{"a key the kind does not carry", `{"task_routing":{"filters":[],"default_filter":{"queue":"` + generalSID + `","priority":3}}}`, false},
		{"an empty expression on a target", `{"task_routing":{"filters":[{"filter_friendly_name":"a","expression":"1==1","targets":[{"queue":"` + generalSID + `","expression":""}]}]}}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Parse(tt.remote)
			if err != nil {
				t.Fatal(err)
			}
			rendered := Render(doc.Configuration(selectorOf), sidOf).JSON()
			if got := Same(rendered, tt.remote); got != tt.same {
				t.Errorf("Same(rendered, remote) = %v, want %v; rendered %s", got, tt.same, rendered)
			}
		})
	}
}

func TestParseRefusesWhatTheKindCannotHold(t *testing.T) {
	for _, text := range []string{`not json`, `{"task_routing":{"filters":[{"targets":[{"queue":"WQ1","priority":1.5}]}]}}`, `{"task_routing":[]}`} {
		if _, err := Parse(text); err == nil {
			t.Errorf("Parse(%s) succeeded, want an error", text)
		}
	}
}
