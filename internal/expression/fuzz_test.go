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
)

// fuzzContexts are the documents both parses of an expression must agree on.
var fuzzContexts = []string{
	workerAttributes,
	`{}`,
	`{"a": 1, "b": "1", "c": [1, "x", null], "x": {"y": [true, {"z": "q"}]}, "skills": []}`,
}

func FuzzParse(f *testing.F) {
	seeds := []string{
		"", "1==1", "a = 'x'", `skills HAS "support" AND languages has 'english'`,
		"language IN ['en', 'es'] OR level >= -2.5", "x NOT IN [1, true, 'a']", "skills -> ['a', 'b']",
		"(a == 1 OR (b != 2 AND c < 3)) AND d CONTAINS 'q'", `s == 'it\'s \"q\" \\ \n'`,
		"object.array[2] == 'c'", "x.y[1].z <= 0800", "((((a == 1))))", "a ==== b", "x == 'abc",
		"first-name == 'x'", "x IN ['a',]", "AND", "a NOT 'x'", "x[1 == 1", "é == 'ü'", "a == \"\xff\"",
	}
	for _, s := range seeds {
		f.Add(s)
	}
	contexts := make([]map[string]any, len(fuzzContexts))
	for i, doc := range fuzzContexts {
		contexts[i] = decode(f, doc)
	}
	f.Fuzz(func(t *testing.T, src string) {
		x, err := Parse(src)
		if err != nil {
			var syntax *SyntaxError
			if !errors.As(err, &syntax) || syntax.Pos < 0 || syntax.Pos > len(src) || syntax.Src != src {
				t.Fatalf("Parse(%q) error %#v is not a *SyntaxError within the source", src, err)
			}
			return
		}
		canonical := x.String()
		again, err := Parse(canonical)
		if err != nil {
			t.Fatalf("Parse(%q).String() = %q does not parse: %v", src, canonical, err)
		}
		if again.String() != canonical {
			t.Fatalf("String is not stable: %q then %q", canonical, again.String())
		}
		for i, ctx := range contexts {
			if x.Evaluate(ctx) != again.Evaluate(ctx) {
				t.Fatalf("%q and its canonical form %q disagree on context %d", src, canonical, i)
			}
		}
	})
}
