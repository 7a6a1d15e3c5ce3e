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

package controllers

import (
	"encoding/json"
	"testing"
	"unsafe"

	"github.com/google/go-cmp/cmp"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
)

// cachedWorker is a Worker as the API server sends it to the cache after the operator wrote its status.
func cachedWorker(t *testing.T, name, sid string) *trv1.Worker {
	t.Helper()
	raw := `{"apiVersion":"taskrouter.operator.dev/v1alpha1","kind":"Worker","metadata":{"name":"` + name + `","namespace":"contact-center",
	"uid":"uid-` + name + `","finalizers":["taskrouter.operator.dev/finalizer"],
	"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{}"},
	"managedFields":[{"manager":"kubectl","operation":"Apply"}]},
	"spec":{"workspaceRef":{"name":"cc"},"activityRef":{"name":"available"},"adoptionPolicy":"AdoptOrCreate","managementPolicy":"Manage",
	"attributesPolicy":"Replace","activityPolicy":"Initial","channelPolicy":"Initial","friendlyName":"` + name + `",
	"channels":[{"channelRef":{"name":"voice"},"capacity":2}]},
	"status":{"sid":"` + sid + `","origin":"Created","activityName":"Available","activitySid":"WA00000000000000000000000000000001",
	"channels":[{"uniqueName":"voice","configuredCapacity":2,"available":true,"assignedTasks":0,"availableCapacityPercentage":100}],
	"conditions":[{"type":"Ready","status":"True","reason":"Synced","message":"Worker ` + sid + ` matches the spec","lastTransitionTime":"2026-12-01T00:00:00Z"}]}}`
	w := &trv1.Worker{}
	if err := json.Unmarshal([]byte(raw), w); err != nil {
		t.Fatal(err)
	}
	return w
}

func sameMemory(a, b string) bool { return unsafe.StringData(a) == unsafe.StringData(b) }

// TestStripUnread: what enters the cache keeps every value the controllers read, without
// managedFields or kubectl's last-applied copy, and with the repeated strings shared.
func TestStripUnread(t *testing.T) {
	a, b := cachedWorker(t, "agent-a", "WKa"), cachedWorker(t, "agent-b", "WKb")
	want := a.DeepCopy()
	want.ManagedFields, want.Annotations = nil, nil
	for _, w := range []*trv1.Worker{a, b} {
		if _, err := stripUnread(w); err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff(want, a); diff != "" {
		t.Errorf("cached object (-want +got):\n%s", diff)
	}
	shared := map[string][2]string{
		"namespace":                {a.Namespace, b.Namespace},
		"finalizer":                {a.Finalizers[0], b.Finalizers[0]},
		"spec.workspaceRef":        {a.Spec.WorkspaceRef.Name, b.Spec.WorkspaceRef.Name},
		"spec.activityRef":         {a.Spec.ActivityRef.Name, b.Spec.ActivityRef.Name},
		"spec.adoptionPolicy":      {string(a.Spec.AdoptionPolicy), string(b.Spec.AdoptionPolicy)},
		"spec.attributesPolicy":    {string(a.Spec.AttributesPolicy), string(b.Spec.AttributesPolicy)},
		"spec.channels[0]":         {a.Spec.Channels[0].ChannelRef.Name, b.Spec.Channels[0].ChannelRef.Name},
		"status.origin":            {string(a.Status.Origin), string(b.Status.Origin)},
		"status.activitySid":       {a.Status.ActivitySID, b.Status.ActivitySID},
		"status.channels[0]":       {a.Status.Channels[0].UniqueName, b.Status.Channels[0].UniqueName},
		"status.conditions.type":   {a.Status.Conditions[0].Type, b.Status.Conditions[0].Type},
		"status.conditions.reason": {a.Status.Conditions[0].Reason, b.Status.Conditions[0].Reason},
	}
	for field, v := range shared {
		if !sameMemory(v[0], v[1]) {
			t.Errorf("%s: two copies of %q", field, v[0])
		}
	}
}

// TestStripUnreadKeepsOtherAnnotations: only kubectl's copy goes.
func TestStripUnreadKeepsOtherAnnotations(t *testing.T) {
	w := cachedWorker(t, "agent-a", "WKa")
	w.Annotations["team"] = "billing"
	if _, err := stripUnread(w); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]string{"team": "billing"}, w.Annotations); diff != "" {
		t.Errorf("annotations (-want +got):\n%s", diff)
	}
}
