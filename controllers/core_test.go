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
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/tools/events"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator"
	"github.com/taskrouter-operator/taskrouter-operator/internal/taskrouter"
)

// The step list against a fake kind whose remote collection is made of function fields (the
// cert-manager style): each row is a situation, and asserts the TaskRouter calls the steps made and
// the verdict. The Kubernetes side is controller-runtime's fake client: this tests the order and
// the decisions of the steps, not the API server, which the envtest suites cover.

// stepRecord is the fake kind's remote object.
type stepRecord struct{ sid, name, value string }

// stepParams are the fake kind's write parameters.
type stepParams struct{ name, value string }

// stepKind adapts TaskQueue resources to stepRecords: the remote object's value is the spec's
// targetWorkers.
type stepKind struct {
	remote *fakeCollection
	// immutable, when set, makes a differing value impossible to write.
	immutable bool
}

func (stepKind) kind() string               { return "TaskQueue" }
func (stepKind) newObject() *trv1.TaskQueue { return &trv1.TaskQueue{} }
func (stepKind) newList() client.ObjectList { return &trv1.TaskQueueList{} }
func (stepKind) references(q *trv1.TaskQueue) []reference {
	return []reference{{kind: "Workspace", name: q.Spec.WorkspaceRef.Name}}
}
func (k stepKind) collection(connection) remoteCollection[stepRecord, stepParams] { return k.remote }
func (stepKind) identify(r stepRecord) identity                                   { return identity{sid: r.sid, name: r.name} }
func (stepKind) adoptionName(q *trv1.TaskQueue) string                            { return q.RemoteSpec().FriendlyName }
func (stepKind) mirror(*trv1.TaskQueue, stepRecord)                               {}
func (k stepKind) render(_ context.Context, _ *resolver, _ connection, q *trv1.TaskQueue) (desired[stepRecord, stepParams], error) {
	return stepDesired{name: q.RemoteSpec().FriendlyName, value: q.Spec.TargetWorkers, immutable: k.immutable}, nil
}

type stepDesired struct {
	name, value string
	immutable   bool
}

func (d stepDesired) create() stepParams { return stepParams{name: d.name, value: d.value} }
func (d stepDesired) diff(r stepRecord) change[stepParams] {
	var c change[stepParams]
	if r.value != d.value {
		c.fields, c.update = []string{"value"}, stepParams{value: d.value}
		if d.immutable {
			c.refused = stall(reasonImmutableField, "value cannot change")
		}
	}
	return c
}

// fakeCollection is a remote collection made of function fields; calls records every call made.
type fakeCollection struct {
	calls  []string
	create func(p stepParams) (stepRecord, error)
	fetch  func(sid string) (stepRecord, error)
	update func(sid string, p stepParams) (stepRecord, error)
	list   func(name string) ([]stepRecord, error)
}

func (f *fakeCollection) Create(_ context.Context, p stepParams) (stepRecord, error) {
	f.calls = append(f.calls, "create "+p.name)
	return f.create(p)
}
func (f *fakeCollection) Fetch(_ context.Context, sid string) (stepRecord, error) {
	f.calls = append(f.calls, "fetch "+sid)
	return f.fetch(sid)
}
func (f *fakeCollection) Update(_ context.Context, sid string, p stepParams) (stepRecord, error) {
	f.calls = append(f.calls, "update "+sid+" value="+p.value)
	return f.update(sid, p)
}
func (f *fakeCollection) Delete(_ context.Context, sid string) error {
	f.calls = append(f.calls, "delete "+sid)
	return nil
}
func (f *fakeCollection) List(_ context.Context, name string) ([]stepRecord, error) {
	f.calls = append(f.calls, "list "+name)
	return f.list(name)
}

