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
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/taskrouter-operator/taskrouter-operator/internal/taskrouter"
)

func TestMergeOwnedKeys(t *testing.T) {
	tests := []struct {
		name, remote, owned string
		want                string
		match               bool
	}{
		{"owned key changes, the rest keeps its key and value text and its place",
			`{"contact_uri": "client:alice", "skills":["a"], "routing":{"levels":{"en":1.0}}, "z":1e3}`, `{"skills":["a","b"]}`,
			`{"contact_uri":"client:alice","skills":["a","b"],"routing":{"levels":{"en":1.0}},"z":1e3}`, false},
		{"nested objects merge deeply; unowned nested keys stay",
			`{"routing":{"skills":["x"],"levels":{"x":2}},"full_name":"Al\u00efce <al@x>"}`, `{"routing":{"skills":["x","y"]}}`,
			`{"routing":{"skills":["x","y"],"levels":{"x":2}},"full_name":"Al\u00efce <al@x>"}`, false},
		{"arrays are replaced whole, not merged",
			`{"languages":["en","es","fr"]}`, `{"languages":["en"]}`, `{"languages":["en"]}`, false},
		{"a missing owned key is added at the end",
			`{"email":"a@example.com"}`, `{"level":3}`, `{"email":"a@example.com","level":3}`, false},
		{"an owned object replaces a remote scalar",
			`{"routing":"none"}`, `{"routing":{"skills":["a"]}}`, `{"routing":{"skills":["a"]}}`, false},
		{"owned keys already equal: match, whatever the spelling",
			`{ "level" : 3.0, "skills": ["a"], "sso": {"id": 7} }`, `{"skills":["a"],"level":3}`,
			`{"level":3,"skills":["a"],"sso": {"id": 7}}`, true},
		{"an owned nested key equal while the remote object has more: match",
			`{"routing":{"skills":["a"],"levels":{"a":1}}}`, `{"routing":{"skills":["a"]}}`,
			`{"routing":{"skills":["a"],"levels":{"a":1}}}`, true},
		{"empty owned document matches anything", `{"a":1}`, `{}`, `{"a":1}`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := mergeOwnedKeys([]byte(tt.remote), []byte(tt.owned))
			if err != nil {
				t.Fatal(err)
			}
			if !tt.match {
				if diff := cmp.Diff(tt.want, string(got)); diff != "" {
					t.Errorf("merged (-want +got):\n%s", diff)
				}
			}
			if !sameJSON(tt.want, string(got)) {
				t.Errorf("merged %s, want the document %s", got, tt.want)
			}
			match, err := ownedKeysMatch([]byte(tt.remote), []byte(tt.owned))
			if err != nil || match != tt.match {
				t.Errorf("ownedKeysMatch = %v, %v; want %v", match, err, tt.match)
			}
			if again, _ := ownedKeysMatch(got, []byte(tt.owned)); !again {
				t.Errorf("the merged document %s does not match its owned keys", got)
			}
		})
	}
}

func TestMergeRefusesARemoteDocumentThatIsNotAnObject(t *testing.T) {
	for _, remote := range []string{`["a"]`, `"text"`, `12`, `null`, ``, `{"a":`} {
		if _, err := mergeOwnedKeys([]byte(remote), []byte(`{"a":1}`)); !errors.Is(err, errNotAnObject) {
			t.Errorf("merge into %q: %v, want errNotAnObject", remote, err)
		}
		if _, err := ownedKeysMatch([]byte(remote), []byte(`{"a":1}`)); !errors.Is(err, errNotAnObject) {
			t.Errorf("compare with %q: %v, want errNotAnObject", remote, err)
		}
	}
}

// TestMergeDiff: a Merge worker's diff compares only the owned keys, sends the merged document under
// If-Match, and refuses (Stalled) to merge into remote attributes that are not an object. The
// emulator, like TaskRouter's docs, accepts only objects, so this state is reached here alone.
func TestMergeDiff(t *testing.T) {
	owned := `{"skills":["a"]}`
	tests := []struct {
		name, remote string
		wantFields   []string
		wantSent     string
		wantReason   string
	}{
		{"owned keys match: nothing to send", `{"skills":["a"],"sso":1}`, nil, "", ""},
		{"an owned key differs: the merged document", `{"sso":1,"skills":[]}`, []string{"attributes"}, `{"sso":1,"skills":["a"]}`, ""},
		{"an array is not an object", `["a"]`, []string{"attributes"}, "", reasonAttributesNotMergeable},
		{"a string is not an object", `"vip agent"`, []string{"attributes"}, "", reasonAttributesNotMergeable},
		{"merged beyond 4096 characters", `{"notes":"` + strings.Repeat("x", 4090) + `"}`, []string{"attributes"}, "", reasonInvalidSpec},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := workerDesired{name: "w", attributes: &owned, merge: true}
			c := d.diff(taskrouter.Worker{SID: "WK1", FriendlyName: "w", Attributes: tt.remote, ETag: `"7"`})
			sent := ""
			if c.update.Attributes != nil {
				sent = *c.update.Attributes
			}
			reason := ""
			if c.refused != nil {
				reason = classify("Update", c.refused).reason
				if !strings.Contains(c.refused.Error(), "WK1") || strings.Contains(c.refused.Error(), tt.remote) {
					t.Errorf("refusal %q must name the worker and not repeat its attributes", c.refused)
				}
			}
			got := []any{c.fields, sent, reason, c.update.IfMatch}
			want := []any{tt.wantFields, tt.wantSent, tt.wantReason, `"7"`}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("fields, sent attributes, stall reason, If-Match (-want +got):\n%s", diff)
			}
		})
	}
}
