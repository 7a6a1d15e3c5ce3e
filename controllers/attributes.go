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

package controllers

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// Owned keys of a JSON object (a Worker's attributes with attributesPolicy Merge). TaskRouter
// replaces attributes whole, so writing some keys means sending the whole document: the remote one
// with the owned keys put in. Everything else in it (what Flex single sign-on wrote at login) must
// come back exactly as it was, so documents are handled as text: each member keeps its key and value
// bytes and its place, and only owned members are re-written. Decoding into maps and encoding again
// would reorder keys, respell numbers and re-escape strings of keys the operator does not own.

// errNotAnObject means a document that should be a JSON object is something else.
var errNotAnObject = errors.New("not a JSON object")

// jsonMember is one member of a JSON object: its key decoded, and its key and value as written.
type jsonMember struct {
	key          string
	rawKey, data []byte
}

// objectMembers splits a JSON object into its members, in document order.
func objectMembers(doc []byte) ([]jsonMember, error) {
	trimmed := bytes.TrimSpace(doc)
	if len(trimmed) == 0 || trimmed[0] != '{' || !json.Valid(trimmed) {
		return nil, errNotAnObject
	}
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	if _, err := dec.Token(); err != nil { // the opening brace
		return nil, err
	}
	var members []jsonMember
	for dec.More() {
		start := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, _ := tok.(string)
		rawKey := bytes.TrimLeft(trimmed[start:dec.InputOffset()], " \t\r\n,")
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			return nil, err
		}
		members = append(members, jsonMember{key: key, rawKey: rawKey, data: value})
	}
	return members, nil
}

// ownedKeysMatch reports whether every member of owned has its value in remote: members that are
// objects on both sides are compared the same way, key by key, so keys only remote has never count;
// anything else is compared as a JSON value (key order and number spelling do not count).
func ownedKeysMatch(remote, owned []byte) (bool, error) {
	have, err := objectMembers(remote)
	if err != nil {
		return false, err
	}
	want, err := objectMembers(owned)
	if err != nil {
		return false, fmt.Errorf("spec.attributes: %w", err)
	}
	for _, w := range want {
		h, ok := find(have, w.key)
		if !ok {
			return false, nil
		}
		if isObject(w.data) && isObject(h.data) {
			if same, err := ownedKeysMatch(h.data, w.data); err != nil || !same {
				return false, err
			}
			continue
		}
		if !sameJSON(string(w.data), string(h.data)) {
			return false, nil
		}
	}
	return true, nil
}

// mergeOwnedKeys returns remote with owned's members put in: a member that is an object on both sides
// is merged the same way (a deep merge), any other owned member replaces remote's (arrays whole).
// Every other member of remote keeps its bytes and its place; owned members remote lacks are added
// at the end, in owned's order.
func mergeOwnedKeys(remote, owned []byte) ([]byte, error) {
	have, err := objectMembers(remote)
	if err != nil {
		return nil, err
	}
	want, err := objectMembers(owned)
	if err != nil {
		return nil, fmt.Errorf("spec.attributes: %w", err)
	}
	out := make([]jsonMember, 0, len(have)+len(want))
	for _, h := range have {
		if w, ok := find(want, h.key); ok {
			if !isObject(w.data) || !isObject(h.data) {
				h.data = w.data
			} else if h.data, err = mergeOwnedKeys(h.data, w.data); err != nil {
				return nil, err
			}
		}
		out = append(out, h)
	}
	for _, w := range want {
		if _, ok := find(have, w.key); !ok {
			out = append(out, w)
		}
	}
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range out {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(m.rawKey)
		b.WriteByte(':')
		b.Write(m.data)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// find returns the last member named key, the one a JSON reader keeps when a key repeats.
func find(members []jsonMember, key string) (jsonMember, bool) {
	for i := len(members) - 1; i >= 0; i-- {
		if members[i].key == key {
			return members[i], true
		}
	}
	return jsonMember{}, false
}

func isObject(value []byte) bool {
	v := bytes.TrimSpace(value)
	return len(v) > 0 && v[0] == '{'
}

// jsonKind names what kind of JSON value doc is, for a message that must not repeat its content.
func jsonKind(doc string) string {
	if len(bytes.TrimSpace([]byte(doc))) == 0 {
		return "empty"
	}
	var v any
	if err := json.Unmarshal([]byte(doc), &v); err != nil {
		return "not valid JSON"
	}
	switch v.(type) {
	case nil:
		return "null"
	case []any:
		return "an array"
	case string:
		return "a string"
	case float64:
		return "a number"
	case bool:
		return "a boolean"
	}
	return "an object"
}
