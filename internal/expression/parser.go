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
	"fmt"
	"strconv"
	"strings"
)

// maxDepth bounds parenthesis nesting so hostile input cannot exhaust the
// stack of the controller or emulator; real expressions nest a few levels.
const maxDepth = 64

// Expression is a parsed expression, safe for concurrent evaluation.
type Expression struct {
	root node
	refs []*keyRef // every key occurrence in source order
	keys []string  // distinct canonical key paths in order of first use
}

// SyntaxError carries the byte offset (0-based) and what was expected, e.g.
// `at position 14: expected a value after "==", found end of expression`.
type SyntaxError struct {
	// Pos is the 0-based byte offset in Src where parsing failed.
	Pos int
	// Expected describes what the grammar allowed at Pos.
	Expected string
	// Found is the quoted text at Pos, or "end of expression".
	Found string
	// Src is the expression being parsed.
	Src string
}

// Error renders the position, the expectation and what was found instead.
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("at position %d: expected %s, found %s", e.Pos, e.Expected, e.Found)
}

// Parse parses src; errors are *SyntaxError.
func Parse(src string) (*Expression, error) {
	p := &parser{lex: lexer{src: src}}
	if err := p.advance(); err != nil {
		return nil, err
	}
	if p.tok.kind == tokEOF {
		return nil, p.fail("an expression")
	}
	root, err := p.parseChain(tokOr)
	if err != nil {
		return nil, err
	}
	if p.tok.kind != tokEOF {
		return nil, p.fail("AND, OR or end of expression")
	}
	x := &Expression{root: root, refs: p.refs}
	seen := map[string]bool{}
	for _, ref := range p.refs {
		if !seen[ref.path] {
			seen[ref.path] = true
			x.keys = append(x.keys, ref.path)
		}
	}
	return x, nil
}

// String renders the expression canonically (used in messages and tests).
func (x *Expression) String() string {
	var b strings.Builder
	x.root.write(&b)
	return b.String()
}

// parser is a recursive-descent parser over the grammar in doc.go with one
// token of lookahead.
type parser struct {
	lex   lexer
	tok   token
	prev  string // source text of the last consumed token, for "after" messages
	depth int
	refs  []*keyRef
}

func (p *parser) advance() error {
	p.prev = p.tok.text
	tok, err := p.lex.next()
	if err != nil {
		return err
	}
	p.tok = tok
	return nil
}

func (p *parser) fail(expected string) *SyntaxError {
	found := foundEnd
	if p.tok.kind != tokEOF {
		found = quoteShort(p.tok.text)
	}
	return &SyntaxError{Pos: p.tok.pos, Expected: expected, Found: found, Src: p.lex.src}
}

// after names the previous token for messages such as `a value after "=="`.
func (p *parser) after(what string) string {
	if p.prev == "" {
		return what
	}
	return what + " after " + quoteShort(p.prev)
}

// parseChain parses terms joined by conn: OR chains AND chains, AND chains
// primaries, which gives comparison > AND > OR precedence.
func (p *parser) parseChain(conn tokenKind) (node, error) {
	term := p.parsePrimary
	if conn == tokOr {
		term = func() (node, error) { return p.parseChain(tokAnd) }
	}
	first, err := term()
	if err != nil || p.tok.kind != conn {
		return first, err
	}
	chain := &logical{or: conn == tokOr}
	chain.add(first)
	for p.tok.kind == conn {
		if err := p.advance(); err != nil {
			return nil, err
		}
		next, err := term()
		if err != nil {
			return nil, err
		}
		chain.add(next)
	}
	return chain, nil
}

// add appends t, splicing in the terms of a chain with the same connective.
func (n *logical) add(t node) {
	if inner, ok := t.(*logical); ok && inner.or == n.or {
		n.terms = append(n.terms, inner.terms...)
		return
	}
	n.terms = append(n.terms, t)
}

