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
	"math/rand/v2"
	"slices"
	"sync"
	"time"
)

// snapshot is what the operator last read of TaskRouter, shared by every reconcile: for each scope
// (one workspace's objects, or an account's Workspaces) one paged list per kind per sweep, the way
// client-go's shared informers serve many consumers from one list. Observing an object is then a
// map lookup, not a request; a single object is fetched only when the list cannot answer (an
// object created since, a field lists do not carry, a write about to happen).
//
// Sweeps are per scope and jittered: when one is due, the scope's listings count as stale, the
// first reconcile that needs one lists again, and every object of the scope comes back right after
// the sweep starts (requeueAt) to compare itself with the fresh listing. Drift and out-of-band
// deletions are thus found within one sync period, for a few requests per kind instead of one per
// object.
type snapshot struct {
	period time.Duration
	now    func() time.Time

	mu     sync.Mutex
	scopes map[string]*scope
}

func newSnapshot(period time.Duration, now func() time.Time) *snapshot {
	return &snapshot{period: period, now: now, scopes: map[string]*scope{}}
}

// scope is one workspace (or account) and its sweep schedule.
type scope struct {
	// epoch is when the current sweep started: a listing older than it is stale.
	epoch time.Time
	// next is when the next sweep starts.
	next     time.Time
	listings map[string]any // *listing[R] by kind
}

// sweepSpread spreads the objects of one scope over a short window after the sweep starts, so the
// work queue does not get them all in the same instant.
func (s *snapshot) sweepSpread() time.Duration {
	return min(s.period/20, 30*time.Second)
}

// enter returns the scope's current sweep epoch, starting a new sweep when one is due.
func (s *snapshot) enter(key string) (epoch, next time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sc := s.scopeLocked(key)
	now := s.now()
	if !now.Before(sc.next) {
		sc.epoch, sc.next = now, now.Add(jitter(s.period))
	}
	return sc.epoch, sc.next
}

func (s *snapshot) scopeLocked(key string) *scope {
	sc, ok := s.scopes[key]
	if !ok {
		now := s.now()
		sc = &scope{epoch: now, next: now.Add(jitter(s.period)), listings: map[string]any{}}
		s.scopes[key] = sc
	}
	return sc
}

// requeueAt is how long until obj should come back to compare itself with the scope's next listing.
func (s *snapshot) requeueAt(key string) time.Duration {
	s.mu.Lock()
	next := s.scopeLocked(key).next
	s.mu.Unlock()
	wait := next.Sub(s.now())
	if spread := s.sweepSpread(); spread > 0 {
		wait += rand.N(spread)
	}
	return max(wait, time.Second)
}

// forget drops a scope (its Workspace is gone).
func (s *snapshot) forget(key string) {
	s.mu.Lock()
	delete(s.scopes, key)
	s.mu.Unlock()
}

// listingOf returns the listing of one kind in one scope; sid and name read a record's SID and the
// name adoption matches (folded when the kind compares names regardless of case).
func listingOf[R any](s *snapshot, key, kind string, sid, name func(R) string) *listing[R] {
	s.mu.Lock()
	defer s.mu.Unlock()
	sc := s.scopeLocked(key)
	if l, ok := sc.listings[kind].(*listing[R]); ok {
		return l
	}
	l := &listing[R]{sid: sid, name: name, names: map[string]*nameLock{}}
	sc.listings[kind] = l
	return l
}

