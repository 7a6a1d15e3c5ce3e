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

package capability

import (
	"net/url"
	"strings"
)

// wildcard says how a policy URL's last segment extends it. The order is the specificity
// rank: a literal URL is more specific than "/*", which is more specific than "/**".
type wildcard int

const (
	anyDescendant wildcard = iota // trailing "/**": one or more further segments
	oneSegment                    // trailing "/*": exactly one further segment
	literal                       // no wildcard: exactly this path
)

// target is a URL reduced to what policies match on: origin and path segments.
type target struct {
	origin   string
	segments []string
}

// pattern is a parsed policy URL.
type pattern struct {
	target
	wildcard wildcard
}

// specificity orders policies that match one request; comparison is lexicographic over its
// fields. For a request path of n segments a literal match has prefix n, a "/*" match n-1
// and a "/**" match at most n-1, so prefix length then wildcard gives exactly "literal beats
// /* beats /**, longer prefix beats shorter"; the number of filtered parameters breaks ties.
type specificity struct {
	prefix   int
	wildcard wildcard
	filters  int
}

func (s specificity) compare(o specificity) int {
	switch {
	case s.prefix != o.prefix:
		return s.prefix - o.prefix
	case s.wildcard != o.wildcard:
		return int(s.wildcard) - int(o.wildcard)
	default:
		return s.filters - o.filters
	}
}

// Allowed reports whether policies permit method on rawURL with the given query and form
// parameters. The most specific matching policy decides; at equal specificity a deny wins;
// no match denies. See the package documentation for the full rules.
func Allowed(policies []Policy, method, rawURL string, query, form url.Values) bool {
	t, ok := parseTarget(rawURL)
	if !ok {
		return false
	}
	found, decision := false, false
	var best specificity
	for _, p := range policies {
		if !strings.EqualFold(p.Method, method) {
			continue
		}
		pat, ok := parsePattern(p.URL)
		if !ok || !pat.matches(t) || !filtersHold(p, query, form) {
			continue
		}
		s := specificity{prefix: len(pat.segments), wildcard: pat.wildcard, filters: len(p.QueryFilter) + len(p.PostFilter)}
		switch c := s.compare(best); {
		case !found || c > 0:
			found, best, decision = true, s, p.Allow
		case c == 0:
			decision = decision && p.Allow
		}
	}
	return found && decision
}

func (p pattern) matches(t target) bool {
	if p.origin != t.origin {
		return false
	}
	n := len(p.segments)
	switch p.wildcard {
	case literal:
		if len(t.segments) != n {
			return false
		}
	case oneSegment:
		if len(t.segments) != n+1 {
			return false
		}
	default:
		if len(t.segments) <= n {
			return false
		}
	}
	for i, s := range p.segments {
		if t.segments[i] != s {
			return false
		}
	}
	return true
}

// parsePattern reads a policy URL; "*" and "**" are wildcards only as the last segment.
func parsePattern(raw string) (pattern, bool) {
	t, ok := parseTarget(raw)
	if !ok {
		return pattern{}, false
	}
	p := pattern{target: t, wildcard: literal}
	if n := len(t.segments); n > 0 {
		switch t.segments[n-1] {
		case "*":
			p.wildcard = oneSegment
		case "**":
			p.wildcard = anyDescendant
		}
		if p.wildcard != literal {
			p.segments = t.segments[:n-1]
		}
	}
	return p, true
}

// parseTarget keeps scheme, host and path; the query string and fragment never take part.
// Paths that a server could read as a different resource than the matcher does (empty,
// "." or ".." segments, an encoded "/") are refused outright rather than interpreted.
func parseTarget(raw string) (target, bool) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Host == "" || u.Opaque != "" {
		return target{}, false
	}
	t := target{origin: origin(u)}
	path := strings.TrimSuffix(u.EscapedPath(), "/")
	if path == "" {
		return t, true
	}
	for _, escaped := range strings.Split(strings.TrimPrefix(path, "/"), "/") {
		seg, err := url.PathUnescape(escaped)
		if err != nil || seg == "" || seg == "." || seg == ".." || strings.Contains(seg, "/") {
			return target{}, false
		}
		t.segments = append(t.segments, seg)
	}
	return t, true
}

// origin is scheme://host[:port], case-folded, with the scheme's default port dropped.
func origin(u *url.URL) string {
	scheme := strings.ToLower(u.Scheme)
	host := strings.ToLower(u.Hostname())
	port := u.Port()
	if (scheme == "https" && port == "443") || (scheme == "http" && port == "80") {
		port = ""
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port != "" {
		host += ":" + port
	}
	return scheme + "://" + host
}
