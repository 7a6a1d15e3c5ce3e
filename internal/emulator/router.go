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

package emulator

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator/api"
)

// route is an api.Route with its template split once into segments.
type route struct {
	api.Route
	segs []string
}

// router matches a method and path to a route.
type router struct{ routes []route }

func newRouter(routes []api.Route) *router {
	r := &router{}
	for _, rt := range routes {
		r.routes = append(r.routes, route{Route: rt, segs: strings.Split(strings.Trim(rt.Pattern, "/"), "/")})
	}
	return r
}

// match finds the route for method and path. When several templates match, the one
// with a literal segment earliest wins (TaskQueues/Statistics over TaskQueues/{Sid}).
// methodMismatch reports a path that exists for other methods only.
func (r *router) match(method, path string) (rt *route, vars map[string]string, methodMismatch bool) {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	bestScore := -1
	for i := range r.routes {
		cand := &r.routes[i]
		score, ok := matchSegments(cand.segs, segs)
		if !ok {
			continue
		}
		if cand.Method != method {
			methodMismatch = true
			continue
		}
		if score > bestScore {
			rt, bestScore = cand, score
		}
	}
	if rt == nil {
		return nil, nil, methodMismatch
	}
	vars = map[string]string{}
	for i, s := range rt.segs {
		if isVar(s) {
			vars[s[1:len(s)-1]] = segs[i]
		}
	}
	return rt, vars, false
}

// matchSegments compares a template with a path; the score weighs literal segments
// by position so an earlier literal beats a later one.
func matchSegments(tmpl, segs []string) (int, bool) {
	if len(tmpl) != len(segs) {
		return 0, false
	}
	score := 0
	for i, t := range tmpl {
		if isVar(t) {
			if segs[i] == "" {
				return 0, false
			}
			continue
		}
		if t != segs[i] {
			return 0, false
		}
		score += 1 << (len(tmpl) - i)
	}
	return score, true
}

func isVar(seg string) bool { return strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") }

// eventType names a channel answer after the resource and what was done to it.
func eventType(rt *route, method string) string {
	verb := "fetched"
	switch {
	case method == http.MethodDelete:
		verb = "deleted"
	case rt.Create:
		verb = "created"
	case method == http.MethodPost:
		verb = "updated"
	case rt.List:
		verb = "listed"
	}
	return string(rt.Kind) + "." + verb
}

// baseURLOf is scheme://host of r, the host the caller used for this emulator.
func baseURLOf(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return (&url.URL{Scheme: scheme, Host: r.Host}).String()
}

// routeName is the template of rt, or "" for a path no route serves.
func routeName(rt *route) string {
	if rt == nil {
		return ""
	}
	return rt.Pattern
}