// listing is one kind's remote objects in one scope, as last listed and since written.
type listing[R any] struct {
	sid  func(R) string
	name func(R) string

	mu sync.Mutex
	// takenAt is when the list in records was requested; zero when there is none.
	takenAt time.Time
	records map[string]record[R]
	// byName indexes the SIDs of the records by name, for adoption. Names are nearly always unique,
	// so a slice per name, not a set: a map per record would be a few hundred bytes each.
	byName map[string][]string
	// loading is closed when the list in flight finishes (one list at a time per listing).
	loading chan struct{}
	loadErr error
	// fetched are records read one by one, for the fields lists do not carry, with when they were read.
	fetched map[string]fetchedRecord[R]
	// owners are the resources that claimed each SID in this process lately (see claims.go), with
	// when: a list drops the claims older than claimMemory, by when the claim is in the cache.
	owners map[string]claim
	// names serialise adoption and creation per name, so two resources of one name applied together
	// never both create (issue: "exactly one creates and the other sees it"). A name's lock is
	// forgotten when no reconcile holds or awaits it, or every name ever created would stay.
	names map[string]*nameLock
}

// claimMemory is how long a claim made in this process counts beside the cache: far longer than
// the claimant's status write takes to reach the cache.
const claimMemory = 5 * time.Minute

// claim is an owner and when it claimed the SID.
type claim struct {
	owner
	at time.Time
}

// nameLock is one name's lock and how many reconciles hold or await it.
type nameLock struct {
	sync.Mutex
	users int
}

// fetchedRecord is what lists lack of a remote object read (or written) one by one.
type fetchedRecord[R any] struct {
	// value holds only the fields lists lack (see partialRecords.complete).
	value R
	// version is the object's version when read.
	version time.Time
	// at is when it was read.
	at time.Time
}

// record is a remote object as the listing knows it.
type record[R any] struct {
	value R
	// at is when the operator learnt it (a list's request time, or a write's answer).
	at time.Time
	// gone marks an object the operator deleted since the list.
	gone bool
}

// ensure lists again when the list held was requested before notBefore (or there is none).
// Concurrent callers share one list call.
func (l *listing[R]) ensure(ctx context.Context, notBefore time.Time, now func() time.Time, list func(context.Context) ([]R, error)) error {
	for {
		l.mu.Lock()
		if !l.takenAt.IsZero() && !l.takenAt.Before(notBefore) {
			l.mu.Unlock()
			return nil
		}
		if wait := l.loading; wait != nil {
			l.mu.Unlock()
			select {
			case <-wait:
			case <-ctx.Done():
				return ctx.Err()
			}
			l.mu.Lock()
			err := l.loadErr
			l.mu.Unlock()
			if err != nil {
				return err // the shared list failed: every waiter retries on its own backoff
			}
			continue
		}
		done := make(chan struct{})
		l.loading = done
		l.mu.Unlock()

		started := now()
		values, err := list(ctx)
		l.mu.Lock()
		l.loading, l.loadErr = nil, err
		if err == nil {
			l.install(values, started)
		}
		l.mu.Unlock()
		close(done)
		if err != nil {
			return err
		}
	}
}

// get returns the record of id, if the listing has one.
func (l *listing[R]) get(id string) (record[R], bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	r, ok := l.records[id]
	return r, ok
}

// named returns the live records with this (folded) name, in SID order: a message that lists them
// must read the same on every pass, or it would rewrite the status each time.
func (l *listing[R]) named(name string) []R {
	l.mu.Lock()
	defer l.mu.Unlock()
	ids := slices.Sorted(slices.Values(l.byName[name]))
	out := make([]R, 0, len(ids))
	for _, id := range ids {
		out = append(out, l.records[id].value)
	}
	return out
}

// install replaces the records with a fresh list, keeping what the operator itself wrote after the
// list was requested (a create or delete the list cannot have seen yet).
func (l *listing[R]) install(values []R, started time.Time) {
	l.forgetOldClaims(started)
	type written struct {
		id string
		r  record[R]
	}
	var later []written
	for id, r := range l.records {
		if r.at.After(started) {
			later = append(later, written{id, r})
		}
	}
	// The maps are refilled in place, not made anew: a second pair beside the first, for the
	// length of a sweep, was a few megabytes at 10,000 objects.
	if l.records == nil {
		l.records, l.byName = make(map[string]record[R], len(values)), make(map[string][]string, len(values))
	} else {
		clear(l.records)
		clear(l.byName)
	}
	l.takenAt = started
	for _, v := range values {
		l.setLocked(l.sid(v), record[R]{value: v, at: started})
	}
	for _, w := range later {
		l.setLocked(w.id, w.r)
	}
	// What was read one by one of an object the list no longer has goes with it: deleted outside
	// the operator, it would otherwise stay for as long as the process runs.
	for id := range l.fetched {
		if _, ok := l.records[id]; !ok {
			delete(l.fetched, id)
		}
	}
}

// forgetOldClaims drops the claims made more than claimMemory before now. The kept ones go to a map
// of their size: a Go map never gives back its room, and the claims of a converge (one per object)
// would otherwise keep theirs, about 1.7 MB at 10,000 objects, for as long as the process runs.
func (l *listing[R]) forgetOldClaims(now time.Time) {
	var kept map[string]claim
	for sid, c := range l.owners {
		if now.Sub(c.at) <= claimMemory {
			if kept == nil {
				kept = map[string]claim{}
			}
			kept[sid] = c
		}
	}
	if len(kept) < len(l.owners) {
		l.owners = kept
	}
}

// setLocked stores a record (or a tombstone) and indexes its name.
func (l *listing[R]) setLocked(id string, r record[R]) {
	if l.records == nil {
		l.records, l.byName = map[string]record[R]{}, map[string][]string{}
	}
	l.removeLocked(id)
	l.records[id] = r
	if r.gone {
		return
	}
	n := l.name(r.value)
	l.byName[n] = append(l.byName[n], id)
}

// removeLocked forgets a record and its name.
func (l *listing[R]) removeLocked(id string) {
	if old, ok := l.records[id]; ok && !old.gone {
		n := l.name(old.value)
		if ids := slices.DeleteFunc(l.byName[n], func(s string) bool { return s == id }); len(ids) > 0 {
			l.byName[n] = ids
		} else {
			delete(l.byName, n)
		}
	}
	delete(l.records, id)
}

// put records what a write (or a single fetch) returned.
func (l *listing[R]) put(v R, at time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.setLocked(l.sid(v), record[R]{value: v, at: at})
}

// drop records that the object is gone (deleted, or a fetch found none).
func (l *listing[R]) drop(id string, at time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.setLocked(id, record[R]{at: at, gone: true})
	delete(l.fetched, id)
}

// fetchedRecord returns what was read one by one of id, if anything.
func (l *listing[R]) fetchedRecord(id string) (fetchedRecord[R], bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	f, ok := l.fetched[id]
	return f, ok
}

func (l *listing[R]) keepFetched(id string, f fetchedRecord[R]) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.fetched == nil {
		l.fetched = map[string]fetchedRecord[R]{}
	}
	l.fetched[id] = f
}

// ownerOf returns who claimed sid in this process lately, if anyone.
func (l *listing[R]) ownerOf(sid string) (owner, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	c, ok := l.owners[sid]
	return c.owner, ok
}

// own records that o claimed sid at at. An entry outlives its resource harmlessly: claimant reads
// the resource again before counting it.
func (l *listing[R]) own(sid string, o owner, at time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.owners == nil {
		l.owners = map[string]claim{}
	}
	l.owners[sid] = claim{owner: o, at: at}
}

// lockName serialises the adoption-or-creation of one name; the caller calls the unlock it returns.
func (l *listing[R]) lockName(name string) (unlock func()) {
	l.mu.Lock()
	m, ok := l.names[name]
	if !ok {
		m = &nameLock{}
		l.names[name] = m
	}
	m.users++
	l.mu.Unlock()
	m.Lock()
	return func() {
		m.Unlock()
		l.mu.Lock()
		defer l.mu.Unlock()
		if m.users--; m.users == 0 {
			delete(l.names, name)
		}
	}
}
