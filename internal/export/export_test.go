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

package export

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/taskrouter-operator/taskrouter-operator/internal/snapshot"
	"github.com/taskrouter-operator/taskrouter-operator/internal/taskrouter"
)

const (
	wsSID       = "WS00000000000000000000000000000001"
	offlineSID  = "WA00000000000000000000000000000001"
	availSID    = "WA00000000000000000000000000000002"
	wrapUpSID   = "WA00000000000000000000000000000003"
	generalSID  = "WQ00000000000000000000000000000001"
	spanishSID  = "WQ00000000000000000000000000000002"
	inboundSID  = "WW00000000000000000000000000000001"
	legacySID   = "WW00000000000000000000000000000002"
	brokenSID   = "WW00000000000000000000000000000003"
	namelessSID = "WW00000000000000000000000000000004"
	aliceSID    = "WK00000000000000000000000000000001"
	bobSID      = "WK00000000000000000000000000000002"
	defaultTC   = "TC00000000000000000000000000000001"
	chatTC      = "TC00000000000000000000000000000002"
	callbackTC  = "TC00000000000000000000000000000003"
	voiceTC     = "TC00000000000000000000000000000004"
	smsTC       = "TC00000000000000000000000000000005"
	inboundJSON = `{"task_routing":{"filters":[{"filter_friendly_name":"Spanish","expression":"language == \"es\"","targets":[` +
		`{"queue":"` + spanishSID + `","priority":5,"timeout":120,"expression":"worker.level > 2"},{"queue":"` + generalSID + `"}]}],` +
		`"default_filter":{"queue":"` + generalSID + `"}}}`
)

func acme() *snapshot.Snapshot {
	return &snapshot.Snapshot{
		Workspace: taskrouter.Workspace{SID: wsSID, FriendlyName: "Acme Support", EventsFilter: "task.created,task.canceled",
			MultiTaskEnabled: true, PrioritizeQueueOrder: "LIFO", DefaultActivitySID: offlineSID, DefaultActivityName: "Offline",
			TimeoutActivitySID: wrapUpSID, TimeoutActivityName: "Wrap Up"},
		Activities: []taskrouter.Activity{
			{SID: offlineSID, FriendlyName: "Offline"}, {SID: availSID, FriendlyName: "Available", Available: true},
			{SID: wrapUpSID, FriendlyName: "Wrap Up"},
		},
		TaskChannels: []taskrouter.TaskChannel{
			{SID: defaultTC, UniqueName: "default", FriendlyName: "Default"},
			{SID: chatTC, UniqueName: "chat", FriendlyName: "Chat", ChannelOptimizedRouting: true},
			{SID: callbackTC, UniqueName: "callback", FriendlyName: "Callback"},
			{SID: voiceTC, UniqueName: "voice", FriendlyName: "Voice"},
			{SID: smsTC, UniqueName: "sms", FriendlyName: "SMS"},
		},
		TaskQueues: []taskrouter.TaskQueue{
			{SID: spanishSID, FriendlyName: "Spanish Support", TargetWorkers: `languages HAS "es"`, MaxReservedWorkers: 1, TaskOrder: "FIFO"},
			{SID: generalSID, FriendlyName: "general", TargetWorkers: "1==1", MaxReservedWorkers: 3, TaskOrder: "LIFO",
				AssignmentActivitySID: wrapUpSID},
		},
		Workflows: []taskrouter.Workflow{
			{SID: inboundSID, FriendlyName: "Inbound", Configuration: inboundJSON, TaskReservationTimeout: 120},
			{SID: legacySID, FriendlyName: "legacy", Configuration: `{"task_routing":{"default_filter":{"queue":"` + generalSID + `"}}}`,
				TaskReservationTimeout: 30, AssignmentCallbackURL: "https://example.com/assign"},
			{SID: brokenSID, FriendlyName: "broken", Configuration: `{"task_routing":{"filters":{}}}`},
			{SID: namelessSID, FriendlyName: "nameless", TaskReservationTimeout: 120,
				Configuration: `{"task_routing":{"filters":[{"expression":"1==1","targets":[{"queue":"` + generalSID + `"}]}]}}`},
		},
		Workers: []taskrouter.Worker{
			{SID: bobSID, FriendlyName: "bob", Attributes: "{}"},
			{SID: aliceSID, FriendlyName: "Alice", Attributes: `{"languages": ["en","es"], "level": 3, "id": 12345678901234567890}`},
		},
		WorkerChannels: map[string][]taskrouter.WorkerChannel{
			aliceSID: {
				workerChannel(defaultTC, "default", 1, true), workerChannel(voiceTC, "voice", 1, false),
				workerChannel(chatTC, "chat", 3, true), workerChannel(smsTC, "sms", 0, true),
				workerChannel(callbackTC, "callback", 2, true),
			},
			bobSID: {
				workerChannel(defaultTC, "default", 1, true), workerChannel(voiceTC, "voice", 1, true),
				workerChannel(chatTC, "chat", 1, true), workerChannel(smsTC, "sms", 1, true), workerChannel(callbackTC, "callback", 1, true),
			},
		},
	}
}

