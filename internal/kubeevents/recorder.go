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

// Package kubeevents writes events.k8s.io/v1 Events for the controllers. It replaces client-go's
// event broadcaster, whose series cache keeps a full copy of every Event it sent for 6 to 12
// minutes: at 10,000 converged objects that is tens of megabytes. This recorder shows users the
// same Events (a repeat within 6 minutes becomes a series count on one Event) but remembers only
// a small, bounded record per recent event.
package kubeevents

import (
	"errors"
	"fmt"
	"hash/maphash"
	"maps"
	"reflect"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/go-logr/logr"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/tools/events"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/apiutil"
	"sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/manager"
	"sigs.k8s.io/controller-runtime/pkg/recorder"
)

const (
	// queueCapacity matches client-go's broadcaster: enough for a burst of reconciles, small
	// enough that a stalled API server costs little memory.
	queueCapacity = 1000
	// seriesWindow is how long after an occurrence a repeat still joins its series, as in
	// client-go.
	seriesWindow = 6 * time.Minute
	// maxSeries bounds the remembered series; a repeat of an evicted one makes a new Event,
	// which users see as two Events instead of one count.
	maxSeries = 4096
	// noteMaxBytes is the API's limit on an Event's note.
	noteMaxBytes = 1024
	// writeConcurrency is how many Events are written at once, enough to keep up with the
	// reconciles of a burst on an API server answering in tens of milliseconds.
	writeConcurrency = 8
	// writeTries and retryDelay keep a short API server outage from losing events without
	// holding the queue for long (client-go tries 12 times, 10 s apart).
	writeTries = 3
	retryDelay = time.Second
	// dropLogInterval limits the log lines about a full queue, which come in bursts.
	dropLogInterval = time.Minute
	// sweepInterval is how often an idle recorder gives back the memory of ended series.
	sweepInterval = time.Minute
)

var (
	_ events.EventRecorder           = (*Recorder)(nil)
	_ recorder.EventRecorder         = (*Recorder)(nil)
	_ manager.Runnable               = (*Recorder)(nil)
	_ manager.LeaderElectionRunnable = (*Recorder)(nil)
)

// Recorder writes events.k8s.io/v1 Events for the controllers.
type Recorder struct {
	client     client.Client
	scheme     *runtime.Scheme
	controller string
	instance   string
	log        logr.Logger
	now        func() time.Time
	retryDelay time.Duration

	queue   chan *occurrence
	started atomic.Bool

	// dropped counts the events lost to a full queue; droppedLogged is its value at the last
	// log line, lastDropLog that line's time in Unix nanoseconds.
	dropped       atomic.Uint64
	droppedLogged atomic.Uint64
	lastDropLog   atomic.Int64

	// The fields below belong to the goroutine running Start.
	seed       maphash.Seed
	series     *seriesCache
	lastSuffix int64
}

// occurrence is one Eventf call waiting in the queue.
type occurrence struct {
	regarding   corev1.ObjectReference
	related     *corev1.ObjectReference
	annotations map[string]string
	eventType   string
	reason      string
	action      string
	note        string
	observed    time.Time
}

// New returns a Recorder that writes Events through c as controller (reportingController) on
// instance (reportingInstance); scheme resolves the kinds of typed objects whose TypeMeta is empty.
// Nothing is written until the Recorder is started, typically by adding it to the manager.
func New(c client.Client, scheme *runtime.Scheme, controller, instance string) *Recorder {
	return &Recorder{
		client:     c,
		scheme:     scheme,
		controller: controller,
		instance:   instance,
		log:        log.Log.WithName("events"),
		now:        time.Now,
		retryDelay: retryDelay,
		queue:      make(chan *occurrence, queueCapacity),
		seed:       maphash.MakeSeed(),
		series:     newSeriesCache(maxSeries, seriesWindow),
	}
}

// Eventf implements k8s.io/client-go/tools/events.EventRecorder: it never blocks and never fails the caller.
func (r *Recorder) Eventf(regarding runtime.Object, related runtime.Object, eventtype, reason, action, note string, args ...interface{}) {
	r.enqueue(regarding, related, nil, eventtype, reason, action, note, args)
}

