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

// Kind is a TaskRouter object kind the operator reconciles.
type Kind string

// The kinds whose calls the operator scopes tokens for.
const (
	KindActivity    Kind = "Activity"
	KindTaskQueue   Kind = "TaskQueue"
	KindWorkflow    Kind = "Workflow"
	KindWorker      Kind = "Worker"
	KindTaskChannel Kind = "TaskChannel"
)

// Kinds lists every Kind.
func Kinds() []Kind {
	return []Kind{KindActivity, KindTaskQueue, KindWorkflow, KindWorker, KindTaskChannel}
}

// Collection is the kind's URL segment under a workspace ("TaskQueues"), or "" for an unknown kind.
func (k Kind) Collection() string {
	switch k {
	case KindActivity:
		return "Activities"
	case KindTaskQueue:
		return "TaskQueues"
	case KindWorkflow:
		return "Workflows"
	case KindWorker:
		return "Workers"
	case KindTaskChannel:
		return "TaskChannels"
	default:
		return ""
	}
}

// ObjectScope lets a caller GET, POST (update) and DELETE exactly one object,
// Workspaces/{ws}/{Collection}/{sid}, and nothing else: literal URLs, so no sibling and no
// subresource. An unknown kind or an empty sid yields no policies (grants nothing).
func (u URLs) ObjectScope(workspaceSID string, kind Kind, sid string) []Policy {
	collection := kind.Collection()
	if collection == "" || sid == "" {
		return nil
	}
	url := u.Resource("Workspaces/" + workspaceSID + "/" + collection + "/" + sid)
	return []Policy{allow(url, "GET", nil), allow(url, "POST", nil), allow(url, "DELETE", nil)}
}

// CollectionScope lets a caller list (GET, any query such as FriendlyName or paging) and create
// (POST) on Workspaces/{ws}/{Collection} only, enough to adopt or create one object.
// An unknown kind yields no policies.
func (u URLs) CollectionScope(workspaceSID string, kind Kind) []Policy {
	collection := kind.Collection()
	if collection == "" {
		return nil
	}
	url := u.Resource("Workspaces/" + workspaceSID + "/" + collection)
	return []Policy{allow(url, "GET", nil), allow(url, "POST", nil)}
}

// WorkspaceScope lets a caller GET and POST (update) the workspace itself and nothing below it.
func (u URLs) WorkspaceScope(workspaceSID string) []Policy {
	url := u.Resource("Workspaces/" + workspaceSID)
	return []Policy{allow(url, "GET", nil), allow(url, "POST", nil)}
}

// StatisticsScope lets a caller GET each given statistics path (relative to /v1/, e.g.
// "Workspaces/WS1/TaskQueues/Statistics") and nothing else.
func (u URLs) StatisticsScope(paths ...string) []Policy {
	out := make([]Policy, 0, len(paths))
	for _, p := range paths {
		out = append(out, allow(u.Resource(p), "GET", nil))
	}
	return out
}

// BulkQueueStatisticsScope lets a caller POST Workspaces/{ws}/TaskQueues/RealTimeStatistics
// (the bulk real-time statistics call, which takes its queue sids in the body) and nothing else.
func (u URLs) BulkQueueStatisticsScope(workspaceSID string) []Policy {
	return []Policy{allow(u.Resource("Workspaces/"+workspaceSID+"/TaskQueues/RealTimeStatistics"), "POST", nil)}
}

// WorkerChannelListScope lets a caller list one worker's channels (GET
// Workspaces/{ws}/Workers/{wk}/Channels, any query such as paging) and nothing else.
func (u URLs) WorkerChannelListScope(workspaceSID, workerSID string) []Policy {
	if workerSID == "" {
		return nil
	}
	return []Policy{allow(u.Resource("Workspaces/"+workspaceSID+"/Workers/"+workerSID+"/Channels"), "GET", nil)}
}

// WorkerChannelScope lets a caller read and update (GET, POST) one of a worker's channels,
// Workspaces/{ws}/Workers/{wk}/Channels/{channel} (a WC sid or the TaskChannel's unique name), and
// nothing else: TaskRouter creates and deletes WorkerChannels itself, so no token needs DELETE.
func (u URLs) WorkerChannelScope(workspaceSID, workerSID, channel string) []Policy {
	if workerSID == "" || channel == "" {
		return nil
	}
	url := u.Resource("Workspaces/" + workspaceSID + "/Workers/" + workerSID + "/Channels/" + channel)
	return []Policy{allow(url, "GET", nil), allow(url, "POST", nil)}
}
