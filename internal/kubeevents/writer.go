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

package kubeevents

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	eventsv1 "k8s.io/api/events/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// Start implements sigs.k8s.io/controller-runtime/pkg/manager.Runnable: it writes queued events until ctx ends.
// Events still queued when ctx ends are not written.
//
// One goroutine decides what each occurrence becomes (the series are its alone), and a few write
// them: one write at a time could not keep up with a burst of reconciles, whose API calls take
// milliseconds each, and the queue would overflow.
func (r *Recorder) Start(ctx context.Context) error {
	if !r.started.CompareAndSwap(false, true) {
		return errors.New("starting the event recorder: already started")
	}
	jobs := make(chan write)
	var writers sync.WaitGroup
	for range writeConcurrency {
		writers.Go(func() {
			for w := range jobs {
				r.do(ctx, w)
			}
		})
	}
	defer func() {
		close(jobs)
		writers.Wait()
	}()
	sweep := time.NewTicker(sweepInterval)
	defer sweep.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case o := <-r.queue:
			select {
			case jobs <- r.plan(o):
			case <-ctx.Done():
				return nil
			}
		case <-sweep.C:
			r.series.expire(r.now())
		}
	}
}

// identity is what makes two occurrences the same event. The resource versions are left out so
// that events about an object that changes in between still form one series.
type identity struct {
	regarding corev1.ObjectReference
	related   corev1.ObjectReference
	eventType string
	reason    string
	action    string
	note      string
}

func (r *Recorder) key(o *occurrence) uint64 {
	id := identity{regarding: o.regarding, eventType: o.eventType, reason: o.reason, action: o.action, note: o.note}
	id.regarding.ResourceVersion = ""
	if o.related != nil {
		id.related = *o.related
		id.related.ResourceVersion = ""
	}
	return maphash.Comparable(r.seed, id)
}

// write is one API write: the first Event of a series, or its count raised.
type write struct {
	o               *occurrence
	name, namespace string
	// count is 1 for a new Event, and the series' count for a repeat.
	count int32
}

// plan decides what an occurrence becomes: a repeat raises its series' count, anything else
// starts a series, whose Event is named here so that repeats can refer to it before it is written.
func (r *Recorder) plan(o *occurrence) write {
	// Expiring by the occurrence's time, not the clock's, keeps a backlog in the queue from
	// ending a series its occurrences still belong to.
	r.series.expire(o.observed)
	key := r.key(o)
	if s := r.series.lookup(key, o.observed); s != nil {
		s.count++
		s.lastObserved = o.observed
		r.series.touch(s)
		return write{o: o, name: s.name, namespace: s.namespace, count: s.count}
	}
	namespace := o.regarding.Namespace
	if namespace == "" {
		// Events about cluster-scoped objects live in "default", as client-go writes them.
		namespace = metav1.NamespaceDefault
	}
	name := r.eventName(o.regarding.Name, o.observed)
	r.series.add(&series{key: key, name: name, namespace: namespace, count: 1, lastObserved: o.observed})
	return write{o: o, name: name, namespace: namespace, count: 1}
}

// do writes w. A repeat whose Event is gone (it expired from the API server, or its creation
// failed) creates it again under its name, with the count so far. Concurrent patches of one series
// may land out of order; a count is then briefly one or two short.
func (r *Recorder) do(ctx context.Context, w write) {
	if w.count <= 1 {
		if err := r.create(ctx, w, nil); err != nil {
			r.logFailure(ctx, err, "Failed to create an event", w.name, w.o)
		}
		return
	}
	series := &eventsv1.EventSeries{Count: w.count, LastObservedTime: metav1.NewMicroTime(w.o.observed)}
	err := r.withRetries(ctx, func() error { return r.patchSeries(ctx, w, series) })
	if apierrors.IsNotFound(err) {
		err = r.create(ctx, w, series)
	}
	if err != nil {
		r.logFailure(ctx, err, "Failed to update an event's series", w.name, w.o)
	}
}

