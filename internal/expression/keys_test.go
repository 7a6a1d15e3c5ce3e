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

package expression

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestKeys(t *testing.T) {
	tests := []struct {
		src  string
		want []string
	}{
		{"1 == 1", nil},
		{"skills HAS 'support' AND languages HAS 'english'", []string{"skills", "languages"}},
		{"a == 1 OR (b == 2 AND a != 3) OR 'x' IN c", []string{"a", "b", "c"}},
		{"worker.level > task.level AND worker.langs[01] == 'en'", []string{"worker.level", "task.level", "worker.langs[1]"}},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			x, err := Parse(tt.src)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.src, err)
			}
			if diff := cmp.Diff(tt.want, x.Keys()); diff != "" {
				t.Errorf("Keys mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestKeysReturnsACopy(t *testing.T) {
	x, err := Parse("a == 1")
	if err != nil {
		t.Fatal(err)
	}
	x.Keys()[0] = "changed"
	if diff := cmp.Diff([]string{"a"}, x.Keys()); diff != "" {
		t.Errorf("Keys mismatch after mutating a result (-want +got):\n%s", diff)
	}
}

func TestValidateKeys(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		allowed []string
		want    *KeyError
	}{
		{"any key when nothing is allowed explicitly", "skills HAS 'a' AND agent.level > 1", nil, nil},
		{"target expression", "worker.level >= task.level AND worker.skills HAS 'x'", []string{"worker", "task"}, nil},
		{"skip_if", "workers.available == 0", []string{"workers"}, nil},
		{"constants only", "1 == 1", []string{"worker"}, nil},
		{"unprefixed key in a target", "worker.level > 1 AND level > 2", []string{"worker", "task"},
			&KeyError{Key: "level", Pos: 21, Allowed: []string{"worker", "task"}}},
		{"wrong root", "task.a == 1 OR agent.level[0] > 1", []string{"worker", "task"},
			&KeyError{Key: "agent.level[0]", Pos: 15, Allowed: []string{"worker", "task"}}},
		{"bare root", "worker == 1", []string{"worker"},
			&KeyError{Key: "worker", Pos: 0, Allowed: []string{"worker"}}},
		{"roots are case-sensitive", "Workers.available == 0", []string{"workers"},
			&KeyError{Key: "Workers.available", Pos: 0, Allowed: []string{"workers"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x, err := Parse(tt.src)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.src, err)
			}
			err = x.ValidateKeys(tt.allowed...)
			var got *KeyError
			if err != nil && !errors.As(err, &got) {
				t.Fatalf("ValidateKeys error %v is %T, want *KeyError", err, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ValidateKeys mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestKeyErrorMessage(t *testing.T) {
	tests := []struct {
		err  *KeyError
		want string
	}{
		{&KeyError{Key: "level", Pos: 21, Allowed: []string{"worker", "task"}},
			`at position 21: key "level" must start with one of "worker.", "task."`},
		{&KeyError{Key: "agents.available", Pos: 0, Allowed: []string{"workers"}},
			`at position 0: key "agents.available" must start with "workers."`},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, tt.err.Error()); diff != "" {
			t.Errorf("message mismatch (-want +got):\n%s", diff)
		}
	}
}