// remote holds the records a row starts with, for the default behaviours of the fake collection.
func (f *fakeCollection) serve(records ...stepRecord) *fakeCollection {
	f.fetch = func(sid string) (stepRecord, error) {
		for _, r := range records {
			if r.sid == sid {
				return r, nil
			}
		}
		return stepRecord{}, &taskrouter.Error{Status: http.StatusNotFound, Code: taskrouter.CodeNotFound}
	}
	f.list = func(name string) ([]stepRecord, error) {
		var out []stepRecord
		for _, r := range records {
			if name == "" || r.name == name {
				out = append(out, r)
			}
		}
		return out, nil
	}
	f.create = func(p stepParams) (stepRecord, error) {
		return stepRecord{sid: "WQnew", name: p.name, value: p.value}, nil
	}
	f.update = func(sid string, p stepParams) (stepRecord, error) {
		return stepRecord{sid: sid, name: "q", value: p.value}, nil
	}
	return f
}

func TestStepList(t *testing.T) {
	const sid = "WQ00000000000000000000000000000001"
	match := stepRecord{sid: sid, name: "q", value: "1==1"}
	stale := stepRecord{sid: sid, name: "q", value: "0==1"}
	twin := stepRecord{sid: "WQ00000000000000000000000000000002", name: "q", value: "1==1"}
	attempted := metav1.NewTime(time.Unix(1, 0))
	tests := []struct {
		name      string
		remote    []stepRecord
		mutate    func(*trv1.TaskQueue)
		collect   func(*fakeCollection)
		immutable bool
		older     bool   // another TaskQueue, older, already claims sid
		olderSID  string // what the older one claims instead of sid
		calls     []string
		verdict   verdict
		reason    string
		sid       string
		origin    trv1.Origin
	}{{
		name: "not found + AdoptOrCreate: created", calls: []string{"list ", "create q"},
		verdict: ready, reason: reasonSynced, sid: "WQnew", origin: trv1.OriginCreated,
	}, {
		name: "found by name + AdoptOrCreate: adopted, nothing written", remote: []stepRecord{match},
		calls: []string{"list "}, verdict: ready, reason: reasonSynced, sid: sid, origin: trv1.OriginAdopted,
	}, {
		name: "found by name + drifted: adopted, read again, updated", remote: []stepRecord{stale},
		calls: []string{"list ", "fetch " + sid, "update " + sid + " value=1==1"}, verdict: ready, reason: reasonSynced, sid: sid, origin: trv1.OriginAdopted,
	}, {
		name: "found by name + CreateOnly: AlreadyExists", remote: []stepRecord{match},
		mutate: func(q *trv1.TaskQueue) { q.Spec.AdoptionPolicy = trv1.CreateOnly },
		calls:  []string{"list "}, verdict: stalled, reason: reasonAlreadyExists,
	}, {
		name: "two found by name: Ambiguous", remote: []stepRecord{match, twin},
		calls: []string{"list "}, verdict: stalled, reason: reasonAmbiguous,
	}, {
		name: "not found + AdoptOnly: waits, never creates", mutate: func(q *trv1.TaskQueue) { q.Spec.AdoptionPolicy = trv1.AdoptOnly },
		calls: []string{"list "}, verdict: progressing, reason: reasonWaitingForRemoteObject,
	}, {
		name: "known SID up to date: answered by the listing", remote: []stepRecord{match}, mutate: owned(sid),
		calls: []string{"list "}, verdict: ready, reason: reasonSynced, sid: sid, origin: trv1.OriginCreated,
	}, {
		name: "known SID drifted + Manage: read again, updated", remote: []stepRecord{stale}, mutate: owned(sid),
		calls: []string{"list ", "fetch " + sid, "update " + sid + " value=1==1"}, verdict: ready, reason: reasonSynced, sid: sid, origin: trv1.OriginCreated,
	}, {
		name: "known SID drifted, fixed by someone else before the write: nothing written", remote: []stepRecord{stale}, mutate: owned(sid),
		collect: func(f *fakeCollection) {
			f.fetch = func(string) (stepRecord, error) { return match, nil }
		},
		calls: []string{"list ", "fetch " + sid}, verdict: ready, reason: reasonSynced, sid: sid, origin: trv1.OriginCreated,
	}, {
		name: "known SID drifted + ObserveOnly: Drifted, nothing written", remote: []stepRecord{stale},
		mutate: func(q *trv1.TaskQueue) { owned(sid)(q); q.Spec.ManagementPolicy = trv1.ObserveOnly },
		calls:  []string{"list "}, verdict: drifted, reason: reasonDrifted, sid: sid, origin: trv1.OriginCreated,
	}, {
		name: "known SID deleted out of band + Manage: a fetch confirms it, recreated", mutate: owned(sid),
		calls: []string{"list ", "fetch " + sid, "create q"}, verdict: ready, reason: reasonSynced, sid: "WQnew", origin: trv1.OriginCreated,
	}, {
		name:   "known SID deleted out of band + ObserveOnly: RemoteObjectMissing",
		mutate: func(q *trv1.TaskQueue) { owned(sid)(q); q.Spec.ManagementPolicy = trv1.ObserveOnly },
		calls:  []string{"list ", "fetch " + sid}, verdict: stalled, reason: reasonRemoteObjectMissing, sid: sid, origin: trv1.OriginCreated,
	}, {
		name: "spec.sid that does not exist: NotFound", mutate: func(q *trv1.TaskQueue) { q.Spec.SID = sid },
		calls: []string{"list ", "fetch " + sid}, verdict: stalled, reason: reasonNotFound,
	}, {
		name: "create answer lost: TaskRouter asked by name, claimed as our own creation", remote: []stepRecord{match},
		mutate: func(q *trv1.TaskQueue) { q.Status.CreateAttemptedAt = &attempted },
		calls:  []string{"list q"}, verdict: ready, reason: reasonSynced, sid: sid, origin: trv1.OriginCreated,
	}, {
		name:    "create fails with a 500: retried, the attempt stays on record",
		collect: func(f *fakeCollection) { f.create = failing[stepParams](http.StatusInternalServerError) },
		calls:   []string{"list ", "create q"}, verdict: progressing, reason: reasonRetrying,
	}, {
		name:    "create refused with a 400: Rejected",
		collect: func(f *fakeCollection) { f.create = failing[stepParams](http.StatusBadRequest) },
		calls:   []string{"list ", "create q"}, verdict: stalled, reason: reasonRejected,
	}, {
		name: "drift TaskRouter cannot write: ImmutableField", remote: []stepRecord{stale}, mutate: owned(sid), immutable: true,
		calls: []string{"list "}, verdict: stalled, reason: reasonImmutableField, sid: sid, origin: trv1.OriginCreated,
	}, {
		name: "claimed by an older resource: Conflict", remote: []stepRecord{match}, older: true,
		calls: []string{"list "}, verdict: stalled, reason: reasonConflict,
	}, {
		name: "an older resource claims another SID of the same index bucket: adopted", remote: []stepRecord{match}, older: true,
		olderSID: "WQ10000000000000000000000000000001",
		calls:    []string{"list "}, verdict: ready, reason: reasonSynced, sid: sid, origin: trv1.OriginAdopted,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := &trv1.TaskQueue{
				ObjectMeta: metav1.ObjectMeta{Name: "q", Namespace: "cc", UID: "uid-q", CreationTimestamp: metav1.NewTime(time.Unix(100, 0)),
					Finalizers: []string{finalizer}},
				Spec: trv1.TaskQueueSpec{WorkspaceRef: trv1.LocalObjectReference{Name: "ws"}, TargetWorkers: "1==1"},
			}
			if tt.mutate != nil {
				tt.mutate(q)
			}
			objects := []client.Object{q, stepWorkspace(), stepSecret()}
			if tt.older {
				claimed := sid
				if tt.olderSID != "" {
					claimed = tt.olderSID
				}
				other := &trv1.TaskQueue{ObjectMeta: metav1.ObjectMeta{Name: "first", Namespace: "cc", UID: "uid-first",
					CreationTimestamp: metav1.NewTime(time.Unix(1, 0))}, Spec: trv1.TaskQueueSpec{SID: claimed}}
				objects = append(objects, other)
			}
			remote := (&fakeCollection{}).serve(tt.remote...)
			if tt.collect != nil {
				tt.collect(remote)
			}
			run := stepPass(t, stepKind{remote: remote, immutable: tt.immutable}, objects, q)
			res := run.sync(context.Background())

			if diff := cmp.Diff(tt.calls, remote.calls); diff != "" {
				t.Errorf("TaskRouter calls (-want +got):\n%s", diff)
			}
			if res.verdict != tt.verdict || res.reason != tt.reason {
				t.Errorf("verdict %d %s (%s), want %d %s", res.verdict, res.reason, res.message, tt.verdict, tt.reason)
			}
			st := run.obj.RemoteStatus()
			if st.SID != tt.sid || st.Origin != tt.origin {
				t.Errorf("status sid %q origin %q, want %q %q", st.SID, st.Origin, tt.sid, tt.origin)
			}
			created := strings.HasPrefix(strings.Join(remote.calls, ","), "list ,create")
			if created && tt.verdict == ready && st.CreateAttemptedAt != nil {
				t.Error("createAttemptedAt still set after a successful create")
			}
			if created && tt.verdict != ready && st.CreateAttemptedAt == nil {
				t.Error("a failed create left no createAttemptedAt on record")
			}
		})
	}
}

