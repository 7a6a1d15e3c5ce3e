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
	"time"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/internal/taskrouter"
)

// remoteObjects is how the core reads and writes one kind's remote objects in a connected account
// or workspace. Reads come from the scope's listing in the snapshot; what it writes, it records there.
type remoteObjects[R any, P any] struct {
	collection remoteCollection[R, P]
	identify   func(R) identity
	fold       func(string) string
	listing    *listing[R]
	// epoch is the start of the scope's current sweep: a listing older than it is stale.
	epoch time.Time
	now   func() time.Time
	// partial is set for kinds whose lists lack fields a fetch returns, full when this object's
	// spec compares such a field.
	partial partialRecords[R]
	full    bool
}

// adoptionFreshness bounds the age of the listing a create is decided on: an object created in
// TaskRouter by someone else longer ago than this is adopted, not duplicated. (A list by name right
// before each create would cost one request per object; this costs one list per kind every few
// seconds while objects are being created.)
const adoptionFreshness = 10 * time.Second

func (run *pass[T, R, P]) view(c connection) remoteObjects[R, P] {
	key := scopeKey(c)
	run.scope = key
	epoch, _ := run.env.snapshot.enter(key)
	fold := func(n string) string { return n }
	if _, ok := any(run.adapter).(caseInsensitiveNames); ok {
		fold = strings.ToLower
	}
	identify := run.adapter.identify
	v := remoteObjects[R, P]{
		collection: run.adapter.collection(c),
		identify:   identify,
		fold:       fold,
		listing: listingOf(run.env.snapshot, key, run.adapter.kind(),
			func(r R) string { return identify(r).sid }, func(r R) string { return fold(identify(r).name) }),
		epoch: epoch,
		now:   run.env.now,
	}
	if p, ok := any(run.adapter).(partialLists[T, R]); ok {
		v.partial, v.full = p, p.needsFetch(run.obj)
	}
	return v
}

// scopeKey names the snapshot scope of a connection: the workspace for its objects, the account for
// Workspaces themselves.
func scopeKey(c connection) string {
	if c.objects != nil {
		return "workspace/" + c.objects.SID()
	}
	return "account/" + c.account.SID()
}

func (v remoteObjects[R, P]) list(ctx context.Context) ([]R, error) {
	return v.collection.List(ctx, "")
}

// byID returns the remote object with this SID from the current sweep's listing. It is fetched
// when the listing cannot answer: an object created since the list (or gone since: the fetch says
// which), or one whose spec compares a field lists do not carry and that changed since it was last
// read.
func (v remoteObjects[R, P]) byID(ctx context.Context, sid string) (R, error) {
	var zero R
	if err := v.listing.ensure(ctx, v.epoch, v.now, v.list); err != nil {
		return zero, err
	}
	rec, ok := v.listing.get(sid)
	switch {
	case ok && rec.gone:
		return zero, &taskrouter.Error{Status: http.StatusNotFound, Code: taskrouter.CodeNotFound, Message: sid + " was deleted"}
	case !ok:
		return v.fetch(ctx, sid)
	}
	return v.complete(ctx, rec.value)
}

// fetch reads one object and records what it learnt.
func (v remoteObjects[R, P]) fetch(ctx context.Context, sid string) (R, error) {
	r, err := v.collection.Fetch(ctx, sid)
	switch {
	case err == nil:
		v.record(r)
	case taskrouter.IsNotFound(err):
		v.listing.drop(sid, v.now())
	}
	return r, err
}

// complete returns listed with the fields its list lacks, taken from the last single read of it
// when it has not changed since, else from a fresh one. Versions are whole seconds, so a read
// counts only when it was made after the second of the version it saw had passed: a change later in
// that same second would not have moved the version.
func (v remoteObjects[R, P]) complete(ctx context.Context, listed R) (R, error) {
	if !v.full {
		return listed, nil
	}
	sid := v.identify(listed).sid
	version := v.partial.version(listed)
	if read, ok := v.listing.fetchedRecord(sid); ok && read.version.Equal(version) && !read.at.Before(version.Add(time.Second)) {
		return v.partial.complete(listed, read.value), nil
	}
	return v.fetch(ctx, sid)
}

// record keeps what a fetch or a write returned: both are whole objects. Of what lists lack, only
// those fields are kept beside the listing (in an otherwise empty record): the next list replaces
// the rest, and a whole second copy of every Worker was about 450 bytes each.
func (v remoteObjects[R, P]) record(r R) {
	now := v.now()
	v.listing.put(r, now)
	if v.partial != nil {
		var empty R
		v.listing.keepFetched(v.identify(r).sid, fetchedRecord[R]{value: v.partial.complete(empty, r), version: v.partial.version(r), at: now})
	}
}

// named returns the remote objects whose name is name (compared as the kind compares names). It
// answers from a listing at most adoptionFreshness old; after a create attempt whose answer was
// lost it asks TaskRouter by name, so its own creation is never missed.
func (v remoteObjects[R, P]) named(ctx context.Context, name string, attempted *time.Time) ([]R, error) {
	var matches []R
	if attempted != nil {
		all, err := v.collection.List(ctx, name)
		if err != nil {
			return nil, err
		}
		for _, r := range all {
			if v.fold(v.identify(r).name) == v.fold(name) {
				v.listing.put(r, v.now())
				matches = append(matches, r)
			}
		}
	} else {
		notBefore := v.now().Add(-adoptionFreshness)
		if v.epoch.After(notBefore) {
			notBefore = v.epoch
		}
		if err := v.listing.ensure(ctx, notBefore, v.now, v.list); err != nil {
			return nil, err
		}
		matches = v.listing.named(v.fold(name))
	}
	for i, m := range matches {
		full, err := v.complete(ctx, m)
		if err != nil {
			return nil, err
		}
		matches[i] = full
	}
	return matches, nil
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
	attempted := st.CreateAttemptedAt
	if sid := knownSID(st, spec); sid != "" {
		remote, err := v.byID(ctx, sid)
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
		obs.vanished, attempted = sid, nil // deleted out of band: look for it by name, then create
	}
	name := run.adapter.adoptionName(run.obj)
	var at *time.Time
	if attempted != nil {
		at = &attempted.Time
	}
	matches, err := v.named(ctx, name, at)
	if err != nil {
		return obs, classify("List", err), false
	}
	switch len(matches) {
	case 0:
		return obs, result{}, true
	case 1:
		obs.exists, obs.remote, obs.byName, obs.origin = true, matches[0], true, trv1.OriginAdopted
		if attempted != nil {
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