// AnnotatedEventf is Eventf with annotations on the Event, so that the Recorder can stand in for
// controller-runtime's recorder.EventRecorder. Annotations do not make an event distinct: a
// repeat that differs only in them joins the series, which keeps the first one's annotations.
func (r *Recorder) AnnotatedEventf(regarding runtime.Object, related runtime.Object, annotations map[string]string, eventtype, reason, action, note string, args ...interface{}) {
	r.enqueue(regarding, related, maps.Clone(annotations), eventtype, reason, action, note, args)
}

// NeedLeaderElection implements manager.LeaderElectionRunnable: every replica writes the events
// it emits, leader or not.
func (r *Recorder) NeedLeaderElection() bool {
	return false
}

func (r *Recorder) enqueue(regarding, related runtime.Object, annotations map[string]string, eventType, reason, action, note string, args []interface{}) {
	if eventType != corev1.EventTypeNormal && eventType != corev1.EventTypeWarning {
		r.log.Error(nil, "Dropping an event of an unsupported type", "type", eventType, "reason", reason)
		return
	}
	ref, err := r.reference(regarding)
	if err != nil {
		r.log.Error(err, "Dropping an event about an object it cannot refer to", "reason", reason)
		return
	}
	o := &occurrence{
		regarding:   ref,
		annotations: annotations,
		eventType:   eventType,
		reason:      reason,
		action:      action,
		note:        truncateNote(fmt.Sprintf(note, args...)),
		observed:    r.now(),
	}
	if related != nil {
		// As in client-go, an unusable related object costs the reference, not the event.
		if rel, err := r.reference(related); err == nil {
			o.related = &rel
		} else {
			r.log.V(1).Info("Writing an event without its related object", "reason", reason, "error", err.Error())
		}
	}
	select {
	case r.queue <- o:
	default:
		r.drop(o)
	}
}

// drop counts an event lost to a full queue and logs the count at most once per dropLogInterval.
func (r *Recorder) drop(o *occurrence) {
	total := r.dropped.Add(1)
	now := o.observed.UnixNano()
	last := r.lastDropLog.Load()
	if last != 0 && now-last < int64(dropLogInterval) {
		return
	}
	if !r.lastDropLog.CompareAndSwap(last, now) {
		return
	}
	since := total - r.droppedLogged.Swap(total)
	r.log.Info("Dropping events: the queue is full", "dropped", since, "reason", o.reason)
}

// reference describes obj the way an Event refers to it. A *corev1.ObjectReference is taken as
// is, since client-go's recorders accept one in place of the object.
func (r *Recorder) reference(obj runtime.Object) (corev1.ObjectReference, error) {
	if obj == nil || isNilPointer(obj) {
		return corev1.ObjectReference{}, errors.New("no object")
	}
	if ref, ok := obj.(*corev1.ObjectReference); ok {
		return *ref, nil
	}
	gvk, err := apiutil.GVKForObject(obj, r.scheme)
	if err != nil {
		return corev1.ObjectReference{}, fmt.Errorf("resolving the kind of %T: %w", obj, err)
	}
	m, err := meta.Accessor(obj)
	if err != nil {
		return corev1.ObjectReference{}, fmt.Errorf("reading the metadata of %T: %w", obj, err)
	}
	apiVersion, kind := gvk.ToAPIVersionAndKind()
	return corev1.ObjectReference{
		APIVersion:      apiVersion,
		Kind:            kind,
		Namespace:       m.GetNamespace(),
		Name:            m.GetName(),
		UID:             m.GetUID(),
		ResourceVersion: m.GetResourceVersion(),
	}, nil
}

// isNilPointer catches a typed nil, which would otherwise panic in the metadata accessors.
func isNilPointer(obj runtime.Object) bool {
	v := reflect.ValueOf(obj)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

// truncateNote cuts note to the API's limit on a rune boundary: a cut rune would be encoded as
// U+FFFD, three bytes, and could push the note over the limit again.
func truncateNote(note string) string {
	if len(note) <= noteMaxBytes {
		return note
	}
	n := noteMaxBytes
	for n > 0 && !utf8.RuneStart(note[n]) {
		n--
	}
	return note[:n]
}
