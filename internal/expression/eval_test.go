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
	"encoding/json"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// workerAttributes is a worker's attributes as the emulator decodes them.
const workerAttributes = `{
	"language": "en",
	"skills": ["support", "sales"],
	"levels": [1, 2],
	"level": 3,
	"rating": 5.1,
	"temperature": -2.5,
	"vip": true,
	"hour": "08",
	"email": "ann@example.com",
	"name": "Ann",
	"nothing": null,
	"object": {"array": ["a", "b", "c"], "attr": "bar", "nested": {"deep": 1}}
}`

func decode(t testing.TB, doc string) map[string]any {
	t.Helper()
	ctx := map[string]any{}
	if err := json.Unmarshal([]byte(doc), &ctx); err != nil {
		t.Fatalf("decode %s: %v", doc, err)
	}
	return ctx
}

// evaluateCases run against workerAttributes; grouped by operator.
var evaluateCases = []struct {
	src  string
	want bool
}{
	// Constants and the documented examples.
	{"1 == 1", true},
	{"1 = 1", true},
	{"0 != 1", true},
	{`"apple" != "orange"`, true},
	{"true == true", true},
	{"1 == 2", false},
	// Equality and strings.
	{"language == 'en'", true},
	{`language == "en"`, true},
	{"language = 'en'", true},
	{"language == 'EN'", false},
	{"language != 'fr'", true},
	{"language != 'en'", false},
	// Numbers, including numeric strings.
	{"level == 3", true},
	{"level == 3.0", true},
	{"level == '3'", true},
	{"level == 'three'", false},
	{"level > 2", true},
	{"level > 3", false},
	{"level >= 3", true},
	{"level < 3", false},
	{"level <= 3", true},
	{"rating >= 5.1", true},
	{"temperature == -2.5", true},
	{"temperature < 0", true},
	{"hour == 8", true},
	{"hour > 7", true},
	{"hour >= 08", true},
	{"hour >= 0800", false},
	{"hour > '07'", true},
	{"hour > '1'", false},
	// Strings order byte-wise; booleans only compare for equality.
	{"name > 'Al'", true},
	{"name < 'B'", true},
	{"name < 'a'", true},
	{"vip == true", true},
	{"vip != false", true},
	{"vip == 'true'", false},
	{"vip == 1", false},
	{"vip > false", false},
	{"language > 1", false},
	// CONTAINS is substring on strings only.
	{"email CONTAINS '@example'", true},
	{"email CONTAINS 'EXAMPLE'", false},
	{"email CONTAINS ''", true},
	{"skills CONTAINS 'support'", false},
	{"level CONTAINS '3'", false},
	{"missing CONTAINS 'a'", false},
	// HAS: array holds value (or any of an array's values).
	{"skills HAS 'support'", true},
	{"skills HAS 'billing'", false},
	{"skills -> 'sales'", true},
	{"skills HAS ['billing', 'sales']", true},
	{"skills HAS ['billing']", false},
	{"levels HAS 2", true},
	{"levels HAS '2'", true},
	{"language HAS 'en'", false},
	{"skills HAS missing", false},
	{"missing HAS 'a'", false},
	// IN and NOT IN.
	{"language IN ['en', 'es']", true},
	{"language IN ['fr']", false},
	{"language IN ['EN']", false},
	{"language IN []", false},
	{"level IN [1, 2, 3]", true},
	{"'support' IN skills", true},
	{"'billing' IN skills", false},
	{"skills IN ['sales', 'billing']", true},
	{"skills IN ['billing']", false},
	{"missing IN ['en']", false},
	{"language IN missing", false},
	{"language IN name", false},
	{"language NOT IN ['fr']", true},
	{"language NOT IN ['en', 'es']", false},
	{"missing NOT IN ['en']", true},
	{"'billing' NOT IN skills", true},
	// NULL: a missing key or JSON null equals only NULL.
	{"missing == 'x'", false},
	{"missing != 'x'", true},
	{"missing > 1", false},
	{"missing <= 1", false},
	{"nothing == missing", true},
	{"nothing != 1", true},
	{"object.nothing.deeper == 1", false},
	{"language.sub == 'en'", false},
	// Scalar operators against arrays and objects are false, != included.
	{"skills == 'support'", false},
	{"skills != 'support'", false},
	{"object == 'x'", false},
	{"object != 'x'", false},
	{"levels > 0", false},
	// Paths and indices.
	{"object.array[2] == 'c'", true},
	{"object.array[3] == 'c'", false},
	{"object.array[0] != 'a'", false},
	{"object.attr == 'bar'", true},
	{"object.nested.deep == 1", true},
	{"skills[0] == 'support'", true},
	{"object[0] == 'a'", false},
	// Precedence: comparison > AND > OR; parentheses override.
	{"language == 'en' OR level > 5 AND vip == false", true},
	{"(language == 'en' OR level > 5) AND vip == false", false},
	{"level > 5 AND vip == true OR language == 'en'", true},
	{"level > 5 AND (vip == true OR language == 'en')", false},
	{"((((level == 3))))", true},
	{"(language == 'en' OR language == 'fr') AND rating >= 5.1", true},
	{"(skills HAS 'support') AND (language IN ['en', 'es']) AND level >= 3", true},
	{"(skills HAS 'support') AND (language IN ['en', 'es']) AND level >= 4", false},
	// Keywords are case-insensitive.
	{"skills HaS 'sales' aNd language In ['en'] oR false == true", true},
	{"language not IN ['fr'] AND vip == TRUE", true},
	{"email contains 'ann'", true},
}