func (r *Recorder) create(ctx context.Context, w write, series *eventsv1.EventSeries) error {
	o := w.o
	ev := &eventsv1.Event{
		ObjectMeta: metav1.ObjectMeta{
			Name:        w.name,
			Namespace:   w.namespace,
			Annotations: o.annotations,
		},
		EventTime:           metav1.NewMicroTime(o.observed),
		Series:              series,
		ReportingController: r.controller,
		ReportingInstance:   r.instance,
		Action:              o.action,
		Reason:              o.reason,
		Regarding:           o.regarding,
		Related:             o.related,
		Note:                o.note,
		Type:                o.eventType,
	}
	err := r.withRetries(ctx, func() error {
		err := r.client.Create(ctx, ev)
		// Names are unique to this recorder, so the Event exists because an earlier try was
		// written though its answer was lost.
		if apierrors.IsAlreadyExists(err) {
			return nil
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("creating event %s/%s: %w", w.namespace, w.name, err)
	}
	return nil
}

// seriesPatch is the merge patch that records a repeat on the series' Event.
type seriesPatch struct {
	Series eventsv1.EventSeries `json:"series"`
}

func (r *Recorder) patchSeries(ctx context.Context, w write, series *eventsv1.EventSeries) error {
	data, err := json.Marshal(seriesPatch{Series: *series})
	if err != nil {
		return fmt.Errorf("encoding the series of event %s/%s: %w", w.namespace, w.name, err)
	}
	ev := &eventsv1.Event{ObjectMeta: metav1.ObjectMeta{Name: w.name, Namespace: w.namespace}}
	if err := r.client.Patch(ctx, ev, client.RawPatch(types.MergePatchType, data)); err != nil {
		return fmt.Errorf("patching the series of event %s/%s: %w", w.namespace, w.name, err)
	}
	return nil
}

// eventName names a new Event after the object it regards and a suffix from the occurrence's
// time, made strictly increasing so that two events in one clock tick do not collide.
func (r *Recorder) eventName(regardingName string, at time.Time) string {
	suffix := at.UnixNano()
	if suffix <= r.lastSuffix {
		suffix = r.lastSuffix + 1
	}
	r.lastSuffix = suffix
	name := fmt.Sprintf("%s.%x", regardingName, suffix)
	if len(validation.NameIsDNSSubdomain(name, false)) > 0 {
		// Some kinds allow names (long, or with ':') that an Event may not have.
		name = fmt.Sprintf("event.%x", suffix)
	}
	return name
}

// withRetries runs write until it succeeds, fails for good, or has been tried writeTries times.
func (r *Recorder) withRetries(ctx context.Context, write func() error) error {
	for try := 1; ; try++ {
		err := write()
		if err == nil || try >= writeTries || !transient(err) {
			return err
		}
		timer := time.NewTimer(r.retryDelay)
		select {
		case <-ctx.Done():
			timer.Stop()
			return err
		case <-timer.C:
		}
	}
}

// transient tells the errors worth another try: the API server was unreachable, overloaded or
// failed; anything else it answered will be answered again.
func transient(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	if apierrors.IsServerTimeout(err) || apierrors.IsTimeout(err) || apierrors.IsTooManyRequests(err) ||
		apierrors.IsServiceUnavailable(err) || apierrors.IsInternalError(err) {
		return true
	}
	var status apierrors.APIStatus
	return !errors.As(err, &status)
}

// logFailure reports an event that could not be written; the note is left out as it may be long.
func (r *Recorder) logFailure(ctx context.Context, err error, msg, name string, o *occurrence) {
	if ctx.Err() != nil {
		// Shutting down: the failure is expected and not worth a line.
		return
	}
	r.log.Error(err, msg, "event", name, "reason", o.reason,
		"regarding", o.regarding.Kind+" "+o.regarding.Namespace+"/"+o.regarding.Name)
}
