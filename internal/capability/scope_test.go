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
	"fmt"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestObjectScopeTaskQueue(t *testing.T) {
	policies := URLs{}.ObjectScope("WS1", KindTaskQueue, "WQ1")
	for _, method := range []string{"GET", "POST", "DELETE"} {
		if !Allowed(policies, method, tr+"/TaskQueues/WQ1", nil, nil) {
			t.Errorf("%s WQ1 denied", method)
		}
		if !Allowed(policies, method, tr+"/TaskQueues/WQ1/?x=1", url.Values{"x": {"1"}}, nil) {
			t.Errorf("%s WQ1 with query and trailing slash denied", method)
		}
		denied := []string{
			"/TaskQueues/WQ2", "/TaskQueues/WQ1/Statistics", "/TaskQueues/WQ1/CumulativeStatistics", "/TaskQueues",
			"/TaskQueues/Statistics", "", "/Activities/WQ1", "/Workflows/WQ1", "/Workers/WQ1", "/TaskChannels/WQ1",
			"/Activities", "/Workflows", "/Workers", "/TaskChannels",
		}
		for _, path := range denied {
			if Allowed(policies, method, tr+path, nil, nil) {
				t.Errorf("%s %s allowed", method, path)
			}
		}
		if Allowed(policies, method, "https://taskrouter.twilio.com/v1/Workspaces/WS2/TaskQueues/WQ1", nil, nil) {
			t.Errorf("%s WQ1 in another workspace allowed", method)
		}
	}
	if Allowed(policies, "PUT", tr+"/TaskQueues/WQ1", nil, nil) {
		t.Errorf("PUT WQ1 allowed")
	}
}

