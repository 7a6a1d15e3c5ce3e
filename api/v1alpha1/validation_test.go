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

package v1alpha1_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	"github.com/taskrouter-operator/taskrouter-operator/internal/testenv"
)

// k8s is the API server every test in this package talks to: the real CRDs
// are what is under test, so no fake client will do.
var k8s client.Client

func TestMain(m *testing.M) {
	env, err := testenv.Start()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	k8s, err = client.New(env.Config, client.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		_ = env.Stop()
		os.Exit(1)
	}
	code := m.Run()
	if err := env.Stop(); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	os.Exit(code)
}

func parseObject(t *testing.T, doc string) *unstructured.Unstructured {
	t.Helper()
	obj := &unstructured.Unstructured{}
	if err := yaml.Unmarshal([]byte(doc), &obj.Object); err != nil {
		t.Fatalf("parse test object: %v\n%s", err, doc)
	}
	if obj.GetNamespace() == "" {
		obj.SetNamespace("default")
	}
	return obj
}

func readSamples(t *testing.T) []*unstructured.Unstructured {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(testenv.RepoRoot(), "config", "samples", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var objs []*unstructured.Unstructured
	for _, file := range files {
		if filepath.Base(file) == "kustomization.yaml" {
			continue
		}
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		reader := utilyaml.NewYAMLReader(bufioReader(data))
		for {
			doc, err := reader.Read()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			if len(bytes.TrimSpace(doc)) == 0 {
				continue
			}
			objs = append(objs, parseObject(t, string(doc)))
		}
	}
	return objs
}

// TestSamplesAreAccepted proves every sample a user applies first is valid as written.
func TestSamplesAreAccepted(t *testing.T) {
	objs := readSamples(t)
	kinds := map[string]int{}
	for _, obj := range objs {
		kinds[obj.GetKind()]++
		if err := k8s.Create(context.Background(), obj.DeepCopy(), client.DryRunAll); err != nil {
			t.Errorf("sample %s %s rejected: %v", obj.GetKind(), obj.GetName(), err)
		}
	}
	want := map[string]int{"Secret": 1, "Workspace": 1, "Activity": 4, "TaskQueue": 3, "Workflow": 1, "Worker": 3, "TaskChannel": 1}
	for kind, n := range want {
		if kinds[kind] != n {
			t.Errorf("samples hold %d %s objects, want %d", kinds[kind], kind, n)
		}
	}
}

// The smallest valid object of each kind; invalid cases below change one thing.
const (
	validWorkspace = `
apiVersion: taskrouter.operator.dev/v1alpha1
kind: Workspace
metadata: {name: ws}
spec:
  credentialsRef: {name: creds}
`
	validTaskQueue = `
apiVersion: taskrouter.operator.dev/v1alpha1
kind: TaskQueue
metadata: {name: q}
spec:
  workspaceRef: {name: ws}
`
	validActivity = `
apiVersion: taskrouter.operator.dev/v1alpha1
kind: Activity
metadata: {name: a}
spec:
  workspaceRef: {name: ws}
  available: true
`
	validWorker = `
apiVersion: taskrouter.operator.dev/v1alpha1
kind: Worker
metadata: {name: w}
spec:
  workspaceRef: {name: ws}
  attributes: {skills: [support]}
`
	validTaskChannel = `
apiVersion: taskrouter.operator.dev/v1alpha1
kind: TaskChannel
metadata: {name: chat}
spec:
  workspaceRef: {name: ws}
`
	validWorkflow = `
apiVersion: taskrouter.operator.dev/v1alpha1
kind: Workflow
metadata: {name: wf}
spec:
  workspaceRef: {name: ws}
  configuration:
    taskRouting:
      filters:
        - filterFriendlyName: Spanish
          expression: language == "es"
          targets:
            - queueRef: {name: spanish}
      defaultFilter:
        queueRef: {name: general}
`
)

// with returns base with the value at the dotted path replaced (nil deletes it).
func with(t *testing.T, base, path string, value any) string {
	t.Helper()
	obj := map[string]any{}
	if err := yaml.Unmarshal([]byte(base), &obj); err != nil {
		t.Fatal(err)
	}
	keys := strings.Split(path, ".")
	cur := obj
	for _, k := range keys[:len(keys)-1] {
		next, ok := cur[k].(map[string]any)
		if !ok {
			next = map[string]any{}
			cur[k] = next
		}
		cur = next
	}
	if value == nil {
		delete(cur, keys[len(keys)-1])
	} else {
		cur[keys[len(keys)-1]] = value
	}
	out, err := yaml.Marshal(obj)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func target(fields map[string]any) map[string]any {
	return map[string]any{"taskRouting": map[string]any{"filters": []any{map[string]any{
		"filterFriendlyName": "f", "expression": "1==1", "targets": []any{fields},
	}}}}
}

var longName = strings.Repeat("x", 65)

func TestInvalidObjectsAreRejected(t *testing.T) {
	const sid32 = "0123456789abcdef0123456789abcdef"
	cases := []struct {
		name  string
		doc   func(t *testing.T) string
		field string // the rejection must name this field
	}{
		{"workspace authMode not an enum value", func(t *testing.T) string { return with(t, validWorkspace, "spec.authMode", "Token") }, "spec.authMode"},
		{"workspace prioritizeQueueOrder not FIFO/LIFO", func(t *testing.T) string { return with(t, validWorkspace, "spec.prioritizeQueueOrder", "RANDOM") }, "spec.prioritizeQueueOrder"},
		{"workspace template not NONE/FIFO", func(t *testing.T) string { return with(t, validWorkspace, "spec.template", "LIFO") }, "spec.template"},
		{"workspace without credentialsRef", func(t *testing.T) string { return with(t, validWorkspace, "spec.credentialsRef", nil) }, "spec.credentialsRef"},
		{"workspace sid of the wrong kind", func(t *testing.T) string { return with(t, validWorkspace, "spec.sid", "WQ"+sid32) }, "spec.sid"},
		{"workspace eventCallbackUrl not http(s)", func(t *testing.T) string { return with(t, validWorkspace, "spec.eventCallbackUrl", "ftp://x") }, "spec.eventCallbackUrl"},
		{"workspace friendlyName of 65 characters", func(t *testing.T) string { return with(t, validWorkspace, "spec.friendlyName", longName) }, "spec.friendlyName"},
		{"workspace token capability unknown", func(t *testing.T) string {
			return with(t, validWorkspace, "spec.tokenSecret", map[string]any{"name": "tok", "capabilities": []any{"Everything"}})
		}, "spec.tokenSecret.capabilities[0]"},
		{"workspace token ttl above 24h", func(t *testing.T) string {
			return with(t, validWorkspace, "spec.tokenSecret", map[string]any{"name": "tok", "ttl": "48h"})
		}, "spec.tokenSecret.ttl"},
		{"adoptionPolicy not an enum value", func(t *testing.T) string { return with(t, validTaskQueue, "spec.adoptionPolicy", "Steal") }, "spec.adoptionPolicy"},
		{"deletionPolicy not an enum value", func(t *testing.T) string { return with(t, validTaskQueue, "spec.deletionPolicy", "Keep") }, "spec.deletionPolicy"},
		{"managementPolicy not an enum value", func(t *testing.T) string { return with(t, validTaskQueue, "spec.managementPolicy", "ReadOnly") }, "spec.managementPolicy"},
		{"sid with CreateOnly", func(t *testing.T) string {
			return with(t, with(t, validTaskQueue, "spec.sid", "WQ"+sid32), "spec.adoptionPolicy", "CreateOnly")
		}, "spec.adoptionPolicy"},
		{"taskqueue maxReservedWorkers 0", func(t *testing.T) string { return with(t, validTaskQueue, "spec.maxReservedWorkers", 0) }, "spec.maxReservedWorkers"},
		{"taskqueue maxReservedWorkers 51", func(t *testing.T) string { return with(t, validTaskQueue, "spec.maxReservedWorkers", 51) }, "spec.maxReservedWorkers"},
		{"taskqueue taskOrder not FIFO/LIFO", func(t *testing.T) string { return with(t, validTaskQueue, "spec.taskOrder", "RANDOM") }, "spec.taskOrder"},
		{"taskqueue friendlyName of 65 characters", func(t *testing.T) string { return with(t, validTaskQueue, "spec.friendlyName", longName) }, "spec.friendlyName"},
		{"taskqueue missing workspaceRef", func(t *testing.T) string { return with(t, validTaskQueue, "spec.workspaceRef", nil) }, "spec.workspaceRef"},
		{"taskqueue workspaceRef with empty name", func(t *testing.T) string { return with(t, validTaskQueue, "spec.workspaceRef.name", "") }, "spec.workspaceRef.name"},
		{"taskqueue sid not WQ + 32 hex", func(t *testing.T) string { return with(t, validTaskQueue, "spec.sid", "WQ123") }, "spec.sid"},
		{"taskqueue token capability of a worker", func(t *testing.T) string {
			return with(t, validTaskQueue, "spec.tokenSecret", map[string]any{"name": "tok", "capabilities": []any{"ActivityUpdates"}})
		}, "spec.tokenSecret.capabilities[0]"},
		{"metadata.name over 64 without friendlyName", func(t *testing.T) string { return with(t, validTaskQueue, "metadata.name", longName) }, "spec.friendlyName"},
		{"activity sid not WA", func(t *testing.T) string { return with(t, validActivity, "spec.sid", "WK"+sid32) }, "spec.sid"},
		{"activity missing workspaceRef", func(t *testing.T) string { return with(t, validActivity, "spec.workspaceRef", nil) }, "spec.workspaceRef"},
		{"workflow taskReservationTimeout 0", func(t *testing.T) string { return with(t, validWorkflow, "spec.taskReservationTimeout", 0) }, "spec.taskReservationTimeout"},
		{"workflow taskReservationTimeout 86401", func(t *testing.T) string { return with(t, validWorkflow, "spec.taskReservationTimeout", 86401) }, "spec.taskReservationTimeout"},
		{"workflow target with both queueRef and queueSid", func(t *testing.T) string {
			return with(t, validWorkflow, "spec.configuration", target(map[string]any{"queueRef": map[string]any{"name": "q"}, "queueSid": "WQ" + sid32}))
		}, "spec.configuration.taskRouting.filters[0].targets[0]"},
		{"workflow target with neither queueRef nor queueSid", func(t *testing.T) string {
			return with(t, validWorkflow, "spec.configuration", target(map[string]any{"priority": 1}))
		}, "spec.configuration.taskRouting.filters[0].targets[0]"},
		{"workflow target queueSid not WQ", func(t *testing.T) string {
			return with(t, validWorkflow, "spec.configuration", target(map[string]any{"queueSid": "WW" + sid32}))
		}, "spec.configuration.taskRouting.filters[0].targets[0].queueSid"},
		{"workflow filter without targets", func(t *testing.T) string {
			return with(t, validWorkflow, "spec.configuration", map[string]any{"taskRouting": map[string]any{"filters": []any{map[string]any{"filterFriendlyName": "f", "expression": "1==1", "targets": []any{}}}}})
		}, "spec.configuration.taskRouting.filters[0].targets"},
		{"workflow default filter with both", func(t *testing.T) string {
			return with(t, validWorkflow, "spec.configuration.taskRouting.defaultFilter", map[string]any{"queueRef": map[string]any{"name": "q"}, "queueSid": "WQ" + sid32})
		}, "spec.configuration.taskRouting.defaultFilter"},
		{"workflow without configuration", func(t *testing.T) string { return with(t, validWorkflow, "spec.configuration", nil) }, "spec.configuration"},
		{"workflow assignmentCallbackUrl not http(s)", func(t *testing.T) string { return with(t, validWorkflow, "spec.assignmentCallbackUrl", "callback") }, "spec.assignmentCallbackUrl"},
		{"worker attributes a list, not an object", func(t *testing.T) string { return with(t, validWorker, "spec.attributes", []any{"support"}) }, "spec.attributes"},
		{"worker attributes a string, not an object", func(t *testing.T) string { return with(t, validWorker, "spec.attributes", `{"skills":["support"]}`) }, "spec.attributes"},
		{"worker activityPolicy not an enum value", func(t *testing.T) string { return with(t, validWorker, "spec.activityPolicy", "Always") }, "spec.activityPolicy"},
		{"worker Enforce without activityRef", func(t *testing.T) string { return with(t, validWorker, "spec.activityPolicy", "Enforce") }, "spec.activityPolicy"},
		{"worker sid not WK", func(t *testing.T) string { return with(t, validWorker, "spec.sid", "WA"+sid32) }, "spec.sid"},
		{"worker attributesPolicy not an enum value", func(t *testing.T) string { return with(t, validWorker, "spec.attributesPolicy", "Overwrite") }, "spec.attributesPolicy"},
		{"worker channelPolicy not an enum value", func(t *testing.T) string { return with(t, validWorker, "spec.channelPolicy", "Always") }, "spec.channelPolicy"},
		{"worker channel capacity below 0", func(t *testing.T) string {
			return with(t, validWorker, "spec.channels", []any{map[string]any{"uniqueName": "chat", "capacity": -1}})
		}, "spec.channels[0].capacity"},
		{"worker channel capacity above TaskRouter's 50", func(t *testing.T) string {
			return with(t, validWorker, "spec.channels", []any{map[string]any{"uniqueName": "voice", "capacity": 1}, map[string]any{"channelRef": map[string]any{"name": "chat"}, "capacity": 51}})
		}, "spec.channels[1].capacity"},
		{"worker channel with both channelRef and uniqueName", func(t *testing.T) string {
			return with(t, validWorker, "spec.channels", []any{map[string]any{"channelRef": map[string]any{"name": "chat"}, "uniqueName": "chat"}})
		}, "spec.channels[0]"},
		{"worker channel with neither channelRef nor uniqueName", func(t *testing.T) string {
			return with(t, validWorker, "spec.channels", []any{map[string]any{"capacity": 2}})
		}, "spec.channels[0]"},
		{"worker channel listed twice", func(t *testing.T) string {
			return with(t, validWorker, "spec.channels", []any{map[string]any{"uniqueName": "voice"}, map[string]any{"uniqueName": "voice", "capacity": 2}})
		}, "spec.channels"},
		{"taskchannel sid not TC", func(t *testing.T) string { return with(t, validTaskChannel, "spec.sid", "WQ"+sid32) }, "spec.sid"},
		{"taskchannel empty uniqueName", func(t *testing.T) string { return with(t, validTaskChannel, "spec.uniqueName", "") }, "spec.uniqueName"},
		{"taskchannel metadata.name over 64 without uniqueName", func(t *testing.T) string {
			return with(t, with(t, validTaskChannel, "metadata.name", longName), "spec.friendlyName", "Long")
		}, "spec.uniqueName"},
		{"statistics splitByWaitTime of 0 seconds", func(t *testing.T) string {
			return with(t, validTaskQueue, "spec.statistics", map[string]any{"splitByWaitTime": []any{20, 0}})
		}, "spec.statistics.splitByWaitTime[1]"},
		{"statistics taskChannels repeated", func(t *testing.T) string {
			return with(t, validWorkspace, "spec.statistics", map[string]any{"taskChannels": []any{"chat", "chat"}})
		}, "spec.statistics.taskChannels[1]"},
	}
	if len(cases) < 20 {
		t.Fatalf("the table must hold at least 20 invalid objects, has %d", len(cases))
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			obj := parseObject(t, tc.doc(t))
			err := k8s.Create(context.Background(), obj, client.DryRunAll)
			assertRejected(t, err, tc.field)
		})
	}
}

