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

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
)

// The steps that change something: claim an observed object, create a missing one, update a
// drifted one. ok is false when the pass ends with res.

// forgetVanished drops the record of a remote object deleted out of band, so it is looked up by
// name and recreated like a new one.
func (run *pass[T, R, P]) forgetVanished(obs observation[R, P]) {
	if obs.vanished == "" {
		return
	}
	run.event(corev1.EventTypeWarning, reasonRemoteObjectMissing, "Observe", "%s %s was deleted outside the operator; recreating", run.adapter.kind(), obs.vanished)
	st := run.obj.RemoteStatus()
	st.SID, st.Origin, st.CreateAttemptedAt = "", "", nil
}

// claim records the observed remote object as this resource's, unless another resource of the same
// kind already claims it: two resources writing one remote object would undo each other's changes
// forever, so the younger one stalls instead.
func (run *pass[T, R, P]) claim(ctx context.Context, v remoteObjects[R, P], obs observation[R, P]) (res result, ok bool) {
	spec := run.obj.RemoteSpec()
	sid := v.identify(obs.remote).sid
	if obs.byName && obs.origin == trv1.OriginAdopted && spec.Policies.AdoptionPolicy == trv1.CreateOnly {
		return classify("Adopt", stall(reasonAlreadyExists, "%s %q already exists as %s and adoptionPolicy is CreateOnly: rename it, or allow adoption",
			run.adapter.kind(), run.adapter.adoptionName(run.obj), sid)), false
	}
	other, err := run.claimant(ctx, v, sid)
	if err != nil {
		return classify("Adopt", err), false
	}
	if other != "" {
		return classify("Adopt", stall(reasonConflict, "%s %s is already managed by %s %s: only one resource may own a remote object; delete one of them or point it elsewhere",
			run.adapter.kind(), sid, run.adapter.kind(), other)), false
	}
	v.listing.own(sid, ownerOf(run.obj), run.env.now())
	st := run.obj.RemoteStatus()
	if st.SID != sid || st.Origin == "" {
		st.SID, st.Origin = sid, obs.origin
	}
	st.CreateAttemptedAt = nil
	if obs.byName && obs.origin == trv1.OriginAdopted {
		run.event(corev1.EventTypeNormal, reasonAdopted, "Adopt", "adopted existing %s %s named %q", run.adapter.kind(), sid, run.adapter.adoptionName(run.obj))
	}
	return result{}, true
}

// create creates the missing remote object when the policies allow. The rule that prevents
// duplicate creates: status.createAttemptedAt is written to the API server before TaskRouter is
// asked to create. If the answer is lost (a timeout, a 500 after commit, a crash before the SID was
// saved), the next pass finds the object by name and, because an attempt is on record, claims it as
// its own creation instead of creating another.
func (run *pass[T, R, P]) create(ctx context.Context, v remoteObjects[R, P], want desired[R, P], obs observation[R, P]) (observation[R, P], result, bool) {
	st, spec := run.obj.RemoteStatus(), run.obj.RemoteSpec()
	if spec.Policies.AdoptionPolicy == trv1.AdoptOnly || spec.Policies.ManagementPolicy == trv1.ObserveOnly {
		return obs, result{verdict: progressing, reason: reasonWaitingForRemoteObject,
			message: fmt.Sprintf("no %s named %q in TaskRouter; this resource never creates one (adoptionPolicy %s, managementPolicy %s)",
				run.adapter.kind(), run.adapter.adoptionName(run.obj), spec.Policies.AdoptionPolicy, spec.Policies.ManagementPolicy)}, false
	}
	if st.CreateAttemptedAt == nil {
		now := metav1.NewTime(run.env.now())
		st.CreateAttemptedAt = &now
		if err := run.env.kube.Status().Patch(ctx, run.obj, client.MergeFrom(run.before)); err != nil {
			return obs, retrying(reasonRecordingCreate, fmt.Errorf("record create attempt: %w", err)), false
		}
		run.rebase()
	}
	remote, err := v.collection.Create(ctx, want.create())
	if err != nil {
		return obs, classify("Create", err), false
	}
	v.record(remote)
	sid := v.identify(remote).sid
	v.listing.own(sid, ownerOf(run.obj), run.env.now())
	st.SID, st.Origin, st.CreateAttemptedAt = sid, trv1.OriginCreated, nil
	run.event(corev1.EventTypeNormal, reasonCreated, "Create", "created %s %s named %q", run.adapter.kind(), sid, run.adapter.adoptionName(run.obj))
	return observation[R, P]{exists: true, created: true, remote: remote, origin: trv1.OriginCreated, change: want.diff(remote)}, result{}, true
}

// update sends what differs from the spec; ObserveOnly reports the drift instead and writes nothing.
// A write is never decided on a listing alone: the object is read again first, the difference taken
// from that fresh state (which also carries the ETag a guarded update needs), and nothing is sent
// when the drift is gone.
func (run *pass[T, R, P]) update(ctx context.Context, v remoteObjects[R, P], want desired[R, P], obs observation[R, P]) (R, result, bool) {
	c := obs.change
	if len(c.fields) == 0 {
		return obs.remote, result{}, true
	}
	if run.obj.RemoteSpec().Policies.ManagementPolicy == trv1.ObserveOnly {
		run.adapter.mirror(run.obj, obs.remote)
		return obs.remote, result{verdict: drifted, reason: reasonDrifted,
			message: fmt.Sprintf("ObserveOnly: TaskRouter differs from the spec in %v; nothing was written", c.fields)}, false
	}
	if c.refused != nil {
		return obs.remote, classify("Update", c.refused), false
	}
	sid := v.identify(obs.remote).sid
	fresh := obs.remote
	if !obs.created {
		var err error
		if fresh, err = v.fetch(ctx, sid); err != nil {
			return obs.remote, classify("Fetch", err), false
		}
		if c = want.diff(fresh); len(c.fields) == 0 {
			return fresh, result{}, true
		}
		if c.refused != nil {
			return fresh, classify("Update", c.refused), false
		}
	}
	updated, err := v.collection.Update(ctx, sid, c.update)
	if err != nil {
		return fresh, classify("Update", err), false
	}
	v.record(updated)
	run.event(corev1.EventTypeNormal, reasonUpdated, "Update", "updated %s %s: %v", run.adapter.kind(), sid, c.fields)
	return updated, result{}, true
}
