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

package export

import (
	"cmp"
	"maps"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// maxNameLength keeps names valid DNS-1123 labels, which every kind accepts as
// metadata.name, and within the 64 characters a name may have without a
// spec.friendlyName.
const maxNameLength = 63

// suffixLength is how many hex digits of the SID tell apart objects whose
// names collide.
const suffixLength = 6

// remoteObject is what naming needs of an exported object.
type remoteObject struct {
	sid string
	// name is what its metadata.name derives from: the friendly name (a
	// TaskChannel's unique name).
	name string
}

// assignNames gives every object a metadata.name derived from its name: lower
// case letters and digits, every other run of characters a "-", accents
// dropped ("Español" is "espanol"). Objects whose names derive alike are told
// apart by the first hex digits of their SIDs, except the one whose name is
// already exactly the derived name (else the first by name, then SID), which
// keeps it bare. The result depends only on the objects, never on the order
// TaskRouter lists them in, so a second export names everything the same.
// fallback names an object whose name has no letter or digit.
func assignNames(objects []remoteObject, fallback string) map[string]string {
	byBase := map[string][]remoteObject{}
	for _, o := range objects {
		base := dnsLabel(o.name)
		if base == "" {
			base = fallback
		}
		byBase[base] = append(byBase[base], o)
	}
	names := map[string]string{}
	used := map[string]bool{}
	bases := slices.Sorted(maps.Keys(byBase))
	for _, base := range bases {
		used[base] = true
	}
	for _, base := range bases {
		group := byBase[base]
		slices.SortFunc(group, func(a, b remoteObject) int {
			if exact := cmpBool(a.name == base, b.name == base); exact != 0 {
				return exact
			}
			return cmp.Or(strings.Compare(a.name, b.name), strings.Compare(a.sid, b.sid))
		})
		names[group[0].sid] = base
		for _, o := range group[1:] {
			names[o.sid] = suffixed(base, o.sid, used)
		}
	}
	return names
}

// cmpBool orders true before false.
func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return -1
	}
	return 1
}

// suffixed is base with the first digits of sid appended, as many as it takes
// to be unused.
func suffixed(base, sid string, used map[string]bool) string {
	digits := strings.ToLower(strings.TrimLeft(sid, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
	for n := suffixLength; ; n++ {
		if n > len(digits) {
			digits += "x" // two objects with one SID cannot be: this only ends the loop
		}
		suffix := "-" + digits[:n]
		name := strings.TrimRight(truncate(base, maxNameLength-len(suffix)), "-") + suffix
		if !used[name] {
			used[name] = true
			return name
		}
	}
}

// dnsLabel derives a DNS-1123 label from a name: "" when nothing of it is left.
func dnsLabel(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFKD.String(name) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue // a combining accent of the letter before it
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
		default:
			dash = true
		}
	}
	return strings.TrimRight(truncate(b.String(), maxNameLength), "-")
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