func assertRejected(t *testing.T, err error, field string) {
	t.Helper()
	if err == nil {
		t.Fatalf("accepted; want a rejection naming %s", field)
	}
	if !apierrors.IsInvalid(err) {
		t.Fatalf("rejected with %v; want an Invalid error naming %s", err, field)
	}
	if !strings.Contains(err.Error(), field) {
		t.Fatalf("rejection does not name %s: %v", field, err)
	}
}

// TestImmutableFields covers the rules that only an update can break.
func TestImmutableFields(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name, doc, path string
		value           any
		field           string
	}{
		{"activity available changed", validActivity, "spec.available", false, "spec.available"},
		{"workspace template changed", with(t, validWorkspace, "spec.template", "NONE"), "spec.template", "FIFO", "spec.template"},
		{"workspace template added after create", validWorkspace, "spec.template", "FIFO", "spec.template"},
		{"taskchannel uniqueName changed", with(t, validTaskChannel, "spec.uniqueName", "chat"), "spec.uniqueName", "sms", "spec.uniqueName"},
		{"taskchannel uniqueName set to other than its default", validTaskChannel, "spec.uniqueName", "sms", "spec.uniqueName"},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			obj := parseObject(t, tc.doc)
			obj.SetName(fmt.Sprintf("immutable-%d", i))
			if err := k8s.Create(ctx, obj); err != nil {
				t.Fatalf("create: %v", err)
			}
			t.Cleanup(func() { _ = k8s.Delete(ctx, obj) })
			changed := parseObject(t, with(t, tc.doc, tc.path, tc.value))
			changed.SetName(obj.GetName())
			changed.SetResourceVersion(obj.GetResourceVersion())
			assertRejected(t, k8s.Update(ctx, changed), tc.field)
		})
	}
}

