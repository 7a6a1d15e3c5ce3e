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

package scale

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// snapshot is one scrape of a Prometheus endpoint: every counter and gauge
// series by metric name. Figures are differences of two snapshots of one process.
type snapshot map[string][]series

type series struct {
	labels map[string]string
	value  float64
}

// scrape reads url's metrics in the text exposition format.
func scrape(ctx context.Context, hc *http.Client, url string) (snapshot, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("scrape %s: %w", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("scrape %s: %s", url, resp.Status)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("parse metrics of %s: %w", url, err)
	}
	out := snapshot{}
	for name, fam := range families {
		for _, m := range fam.GetMetric() {
			out[name] = append(out[name], series{labels: labelsOf(m), value: valueOf(m)})
		}
	}
	return out, nil
}

func labelsOf(m *dto.Metric) map[string]string {
	out := make(map[string]string, len(m.GetLabel()))
	for _, l := range m.GetLabel() {
		out[l.GetName()] = l.GetValue()
	}
	return out
}

func valueOf(m *dto.Metric) float64 {
	switch {
	case m.Counter != nil:
		return m.GetCounter().GetValue()
	case m.Gauge != nil:
		return m.GetGauge().GetValue()
	case m.Untyped != nil:
		return m.GetUntyped().GetValue()
	}
	return 0
}

// sum adds the series of name whose labels match (nil matches all).
func (s snapshot) sum(name string, match func(labels map[string]string) bool) float64 {
	total := 0.0
	for _, ser := range s[name] {
		if match == nil || match(ser.labels) {
			total += ser.value
		}
	}
	return total
}

// since is how much the matching series of name grew from before to s.
func (s snapshot) since(before snapshot, name string, match func(map[string]string) bool) float64 {
	return s.sum(name, match) - before.sum(name, match)
}

// top names the n series groups of name, by the values of keys, that grew most
// from before to s, such as "GET /v1/Workspaces/{WorkspaceSid}/Workers/{Sid} 1020":
// where a figure's requests went, for the progress lines.
func (s snapshot) top(before snapshot, name string, match func(map[string]string) bool, n int, keys ...string) string {
	growth := map[string]float64{}
	add := func(snap snapshot, sign float64) {
		for _, ser := range snap[name] {
			if match != nil && !match(ser.labels) {
				continue
			}
			var group []string
			for _, k := range keys {
				group = append(group, ser.labels[k])
			}
			growth[strings.Join(group, " ")] += sign * ser.value
		}
	}
	add(s, 1)
	add(before, -1)
	var groups []string
	for g, v := range growth {
		if v > 0 {
			groups = append(groups, g)
		}
	}
	slices.SortFunc(groups, func(a, b string) int { return cmp.Or(cmp.Compare(growth[b], growth[a]), strings.Compare(a, b)) })
	var out []string
	for _, g := range groups[:min(n, len(groups))] {
		out = append(out, fmt.Sprintf("%s %.0f", g, growth[g]))
	}
	return strings.Join(out, ", ")
}

// topRequests is top for the emulator's calls by method and route.
func topRequests(after, before snapshot, match func(map[string]string) bool) string {
	return after.top(before, emulatorRequests, match, 5, "method", "route")
}

// The emulator counts every API call in taskrouter_emulator_requests_total{method,route,code}.
const emulatorRequests = "taskrouter_emulator_requests_total"

// isStatistics is true for the statistics routes (.../Statistics,
// .../CumulativeStatistics, .../RealTimeStatistics, the bulk queue lists):
// reads of live figures, as opposed to configuration calls.
func isStatistics(l map[string]string) bool { return strings.Contains(l["route"], "Statistics") }

// isConfiguration is every call that is not a statistics call.
func isConfiguration(l map[string]string) bool { return !isStatistics(l) }

// isWrite is a configuration call that changes TaskRouter: POST or DELETE.
// (POST .../TaskQueues/RealTimeStatistics is a statistics read.)
func isWrite(l map[string]string) bool {
	return (l["method"] == http.MethodPost || l["method"] == http.MethodDelete) && !isStatistics(l)
}

// isSucceededWrite is a write TaskRouter performed (2xx).
func isSucceededWrite(l map[string]string) bool { return isWrite(l) && isSuccess(l) }

func isSuccess(l map[string]string) bool {
	code, err := strconv.Atoi(l["code"])
	return err == nil && code < 300
}

// isThrottled is a call answered 429, never processed.
func isThrottled(l map[string]string) bool { return l["code"] == "429" }

// reconcileTotal is controller-runtime's count of reconciles, by controller.
const reconcileTotal = "controller_runtime_reconcile_total"

// kindControllers are the controllers that reconcile one object each, named
// after their kind (in any case: the manager names one "taskQueue"); the
// statistics and token-Secret controllers are not counted.
var kindControllers = map[string]bool{
	"workspace": true, "activity": true, "taskqueue": true, "workflow": true, "worker": true, "taskchannel": true,
}

func isKindController(l map[string]string) bool {
	return kindControllers[strings.ToLower(l["controller"])]
}

// The API server counts requests in apiserver_request_total{verb,group,resource,subresource}.
const apiserverRequests = "apiserver_request_total"

// isStatusWrite is a write of a taskrouter resource's status subresource. The
// benchmark never writes status, so every one comes from the manager.
func isStatusWrite(l map[string]string) bool {
	switch l["verb"] {
	case "PATCH", "PUT", "APPLY", "POST":
		return l["group"] == group.Group && l["subresource"] == "status"
	}
	return false
}

// isSecretGet is a GET of one Secret: the manager reading credentials past its cache.
func isSecretGet(l map[string]string) bool { return l["verb"] == "GET" && l["resource"] == "secrets" }
