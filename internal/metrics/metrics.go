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

// Package metrics holds the operator's Prometheus metrics: the TaskRouter
// statistics it mirrors (one gauge family per figure, labelled namespace, name,
// sid, workspace; which figure goes to which gauge is each kind's own business,
// in its adapter) and its own health (TaskRouter requests, rate-limit waits,
// tokens minted, statistics refresh duration). No label ever holds a credential:
// labels are Kubernetes names, TaskRouter sids, route templates and status codes.
package metrics

import (
	"fmt"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Object labels every mirrored figure carries.
var objectLabels = []string{"namespace", "name", "sid", "workspace"}

// Object identifies the resource a mirrored figure belongs to. Workspace is
// the name of the Workspace resource (in Namespace) the object belongs to.
type Object struct {
	Namespace string
	Name      string
	SID       string
	Workspace string
}

// value is the object's value of objectLabels[i].
func (o Object) value(i int) string {
	switch i {
	case 0:
		return o.Namespace
	case 1:
		return o.Name
	case 2:
		return o.SID
	default:
		return o.Workspace
	}
}

// Metrics is the operator's own collectors, registered by New, and the registry the mirrored
// figures join through AddFigures; create it once per registry.
type Metrics struct {
	// The operator's own.
	Requests         *prometheus.CounterVec
	RequestDuration  *prometheus.HistogramVec
	RateLimitWait    prometheus.Histogram
	TokensMinted     *prometheus.CounterVec
	TokenSecrets     *prometheus.CounterVec
	RefreshDuration  *prometheus.HistogramVec
	RefreshErrors    *prometheus.CounterVec
	StatisticsWrites *prometheus.CounterVec

	// What the alerts read (alerting.go).
	alerting

	// reg is where New registered the collectors, and where AddFigures adds the figures' source.
	reg prometheus.Registerer
}

// New creates the collectors and registers them on reg (controller-runtime's
// metrics.Registry in the manager), so they appear on the manager's /metrics.
func New(reg prometheus.Registerer) (*Metrics, error) {
	m := &Metrics{
		reg: reg,
		Requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "taskrouter_operator_requests_total",
			Help: "TaskRouter HTTP attempts by route template, method and status code (0: no response)."}, []string{"endpoint", "method", "code"}),
		RequestDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "taskrouter_operator_request_duration_seconds",
			Help: "TaskRouter HTTP attempt latency.", Buckets: prometheus.DefBuckets}, []string{"endpoint", "method"}),
		RateLimitWait: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "taskrouter_operator_rate_limit_wait_seconds",
			Help: "Time calls waited for the per-account rate limiter.", Buckets: []float64{.001, .01, .05, .1, .25, .5, 1, 2.5, 5, 10}}),
		TokensMinted: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "taskrouter_operator_tokens_minted_total",
			Help: "Capability tokens minted for the operator's own calls, by channel kind."}, []string{"kind"}),
		TokenSecrets: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "taskrouter_operator_token_secrets_written_total",
			Help: "Front-end token Secrets written (created or renewed), by owner kind."}, []string{"kind"}),
		RefreshDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "taskrouter_operator_statistics_refresh_duration_seconds",
			Help: "Duration of one workspace's statistics refresh.", Buckets: prometheus.DefBuckets}, []string{"namespace", "workspace"}),
		RefreshErrors: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "taskrouter_operator_statistics_refresh_errors_total",
			Help: "Statistics refreshes that failed, by workspace."}, []string{"namespace", "workspace"}),
		StatisticsWrites: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "taskrouter_operator_statistics_status_writes_total",
			Help: "Status writes of changed statistics, by kind."}, []string{"kind"}),
		alerting: newAlerting(),
	}
	for _, c := range m.collectors() {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("register operator metrics: %w", err)
		}
	}
	return m, nil
}

func (m *Metrics) collectors() []prometheus.Collector {
	return append([]prometheus.Collector{m.Requests, m.RequestDuration, m.RateLimitWait, m.TokensMinted, m.TokenSecrets,
		m.RefreshDuration, m.RefreshErrors, m.StatisticsWrites}, m.alerting.collectors()...)
}

// AddFigures registers the collector that publishes the mirrored figures at each scrape (see
// Figures).
func (m *Metrics) AddFigures(source prometheus.Collector) error {
	if err := m.reg.Register(source); err != nil {
		return fmt.Errorf("register the mirrored figures: %w", err)
	}
	return nil
}

// ObserveRequest implements taskrouter.Metrics.
func (m *Metrics) ObserveRequest(endpoint, method string, code int, d time.Duration) {
	m.Requests.WithLabelValues(endpoint, method, strconv.Itoa(code)).Inc()
	m.RequestDuration.WithLabelValues(endpoint, method).Observe(d.Seconds())
}

// ObserveRateLimitWait implements taskrouter.Metrics.
func (m *Metrics) ObserveRateLimitWait(d time.Duration) { m.RateLimitWait.Observe(d.Seconds()) }

// ObserveTokenMinted implements taskrouter.Metrics.
func (m *Metrics) ObserveTokenMinted(channelKind string) {
	m.TokensMinted.WithLabelValues(channelKind).Inc()
}

// ObserveRefresh records one workspace's statistics refresh, and when it
// succeeded the time of that success (the StatisticsStale alert reads it).
func (m *Metrics) ObserveRefresh(namespace, workspace string, d time.Duration, err error) {
	m.RefreshDuration.WithLabelValues(namespace, workspace).Observe(d.Seconds())
	if err != nil {
		m.RefreshErrors.WithLabelValues(namespace, workspace).Inc()
		return
	}
	m.RefreshSucceeded.WithLabelValues(namespace, workspace).SetToCurrentTime()
}

// ForgetWorkspace deletes the refresh series of a workspace that is gone (its objects' figures are
// made at each scrape, so they go with the objects).
func (m *Metrics) ForgetWorkspace(namespace, workspace string) {
	m.RefreshDuration.DeletePartialMatch(prometheus.Labels{"namespace": namespace, "workspace": workspace})
	m.RefreshErrors.DeletePartialMatch(prometheus.Labels{"namespace": namespace, "workspace": workspace})
	m.RefreshSucceeded.DeletePartialMatch(prometheus.Labels{"namespace": namespace, "workspace": workspace})
}

// SetByStatus sets one series of v per task status.
func SetByStatus(v *Figure, o Object, byStatus map[string]int64) {
	for status, n := range byStatus {
		v.With(o, "status", status).Set(float64(n))
	}
}
