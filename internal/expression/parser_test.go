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
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseErrors(t *testing.T) {
	deep := strings.Repeat("(", maxDepth+1) + "a == 1" + strings.Repeat(")", maxDepth+1)
	tests := []struct {
		src      string
		pos      int
		expected string
		found    string
	}{
		{"", 0, "an expression", foundEnd},
		{"   ", 3, "an expression", foundEnd},
		{"language ==", 11, `a value after "=="`, foundEnd},
		{"language == 'en' AND", 20, `a comparison after "AND"`, foundEnd},
		{"AND a == 1", 0, "a comparison", `"AND"`},
		{"x == 1 OR OR y == 2", 10, `a comparison after "OR"`, `"OR"`},
		{"(skills HAS 'a'", 15, `AND, OR or ")"`, foundEnd},
		{"skills HAS 'a')", 14, "AND, OR or end of expression", `")"`},
		{"a == 1 b == 2", 7, "AND, OR or end of expression", `"b"`},
		{"(", 1, `a comparison after "("`, foundEnd},
		{"a ==== b", 4, `a value after "=="`, `"=="`},
		{"a NOT 'x'", 6, `IN after "NOT"`, `"'x'"`},
		{"language", 8, `a comparison operator after "language"`, foundEnd},
		{"first-name == 'x'", 5, `a comparison operator after "first"`, `"-"`},
		{"a # 1", 2, `a comparison operator after "a"`, `"#"`},
		{"x IN 'abc'", 5, `an array or a key after "IN"`, `"'abc'"`},
		{"x not in 3", 9, `an array or a key after "in"`, `"3"`},
		{"x IN ['a',]", 10, `a constant value after ","`, `"]"`},
		{"x IN ['a' 'b']", 10, `"," or "]"`, `"'b'"`},
		{"x IN [y]", 6, `a constant value after "["`, `"y"`},
		{"x IN ['a'", 9, `"," or "]"`, foundEnd},
		{"x == [1]", 5, `a value after "=="`, `"["`},
		{"x == 'abc", 5, "a closing ' to end the string", foundEnd},
		{`x == "abc`, 5, `a closing " to end the string`, foundEnd},
		{`x == 'a\q'`, 7, `an escape sequence (\\, \', \", \n, \t or \r)`, `"\\q"`},
		{"x. == 1", 2, `a key name after "."`, `" "`},
		{"x[a] == 1", 2, `an array index after "["`, `"a"`},
		{"x[1 == 1", 3, `"]" to close the array index`, `" "`},
		{"x == -", 5, `a value after "=="`, `"-"`},
		{"x == 1" + strings.Repeat("0", 400), 5, "a number within the float64 range", `"1` + strings.Repeat("0", 400) + `"`},
		{"'a very long string literal that goes on and on' 1", 49, `a comparison operator after "'a very long string literal that..."`, `"1"`},
		{deep, maxDepth, "at most 64 nested parentheses", `"("`},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			x, err := Parse(tt.src)
			if x != nil {
				t.Fatalf("Parse(%q) = %s, want an error", tt.src, x)
			}
			var got *SyntaxError
			if !errors.As(err, &got) {
				t.Fatalf("Parse(%q) error %v is %T, want *SyntaxError", tt.src, err, err)
			}
			want := &SyntaxError{Pos: tt.pos, Expected: tt.expected, Found: tt.found, Src: tt.src}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Parse(%q) error mismatch (-want +got):\n%s", tt.src, diff)
			}
		})
	}
}

func TestSyntaxErrorMessage(t *testing.T) {
	_, err := Parse("skills HAS 'x' ==")
	want := `at position 15: expected AND, OR or end of expression, found "=="`
	if diff := cmp.Diff(want, err.Error()); diff != "" {
		t.Errorf("message mismatch (-want +got):\n%s", diff)
	}
	_, err = Parse("skills HAS 'x' AND a ==")
	want = `at position 23: expected a value after "==", found end of expression`
	if diff := cmp.Diff(want, err.Error()); diff != "" {
		t.Errorf("message mismatch (-want +got):\n%s", diff)
	}
}

func TestString(t *testing.T) {
	tests := []struct{ src, want string }{
		{"1==1", "1 == 1"},
		{"a = 'x'", `a == "x"`},
		{`skills has 'support' and languages HAS "english"`, `skills HAS "support" AND languages HAS "english"`},
		{"skills -> 'a'", `skills HAS "a"`},
		{"lang not   in ['en','es']", `lang NOT IN ["en", "es"]`},
		{"lang In []", "lang IN []"},
		{"n = 0800 OR n > -2.50 OR n < 1.0", "n == 800 OR n > -2.5 OR n < 1"},
		{"v == TRUE or v == False", "v == true OR v == false"},
		{`s contains 'it\'s "q" \\ \n\t\r'`, `s CONTAINS "it's \"q\" \\ \n\t\r"`},
		{"(a == 1)", "a == 1"},
		{"((a == 1 OR b == 2) AND c == 3) AND (d == 4 AND e == 5)", "(a == 1 OR b == 2) AND c == 3 AND d == 4 AND e == 5"},
		{"a == 1 OR b == 2 AND c == 3", "a == 1 OR (b == 2 AND c == 3)"},
		{"(a == 1 OR (b == 2 OR c == 3))", "a == 1 OR b == 2 OR c == 3"},
		{"x.y[03].z_1 >= 2", "x.y[3].z_1 >= 2"},
		{"'en' IN task.languages", `"en" IN task.languages`},
		{"x HAS [1, true, 'a']", `x HAS [1, true, "a"]`},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			x, err := Parse(tt.src)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.src, err)
			}
			if diff := cmp.Diff(tt.want, x.String()); diff != "" {
				t.Errorf("String mismatch (-want +got):\n%s", diff)
			}
			again, err := Parse(x.String())
			if err != nil {
				t.Fatalf("Parse(String()) = %v", err)
			}
			if diff := cmp.Diff(tt.want, again.String()); diff != "" {
				t.Errorf("String is not stable (-want +got):\n%s", diff)
			}
		})
	}
}
