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
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// document is one YAML document of a file with what lint needs to place a
// finding: the node of every field the schema walk visited, by field path.
type document struct {
	file  string
	lines []string // the whole file, for positions inside multi-line scalars
	root  *yaml.Node
	at    map[string]place
}

// place is where a field stands: its key (nil for a list item) and its value.
type place struct {
	key, value *yaml.Node
}

// yamlErrorLine matches the line number yaml.v3 puts in its syntax errors.
var yamlErrorLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parseFile splits a file into its documents. A syntax error ends the file:
// yaml.v3 cannot resume a stream after one, so it is the file's last finding.
func parseFile(src Source) ([]*document, *Finding) {
	lines := strings.Split(string(src.Data), "\n")
	dec := yaml.NewDecoder(bytes.NewReader(src.Data))
	var docs []*document
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			return docs, nil
		}
		if err != nil {
			f := &Finding{File: src.Name, Severity: Error, Message: "invalid YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")}
			if m := yamlErrorLine.FindStringSubmatch(err.Error()); m != nil {
				f.Line, _ = strconv.Atoi(m[1])
				f.Message = "invalid YAML: " + m[2]
			}
			return docs, f
		}
		if expandedSize(&n, maxExpandedNodes, map[*yaml.Node]int{}) > maxExpandedNodes {
			return docs, &Finding{File: src.Name, Line: n.Line, Severity: Error,
				Message: fmt.Sprintf("the document starting here expands to more than %d nodes through its aliases; lint does not read it", maxExpandedNodes)}
		}
		if len(n.Content) == 1 && resolve(n.Content[0]).Kind == yaml.MappingNode {
			docs = append(docs, &document{file: src.Name, lines: lines, root: resolve(n.Content[0]), at: map[string]place{}})
		}
	}
}

// resolve follows an alias to the node it names.
func resolve(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

// pair is one key and value of a mapping.
type pair struct {
	key, value *yaml.Node
}

// pairs lists a mapping's entries with merge keys ("<<: *base") expanded the
// way kubectl's YAML reader expands them: the mapping's own keys win.
func pairs(m *yaml.Node) []pair {
	var own, merged []pair
	for i := 0; i+1 < len(m.Content); i += 2 {
		key, value := m.Content[i], resolve(m.Content[i+1])
		if key.ShortTag() == "!!merge" {
			merged = append(merged, mergedPairs(value)...)
			continue
		}
		own = append(own, pair{key, value})
	}
	if len(merged) == 0 {
		return own
	}
	ownKeys := map[string]bool{}
	for _, p := range own {
		ownKeys[p.key.Value] = true
	}
	for _, p := range merged {
		if !ownKeys[p.key.Value] {
			own = append(own, p)
			ownKeys[p.key.Value] = true
		}
	}
	return own
}

func mergedPairs(n *yaml.Node) []pair {
	switch n.Kind {
	case yaml.MappingNode:
		return pairs(n)
	case yaml.SequenceNode:
		var out []pair
		for _, item := range n.Content {
			if item = resolve(item); item.Kind == yaml.MappingNode {
				out = append(out, pairs(item)...)
			}
		}
		return out
	}
	return nil
}

// lookup returns the value of key in mapping m, or nil.
func lookup(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for _, p := range pairs(m) {
		if p.key.Value == key {
			return p.value
		}
	}
	return nil
}

// isNull reports whether n is absent or an explicit null, which Kubernetes treats alike.
func isNull(n *yaml.Node) bool {
	return n == nil || (n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null")
}

// has is CEL's has() on a YAML mapping: the key is present and not null.
func has(m *yaml.Node, key string) bool { return !isNull(lookup(m, key)) }

// stringAt returns the string value of key in m, or "".
func stringAt(m *yaml.Node, key string) string {
	if n := lookup(m, key); n != nil && n.Kind == yaml.ScalarNode && !isNull(n) {
		return n.Value
	}
	return ""
}

// value converts a node to the value encoding/json would produce from the
// same document: objects, arrays, strings, numbers, booleans and null.
func value(n *yaml.Node) any {
	n = resolve(n)
	switch n.Kind {
	case yaml.MappingNode:
		out := map[string]any{}
		for _, p := range pairs(n) {
			out[p.key.Value] = value(p.value)
		}
		return out
	case yaml.SequenceNode:
		out := make([]any, len(n.Content))
		for i, item := range n.Content {
			out[i] = value(item)
		}
		return out
	}
	switch n.ShortTag() {
	case "!!null":
		return nil
	case "!!bool", "!!int", "!!float":
		var v any
		if err := n.Decode(&v); err == nil {
			return v
		}
	}
	return n.Value
}

// line is the line of the field at path, or of its nearest ancestor the walk
// saw: a missing field is reported where its parent is.
func (d *document) line(path string) int {
	for {
		if p, ok := d.at[path]; ok {
			if p.key != nil {
				return p.key.Line
			}
			return p.value.Line
		}
		cut := strings.LastIndexAny(path, ".[")
		if cut <= 0 {
			return d.root.Line
		}
		path = path[:cut]
	}
}

// maxExpandedNodes bounds a document once its aliases are expanded: lint
// follows aliases like kubectl does, and a few nested ones ("billion laughs")
// would otherwise expand to more than any machine holds.
const maxExpandedNodes = 1 << 18

// expandedSize counts the nodes of n with aliases expanded, stopping past limit.
func expandedSize(n *yaml.Node, limit int, memo map[*yaml.Node]int) int {
	if size, ok := memo[n]; ok {
		return size
	}
	memo[n] = limit + 1 // an alias cycle counts as too large
	size := 1
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		size = expandedSize(n.Alias, limit, memo)
	}
	for _, child := range n.Content {
		if size += expandedSize(child, limit, memo); size > limit {
			break
		}
	}
	memo[n] = min(size, limit+1)
	return memo[n]
}
