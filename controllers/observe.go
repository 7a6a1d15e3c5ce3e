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
	"strings"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/internal/taskrouter"
)

// remoteObjects is how the core reads and writes one kind's remote objects in a connected account
// or workspace: by SID, by name for adoption, and the two writes.
type remoteObjects[R any, P any] struct {
	collection      remoteCollection[R, P]
	identify        func(R) identity
	caseInsensitive bool
}

func (run *pass[T, R, P]) view(c connection) remoteObjects[R, P] {
	_, fold := any(run.adapter).(caseInsensitiveNames)
	return remoteObjects[R, P]{collection: run.adapter.collection(c), identify: run.adapter.identify, caseInsensitive: fold}
}

// named returns the remote objects whose name is exactly name (or equal regardless of case, for the
// kinds TaskRouter compares so): TaskRouter's FriendlyName filter is the first cut, this is the contract.
func (v remoteObjects[R, P]) named(ctx context.Context, name string) ([]R, error) {
	all, err := v.collection.List(ctx, name)
	if err != nil {
		return nil, err
	}
	var out []R
	for _, r := range all {
		have := v.identify(r).name
		if have == name || (v.caseInsensitive && strings.EqualFold(have, name)) {
			out = append(out, r)
		}
	}
	return out, nil
}

// observation is what observe found. Observing changes nothing, in TaskRouter or in the status.
type observation[R any, P any] struct {
	// exists: the remote object was found, by its known SID or by name.
	exists bool
	remote R
	// byName: it was found by name, so taking it over is an adoption the policies must allow.
	byName bool
	// created: this pass created it.
	created bool
	// origin is how this resource comes to own it: Adopted, or Created when it is its own create
	// whose answer was lost (found by name after a recorded create attempt).
	origin trv1.Origin
	// vanished is the SID of this resource's remote object, which no longer exists in TaskRouter.
	vanished string
	// change is what differs from the spec.
	change change[P]
}

// observe finds the remote object of run.obj, by the SID it knows or else by name, and compares it
// with the spec. ok is false when the pass ends here with res.
func (run *pass[T, R, P]) observe(ctx context.Context, v remoteObjects[R, P], want desired[R, P]) (obs observation[R, P], res result, ok bool) {
	st, spec := run.obj.RemoteStatus(), run.obj.RemoteSpec()
	attempted := st.CreateAttemptedAt != nil
	if sid := knownSID(st, spec); sid != "" {
		remote, err := v.collection.Fetch(ctx, sid)
		switch {
		case err == nil:
			return observation[R, P]{exists: true, remote: remote, origin: originFor(st, spec), change: want.diff(remote)}, result{}, true
		case !taskrouter.IsNotFound(err):
			return obs, classify("Fetch", err), false
		case spec.SID != "":
			return obs, classify("Fetch", stall(reasonNotFound, "spec.sid %s does not exist in TaskRouter: correct spec.sid or remove it to adopt or create by name", spec.SID)), false
		case spec.Policies.ManagementPolicy == trv1.ObserveOnly:
			return obs, result{verdict: stalled, reason: reasonRemoteObjectMissing, after: stalledRetryPeriod,
				message: fmt.Sprintf("%s %s was deleted outside the operator; ObserveOnly does not recreate it", run.adapter.kind(), sid)}, false
		}
		obs.vanished, attempted = sid, false // deleted out of band: look for it by name, then create
	}
	name := run.adapter.adoptionName(run.obj)
	matches, err := v.named(ctx, name)
	if err != nil {
		return obs, classify("List", err), false
	}
	switch len(matches) {
	case 0:
		return obs, result{}, true
	case 1:
		obs.exists, obs.remote, obs.byName, obs.origin = true, matches[0], true, trv1.OriginAdopted
		if attempted {
			obs.origin = trv1.OriginCreated // our own create whose answer was lost
		}
		obs.change = want.diff(obs.remote)
		return obs, result{}, true
	}
	sids := make([]string, len(matches))
	for i, m := range matches {
		sids[i] = v.identify(m).sid
	}
	return obs, classify("Adopt", stall(reasonAmbiguous, "%d remote objects are named %q (%s): set spec.sid to the one to adopt, or rename one",
		len(matches), name, strings.Join(sids, ", "))), false
}

func knownSID(st *trv1.RemoteObjectStatus, spec trv1.RemoteObjectSpec) string {
	if spec.SID != "" {
		return spec.SID
	}
	return st.SID
}

// originFor is the origin of the object at the known SID: as recorded, unless spec.sid now points
// elsewhere, which is an adoption.
func originFor(st *trv1.RemoteObjectStatus, spec trv1.RemoteObjectSpec) trv1.Origin {
	if st.Origin != "" && (spec.SID == "" || spec.SID == st.SID) {
		return st.Origin
	}
	return trv1.OriginAdopted
}
