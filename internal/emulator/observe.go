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
	"strconv"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/taskrouter-operator/taskrouter-operator/internal/capability"
)

// How a call reached the emulator.
const (
	ViaREST    = "rest"
	ViaChannel = "channel"
)

// Request is the record of one API call, for tests to assert what a client sent.
type Request struct {
	Method string
	Path   string
	// Route is the path template that served the call, e.g.
	// /v1/Workspaces/{WorkspaceSid}/TaskQueues/{Sid}; "" when none matched.
	Route  string
	Status int
	// Via is ViaREST or ViaChannel.
	Via    string
	Params url.Values
	// Claims are the capability token's claims of a channel call that verified.
	Claims *capability.Claims
	// Write is true for POST and DELETE.
	Write bool
}

// recorder keeps every Request in arrival order.
type recorder struct {
	mu       sync.Mutex
	requests []Request
}

func (r *recorder) add(req Request) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.requests = append(r.requests, req)
}

// Requests returns every API call recorded since the start or the last reset.
func (e *Emulator) Requests() []Request {
	e.recorder.mu.Lock()
	defer e.recorder.mu.Unlock()
	return append([]Request(nil), e.recorder.requests...)
}

// ResetRequests forgets the recorded calls.
func (e *Emulator) ResetRequests() {
	e.recorder.mu.Lock()
	defer e.recorder.mu.Unlock()
	e.recorder.requests = nil
}

// CountRequests counts the recorded calls for which match is true.
func (e *Emulator) CountRequests(match func(Request) bool) int {
	n := 0
	for _, r := range e.Requests() {
		if match(r) {
			n++
		}
	}
	return n
}

// metrics is the emulator's own Prometheus registry, so several emulators in one
// test binary never collide in the global one.
type metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
}

func newMetrics() *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "taskrouter_emulator_requests_total",
			Help: "API calls served by the TaskRouter emulator, by method, route template and status code.",
		}, []string{"method", "route", "code"}),
	}
	m.registry.MustRegister(m.requests)
	return m
}

func (m *metrics) observe(r Request) {
	route := r.Route
	if route == "" {
		// Unmatched paths share one label so random URLs cannot grow the series.
		route = "unmatched"
	}
	m.requests.WithLabelValues(r.Method, route, strconv.Itoa(r.Status)).Inc()
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}