func workerChannel(tc, unique string, capacity int, available bool) taskrouter.WorkerChannel {
	return taskrouter.WorkerChannel{SID: "WC" + tc[2:], TaskChannelSID: tc, TaskChannelUniqueName: unique,
		ConfiguredCapacity: capacity, Available: available}
}

const acmeYAML = `# Workspace "Acme Support" (WS00000000000000000000000000000001), exported by kubectl taskrouter export.
# The Workspace reads its credentials from the Secret "twilio", which is not exported:
# create it in the same namespace (keys accountSid and authToken) before applying.
apiVersion: taskrouter.operator.dev/v1alpha1
kind: Workspace
metadata:
  name: acme-support
  namespace: contact-center
spec:
  credentialsRef:
    name: twilio
  deletionPolicy: Orphan
  eventsFilter:
  - task.created
  - task.canceled
  friendlyName: Acme Support
  managementPolicy: ObserveOnly
  prioritizeQueueOrder: LIFO
  sid: WS00000000000000000000000000000001
  timeoutActivityRef:
    name: wrap-up
---
apiVersion: taskrouter.operator.dev/v1alpha1
kind: Activity
metadata:
  name: available
  namespace: contact-center
spec:
  deletionPolicy: Orphan
  friendlyName: Available
  managementPolicy: ObserveOnly
  sid: WA00000000000000000000000000000002
  workspaceRef:
    name: acme-support
---
apiVersion: taskrouter.operator.dev/v1alpha1
kind: Activity
metadata:
  name: offline
  namespace: contact-center
spec:
  available: false
  deletionPolicy: Orphan
  friendlyName: Offline
  managementPolicy: ObserveOnly
  sid: WA00000000000000000000000000000001
  workspaceRef:
    name: acme-support
---
apiVersion: taskrouter.operator.dev/v1alpha1
kind: Activity
metadata:
  name: wrap-up
  namespace: contact-center
spec:
  available: false
  deletionPolicy: Orphan
  friendlyName: Wrap Up
  managementPolicy: ObserveOnly
  sid: WA00000000000000000000000000000003
  workspaceRef:
    name: acme-support
---
apiVersion: taskrouter.operator.dev/v1alpha1
kind: TaskChannel
metadata:
  name: callback
  namespace: contact-center
spec:
  deletionPolicy: Orphan
  friendlyName: Callback
  managementPolicy: ObserveOnly
  sid: TC00000000000000000000000000000003
  uniqueName: callback
  workspaceRef:
    name: acme-support
---
apiVersion: taskrouter.operator.dev/v1alpha1
kind: TaskChannel
metadata:
  name: chat
  namespace: contact-center
spec:
  channelOptimizedRouting: true
  deletionPolicy: Orphan
  friendlyName: Chat
  managementPolicy: ObserveOnly
  sid: TC00000000000000000000000000000002
  uniqueName: chat
  workspaceRef:
    name: acme-support
---
apiVersion: taskrouter.operator.dev/v1alpha1
kind: TaskQueue
metadata:
  name: general
  namespace: contact-center
spec:
  assignmentActivityRef:
    name: wrap-up
  deletionPolicy: Orphan
  managementPolicy: ObserveOnly
  maxReservedWorkers: 3
  sid: WQ00000000000000000000000000000001
  taskOrder: LIFO
  workspaceRef:
    name: acme-support
---
apiVersion: taskrouter.operator.dev/v1alpha1
kind: TaskQueue
metadata:
  name: spanish-support
  namespace: contact-center
spec:
  deletionPolicy: Orphan
  friendlyName: Spanish Support
  managementPolicy: ObserveOnly
  sid: WQ00000000000000000000000000000002
  targetWorkers: languages HAS "es"
  workspaceRef:
    name: acme-support
---
apiVersion: taskrouter.operator.dev/v1alpha1
kind: Workflow
metadata:
  name: inbound
  namespace: contact-center
spec:
  configuration:
    taskRouting:
      defaultFilter:
        queueRef:
          name: general
      filters:
      - expression: language == "es"
        filterFriendlyName: Spanish
        targets:
        - expression: worker.level > 2
          priority: 5
          queueRef:
            name: spanish-support
          timeout: 120
        - queueRef:
            name: general
  deletionPolicy: Orphan
  friendlyName: Inbound
  managementPolicy: ObserveOnly
  sid: WW00000000000000000000000000000001
  workspaceRef:
    name: acme-support
---
apiVersion: taskrouter.operator.dev/v1alpha1
kind: Workflow
metadata:
  name: legacy
  namespace: contact-center
spec:
  assignmentCallbackUrl: https://example.com/assign
  configuration:
    taskRouting:
      defaultFilter:
        queueRef:
          name: general
  deletionPolicy: Orphan
  managementPolicy: ObserveOnly
  sid: WW00000000000000000000000000000002
  taskReservationTimeout: 30
  workspaceRef:
    name: acme-support
---
apiVersion: taskrouter.operator.dev/v1alpha1
kind: Workflow
metadata:
  name: nameless
  namespace: contact-center
spec:
  configuration:
    taskRouting:
      filters:
      - expression: 1==1
        targets:
        - queueRef:
            name: general
  deletionPolicy: Orphan
  managementPolicy: ObserveOnly
  sid: WW00000000000000000000000000000004
  workspaceRef:
    name: acme-support
---
apiVersion: taskrouter.operator.dev/v1alpha1
kind: Worker
metadata:
  name: alice
  namespace: contact-center
spec:
  attributes:
    id: 12345678901234567890
    languages:
    - en
    - es
    level: 3
  channels:
  - capacity: 2
    channelRef:
      name: callback
  - capacity: 3
    channelRef:
      name: chat
  - capacity: 0
    uniqueName: sms
  - available: false
    uniqueName: voice
  deletionPolicy: Orphan
  friendlyName: Alice
  managementPolicy: ObserveOnly
  sid: WK00000000000000000000000000000001
  workspaceRef:
    name: acme-support
---
apiVersion: taskrouter.operator.dev/v1alpha1
kind: Worker
metadata:
  name: bob
  namespace: contact-center
spec:
  deletionPolicy: Orphan
  managementPolicy: ObserveOnly
  sid: WK00000000000000000000000000000002
  workspaceRef:
    name: acme-support
`

