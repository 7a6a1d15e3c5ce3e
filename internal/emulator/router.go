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
)

// call is one TaskRouter API call, whether it came as a REST request or inside an
// event-bridge channel message.
type call struct {
	method  string
	path    string
	vars    map[string]string
	params  form
	header  http.Header
	baseURL string
	// accountSID is the account every resource of the call belongs to.
	accountSID string
}

// reply is what a handler answers: status, JSON body (nil for 204) and headers.
type reply struct {
	status int
	body   any
	header http.Header
}

// handlerFunc serves one route. Errors are *APIError; anything else is a bug and
// answers 500.
type handlerFunc func(e *Emulator, c *call) (*reply, error)

// route is one method and path template of the API.
type route struct {
	method  string
	pattern string // e.g. /v1/Workspaces/{WorkspaceSid}/TaskQueues/{Sid}
	kind    Kind
	// create marks a POST to a collection: the calls commitfail acts on.
	create bool
	// list marks a GET of a collection.
	list   bool
	handle handlerFunc
	segs   []string
}

// routeSets lists the routes of each resource file; each file appends its own from
// init, so files added to the package (tasks, statistics) need no edit here.
var routeSets []func() []route

func registerRoutes(set func() []route) { routeSets = append(routeSets, set) }

// router matches a method and path to a route.
type router struct{ routes []route }

func newRouter() *router {
	r := &router{}
	for _, set := range routeSets {
		for _, rt := range set() {
			rt.segs = strings.Split(strings.Trim(rt.pattern, "/"), "/")
			r.routes = append(r.routes, rt)
		}
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
		if cand.method != method {
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

// resourceURL joins the caller's base URL with an API path.
func (c *call) resourceURL(path string) string { return c.baseURL + path }

// eventType names a channel answer after the resource and what was done to it.
func eventType(rt *route, method string) string {
	verb := "fetched"
	switch {
	case method == http.MethodDelete:
		verb = "deleted"
	case rt.create:
		verb = "created"
	case method == http.MethodPost:
		verb = "updated"
	case rt.list:
		verb = "listed"
	}
	return string(rt.kind) + "." + verb
}

// baseURLOf is scheme://host of r, the host the caller used for this emulator.
func baseURLOf(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return (&url.URL{Scheme: scheme, Host: r.Host}).String()
}
