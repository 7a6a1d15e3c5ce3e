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
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// run is the part of a scalar's value that one source line holds.
type run struct {
	line, col int    // 1-based position of text[0] in the file
	text      string // the decoded text
	raw       []int  // raw[i]: source columns from col to text[i]; nil when the text is verbatim
	start     int    // offset of text[0] in the value
}

// offsetPosition maps a byte offset inside a scalar's value, such as the
// position of an expression error, to the line and column of that character
// in the file. It re-reads the scalar from the source and only answers when
// what it read spells the value exactly, so an answer is never a guess.
func (d *document) offsetPosition(n *yaml.Node, offset int) (line, col int, ok bool) {
	if n == nil || n.Kind != yaml.ScalarNode || offset < 0 {
		return 0, 0, false
	}
	var runs []run
	switch {
	case n.Style&yaml.LiteralStyle != 0:
		runs = joinRuns(d.blockRuns(n), func(prev, next run) string { return "\n" })
	case n.Style&yaml.FoldedStyle != 0:
		runs = joinRuns(d.blockRuns(n), foldedJoin)
	case n.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle) != 0:
		runs = d.quotedRuns(n)
	default:
		runs = d.plainRuns(n)
	}
	value := strings.TrimRight(n.Value, "\n")
	if value == "" || !spells(runs, value) {
		return 0, 0, false
	}
	if offset > len(value) {
		offset = len(value)
	}
	return locate(runs, offset)
}

// spells reports whether the runs, joined, read exactly value (a plain
// scalar's first line may go on with a comment, so a longer last run is fine).
func spells(runs []run, value string) bool {
	if len(runs) == 0 {
		return false
	}
	end := 0
	for _, r := range runs {
		if r.start > len(value) {
			return false
		}
		text := r.text
		if r.start+len(text) > len(value) {
			text = text[:len(value)-r.start]
		}
		if value[r.start:r.start+len(text)] != text {
			return false
		}
		end = r.start + len(text)
	}
	return end == len(value)
}

// locate finds the run holding offset; the end of the value maps to just
// after its last character.
func locate(runs []run, offset int) (int, int, bool) {
	last := runs[0]
	for _, r := range runs {
		if r.text == "" {
			continue
		}
		if offset < r.start+len(r.text) && offset >= r.start {
			return r.line, r.col + r.column(offset-r.start), true
		}
		if r.start <= offset {
			last = r
		}
	}
	return last.line, last.col + last.column(len(last.text)), true
}

// column is the source column offset of text byte i (i may be len(text)).
func (r run) column(i int) int {
	if r.raw == nil {
		return i
	}
	if i < len(r.raw) {
		return r.raw[i]
	}
	if len(r.raw) == 0 {
		return 0
	}
	return r.raw[len(r.raw)-1] + 1
}

// joinRuns sets each run's start, with join deciding what stands between two lines.
func joinRuns(runs []run, join func(prev, next run) string) []run {
	offset := 0
	for i := range runs {
		if i > 0 {
			offset += len(join(runs[i-1], runs[i]))
		}
		runs[i].start = offset
		offset += len(runs[i].text)
	}
	return runs
}

// foldedJoin is YAML's line folding: a break between two text lines is a
// space, a break before blank lines disappears, each blank line is a newline.
func foldedJoin(prev, next run) string {
	switch {
	case prev.text == "":
		return "\n"
	case next.text == "":
		return ""
	}
	return " "
}

// blockRuns reads the lines of a | or > block scalar below its indicator.
func (d *document) blockRuns(n *yaml.Node) []run {
	indent := -1
	var runs []run
	for i := n.Line; i < len(d.lines); i++ { // n.Line is 1-based: d.lines[n.Line] is the line after the indicator
		text := strings.TrimRight(d.lines[i], "\r")
		if strings.TrimSpace(text) == "" {
			runs = append(runs, run{line: i + 1, col: 1})
			continue
		}
		lead := len(text) - len(strings.TrimLeft(text, " "))
		if indent < 0 {
			indent = lead
		}
		if lead < indent {
			break // a line indented less than the block ends it
		}
		runs = append(runs, run{line: i + 1, col: indent + 1, text: text[indent:]})
	}
	for len(runs) > 0 && runs[len(runs)-1].text == "" {
		runs = runs[:len(runs)-1]
	}
	return runs
}

