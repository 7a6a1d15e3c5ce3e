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
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestParseOrderBy(t *testing.T) {
	tests := []struct {
		src  string
		want OrderBy
	}{
		{"worker.level", OrderBy{{Key: "worker.level", Pos: 0}}},
		{"worker.level DESC", OrderBy{{Key: "worker.level", Descending: true, Pos: 0}}},
		{" worker.level desc , worker.tenure asc,worker.skills[0]", OrderBy{
			{Key: "worker.level", Descending: true, Pos: 1},
			{Key: "worker.tenure", Pos: 21},
			{Key: "worker.skills[0]", Pos: 39},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			got, err := ParseOrderBy(tt.src)
			if err != nil {
				t.Fatalf("ParseOrderBy(%q): %v", tt.src, err)
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.IgnoreUnexported(OrderKey{})); diff != "" {
				t.Errorf("ParseOrderBy(%q) mismatch (-want +got):\n%s", tt.src, diff)
			}
		})
	}
}

func TestParseOrderByErrors(t *testing.T) {
	tests := []struct {
		src      string
		pos      int
		expected string
		found    string
	}{
		{"", 0, "a worker attribute key", foundEnd},
		{"worker.level DESC,", 18, `a worker attribute key after ","`, foundEnd},
		{"worker.level DOWN", 13, `ASC, DESC, "," or end of expression`, `"DOWN"`},
		{"worker.level DESC DESC", 18, `ASC, DESC, "," or end of expression`, `"DESC"`},
		{"worker.level, 'x'", 14, `a worker attribute key after ","`, `"'x'"`},
		{"worker.first-name", 12, `ASC, DESC, "," or end of expression`, `"-"`},
		{"worker. DESC", 7, `a key name after "."`, `" "`},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			_, err := ParseOrderBy(tt.src)
			var got *SyntaxError
			if !errors.As(err, &got) {
				t.Fatalf("ParseOrderBy(%q) error %v is %T, want *SyntaxError", tt.src, err, err)
			}
			want := &SyntaxError{Pos: tt.pos, Expected: tt.expected, Found: tt.found, Src: tt.src}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("ParseOrderBy(%q) error mismatch (-want +got):\n%s", tt.src, diff)
			}
		})
	}
}

func TestOrderByValidateKeys(t *testing.T) {
	o, err := ParseOrderBy("worker.level DESC, task.priority")
	if err != nil {
		t.Fatal(err)
	}
	want := &KeyError{Key: "task.priority", Pos: 19, Allowed: []string{"worker"}}
	if diff := cmp.Diff(error(want), o.ValidateKeys("worker")); diff != "" {
		t.Errorf("ValidateKeys mismatch (-want +got):\n%s", diff)
	}
	if err := o[:1].ValidateKeys("worker"); err != nil {
		t.Errorf("ValidateKeys of worker.level: %v", err)
	}
}

func TestKeyUses(t *testing.T) {
	x, err := Parse(`worker.skills HAS "a" AND level > 2 OR worker.skills HAS "b"`)
	if err != nil {
		t.Fatal(err)
	}
	want := []KeyUse{
		{Key: "worker.skills", Root: "worker", Pos: 0},
		{Key: "level", Root: "level", Pos: 26},
		{Key: "worker.skills", Root: "worker", Pos: 39},
	}
	if diff := cmp.Diff(want, x.KeyUses()); diff != "" {
		t.Errorf("KeyUses mismatch (-want +got):\n%s", diff)
	}
}

// Workers sort by the first key that tells them apart; a missing or unorderable value goes last in
// either direction.
func TestOrderByCompare(t *testing.T) {
	worker := func(attrs map[string]any) map[string]any { return map[string]any{"worker": attrs} }
	tests := []struct {
		orderBy string
		a, b    map[string]any
		want    int
	}{
		{"worker.level", worker(map[string]any{"level": 1.0}), worker(map[string]any{"level": 2.0}), -1},
		{"worker.level DESC", worker(map[string]any{"level": 1.0}), worker(map[string]any{"level": 2.0}), 1},
		{"worker.level DESC", worker(map[string]any{"level": "10"}), worker(map[string]any{"level": 9.0}), -1},
		{"worker.name", worker(map[string]any{"name": "bob"}), worker(map[string]any{"name": "alice"}), 1},
		{"worker.level, worker.tenure DESC", worker(map[string]any{"level": 2.0, "tenure": 5.0}),
			worker(map[string]any{"level": 2.0, "tenure": 7.0}), 1},
		{"worker.level", worker(map[string]any{}), worker(map[string]any{"level": 2.0}), 1},
		{"worker.level DESC", worker(map[string]any{"level": 2.0}), worker(map[string]any{"level": []any{3.0}}), -1},
		{"worker.level", worker(map[string]any{}), worker(map[string]any{"level": true}), 0},
		{"worker.skills[0]", worker(map[string]any{"skills": []any{"b"}}), worker(map[string]any{"skills": []any{"a"}}), 1},
	}
	for _, tt := range tests {
		t.Run(tt.orderBy, func(t *testing.T) {
			o, err := ParseOrderBy(tt.orderBy)
			if err != nil {
				t.Fatal(err)
			}
			if got := o.Compare(tt.a, tt.b); got != tt.want {
				t.Errorf("Compare(%v, %v) = %d, want %d", tt.a, tt.b, got, tt.want)
			}
		})
	}
}
