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

package scale

import (
	"context"
	"fmt"
	"time"
)

// pollEvery is how often the sweep reads the manager's reconcile counters: the
// resolution of the sweep's start and end.
const pollEvery = 2 * time.Second

// reconcileClock follows the manager's reconciles of objects of the five kinds
// (controller_runtime_reconcile_total), and the emulator and API server
// counters at the same moments.
type reconcileClock struct {
	s *scenario
}

// mark is the counters at one moment.
type mark struct {
	at         time.Time
	reconciles float64
	emulator   snapshot
	apiserver  snapshot
}

// read reads the manager's counter and, with all, the emulator's and the API
// server's. Polls read only the manager's: the API server's /metrics is large,
// and parsing it every poll would take CPU from the manager being measured.
func (rc reconcileClock) read(ctx context.Context, all bool) (mark, error) {
	m := mark{at: time.Now()}
	mgr, err := rc.s.managerMetrics(ctx)
	if err != nil {
		return m, err
	}
	m.reconciles = mgr.sum(reconcileTotal, isKindController)
	if !all {
		return m, nil
	}
	m.emulator, m.apiserver, err = rc.s.counters(ctx)
	return m, err
}

// until polls until done(m) holds or timeout passes (ok false then), failing
// when a process dies. The mark it returns when done holds has every counter.
func (rc reconcileClock) until(ctx context.Context, timeout time.Duration, done func(mark) bool) (m mark, ok bool, err error) {
	deadline := time.Now().Add(timeout)
	for {
		if m, err = rc.read(ctx, false); err != nil {
			return m, false, err
		}
		if done(m) {
			all, err := rc.read(ctx, true)
			all.at, all.reconciles = m.at, m.reconciles // the moment done was seen
			return all, err == nil, err
		}
		if time.Now().After(deadline) {
			return m, false, nil
		}
		if err := rc.s.check(); err != nil {
			return m, false, err
		}
		if err := sleep(ctx, pollEvery); err != nil {
			return m, false, err
		}
	}
}

// sweep restarts the manager with --sync-period, lets its first pass over
// every object finish, then measures one drift sweep: the requests it costs
// and, when it reconciles each object, how long it takes from the first to the
// last drift reconcile. With pickups, it then creates TaskQueues while the next
// sweep runs and times their pickup.
func (s *scenario) sweep(ctx context.Context, objects int, pickups int) (*Sweep, []time.Duration, error) {
	period := s.cfg.SyncPeriod
	res := &Sweep{Objects: objects, Period: period}
	s.cfg.progress("%s: sweep: restarting the manager with --sync-period %s", s.name, period)
	before, err := s.emulatorMetrics(ctx)
	if err != nil {
		return nil, nil, err
	}
	start := time.Now()
	if err := s.restartManager(ctx, []string{"--sync-period", period.String()}); err != nil {
		return nil, nil, err
	}
	rc := reconcileClock{s}
	limit := s.cfg.convergeTimeout(objects, 0)
	resynced, ok, err := rc.until(ctx, limit, func(m mark) bool { return m.reconciles >= float64(objects) })
	if err != nil || !ok {
		return nil, nil, fmt.Errorf("the restarted manager reconciled %.0f of %d objects in %s: %w", resynced.reconciles, objects, limit, err)
	}
	res.Resync = resynced.at.Sub(start)
	res.ResyncRequests = resynced.emulator.since(before, emulatorRequests, isConfiguration)
	s.cfg.progress("%s: sweep: first pass over %d objects took %s; measuring the next sweep", s.name, objects, seconds(res.Resync))

	end, err := s.measureSweep(ctx, rc, resynced, res)
	if err != nil || pickups == 0 {
		return res, nil, err
	}
	picked, err := s.pickupsDuringSweep(ctx, rc, end, res, pickups)
	return res, picked, err
}

// measureSweep measures the first drift sweep after from, the end of the
// restart's first pass, and returns the counters at its end.
func (s *scenario) measureSweep(ctx context.Context, rc reconcileClock, from mark, res *Sweep) (mark, error) {
	first, ok, err := rc.until(ctx, res.Period*3/2, func(m mark) bool { return m.reconciles > from.reconciles })
	if err != nil {
		return first, err
	}
	if !ok {
		// No object was reconciled again within one and a half periods: drift
		// is checked without a reconcile per object, so count one period's requests.
		s.cfg.progress("%s: sweep: no per-object reconcile within %s; counting requests over one period", s.name, res.Period*3/2)
		begin, err := rc.read(ctx, true)
		if err != nil {
			return begin, err
		}
		if err := s.wait(ctx, res.Period); err != nil {
			return begin, err
		}
		end, err := rc.read(ctx, true)
		res.Requests = end.emulator.since(begin.emulator, emulatorRequests, isConfiguration)
		res.SecretGets = end.apiserver.since(begin.apiserver, apiserverRequests, isSecretGet)
		return end, err
	}
	want := from.reconciles + float64(res.Objects)
	last, ok, err := rc.until(ctx, s.cfg.convergeTimeout(res.Objects, 0), func(m mark) bool { return m.reconciles >= want })
	if err != nil || !ok {
		return last, fmt.Errorf("the drift sweep reconciled %.0f of %d objects: %w", last.reconciles-from.reconciles, res.Objects, err)
	}
	res.PerObject = true
	res.Duration = last.at.Sub(first.at)
	res.Requests = last.emulator.since(from.emulator, emulatorRequests, isConfiguration)
	res.SecretGets = last.apiserver.since(from.apiserver, apiserverRequests, isSecretGet)
	s.cfg.progress("%s: sweep: %d objects checked in %s with %.0f requests; most: %s; Kubernetes GETs: %s", s.name, res.Objects,
		seconds(res.Duration), res.Requests, topRequests(last.emulator, from.emulator, isConfiguration),
		last.apiserver.top(from.apiserver, apiserverRequests, func(l map[string]string) bool { return l["verb"] == "GET" }, 3, "resource"))
	return last, nil
}

// pickupsDuringSweep waits for the sweep after the measured one to begin and
// creates k TaskQueues spread over four fifths of the measured sweep's
// duration, so that each is created while that sweep runs.
func (s *scenario) pickupsDuringSweep(ctx context.Context, rc reconcileClock, end mark, res *Sweep, k int) ([]time.Duration, error) {
	spread := res.Period
	if res.PerObject {
		_, ok, err := rc.until(ctx, res.Period*3/2, func(m mark) bool { return m.reconciles > end.reconciles })
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, fmt.Errorf("no drift reconcile within %s after the measured sweep", res.Period*3/2)
		}
		spread = res.Duration * 4 / 5
	}
	spacing := max(100*time.Millisecond, spread/time.Duration(k)).Round(time.Millisecond)
	s.cfg.progress("%s: pickup: creating %d TaskQueues, one every %s, while the next sweep runs", s.name, k, spacing)
	return s.pickups(ctx, "pickup-sweep", k, spacing, false)
}
