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
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestRequestClasses checks which emulator series count as writes, statistics
// and throttled calls, the basis of every request figure.
func TestRequestClasses(t *testing.T) {
	type classes struct{ Configuration, Write, SucceededWrite, Throttled bool }
	for _, tc := range []struct {
		method, route, code string
		want                classes
	}{
		{"POST", "/v1/Workspaces/{WorkspaceSid}/Workers", "201", classes{true, true, true, false}},
		{"POST", "/v1/Workspaces/{WorkspaceSid}/Workers/{Sid}", "429", classes{true, true, false, true}},
		{"DELETE", "/v1/Workspaces/{WorkspaceSid}/TaskQueues/{Sid}", "204", classes{true, true, true, false}},
		{"GET", "/v1/Workspaces/{WorkspaceSid}/Workers", "200", classes{Configuration: true}},
		{"GET", "/v1/Workspaces/{WorkspaceSid}/TaskQueues/Statistics", "200", classes{}},
		{"POST", "/v1/Workspaces/{WorkspaceSid}/TaskQueues/RealTimeStatistics", "200", classes{}},
		{"GET", "/v1/Workspaces/{WorkspaceSid}/Workflows/{Sid}/CumulativeStatistics", "429", classes{Throttled: true}},
		{"POST", "/v1/wschannels/{AccountSid}/{Channel}", "401", classes{Configuration: true, Write: true}},
	} {
		l := map[string]string{"method": tc.method, "route": tc.route, "code": tc.code}
		got := classes{isConfiguration(l), isWrite(l), isSucceededWrite(l), isThrottled(l)}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s %s %s (-want +got):\n%s", tc.method, tc.route, tc.code, diff)
		}
	}
}

func TestSnapshotSince(t *testing.T) {
	before := snapshot{emulatorRequests: {
		{labels: map[string]string{"method": "GET", "route": "/v1/Workspaces/{Sid}", "code": "200"}, value: 10},
	}}
	after := snapshot{emulatorRequests: {
		{labels: map[string]string{"method": "GET", "route": "/v1/Workspaces/{Sid}", "code": "200"}, value: 14},
		{labels: map[string]string{"method": "POST", "route": "/v1/Workspaces", "code": "201"}, value: 1},
	}}
	if got := after.since(before, emulatorRequests, nil); got != 5 {
		t.Errorf("requests since = %g, want 5", got)
	}
	if got := after.since(before, emulatorRequests, isWrite); got != 1 {
		t.Errorf("writes since = %g, want 1", got)
	}
}

func TestDuplicatesCountsEachExtraName(t *testing.T) {
	items := []map[string]any{
		{"friendly_name": "Worker 1"}, {"friendly_name": "worker 1"}, {"friendly_name": "Worker 1"},
		{"friendly_name": "Worker 2"},
	}
	if got := extra(items); got != 2 {
		t.Errorf("extra = %d, want 2 (worker names compare case-insensitively)", got)
	}
}

func TestParseTooManyShare(t *testing.T) {
	for spec, want := range map[string]float64{"429=0.2": 0.2, "500=0.1,429=0.05,latency=5ms": 0.05, "latency=5ms": 0, "": 0} {
		got, err := parseTooManyShare(spec)
		if err != nil || got != want {
			t.Errorf("parseTooManyShare(%q) = %g, %v; want %g", spec, got, err, want)
		}
	}
	if _, err := parseTooManyShare("429=1"); err == nil {
		t.Error("429=1 accepted: nothing would ever succeed")
	}
}

func TestTopNamesTheLargestGrowth(t *testing.T) {
	get := func(route string, v float64) series {
		return series{labels: map[string]string{"method": "GET", "route": route, "code": "200"}, value: v}
	}
	before := snapshot{emulatorRequests: {get("/a", 5), get("/b", 1)}}
	after := snapshot{emulatorRequests: {get("/a", 6), get("/b", 4), get("/c", 2)}}
	if got, want := topRequests(after, before, nil), "GET /b 3, GET /c 2, GET /a 1"; got != want {
		t.Errorf("topRequests = %q, want %q", got, want)
	}
}

func TestKindControllers(t *testing.T) {
	for name, want := range map[string]bool{
		"workspace": true, "activity": true, "taskQueue": true, "workflow": true, "worker": true,
		"statistics": false, "tokensecret-worker": false, "tokensecret-taskQueue": false,
	} {
		if got := isKindController(map[string]string{"controller": name}); got != want {
			t.Errorf("controller %q counted as a kind's: %v, want %v", name, got, want)
		}
	}
}