// owned gives the TaskQueue a remote object it created.
func owned(sid string) func(*trv1.TaskQueue) {
	return func(q *trv1.TaskQueue) { q.Status.SID, q.Status.Origin = sid, trv1.OriginCreated }
}

// failing answers every call with a TaskRouter error of that HTTP status.
func failing[P any](status int) func(P) (stepRecord, error) {
	return func(P) (stepRecord, error) {
		return stepRecord{}, &taskrouter.Error{Status: status, Code: 20001, Message: fmt.Sprintf("HTTP %d", status)}
	}
}

func stepWorkspace() *trv1.Workspace {
	return &trv1.Workspace{ObjectMeta: metav1.ObjectMeta{Name: "ws", Namespace: "cc"},
		Spec:   trv1.WorkspaceSpec{CredentialsRef: trv1.LocalObjectReference{Name: "creds"}, AuthMode: trv1.AuthBasic},
		Status: trv1.WorkspaceStatus{RemoteObjectStatus: trv1.RemoteObjectStatus{SID: "WS00000000000000000000000000000001"}}}
}

func stepSecret() *corev1.Secret {
	return &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "creds", Namespace: "cc"},
		Data: map[string][]byte{keyAccountSID: []byte(emulator.DevAccountSID), keyAuthToken: []byte(emulator.DevAuthToken)}}
}