func TestScopesAreExactlyTheirPolicies(t *testing.T) {
	u := URLs{}
	policy := func(url, method string) Policy {
		return Policy{URL: url, Method: method, QueryFilter: map[string]any{}, PostFilter: map[string]any{}, Allow: true}
	}
	tests := []struct {
		name string
		got  []Policy
		want []Policy
	}{
		{"object activity", u.ObjectScope("WS1", KindActivity, "WA1"), []Policy{policy(tr+"/Activities/WA1", "GET"), policy(tr+"/Activities/WA1", "POST"), policy(tr+"/Activities/WA1", "DELETE")}},
		{"object workflow", u.ObjectScope("WS1", KindWorkflow, "WW1"), []Policy{policy(tr+"/Workflows/WW1", "GET"), policy(tr+"/Workflows/WW1", "POST"), policy(tr+"/Workflows/WW1", "DELETE")}},
		{"object worker", u.ObjectScope("WS1", KindWorker, "WK1"), []Policy{policy(tr+"/Workers/WK1", "GET"), policy(tr+"/Workers/WK1", "POST"), policy(tr+"/Workers/WK1", "DELETE")}},
		{"object task channel", u.ObjectScope("WS1", KindTaskChannel, "TC1"), []Policy{policy(tr+"/TaskChannels/TC1", "GET"), policy(tr+"/TaskChannels/TC1", "POST"), policy(tr+"/TaskChannels/TC1", "DELETE")}},
		{"object unknown kind grants nothing", u.ObjectScope("WS1", "Task", "WT1"), nil},
		{"object without sid grants nothing", u.ObjectScope("WS1", KindWorker, ""), nil},
		{"collection task queues", u.CollectionScope("WS1", KindTaskQueue), []Policy{policy(tr+"/TaskQueues", "GET"), policy(tr+"/TaskQueues", "POST")}},
		{"collection unknown kind grants nothing", u.CollectionScope("WS1", "Task"), nil},
		{"workspace", u.WorkspaceScope("WS1"), []Policy{policy(tr, "GET"), policy(tr, "POST")}},
		{"statistics", u.StatisticsScope("Workspaces/WS1/TaskQueues/Statistics", "Workspaces/WS1/Workers/Statistics"),
			[]Policy{policy(tr+"/TaskQueues/Statistics", "GET"), policy(tr+"/Workers/Statistics", "GET")}},
		{"bulk queue statistics", u.BulkQueueStatisticsScope("WS1"), []Policy{policy(tr+"/TaskQueues/RealTimeStatistics", "POST")}},
		{"worker channel list", u.WorkerChannelListScope("WS1", "WK1"), []Policy{policy(tr+"/Workers/WK1/Channels", "GET")}},
		{"worker channel list without worker grants nothing", u.WorkerChannelListScope("WS1", ""), nil},
		{"one worker channel", u.WorkerChannelScope("WS1", "WK1", "chat"), []Policy{policy(tr+"/Workers/WK1/Channels/chat", "GET"), policy(tr+"/Workers/WK1/Channels/chat", "POST")}},
		{"worker channel without channel grants nothing", u.WorkerChannelScope("WS1", "WK1", ""), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, tt.got); diff != "" {
				t.Errorf("policies (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCollectionScopeCoversListAndCreateOnly(t *testing.T) {
	for _, kind := range Kinds() {
		policies := URLs{}.CollectionScope("WS1", kind)
		collection := tr + "/" + kind.Collection()
		list := url.Values{"FriendlyName": {"support"}, "PageSize": {"50"}}
		if !Allowed(policies, "GET", collection+"?FriendlyName=support&PageSize=50", list, nil) {
			t.Errorf("%s: list by FriendlyName denied", kind)
		}
		if !Allowed(policies, "POST", collection, nil, url.Values{"FriendlyName": {"support"}}) {
			t.Errorf("%s: create denied", kind)
		}
		for _, c := range []struct{ method, url string }{
			{"DELETE", collection}, {"GET", collection + "/X1"}, {"POST", collection + "/X1"}, {"GET", collection + "/Statistics"}, {"GET", tr},
		} {
			if Allowed(policies, c.method, c.url, nil, nil) {
				t.Errorf("%s: %s %s allowed", kind, c.method, c.url)
			}
		}
	}
}

func TestStatisticsScopes(t *testing.T) {
	u := URLs{}
	stats := u.StatisticsScope("Workspaces/WS1/TaskQueues/WQ1/Statistics")
	bulk := u.BulkQueueStatisticsScope("WS1")
	tests := []struct {
		policies    []Policy
		method, url string
		want        bool
	}{
		{stats, "GET", tr + "/TaskQueues/WQ1/Statistics?Minutes=15", true},
		{stats, "POST", tr + "/TaskQueues/WQ1/Statistics", false},
		{stats, "GET", tr + "/TaskQueues/WQ1", false},
		{stats, "GET", tr + "/TaskQueues/WQ2/Statistics", false},
		{stats, "GET", tr + "/TaskQueues/WQ1/RealTimeStatistics", false},
		{bulk, "POST", tr + "/TaskQueues/RealTimeStatistics", true},
		{bulk, "GET", tr + "/TaskQueues/RealTimeStatistics", false},
		{bulk, "POST", tr + "/TaskQueues/WQ1/RealTimeStatistics", false},
		{bulk, "POST", tr + "/TaskQueues", false},
	}
	for i, tt := range tests {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			if got := Allowed(tt.policies, tt.method, tt.url, nil, nil); got != tt.want {
				t.Errorf("Allowed(%s %s) = %v, want %v", tt.method, tt.url, got, tt.want)
			}
		})
	}
}

func TestWorkerChannelScopesReachOneWorkersChannelsOnly(t *testing.T) {
	u := URLs{}
	list, one := u.WorkerChannelListScope("WS1", "WK1"), u.WorkerChannelScope("WS1", "WK1", "chat")
	tests := []struct {
		policies    []Policy
		method, url string
		want        bool
	}{
		{list, "GET", tr + "/Workers/WK1/Channels?PageSize=1000", true},
		{list, "POST", tr + "/Workers/WK1/Channels", false},
		{list, "GET", tr + "/Workers/WK2/Channels", false},
		{list, "GET", tr + "/Workers/WK1", false},
		{list, "GET", tr + "/Workers/WK1/Channels/chat", false},
		{one, "GET", tr + "/Workers/WK1/Channels/chat", true},
		{one, "POST", tr + "/Workers/WK1/Channels/chat", true},
		{one, "DELETE", tr + "/Workers/WK1/Channels/chat", false},
		{one, "POST", tr + "/Workers/WK1/Channels/voice", false},
		{one, "POST", tr + "/Workers/WK2/Channels/chat", false},
		{one, "POST", tr + "/Workers/WK1", false},
	}
	for i, tt := range tests {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			if got := Allowed(tt.policies, tt.method, tt.url, nil, nil); got != tt.want {
				t.Errorf("Allowed(%s %s) = %v, want %v", tt.method, tt.url, got, tt.want)
			}
		})
	}
}
