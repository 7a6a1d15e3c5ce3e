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

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// progressEvery is how often a long wait prints where it is.
const progressEvery = 30 * time.Second

// converge applies the plan's resources at once, as a GitOps sync would, and
// waits until every one is Ready. Its time runs from the first create to the
// moment the last object became Ready; its requests are the emulator's calls
// in between.
func (s *scenario) converge(ctx context.Context, p plan) (*Converge, error) {
	objs := p.objects()
	resources := len(objs) - 1 // all but the credentials Secret
	c := &Converge{Counts: p.counts, WritesNeeded: p.counts.WritesNeeded(), WriteRate: s.cfg.WriteRate}
	before, err := s.emulatorMetrics(ctx)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	if err := s.cluster.create(ctx, objs); err != nil {
		return nil, err
	}
	s.cfg.progress("%s: applied %d resources in %s; waiting until every one is Ready (floor %s)",
		s.name, resources, seconds(time.Since(start)), seconds(c.Floor()))
	done, err := s.tracker.waitReady(ctx, resources, s.cfg.convergeTimeout(resources, c.Floor()), s.reportProgress(start, resources))
	if err != nil {
		return nil, fmt.Errorf("converge %d objects: %w (manager log: %s)", resources, err, s.manager.Log)
	}
	after, err := s.emulatorMetrics(ctx)
	if err != nil {
		return nil, err
	}
	c.Duration = done.Sub(start)
	c.Requests = after.since(before, emulatorRequests, nil)
	c.Writes = after.since(before, emulatorRequests, isSucceededWrite)
	c.WriteAttempts = after.since(before, emulatorRequests, isWrite)
	c.Throttled = after.since(before, emulatorRequests, isThrottled)
	s.cfg.progress("%s: %d objects Ready in %s, %.0f requests (%.2f per object), %.0f writes done, %.0f answered 429; most: %s",
		s.name, resources, seconds(c.Duration), c.Requests, c.RequestsPerObject(), c.Writes, c.Throttled, topRequests(after, before, nil))
	return c, nil
}

// reportProgress is the tracker's periodic check: it stops the wait when a
// process died and prints a line every progressEvery.
func (s *scenario) reportProgress(start time.Time, want int) func(int) error {
	last := time.Now()
	return func(ready int) error {
		if err := s.check(); err != nil {
			return err
		}
		if time.Since(last) >= progressEvery {
			last = time.Now()
			s.cfg.progress("%s: %d of %d Ready after %s", s.name, ready, want, seconds(time.Since(start)))
		}
		return nil
	}
}

// wait lets d pass, failing early when a process of the scenario dies.
func (s *scenario) wait(ctx context.Context, d time.Duration) error {
	deadline := time.Now().Add(d)
	for {
		if err := s.check(); err != nil {
			return err
		}
		left := time.Until(deadline)
		if left <= 0 {
			return nil
		}
		if err := sleep(ctx, min(left, 5*time.Second)); err != nil {
			return err
		}
	}
}

// quietFor is how long the manager must make no configuration request and no
// status write before the scenario counts as settled.
const quietFor = 30 * time.Second

// settle waits at least least, then until the manager has been quiet for
// quietFor, or until most passes. A manager may keep working after every object
// is Ready (a first statistics refresh wakes every Worker), and that is not
// steady state. It returns how long it waited and whether it saw quiet.
func (s *scenario) settle(ctx context.Context, least, most time.Duration) (time.Duration, bool, error) {
	start := time.Now()
	s.cfg.progress("%s: settling: at least %s, then until %s without configuration requests or status writes", s.name, least, quietFor)
	if err := s.wait(ctx, least); err != nil {
		return 0, false, err
	}
	activity := func() (float64, error) {
		em, api, err := s.counters(ctx)
		return em.sum(emulatorRequests, isConfiguration) + api.sum(apiserverRequests, isStatusWrite), err
	}
	last, err := activity()
	quietSince := time.Now()
	for err == nil && time.Since(quietSince) < quietFor {
		if time.Since(start) >= most {
			s.cfg.progress("%s: not quiet after %s; measuring anyway", s.name, seconds(time.Since(start)))
			return time.Since(start), false, nil
		}
		if err = s.wait(ctx, 5*time.Second); err != nil {
			break
		}
		var now float64
		if now, err = activity(); err == nil && now != last {
			last, quietSince = now, time.Now()
		}
	}
	return time.Since(start), err == nil, err
}

