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
	"slices"
	"strings"
)

// OrderKey is one sort key of a workflow target's order_by.
type OrderKey struct {
	// Key is the canonical key path, e.g. "worker.level".
	Key string
	// Descending is true for DESC; ASC (the default) sorts ascending.
	Descending bool
	// Pos is the 0-based byte offset of the key in the source.
	Pos int

	segs []segment
}

// OrderBy is a parsed order_by: the sort keys in priority order.
type OrderBy []OrderKey

// ParseOrderBy parses a workflow target's order_by, written
//
//	order_by  = sort_key { "," sort_key } .
//	sort_key  = key [ "ASC" | "DESC" ] .
//
// with keys spelled as in expressions and ASC/DESC case-insensitive, e.g.
// "worker.level DESC, worker.tenure". Errors are *SyntaxError with the offset
// of the offending token, like Parse.
func ParseOrderBy(src string) (OrderBy, error) {
	lex := lexer{src: src}
	var keys OrderBy
	prev := ""
	for {
		tok, err := lex.next()
		if err != nil {
			return nil, err
		}
		if tok.kind != tokKey {
			what := "a worker attribute key"
			if prev != "" {
				what += " after " + quoteShort(prev)
			}
			return nil, orderByError(src, tok, what)
		}
		key := OrderKey{Key: canonicalPath(tok.path), Pos: tok.pos, segs: tok.path}
		if tok, err = lex.next(); err != nil {
			return nil, err
		}
		if tok.kind == tokKey && len(tok.path) == 1 && isDirection(tok.text) {
			key.Descending = strings.EqualFold(tok.text, "DESC")
			if tok, err = lex.next(); err != nil {
				return nil, err
			}
		}
		keys = append(keys, key)
		switch tok.kind {
		case tokEOF:
			return keys, nil
		case tokComma:
			prev = tok.text
		default:
			return nil, orderByError(src, tok, `ASC, DESC, "," or end of expression`)
		}
	}
}

func isDirection(word string) bool {
	return strings.EqualFold(word, "ASC") || strings.EqualFold(word, "DESC")
}

func orderByError(src string, tok token, expected string) *SyntaxError {
	found := foundEnd
	if tok.kind != tokEOF {
		found = quoteShort(tok.text)
	}
	return &SyntaxError{Pos: tok.pos, Expected: expected, Found: found, Src: src}
}

// ValidateKeys returns a *KeyError naming the first sort key whose root is not
// in allowed ({"worker"} for a workflow target), like Expression.ValidateKeys.
func (o OrderBy) ValidateKeys(allowed ...string) error {
	for _, k := range o {
		if len(k.segs) < 2 || !slices.Contains(allowed, k.segs[0].name) {
			return &KeyError{Key: k.Key, Pos: k.Pos, Allowed: slices.Clone(allowed)}
		}
	}
	return nil
}

// Compare orders two contexts (e.g. {"worker": attributes}) by o's keys, the
// first key whose values tell them apart deciding: values order as the
// comparison operators order them (numbers numerically, a numeric string like a
// number, strings byte-wise), DESC reversing the order. A value that is missing
// or cannot be ordered (a list, a boolean) sorts after one that can, in either
// direction (assumed: TaskRouter does not say where workers without the
// attribute go); two such values tie.
func (o OrderBy) Compare(a, b map[string]any) int {
	for _, k := range o {
		ref := &keyRef{segs: k.segs}
		va, vb := ref.resolve(a), ref.resolve(b)
		c, ok := order(va, vb)
		switch {
		case ok && c != 0 && k.Descending:
			return -c
		case ok && c != 0:
			return c
		case ok:
			continue
		}
		switch oa, ob := orderable(va), orderable(vb); {
		case oa && !ob:
			return -1
		case ob && !oa:
			return 1
		}
	}
	return 0
}

// orderable reports whether v has a place in an order: a number or a string.
func orderable(v any) bool {
	_, isString := v.(string)
	return isString || isNumber(v)
}

// KeyUse is one occurrence of a key in an expression.
type KeyUse struct {
	// Key is the canonical key path.
	Key string
	// Root is the key's first member name, e.g. "worker" in "worker.level".
	Root string
	// Pos is the 0-based byte offset of the key in the source.
	Pos int
}

// KeyUses lists every key occurrence in source order, with its position, for
// callers that report on keys beyond ValidateKeys' allowed roots (a linter
// warning about a "worker." prefix where attributes are read bare).
func (x *Expression) KeyUses() []KeyUse {
	uses := make([]KeyUse, len(x.refs))
	for i, ref := range x.refs {
		uses[i] = KeyUse{Key: ref.path, Root: ref.segs[0].name, Pos: ref.pos}
	}
	return uses
}
