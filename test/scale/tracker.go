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
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/dynamic/dynamicinformer"
	"k8s.io/client-go/tools/cache"
)

// trackedKinds are the resources whose readiness the benchmark follows.
var trackedKinds = []string{"workspaces", "activities", "taskqueues", "workflows", "workers"}

// tracker watches every taskrouter resource and notes, the moment its watch
// event arrives, when each object first showed a condition and whether it is
// Ready now. Times are the benchmark's clock at the event, so they include the
// watch's delivery delay (milliseconds), never the second-granular condition times.
type tracker struct {
	mu      sync.Mutex
	objects map[string]*objectState
	ready   int
	// lastReady is when an object last became Ready.
	lastReady time.Time
	// changed is closed and replaced whenever an object's state changes.
	changed chan struct{}
	stop    context.CancelFunc
}

type objectState struct {
	firstCondition time.Time
	ready          bool
}

func startTracker(ctx context.Context, c *cluster) (*tracker, error) {
	ctx, cancel := context.WithCancel(ctx)
	t := &tracker{objects: map[string]*objectState{}, changed: make(chan struct{}), stop: cancel}
	factory := dynamicinformer.NewFilteredDynamicSharedInformerFactory(c.dynamic, 0, namespace, nil)
	handler := cache.ResourceEventHandlerFuncs{
		AddFunc:    func(obj any) { t.observe(obj) },
		UpdateFunc: func(_, obj any) { t.observe(obj) },
		DeleteFunc: func(obj any) { t.forget(obj) },
	}
	var synced []cache.InformerSynced
	for _, resource := range trackedKinds {
		inf := factory.ForResource(group.WithResource(resource)).Informer()
		if _, err := inf.AddEventHandler(handler); err != nil {
			cancel()
			return nil, fmt.Errorf("watch %s: %w", resource, err)
		}
		synced = append(synced, inf.HasSynced)
	}
	factory.Start(ctx.Done())
	if !cache.WaitForCacheSync(ctx.Done(), synced...) {
		cancel()
		return nil, fmt.Errorf("watch taskrouter resources: %w", context.Cause(ctx))
	}
	return t, nil
}

func key(kind, name string) string { return kind + "/" + name }

func (t *tracker) observe(raw any) {
	obj, ok := raw.(*unstructured.Unstructured)
	if !ok {
		return
	}
	now := time.Now()
	conditions, _, _ := unstructured.NestedSlice(obj.Object, "status", "conditions")
	ready := isReady(obj, conditions)
	t.mu.Lock()
	defer t.mu.Unlock()
	st := t.objects[key(obj.GetKind(), obj.GetName())]
	if st == nil {
		st = &objectState{}
		t.objects[key(obj.GetKind(), obj.GetName())] = st
	}
	changed := false
	if len(conditions) > 0 && st.firstCondition.IsZero() {
		st.firstCondition, changed = now, true
	}
	if ready != st.ready {
		st.ready, changed = ready, true
		if ready {
			t.ready++
			t.lastReady = now
		} else {
			t.ready--
		}
	}
	if changed {
		close(t.changed)
		t.changed = make(chan struct{})
	}
}

func (t *tracker) forget(raw any) {
	if tomb, ok := raw.(cache.DeletedFinalStateUnknown); ok {
		raw = tomb.Obj
	}
	obj, ok := raw.(*unstructured.Unstructured)
	if !ok {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if st := t.objects[key(obj.GetKind(), obj.GetName())]; st != nil && st.ready {
		t.ready--
	}
	delete(t.objects, key(obj.GetKind(), obj.GetName()))
}

// isReady is kstatus's reading: Ready=True for the object's current generation.
func isReady(obj *unstructured.Unstructured, conditions []any) bool {
	for _, raw := range conditions {
		cond, _ := raw.(map[string]any)
		if cond["type"] != "Ready" {
			continue
		}
		gen, _ := cond["observedGeneration"].(int64)
		return cond["status"] == "True" && gen == obj.GetGeneration()
	}
	return false
}

// readyCount is how many objects are Ready now, when one last became Ready, and
// a channel closed at the next change.
func (t *tracker) readyCount() (int, time.Time, <-chan struct{}) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.ready, t.lastReady, t.changed
}

// firstCondition is when the object first showed a condition (zero: not yet).
func (t *tracker) firstCondition(kind, name string) time.Time {
	t.mu.Lock()
	defer t.mu.Unlock()
	if st := t.objects[key(kind, name)]; st != nil {
		return st.firstCondition
	}
	return time.Time{}
}

// notReady lists up to max objects that are not Ready, for a timeout's message.
func (t *tracker) notReady(max int) []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []string
	for k, st := range t.objects {
		if !st.ready && len(out) < max {
			out = append(out, k)
		}
	}
	return out
}

// waitReady waits until want objects are Ready at once and returns the moment
// the last of them became Ready.
// check is called every few seconds and stops the wait with its error (a dead
// process, a progress line); it may be nil.
func (t *tracker) waitReady(ctx context.Context, want int, timeout time.Duration, check func(ready int) error) (time.Time, error) {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	tick := time.NewTicker(5 * time.Second)
	defer tick.Stop()
	for {
		ready, last, changed := t.readyCount()
		if ready >= want {
			return last, nil
		}
		select {
		case <-changed:
		case <-tick.C:
			if check != nil {
				if err := check(ready); err != nil {
					return time.Time{}, err
				}
			}
		case <-deadline.C:
			return time.Time{}, fmt.Errorf("%d of %d objects Ready after %s; not Ready, for example: %v", ready, want, timeout, t.notReady(5))
		case <-ctx.Done():
			return time.Time{}, ctx.Err()
		}
	}
}