// TestDefaults proves the defaults a user relies on are applied by the API server.
func TestDefaults(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		doc  string
		path []string
		want any
	}{
		{validTaskQueue, []string{"spec", "targetWorkers"}, "1==1"},
		{validTaskQueue, []string{"spec", "adoptionPolicy"}, "AdoptOrCreate"},
		{validTaskQueue, []string{"spec", "managementPolicy"}, "Manage"},
		{validWorkspace, []string{"spec", "authMode"}, "CapabilityToken"},
		{validWorker, []string{"spec", "activityPolicy"}, "Initial"},
		{validWorker, []string{"spec", "attributesPolicy"}, "Replace"},
		{validWorker, []string{"spec", "channelPolicy"}, "Initial"},
		{with(t, validActivity, "spec.available", nil), []string{"spec", "available"}, true},
		{with(t, validWorkspace, "spec.tokenSecret", map[string]any{"name": "tok"}), []string{"spec", "tokenSecret", "ttl"}, "1h"},
	}
	for _, tc := range cases {
		obj := parseObject(t, tc.doc)
		if err := k8s.Create(ctx, obj, client.DryRunAll); err != nil {
			t.Fatalf("create %s: %v", obj.GetKind(), err)
		}
		got, _, _ := unstructured.NestedFieldNoCopy(obj.Object, tc.path...)
		if got != tc.want {
			t.Errorf("%s %s defaults to %v, want %v", obj.GetKind(), strings.Join(tc.path, "."), got, tc.want)
		}
	}
}

// TestTaskChannelUniqueNameMayBeSpelledOut proves the immutability rule compares the effective
// unique name: writing down the metadata.name it already had is no change.
func TestTaskChannelUniqueNameMayBeSpelledOut(t *testing.T) {
	ctx := context.Background()
	obj := parseObject(t, validTaskChannel)
	obj.SetName("spelled-out")
	if err := k8s.Create(ctx, obj); err != nil {
		t.Fatalf("create: %v", err)
	}
	t.Cleanup(func() { _ = k8s.Delete(ctx, obj) })
	changed := parseObject(t, with(t, validTaskChannel, "spec.uniqueName", "spelled-out"))
	changed.SetName(obj.GetName())
	changed.SetResourceVersion(obj.GetResourceVersion())
	if err := k8s.Update(ctx, changed); err != nil {
		t.Fatalf("setting uniqueName to its default metadata.name was refused: %v", err)
	}
}
