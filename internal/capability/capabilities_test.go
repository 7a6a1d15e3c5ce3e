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
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCapabilityNameLists(t *testing.T) {
	if diff := cmp.Diff([]WorkspaceCapability{"FetchSubresources", "Updates", "UpdatesSubresources", "Delete", "DeleteSubresources"}, WorkspaceCapabilities()); diff != "" {
		t.Errorf("workspace capabilities (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]TaskQueueCapability{"FetchSubresources", "Updates", "Delete"}, TaskQueueCapabilities()); diff != "" {
		t.Errorf("task queue capabilities (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]WorkerCapability{"ActivityUpdates", "ReservationUpdates"}, WorkerCapabilities()); diff != "" {
		t.Errorf("worker capabilities (-want +got):\n%s", diff)
	}
}

func TestUnknownCapabilityNamesAreErrors(t *testing.T) {
	u := URLs{}
	tests := []struct {
		name string
		call func() ([]Policy, error)
		want string
	}{
		{"workspace", func() ([]Policy, error) { return u.WorkspacePolicies("WS1", "Updates", "AllowUpdates") },
			`unknown workspace capability "AllowUpdates": valid are FetchSubresources, Updates, UpdatesSubresources, Delete, DeleteSubresources`},
		{"task queue has no UpdatesSubresources", func() ([]Policy, error) { return u.TaskQueuePolicies("WS1", "WQ1", "UpdatesSubresources") },
			`unknown task queue capability "UpdatesSubresources": valid are FetchSubresources, Updates, Delete`},
		{"worker", func() ([]Policy, error) { return u.WorkerPolicies("WS1", "WK1", "Delete") },
			`unknown worker capability "Delete": valid are ActivityUpdates, ReservationUpdates`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			policies, err := tt.call()
			if err == nil || err.Error() != tt.want {
				t.Fatalf("error = %v, want %q", err, tt.want)
			}
			if policies != nil {
				t.Errorf("policies returned with an error: %v", policies)
			}
		})
	}
}

// TestWorkerTokenReachesOnlyItsWorker checks the full worker set (with both optional
// capabilities) against every other worker and every task queue.
func TestWorkerTokenReachesOnlyItsWorker(t *testing.T) {
	policies, err := URLs{}.WorkerPolicies("WS1", "WK1", WorkerActivityUpdates, WorkerReservationUpdates)
	if err != nil {
		t.Fatalf("WorkerPolicies: %v", err)
	}
	activity := url.Values{"ActivitySid": {"WA1"}}
	allowed := []struct{ method, url string }{
		{"GET", tr + "/Workers/WK1"},
		{"POST", tr + "/Workers/WK1"},
		{"GET", tr + "/Workers/WK1/Reservations/WR1"},
		{"POST", tr + "/Workers/WK1/Reservations/WR1"},
		{"GET", tr + "/Activities"},
		{"GET", tr + "/Tasks/WT1"},
		{"POST", tr + "/Tasks/WT1/Reservations/WR1"},
	}
	for _, c := range allowed {
		if !Allowed(policies, c.method, c.url, nil, activity) {
			t.Errorf("worker WK1 denied %s %s", c.method, c.url)
		}
	}
	var denied []string
	for _, method := range []string{"GET", "POST", "DELETE"} {
		for _, path := range []string{
			"/Workers/WK2", "/Workers/WK2/Reservations", "/Workers/WK2/Reservations/WR1", "/Workers/WK2/Statistics",
			"/Workers", "/Workers/Statistics", "/Workers/WK1/Statistics", "/Workers/WK1/Reservations",
			"/TaskQueues", "/TaskQueues/WQ1", "/TaskQueues/WQ1/Statistics", "/TaskQueues/Statistics", "/TaskQueues/RealTimeStatistics",
			"", "/Activities/WA1", "/Workflows/WW1",
		} {
			if Allowed(policies, method, tr+path, activity, activity) {
				denied = append(denied, method+" "+path)
			}
		}
	}
	if len(denied) > 0 {
		t.Errorf("worker WK1 token reaches:\n%s", strings.Join(denied, "\n"))
	}
	if Allowed(policies, "POST", tr+"/Workers/WK1", nil, url.Values{"FriendlyName": {"x"}}) {
		t.Errorf("worker WK1 may update itself without ActivitySid")
	}
	if Allowed(policies, "DELETE", tr+"/Workers/WK1", nil, nil) {
		t.Errorf("worker WK1 may delete itself")
	}
}

func TestTaskQueueTokenStaysInItsQueue(t *testing.T) {
	policies, err := URLs{}.TaskQueuePolicies("WS1", "WQ1", TaskQueueFetchSubresources, TaskQueueUpdates, TaskQueueDelete)
	if err != nil {
		t.Fatalf("TaskQueuePolicies: %v", err)
	}
	tests := []struct {
		method, url string
		want        bool
	}{
		{"GET", tr + "/TaskQueues/WQ1", true},
		{"GET", tr + "/TaskQueues/WQ1/Statistics", true},
		{"POST", tr + "/TaskQueues/WQ1", true},
		{"DELETE", tr + "/TaskQueues/WQ1", true},
		{"POST", tr + "/TaskQueues/WQ1/Statistics", false},
		{"GET", tr + "/TaskQueues/WQ2", false},
		{"GET", tr + "/TaskQueues", false},
		{"GET", tr, false},
	}
	for _, tt := range tests {
		if got := Allowed(policies, tt.method, tt.url, nil, nil); got != tt.want {
			t.Errorf("Allowed(%s %s) = %v, want %v", tt.method, tt.url, got, tt.want)
		}
	}
}