func (p *parser) parsePrimary() (node, error) {
	if p.tok.kind != tokLParen {
		return p.parseComparison()
	}
	if p.depth >= maxDepth {
		return nil, p.fail(fmt.Sprintf("at most %d nested parentheses", maxDepth))
	}
	p.depth++
	if err := p.advance(); err != nil {
		return nil, err
	}
	inner, err := p.parseChain(tokOr)
	if err != nil {
		return nil, err
	}
	if p.tok.kind != tokRParen {
		return nil, p.fail(`AND, OR or ")"`)
	}
	p.depth--
	if err := p.advance(); err != nil {
		return nil, err
	}
	return inner, nil
}

func (p *parser) parseComparison() (node, error) {
	left, err := p.parseOperand(p.after("a comparison"))
	if err != nil {
		return nil, err
	}
	op, err := p.parseOperator()
	if err != nil {
		return nil, err
	}
	right, err := p.parseRight(op)
	if err != nil {
		return nil, err
	}
	return &comparison{op: op, left: left, right: right}, nil
}

// operators maps single-token operators; NOT IN is two tokens.
var operators = map[tokenKind]operator{
	tokEq: opEq, tokNe: opNe, tokGt: opGt, tokGe: opGe, tokLt: opLt, tokLe: opLe,
	tokContains: opContains, tokHas: opHas, tokIn: opIn,
}

func (p *parser) parseOperator() (operator, error) {
	op, ok := operators[p.tok.kind]
	if p.tok.kind == tokNot {
		if err := p.advance(); err != nil {
			return 0, err
		}
		if p.tok.kind != tokIn {
			return 0, p.fail(p.after("IN"))
		}
		op, ok = opNotIn, true
	}
	if !ok {
		return 0, p.fail(p.after("a comparison operator"))
	}
	return op, p.advance()
}

// parseRight parses the right operand: IN and NOT IN need a list (an array
// literal or a key holding one), HAS also accepts a list, the rest a value.
func (p *parser) parseRight(op operator) (operand, error) {
	switch {
	case p.tok.kind == tokLBracket && (op == opIn || op == opNotIn || op == opHas):
		return p.parseArray()
	case op == opIn || op == opNotIn:
		if p.tok.kind != tokKey {
			return nil, p.fail(p.after("an array or a key"))
		}
	}
	return p.parseOperand(p.after("a value"))
}

func (p *parser) parseOperand(expected string) (operand, error) {
	if p.tok.kind == tokKey {
		ref := &keyRef{path: canonicalPath(p.tok.path), pos: p.tok.pos, segs: p.tok.path}
		p.refs = append(p.refs, ref)
		return ref, p.advance()
	}
	value, ok := literal(p.tok)
	if !ok {
		return nil, p.fail(expected)
	}
	return &constant{value: value}, p.advance()
}

func (p *parser) parseArray() (operand, error) {
	if err := p.advance(); err != nil { // "["
		return nil, err
	}
	values := []any{}
	for p.tok.kind != tokRBracket {
		if len(values) > 0 {
			if p.tok.kind != tokComma {
				return nil, p.fail(`"," or "]"`)
			}
			if err := p.advance(); err != nil {
				return nil, err
			}
		}
		value, ok := literal(p.tok)
		if !ok {
			return nil, p.fail(p.after(`a constant value`))
		}
		values = append(values, value)
		if err := p.advance(); err != nil {
			return nil, err
		}
	}
	return &constant{value: values}, p.advance()
}

// literal is the value of a scalar constant token.
func literal(tok token) (any, bool) {
	switch tok.kind {
	case tokString:
		return tok.str, true
	case tokNumber:
		return tok.num, true
	case tokTrue:
		return true, true
	case tokFalse:
		return false, true
	}
	return nil, false
}

// quoteShort quotes text for a message, cut so a long literal cannot flood it.
func quoteShort(text string) string {
	const limit = 32
	if len(text) > limit {
		cut := limit
		for cut > 0 && !utf8RuneStart(text[cut]) {
			cut--
		}
		return strconv.Quote(text[:cut] + "...")
	}
	return strconv.Quote(text)
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }
