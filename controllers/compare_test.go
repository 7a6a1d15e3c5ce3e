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
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSameJSON(t *testing.T) {
	cases := []struct {
		a, b string
		want bool
	}{
		{`{"a":1,"b":[1,2]}`, `{ "b": [1, 2], "a": 1.0 }`, true},
		{`{"a":1}`, `{"a":2}`, false},
		{`{"a":[1,2]}`, `{"a":[2,1]}`, false}, // order in arrays matters (filters are ordered)
		{`{}`, ``, false},
		{`not json`, `not json`, true},
	}
	for _, c := range cases {
		if got := sameJSON(c.a, c.b); got != c.want {
			t.Errorf("sameJSON(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

func TestSameSet(t *testing.T) {
	if !sameSet([]string{"task.created", " task.canceled"}, []string{"task.canceled", "task.created", "task.created"}) {
		t.Error("same events in another order and with duplicates compare different")
	}
	if sameSet([]string{"task.created"}, []string{"task.created", "task.canceled"}) {
		t.Error("a missing event compares equal")
	}
}

func TestSendIfDiffers(t *testing.T) {
	want, same := "LIFO", "FIFO"
	var sent *string
	fields := sendIfDiffers(nil, "taskOrder", &want, "FIFO", &sent)
	fields = sendIfDiffers(fields, "unchanged", &same, "FIFO", new(*string))
	fields = sendIfDiffers(fields, "unset", nil, "anything", new(*string))
	if diff := cmp.Diff([]string{"taskOrder"}, fields); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
	if sent == nil || *sent != "LIFO" {
		t.Errorf("the differing value was not set to be sent: %v", sent)
	}
}