// Every kind as the operator reads it: defaults left out, SIDs of queues and activities turned into
// references, built-in channels only when changed, a worker's channels only where they differ from
// a new worker's (a channelRef to an exported TaskChannel, else the uniqueName), a filter without a
// name as it is, and what cannot be exported faithfully said.
func TestBuild(t *testing.T) {
	e, err := Build(acme(), Options{Namespace: "contact-center", CredentialsSecret: "twilio"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := e.YAML()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(acmeYAML, string(got)); diff != "" {
		t.Errorf("YAML (-want +got):\n%s", diff)
	}
	wantWarnings := []string{
		`Workflow "legacy" (WW00000000000000000000000000000002): its configuration has parts the Workflow kind does not carry (keys it does not know, or no "filters" list); the operator will report it Drifted under ObserveOnly and rewrite it as exported under Manage`,
		`Workflow "broken" (WW00000000000000000000000000000003) is not exported: configuration is not a task_routing document the Workflow kind can hold: json: cannot unmarshal object into Go struct field TaskRouting.task_routing.filters of type []routing.Filter`,
	}
	if diff := cmp.Diff(wantWarnings, e.Warnings); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
	if want := "1 Workspace, 3 Activities, 2 TaskChannels, 2 TaskQueues, 3 Workflows, 2 Workers"; e.Counts() != want {
		t.Errorf("Counts() = %q, want %q", e.Counts(), want)
	}
}

// --manage changes the management policy and nothing else; no namespace leaves it to kubectl -n.
func TestBuildManaged(t *testing.T) {
	e, err := Build(acme(), Options{Manage: true})
	if err != nil {
		t.Fatal(err)
	}
	got, err := e.YAML()
	if err != nil {
		t.Fatal(err)
	}
	want := strings.NewReplacer("managementPolicy: ObserveOnly", "managementPolicy: Manage", "  namespace: contact-center\n", "",
		`Secret "twilio"`, `Secret "taskrouter-credentials"`, "name: twilio", "name: taskrouter-credentials").Replace(acmeYAML)
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("YAML (-want +got):\n%s", diff)
	}
}

// --dir writes one file per kind that has objects and a kustomization listing them.
func TestFiles(t *testing.T) {
	s := acme()
	s.TaskChannels, s.Workers = nil, nil
	e, err := Build(s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	files, err := e.Files()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range files {
		names = append(names, f.Name)
	}
	if diff := cmp.Diff([]string{"workspace.yaml", "activities.yaml", "taskqueues.yaml", "workflows.yaml", "kustomization.yaml"}, names); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	wantKustomization := strings.SplitAfterN(acmeYAML, "\n", 4)[0] + strings.SplitAfterN(acmeYAML, "\n", 4)[1] +
		strings.SplitAfterN(acmeYAML, "\n", 4)[2] +
		"apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- workspace.yaml\n- activities.yaml\n- taskqueues.yaml\n- workflows.yaml\n"
	wantKustomization = strings.ReplaceAll(wantKustomization, `"twilio"`, `"taskrouter-credentials"`)
	if diff := cmp.Diff(wantKustomization, string(files[4].Data)); diff != "" {
		t.Errorf("kustomization (-want +got):\n%s", diff)
	}
	if !strings.HasPrefix(string(files[1].Data), "apiVersion: taskrouter.operator.dev/v1alpha1\nkind: Activity\n") {
		t.Errorf("activities.yaml starts with:\n%.80s", files[1].Data)
	}
}

// A worker channel the Worker kind cannot hold is said, not exported: a capacity over its maximum,
// a channel without a unique name.
func TestWorkerChannelWarnings(t *testing.T) {
	s := acme()
	s.Workers = s.Workers[1:] // Alice
	s.WorkerChannels = map[string][]taskrouter.WorkerChannel{aliceSID: {
		workerChannel(voiceTC, "voice", 60, false), workerChannel("TC00000000000000000000000000000009", "", 2, true),
	}}
	e, err := Build(s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`Worker "Alice" (WK00000000000000000000000000000001): its channel WC00000000000000000000000000000009 names no TaskChannel; it is left out`,
		`Worker "Alice" (WK00000000000000000000000000000001): its capacity 60 on channel "voice" is over the Worker kind's maximum 50; it is left out`,
	}
	if diff := cmp.Diff(want, e.Warnings[len(e.Warnings)-2:]); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
	got, err := e.YAML()
	if err != nil {
		t.Fatal(err)
	}
	if wantEntry := "  channels:\n  - available: false\n    uniqueName: voice\n"; !strings.Contains(string(got), wantEntry) {
		t.Errorf("want the voice channel's availability alone in\n%s", got)
	}
}
