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
	"strconv"
	"strings"
)

// operator is a comparison operator.
type operator int

const (
	opEq operator = iota
	opNe
	opGt
	opGe
	opLt
	opLe
	opContains
	opHas
	opIn
	opNotIn
)

// operatorNames is the canonical spelling String uses: "=" renders as "==",
// "->" as "HAS", keywords in upper case.
var operatorNames = [...]string{
	opEq: "==", opNe: "!=", opGt: ">", opGe: ">=", opLt: "<", opLe: "<=",
	opContains: "CONTAINS", opHas: "HAS", opIn: "IN", opNotIn: "NOT IN",
}

// node is a boolean-valued part of the tree.
type node interface {
	eval(ctx map[string]any) bool
	write(b *strings.Builder)
}

// operand is one side of a comparison: a key or a constant.
type operand interface {
	resolve(ctx map[string]any) any
	write(b *strings.Builder)
}

// logical joins two or more terms with one connective; nested terms with the
// same connective are flattened at parse time.
type logical struct {
	or    bool
	terms []node
}

// comparison is "left op right".
type comparison struct {
	op          operator
	left, right operand
}

// keyRef is a dotted key path with optional [i] indices.
type keyRef struct {
	path string // canonical spelling
	pos  int
	segs []segment
}

// constant is a literal: string, float64, bool or []any of those.
type constant struct {
	value any
}

func (n *logical) write(b *strings.Builder) {
	connective := " AND "
	if n.or {
		connective = " OR "
	}
	for i, t := range n.terms {
		if i > 0 {
			b.WriteString(connective)
		}
		// Parenthesise every nested connective: precedence alone would do,
		// but messages read better when the grouping is explicit.
		if _, nested := t.(*logical); nested {
			b.WriteByte('(')
			t.write(b)
			b.WriteByte(')')
			continue
		}
		t.write(b)
	}
}

func (n *comparison) write(b *strings.Builder) {
	n.left.write(b)
	b.WriteByte(' ')
	b.WriteString(operatorNames[n.op])
	b.WriteByte(' ')
	n.right.write(b)
}

func (k *keyRef) write(b *strings.Builder) { b.WriteString(k.path) }

func (c *constant) write(b *strings.Builder) { writeValue(b, c.value) }

func writeValue(b *strings.Builder, v any) {
	switch v := v.(type) {
	case string:
		writeString(b, v)
	case float64:
		b.WriteString(strconv.FormatFloat(v, 'f', -1, 64))
	case bool:
		b.WriteString(strconv.FormatBool(v))
	case []any:
		b.WriteByte('[')
		for i, e := range v {
			if i > 0 {
				b.WriteString(", ")
			}
			writeValue(b, e)
		}
		b.WriteByte(']')
	}
}

// writeString double-quotes s using only the escapes the lexer accepts, so
// String always parses back.
func writeString(b *strings.Builder, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteString(`\t`)
		case '\r':
			b.WriteString(`\r`)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
}

// canonicalPath renders a key path as name.name[i].
func canonicalPath(segs []segment) string {
	var b strings.Builder
	for i, s := range segs {
		switch {
		case s.isIndex:
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(s.index))
			b.WriteByte(']')
		case i > 0:
			b.WriteByte('.')
			b.WriteString(s.name)
		default:
			b.WriteString(s.name)
		}
	}
	return b.String()
}