// steady counts, over a window with nothing applied and no traffic, the
// TaskRouter writes at the emulator and the status writes at the API server.
func (s *scenario) steady(ctx context.Context) (*Steady, error) {
	window := s.cfg.SteadyWindow
	s.cfg.progress("%s: steady state: counting writes for %s", s.name, window)
	emBefore, apiBefore, err := s.counters(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.wait(ctx, window); err != nil {
		return nil, err
	}
	emAfter, apiAfter, err := s.counters(ctx)
	if err != nil {
		return nil, err
	}
	st := &Steady{
		Window:                window,
		TaskRouterWrites:      emAfter.since(emBefore, emulatorRequests, isWrite),
		StatusWrites:          apiAfter.since(apiBefore, apiserverRequests, isStatusWrite),
		ConfigurationRequests: emAfter.since(emBefore, emulatorRequests, isConfiguration),
	}
	var byResource []string
	for _, resource := range trackedKinds {
		if n := apiAfter.since(apiBefore, apiserverRequests, func(l map[string]string) bool { return isStatusWrite(l) && l["resource"] == resource }); n > 0 {
			byResource = append(byResource, fmt.Sprintf("%s %.0f", resource, n))
		}
	}
	s.cfg.progress("%s: steady state: %.0f TaskRouter writes, %.0f status writes %v, %.0f configuration requests %s",
		s.name, st.TaskRouterWrites, st.StatusWrites, byResource, st.ConfigurationRequests, topRequests(emAfter, emBefore, isConfiguration))
	return st, nil
}

// pickups creates k TaskQueues named prefix-NN, one every spacing, and returns
// how long each waited for its first condition, the sign that the manager
// reconciled it. When alone is set, each is created only after the previous
// one was picked up, so none waits behind another.
func (s *scenario) pickups(ctx context.Context, prefix string, k int, spacing time.Duration, alone bool) ([]time.Duration, error) {
	created := make([]time.Time, k)
	out := make([]time.Duration, k)
	deadline := time.Now().Add(s.cfg.convergeTimeout(k, 0))
	name := func(i int) string { return fmt.Sprintf("%s-%02d", prefix, i) }
	var err error
	for i := range k {
		if i > 0 {
			if err := sleep(ctx, spacing); err != nil {
				return nil, err
			}
		}
		created[i] = time.Now()
		if err := s.cluster.create(ctx, []*unstructured.Unstructured{pickupQueue(name(i))}); err != nil {
			return nil, err
		}
		if alone {
			if out[i], err = s.awaitPickup(ctx, name(i), created[i], deadline); err != nil {
				return nil, err
			}
		}
	}
	if !alone {
		for i := range k {
			if out[i], err = s.awaitPickup(ctx, name(i), created[i], deadline); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// awaitPickup waits for the first condition of TaskQueue name, created at created.
func (s *scenario) awaitPickup(ctx context.Context, name string, created, deadline time.Time) (time.Duration, error) {
	for {
		if first := s.tracker.firstCondition("TaskQueue", name); !first.IsZero() {
			return first.Sub(created), nil
		}
		if time.Now().After(deadline) {
			return 0, fmt.Errorf("TaskQueue %s shows no condition after %s (manager log: %s)", name, time.Since(created).Round(time.Second), s.manager.Log)
		}
		if err := s.check(); err != nil {
			return 0, err
		}
		if err := sleep(ctx, 50*time.Millisecond); err != nil {
			return 0, err
		}
	}
}