// stepPass is one pass over obj with the fake kind, against a fake Kubernetes client holding objects.
func stepPass(t *testing.T, k stepKind, objects []client.Object, obj *trv1.TaskQueue) *pass[*trv1.TaskQueue, stepRecord, stepParams] {
	t.Helper()
	scheme := runtime.NewScheme()
	utilruntime.Must(clientgoscheme.AddToScheme(scheme))
	utilruntime.Must(trv1.AddToScheme(scheme))
	kube := fake.NewClientBuilder().WithScheme(scheme).WithObjects(objects...).
		WithStatusSubresource(&trv1.TaskQueue{}).
		WithIndex(&trv1.TaskQueue{}, sidIndex, func(o client.Object) []string {
			return sidBuckets(o.(*trv1.TaskQueue))
		}).Build()
	creds := newCredentials(kube, taskrouter.New(taskrouter.Config{TaskRouterBaseURL: "http://127.0.0.1:1"}))
	e := &env{kube: kube, uncached: kube, refs: &resolver{kube: kube, credentials: creds}, credentials: creds,
		events: events.NewFakeRecorder(100), now: time.Now, syncPeriod: time.Hour, snapshot: newSnapshot(time.Hour, time.Now)}
	fresh := &trv1.TaskQueue{}
	if err := kube.Get(context.Background(), client.ObjectKeyFromObject(obj), fresh); err != nil {
		t.Fatal(err)
	}
	fresh.Status = obj.Status // the fake client's create drops the status subresource
	return &pass[*trv1.TaskQueue, stepRecord, stepParams]{reconciler: &reconciler[*trv1.TaskQueue, stepRecord, stepParams]{env: e, adapter: k}, obj: fresh}
}
