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
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// tokenKind classifies a lexeme.
type tokenKind int

const (
	tokEOF tokenKind = iota
	tokKey
	tokString
	tokNumber
	tokTrue
	tokFalse
	tokAnd
	tokOr
	tokNot
	tokIn
	tokHas
	tokContains
	tokEq
	tokNe
	tokGt
	tokGe
	tokLt
	tokLe
	tokLParen
	tokRParen
	tokLBracket
	tokRBracket
	tokComma
	tokIllegal
)

// keywords are matched case-insensitively: TaskRouter's own examples mix
// "IN" and "in".
var keywords = map[string]tokenKind{
	"and":      tokAnd,
	"or":       tokOr,
	"not":      tokNot,
	"in":       tokIn,
	"has":      tokHas,
	"contains": tokContains,
	"true":     tokTrue,
	"false":    tokFalse,
}

// punctuation is tried longest first so ">=" never lexes as ">" "=".
var punctuation = []struct {
	text string
	kind tokenKind
}{
	{"==", tokEq}, {"!=", tokNe}, {">=", tokGe}, {"<=", tokLe}, {"->", tokHas},
	{"=", tokEq}, {">", tokGt}, {"<", tokLt}, {"(", tokLParen}, {")", tokRParen},
	{"[", tokLBracket}, {"]", tokRBracket}, {",", tokComma},
}

// segment is one step of a key path: a member name or an array index.
type segment struct {
	name    string
	index   int
	isIndex bool
}

// token is one lexeme with its decoded value.
type token struct {
	kind tokenKind
	pos  int
	text string // the source text, for messages
	str  string // decoded value of a string literal
	num  float64
	path []segment
}

// lexer produces tokens on demand, so the first error by position is the one
// reported, whether it is lexical or grammatical.
type lexer struct {
	src string
	pos int
}

func (l *lexer) next() (token, error) {
	for l.pos < len(l.src) && isSpace(l.src[l.pos]) {
		l.pos++
	}
	if l.pos >= len(l.src) {
		return token{kind: tokEOF, pos: l.pos}, nil
	}
	c := l.src[l.pos]
	switch {
	case c == '\'' || c == '"':
		return l.scanString()
	case isDigit(c) || (c == '-' && l.pos+1 < len(l.src) && isDigit(l.src[l.pos+1])):
		return l.scanNumber()
	case isNameStart(c):
		return l.scanWord()
	}
	return l.scanPunctuation(), nil
}

func (l *lexer) scanPunctuation() token {
	start := l.pos
	for _, p := range punctuation {
		if strings.HasPrefix(l.src[start:], p.text) {
			l.pos += len(p.text)
			return token{kind: p.kind, pos: start, text: p.text}
		}
	}
	_, size := utf8.DecodeRuneInString(l.src[start:])
	l.pos += size
	return token{kind: tokIllegal, pos: start, text: l.src[start:l.pos]}
}

func (l *lexer) scanString() (token, error) {
	start, quote := l.pos, l.src[l.pos]
	var b strings.Builder
	for i := start + 1; i < len(l.src); i++ {
		switch c := l.src[i]; c {
		case quote:
			l.pos = i + 1
			return token{kind: tokString, pos: start, text: l.src[start:l.pos], str: b.String()}, nil
		case '\\':
			r, ok := unescape(l.src, i+1)
			if !ok {
				return token{}, l.errorAt(i, `an escape sequence (\\, \', \", \n, \t or \r)`, describeAt(l.src, i, 2))
			}
			b.WriteByte(r)
			i++
		default:
			b.WriteByte(c)
		}
	}
	return token{}, l.errorAt(start, fmt.Sprintf("a closing %c to end the string", quote), foundEnd)
}

// unescape decodes the escape whose letter is at src[i].
func unescape(src string, i int) (byte, bool) {
	if i >= len(src) {
		return 0, false
	}
	switch src[i] {
	case '\\', '\'', '"':
		return src[i], true
	case 'n':
		return '\n', true
	case 't':
		return '\t', true
	case 'r':
		return '\r', true
	}
	return 0, false
}

func (l *lexer) scanNumber() (token, error) {
	start := l.pos
	if l.src[l.pos] == '-' {
		l.pos++
	}
	l.skipDigits()
	if l.pos+1 < len(l.src) && l.src[l.pos] == '.' && isDigit(l.src[l.pos+1]) {
		l.pos++
		l.skipDigits()
	}
	text := l.src[start:l.pos]
	n, err := strconv.ParseFloat(text, 64)
	if err != nil || math.IsInf(n, 0) {
		return token{}, l.errorAt(start, "a number within the float64 range", strconv.Quote(text))
	}
	return token{kind: tokNumber, pos: start, text: text, num: n}, nil
}

func (l *lexer) scanWord() (token, error) {
	start := l.pos
	path := []segment{{name: l.scanName()}}
	for l.pos < len(l.src) && (l.src[l.pos] == '.' || l.src[l.pos] == '[') {
		seg, err := l.scanSegment()
		if err != nil {
			return token{}, err
		}
		path = append(path, seg)
	}
	text := l.src[start:l.pos]
	if len(path) == 1 {
		if kind, ok := keywords[strings.ToLower(text)]; ok {
			return token{kind: kind, pos: start, text: text}, nil
		}
	}
	return token{kind: tokKey, pos: start, text: text, path: path}, nil
}

// scanSegment reads ".name" or "[digits]" after a key's first name.
func (l *lexer) scanSegment() (segment, error) {
	if l.src[l.pos] == '.' {
		l.pos++
		if l.pos >= len(l.src) || !isNameStart(l.src[l.pos]) {
			return segment{}, l.errorAt(l.pos, `a key name after "."`, describeAt(l.src, l.pos, 1))
		}
		return segment{name: l.scanName()}, nil
	}
	l.pos++ // "["
	digitsAt := l.pos
	l.skipDigits()
	index, err := strconv.Atoi(l.src[digitsAt:l.pos])
	if err != nil {
		return segment{}, l.errorAt(digitsAt, `an array index after "["`, describeAt(l.src, digitsAt, 1))
	}
	if l.pos >= len(l.src) || l.src[l.pos] != ']' {
		return segment{}, l.errorAt(l.pos, `"]" to close the array index`, describeAt(l.src, l.pos, 1))
	}
	l.pos++
	return segment{index: index, isIndex: true}, nil
}

func (l *lexer) scanName() string {
	start := l.pos
	for l.pos < len(l.src) && (isNameStart(l.src[l.pos]) || isDigit(l.src[l.pos])) {
		l.pos++
	}
	return l.src[start:l.pos]
}

func (l *lexer) skipDigits() {
	for l.pos < len(l.src) && isDigit(l.src[l.pos]) {
		l.pos++
	}
}

func (l *lexer) errorAt(pos int, expected, found string) *SyntaxError {
	return &SyntaxError{Pos: pos, Expected: expected, Found: found, Src: l.src}
}

// foundEnd is how a SyntaxError names the end of the source.
const foundEnd = "end of expression"

// describeAt quotes up to n runes of src at pos, or names the end.
func describeAt(src string, pos, n int) string {
	if pos >= len(src) {
		return foundEnd
	}
	end := pos
	for i := 0; i < n && end < len(src); i++ {
		_, size := utf8.DecodeRuneInString(src[end:])
		end += size
	}
	return strconv.Quote(src[pos:end])
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isNameStart(c byte) bool { return c == '_' || (c|0x20 >= 'a' && c|0x20 <= 'z') }