// plainRuns reads an unquoted scalar: its first line from the node's column,
// then continuation lines trimmed and folded, until the value is spelled.
func (d *document) plainRuns(n *yaml.Node) []run {
	first := n.Line - 1
	if first >= len(d.lines) || n.Column-1 > len(d.lines[first]) {
		return nil
	}
	text := strings.TrimRight(d.lines[first][n.Column-1:], " \t\r")
	runs := []run{{line: n.Line, col: n.Column, text: text}}
	length := len(text)
	for i := first + 1; i < len(d.lines) && length < len(n.Value); i++ {
		raw := strings.TrimRight(d.lines[i], " \t\r")
		trimmed := strings.TrimLeft(raw, " \t")
		runs = append(runs, run{line: i + 1, col: len(raw) - len(trimmed) + 1, text: trimmed})
		runs = joinRuns(runs, foldedJoin)
		last := runs[len(runs)-1]
		length = last.start + len(last.text)
	}
	return joinRuns(runs, foldedJoin)
}

// quotedRuns reads a single- or double-quoted scalar that ends on its first
// line, decoding escapes and remembering the source column of each byte.
// A quoted scalar spanning lines is not followed (it answers nothing).
func (d *document) quotedRuns(n *yaml.Node) []run {
	first := n.Line - 1
	if first >= len(d.lines) || n.Column > len(d.lines[first]) {
		return nil
	}
	src := d.lines[first][n.Column-1:]
	quote := src[0]
	var text []byte
	var raw []int
	for i := 1; i < len(src); {
		c := src[i]
		switch {
		case c == quote && quote == '\'' && i+1 < len(src) && src[i+1] == '\'':
			text, raw = append(text, '\''), append(raw, i)
			i += 2
		case c == quote:
			return []run{{line: n.Line, col: n.Column + 1, text: string(text), raw: shift(raw, -1)}}
		case c == '\\' && quote == '"':
			decoded, width := unescapeYAML(src[i:])
			if width == 0 {
				return nil
			}
			for range len(decoded) {
				raw = append(raw, i)
			}
			text = append(text, decoded...)
			i += width
		default:
			text, raw = append(text, c), append(raw, i)
			i++
		}
	}
	return nil
}

func shift(cols []int, by int) []int {
	for i := range cols {
		cols[i] += by
	}
	return cols
}

// yamlEscapes are YAML's one-letter double-quoted escapes and what they stand for.
var yamlEscapes = map[byte]string{'0': "\x00", 'a': "\a", 'b': "\b", 't': "\t", '\t': "\t", 'n': "\n", 'v': "\v",
	'f': "\f", 'r': "\r", 'e': "\x1b", ' ': " ", '"': `"`, '/': "/", '\\': `\`, 'N': "\u0085", '_': "\u00a0",
	'L': "\u2028", 'P': "\u2029"}

// unescapeYAML decodes the double-quoted escape at the start of s, returning
// its bytes and how many source bytes it spans (0 when it is not one).
func unescapeYAML(s string) (string, int) {
	if len(s) < 2 {
		return "", 0
	}
	if decoded, ok := yamlEscapes[s[1]]; ok {
		return decoded, 2
	}
	digits := map[byte]int{'x': 2, 'u': 4, 'U': 8}[s[1]]
	if digits == 0 || len(s) < 2+digits {
		return "", 0
	}
	var r rune
	for _, c := range []byte(s[2 : 2+digits]) {
		v := strings.IndexByte("0123456789abcdef", c|0x20)
		if v < 0 {
			return "", 0
		}
		r = r<<4 | rune(v)
	}
	return string(utf8.AppendRune(nil, r)), 2 + digits
}
