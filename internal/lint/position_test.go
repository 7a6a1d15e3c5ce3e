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

package lint

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"
)

// TestOffsetPosition places a character of a scalar, given by its offset in
// the value, in the file, for every way YAML writes a scalar.
func TestOffsetPosition(t *testing.T) {
	type pos struct{ Line, Col int }
	tests := []struct {
		name   string
		yaml   string
		offset int
		want   *pos // nil: lint cannot tell and must not guess
	}{
		{"plain", "x: a == 1", 2, &pos{1, 6}},
		{"plain, end of value", "x: a ==", 4, &pos{1, 8}},
		{"plain with a comment after it", "x: a == 1 # why", 5, &pos{1, 9}},
		{"plain over two lines", "x: a == 1\n  AND b == 2", 11, &pos{2, 7}},
		{"single-quoted with a doubled quote", "x: 'it''s == 1'", 5, &pos{1, 11}},
		{"double-quoted with escapes", `x: "a == \"q\" OR \u00e9 == 1"`, 9, &pos{1, 16}},
		{"literal block", "x: |\n  a == 1\n  AND b = = 2\n", 15, &pos{3, 11}},
		{"literal block with CRLF line ends", "x: |\r\n  a == 1\r\n  AND b = = 2\r\n", 15, &pos{3, 11}},
		{"literal block, end of value", "x: |\n  a ==\ny: 1\n", 4, &pos{2, 7}},
		{"literal block with more indented lines", "x: |\n    a == 1\n      AND b\n", 13, &pos{3, 11}},
		{"folded block", "x: >\n  a == 1 AND\n  b = = 2\n", 15, &pos{3, 7}},
		{"folded block with a blank line", "x: >\n  a == 1\n\n  b = = 2\n", 11, &pos{4, 7}},
		{"double-quoted over two lines", "x: \"a == 1\n  AND b\"", 8, nil},
		{"offset past the value", "x: ab", 9, &pos{1, 6}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs, bad := parseFile(Source{Name: "f.yaml", Data: []byte(tt.yaml)})
			if bad != nil || len(docs) != 1 {
				t.Fatalf("parse: %v", bad)
			}
			node := lookup(docs[0].root, "x")
			line, col, ok := docs[0].offsetPosition(node, tt.offset)
			var got *pos
			if ok {
				got = &pos{line, col}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("offset %d of %q (-want +got):\n%s", tt.offset, node.Value, diff)
			}
			if ok && tt.offset < len(strings.TrimRight(node.Value, "\n")) {
				lines := strings.Split(tt.yaml, "\n")
				if at := lines[line-1][col-1]; at != node.Value[tt.offset] && node.Style&yaml.DoubleQuotedStyle == 0 {
					t.Errorf("the file has %q at %d:%d, the value %q", at, line, col, node.Value[tt.offset])
				}
			}
		})
	}
}