func TestEvaluate(t *testing.T) {
	ctx := decode(t, workerAttributes)
	for _, tt := range evaluateCases {
		t.Run(tt.src, func(t *testing.T) {
			x, err := Parse(tt.src)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.src, err)
			}
			if diff := cmp.Diff(tt.want, x.Evaluate(ctx)); diff != "" {
				t.Errorf("Evaluate(%q) mismatch (-want +got):\n%s", tt.src, diff)
			}
		})
	}
}

// TestEvaluateGoValues covers contexts built in Go rather than decoded from
// JSON: ints and json.Number count as numbers, a nil context is all NULL.
func TestEvaluateGoValues(t *testing.T) {
	tests := []struct {
		name string
		ctx  map[string]any
		src  string
		want bool
	}{
		{"int", map[string]any{"n": 3}, "n == 3 AND n > 2.5", true},
		{"int64", map[string]any{"n": int64(-4)}, "n < -3", true},
		{"json.Number", map[string]any{"n": json.Number("7.5")}, "n >= 7.5 AND n IN [7.5]", true},
		{"foreign type is not scalar", map[string]any{"n": []string{"a"}}, "n != 'a'", false},
		{"nil context equality", nil, "x == 1", false},
		{"nil context inequality", nil, "x != 1", true},
		{"nil context constants", nil, "1 == 1", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x, err := Parse(tt.src)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.src, err)
			}
			if diff := cmp.Diff(tt.want, x.Evaluate(tt.ctx)); diff != "" {
				t.Errorf("Evaluate(%q) mismatch (-want +got):\n%s", tt.src, diff)
			}
		})
	}
}

// TestEvaluateConcurrent shares one Expression among goroutines, as the
// emulator does across requests; run with -race it proves no shared state.
func TestEvaluateConcurrent(t *testing.T) {
	x, err := Parse("skills HAS 'support' AND level >= 3")
	if err != nil {
		t.Fatal(err)
	}
	match, miss := decode(t, workerAttributes), decode(t, `{"skills": ["sales"], "level": 5}`)
	var wg sync.WaitGroup
	results := make([][2]bool, 8)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				results[i] = [2]bool{x.Evaluate(match), x.Evaluate(miss)}
			}
		}()
	}
	wg.Wait()
	for i, got := range results {
		if diff := cmp.Diff([2]bool{true, false}, got); diff != "" {
			t.Errorf("goroutine %d mismatch (-want +got):\n%s", i, diff)
		}
	}
}
