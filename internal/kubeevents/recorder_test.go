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
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/go-logr/logr/funcr"
	"github.com/go-logr/logr/testr"
	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	eventsv1 "k8s.io/api/events/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	clocktesting "k8s.io/utils/clock/testing"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"
	"sigs.k8s.io/controller-runtime/pkg/client/interceptor"
)

// t0 has whole microseconds, the precision an Event's times keep through the API.
var t0 = time.Date(2026, 3, 1, 12, 0, 0, 123456000, time.UTC)

type harness struct {
	rec   *Recorder
	kube  client.WithWatch
	clock *clocktesting.FakePassiveClock
}

func newHarness(t *testing.T, funcs interceptor.Funcs) *harness {
	t.Helper()
	scheme := runtime.NewScheme()
	if err := clientgoscheme.AddToScheme(scheme); err != nil {
		t.Fatal(err)
	}
	kube := fake.NewClientBuilder().WithScheme(scheme).WithInterceptorFuncs(funcs).Build()
	clock := clocktesting.NewFakePassiveClock(t0)
	rec := New(kube, scheme, "taskrouter-operator", "taskrouter-operator-0")
	rec.now = clock.Now
	rec.retryDelay = time.Millisecond
	rec.log = testr.New(t)
	return &harness{rec: rec, kube: kube, clock: clock}
}

// flush writes the queued events in the test's goroutine, so a test needs no waiting and may
// look at the recorder's state afterwards.
func (h *harness) flush() {
	for {
		select {
		case o := <-h.rec.queue:
			h.rec.do(context.Background(), h.rec.plan(o))
		default:
			return
		}
	}
}

// events lists the Events written, oldest first.
func (h *harness) events(t *testing.T) []eventsv1.Event {
	t.Helper()
	var list eventsv1.EventList
	if err := h.kube.List(context.Background(), &list); err != nil {
		t.Fatal(err)
	}
	sort.SliceStable(list.Items, func(i, j int) bool {
		a, b := list.Items[i], list.Items[j]
		if !a.EventTime.Equal(&b.EventTime) {
			return a.EventTime.Before(&b.EventTime)
		}
		return a.Name < b.Name
	})
	return list.Items
}

func configMap() *corev1.ConfigMap {
	return &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{
		Name: "settings", Namespace: "team-a", UID: "uid-settings", ResourceVersion: "42",
	}}
}

func TestEventfWritesEvent(t *testing.T) {
	longName := strings.Repeat("a", 250)
	tests := []struct {
		name      string
		regarding runtime.Object
		related   runtime.Object
		want      eventsv1.Event
	}{{
		name:      "namespaced object without TypeMeta",
		regarding: configMap(),
		related:   &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "token", Namespace: "team-a", UID: "uid-token"}},
		want: eventsv1.Event{
			ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("settings.%x", t0.UnixNano()), Namespace: "team-a"},
			Regarding:  corev1.ObjectReference{APIVersion: "v1", Kind: "ConfigMap", Namespace: "team-a", Name: "settings", UID: "uid-settings", ResourceVersion: "42"},
			Related:    &corev1.ObjectReference{APIVersion: "v1", Kind: "Secret", Namespace: "team-a", Name: "token", UID: "uid-token"},
		},
	}, {
		name:      "cluster-scoped object",
		regarding: &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "team-a", UID: "uid-ns"}},
		want: eventsv1.Event{
			ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("team-a.%x", t0.UnixNano()), Namespace: "default"},
			Regarding:  corev1.ObjectReference{APIVersion: "v1", Kind: "Namespace", Name: "team-a", UID: "uid-ns"},
		},
	}, {
		name:      "object reference",
		regarding: &corev1.ObjectReference{APIVersion: "v1", Kind: "Pod", Namespace: "team-a", Name: "worker", FieldPath: "spec.containers{main}"},
		want: eventsv1.Event{
			ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("worker.%x", t0.UnixNano()), Namespace: "team-a"},
			Regarding:  corev1.ObjectReference{APIVersion: "v1", Kind: "Pod", Namespace: "team-a", Name: "worker", FieldPath: "spec.containers{main}"},
		},
	}, {
		name:      "name too long for an Event",
		regarding: &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: longName, Namespace: "team-a"}},
		want: eventsv1.Event{
			ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("event.%x", t0.UnixNano()), Namespace: "team-a"},
			Regarding:  corev1.ObjectReference{APIVersion: "v1", Kind: "ConfigMap", Namespace: "team-a", Name: longName},
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, interceptor.Funcs{})
			h.rec.Eventf(tt.regarding, tt.related, corev1.EventTypeNormal, "Created", "CreateTaskQueue", "created %s in %d ms", "queue", 12)
			h.flush()
			want := tt.want
			want.EventTime = metav1.NewMicroTime(t0)
			want.ReportingController = "taskrouter-operator"
			want.ReportingInstance = "taskrouter-operator-0"
			want.Type = corev1.EventTypeNormal
			want.Reason = "Created"
			want.Action = "CreateTaskQueue"
			want.Note = "created queue in 12 ms"
			got := h.events(t)
			for i := range got {
				got[i].TypeMeta = metav1.TypeMeta{}
				got[i].ResourceVersion = ""
			}
			if diff := cmp.Diff([]eventsv1.Event{want}, got); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
		})
	}
}

// occurrence in a test: an Eventf call some time after t0.
type emit struct {
	after   time.Duration
	reason  string
	note    string
	related bool
}

// written is what a test checks of an Event: times are offsets from t0.
type written struct {
	Reason       string
	Note         string
	Related      bool
	First        time.Duration
	Count        int32
	LastObserved time.Duration
}

func summarize(events []eventsv1.Event) []written {
	var out []written
	for _, ev := range events {
		w := written{Reason: ev.Reason, Note: ev.Note, Related: ev.Related != nil, First: ev.EventTime.Sub(t0)}
		if ev.Series != nil {
			w.Count = ev.Series.Count
			w.LastObserved = ev.Series.LastObservedTime.Sub(t0)
		}
		out = append(out, w)
	}
	return out
}

func (h *harness) emit(emits ...emit) {
	secret := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "token", Namespace: "team-a", UID: "uid-token"}}
	for _, e := range emits {
		h.clock.SetTime(t0.Add(e.after))
		var related runtime.Object
		if e.related {
			related = secret
		}
		h.rec.Eventf(configMap(), related, corev1.EventTypeNormal, e.reason, "Reconcile", "%s", e.note)
		h.flush()
	}
}

func TestSeries(t *testing.T) {
	tests := []struct {
		name  string
		emits []emit
		want  []written
	}{{
		name:  "repeats within the window make one series",
		emits: []emit{{0, "Created", "n", false}, {time.Minute, "Created", "n", false}, {2 * time.Minute, "Created", "n", false}},
		want:  []written{{Reason: "Created", Note: "n", Count: 3, LastObserved: 2 * time.Minute}},
	}, {
		name:  "a different note is another event",
		emits: []emit{{0, "Created", "a", false}, {time.Minute, "Created", "b", false}},
		want:  []written{{Reason: "Created", Note: "a"}, {Reason: "Created", Note: "b", First: time.Minute}},
	}, {
		name:  "a different reason is another event",
		emits: []emit{{0, "Created", "n", false}, {time.Minute, "Updated", "n", false}},
		want:  []written{{Reason: "Created", Note: "n"}, {Reason: "Updated", Note: "n", First: time.Minute}},
	}, {
		name:  "a different related object is another event",
		emits: []emit{{0, "Created", "n", false}, {time.Minute, "Created", "n", true}},
		want:  []written{{Reason: "Created", Note: "n"}, {Reason: "Created", Note: "n", Related: true, First: time.Minute}},
	}, {
		name:  "a repeat after the window is another event",
		emits: []emit{{0, "Created", "n", false}, {6*time.Minute + time.Second, "Created", "n", false}},
		want:  []written{{Reason: "Created", Note: "n"}, {Reason: "Created", Note: "n", First: 6*time.Minute + time.Second}},
	}, {
		name:  "each repeat extends the window",
		emits: []emit{{0, "Created", "n", false}, {5 * time.Minute, "Created", "n", false}, {10 * time.Minute, "Created", "n", false}},
		want:  []written{{Reason: "Created", Note: "n", Count: 3, LastObserved: 10 * time.Minute}},
	}, {
		name:  "a repeat after a series ended starts another event",
		emits: []emit{{0, "Created", "n", false}, {time.Minute, "Created", "n", false}, {8 * time.Minute, "Created", "n", false}},
		want: []written{
			{Reason: "Created", Note: "n", Count: 2, LastObserved: time.Minute},
			{Reason: "Created", Note: "n", First: 8 * time.Minute},
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, interceptor.Funcs{})
			h.emit(tt.emits...)
			if diff := cmp.Diff(tt.want, summarize(h.events(t))); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSeriesOfDeletedEventIsRecreated(t *testing.T) {
	h := newHarness(t, interceptor.Funcs{})
	h.emit(emit{0, "Created", "n", false})
	first := h.events(t)
	if len(first) != 1 {
		t.Fatalf("got %d events, want 1", len(first))
	}
	if err := h.kube.Delete(context.Background(), &first[0]); err != nil {
		t.Fatal(err)
	}
	h.emit(emit{time.Minute, "Created", "n", false}, emit{2 * time.Minute, "Created", "n", false})
	got := h.events(t)
	// Recreated under its name, so that later repeats find it, with every occurrence counted.
	want := []written{{Reason: "Created", Note: "n", First: time.Minute, Count: 3, LastObserved: 2 * time.Minute}}
	if diff := cmp.Diff(want, summarize(got)); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	if got[0].Name != first[0].Name {
		t.Errorf("recreated event is named %q, want the series' name %q", got[0].Name, first[0].Name)
	}
}

func TestEventfDropsInvalidEvents(t *testing.T) {
	tests := []struct {
		name      string
		regarding runtime.Object
		eventType string
	}{
		{name: "unsupported type", regarding: configMap(), eventType: "Info"},
		{name: "no object", regarding: nil, eventType: corev1.EventTypeNormal},
		{name: "typed nil object", regarding: (*corev1.ConfigMap)(nil), eventType: corev1.EventTypeNormal},
		{name: "object of unknown kind", regarding: &metav1.PartialObjectMetadata{}, eventType: corev1.EventTypeWarning},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, interceptor.Funcs{})
			h.rec.Eventf(tt.regarding, nil, tt.eventType, "Created", "Reconcile", "note")
			if n := len(h.rec.queue); n != 0 {
				t.Fatalf("queued %d events, want none", n)
			}
			h.flush()
			if got := h.events(t); len(got) != 0 {
				t.Errorf("wrote %d events, want none", len(got))
			}
		})
	}
}

func TestNoteIsTruncated(t *testing.T) {
	tests := []struct {
		name string
		note string
		want string
	}{
		{name: "at the limit", note: strings.Repeat("x", 1024), want: strings.Repeat("x", 1024)},
		{name: "over the limit", note: strings.Repeat("x", 2000), want: strings.Repeat("x", 1024)},
		// After "x", the two-byte runes put byte 1024 in the middle of one, which must go whole.
		{name: "rune straddling the limit", note: "x" + strings.Repeat("é", 600), want: "x" + strings.Repeat("é", 511)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, interceptor.Funcs{})
			h.rec.Eventf(configMap(), nil, corev1.EventTypeWarning, "Invalid", "Reconcile", "%s", tt.note)
			h.flush()
			got := h.events(t)
			if len(got) != 1 {
				t.Fatalf("got %d events, want 1", len(got))
			}
			if got[0].Note != tt.want {
				t.Errorf("note has %d bytes, want %d", len(got[0].Note), len(tt.want))
			}
			if !utf8.ValidString(got[0].Note) {
				t.Error("note is not valid UTF-8")
			}
		})
	}
}

func TestSeriesAreBounded(t *testing.T) {
	h := newHarness(t, interceptor.Funcs{})
	h.rec.series.max = 3
	for i := range 5 {
		h.emit(emit{time.Duration(i) * time.Second, "Created", fmt.Sprint(i), false})
		if n := h.rec.series.len(); n > 3 {
			t.Fatalf("remembers %d series after %d events, want at most 3", n, i+1)
		}
	}
	// "0" was evicted, so its repeat makes a new Event; "4" is remembered, so its repeat counts.
	h.emit(emit{10 * time.Second, "Created", "0", false}, emit{11 * time.Second, "Created", "4", false})
	var got []string
	for _, w := range summarize(h.events(t)) {
		got = append(got, fmt.Sprintf("%s x%d", w.Note, w.Count))
	}
	want := []string{"0 x0", "1 x0", "2 x0", "3 x0", "4 x2", "0 x0"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	h.rec.series.expire(t0.Add(11*time.Second + seriesWindow))
	if n := h.rec.series.len(); n != 0 {
		t.Errorf("remembers %d series after the window, want none", n)
	}
}

func TestWritesAreRetried(t *testing.T) {
	unavailable := apierrors.NewServiceUnavailable("overloaded")
	forbidden := apierrors.NewForbidden(schema.GroupResource{Group: "events.k8s.io", Resource: "events"}, "x", errors.New("no"))
	tests := []struct {
		name      string
		failures  []error
		wantTries int
		wantCount int
	}{
		{name: "transient failures then success", failures: []error{unavailable, unavailable}, wantTries: 3, wantCount: 1},
		{name: "connection failure", failures: []error{errors.New("connection refused")}, wantTries: 2, wantCount: 1},
		{name: "transient failures throughout", failures: []error{unavailable, unavailable, unavailable, unavailable}, wantTries: 3},
		{name: "rejected", failures: []error{forbidden}, wantTries: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tries := 0
			h := newHarness(t, interceptor.Funcs{Create: func(ctx context.Context, c client.WithWatch, obj client.Object, opts ...client.CreateOption) error {
				tries++
				if tries <= len(tt.failures) {
					return tt.failures[tries-1]
				}
				return c.Create(ctx, obj, opts...)
			}})
			h.emit(emit{0, "Created", "n", false})
			if tries != tt.wantTries {
				t.Errorf("tried %d times, want %d", tries, tt.wantTries)
			}
			if got := len(h.events(t)); got != tt.wantCount {
				t.Errorf("wrote %d events, want %d", got, tt.wantCount)
			}
		})
	}
}

func TestFullQueueDropsEvents(t *testing.T) {
	h := newHarness(t, interceptor.Funcs{})
	if n := cap(h.rec.queue); n != queueCapacity {
		t.Errorf("queue holds %d events, want %d", n, queueCapacity)
	}
	// A short queue keeps the test fast; the capacity is checked above.
	const capacity = 10
	h.rec.queue = make(chan *occurrence, capacity)
	var lines []string
	h.rec.log = funcr.New(func(prefix, args string) { lines = append(lines, args) }, funcr.Options{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range capacity + 5 {
			h.rec.Eventf(configMap(), nil, corev1.EventTypeNormal, "Created", "Reconcile", "event %d", i)
		}
	}()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("Eventf blocked on a full queue")
	}
	if n := len(h.rec.queue); n != capacity {
		t.Errorf("queued %d events, want %d", n, capacity)
	}
	if n := h.rec.dropped.Load(); n != 5 {
		t.Errorf("dropped %d events, want 5", n)
	}
	// A minute later the next drop reports all those since the last report.
	h.clock.SetTime(t0.Add(dropLogInterval))
	h.rec.Eventf(configMap(), nil, corev1.EventTypeNormal, "Created", "Reconcile", "late")
	want := []string{
		`"level"=0 "msg"="Dropping events: the queue is full" "dropped"=1 "reason"="Created"`,
		`"level"=0 "msg"="Dropping events: the queue is full" "dropped"=5 "reason"="Created"`,
	}
	if diff := cmp.Diff(want, lines); diff != "" {
		t.Errorf("log lines (-want +got):\n%s", diff)
	}
	h.flush()
	if n := len(h.events(t)); n != capacity {
		t.Errorf("wrote %d events, want %d", n, capacity)
	}
}

func TestStartWritesUntilCancelled(t *testing.T) {
	h := newHarness(t, interceptor.Funcs{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stopped := make(chan error, 1)
	go func() { stopped <- h.rec.Start(ctx) }()

	h.rec.Eventf(configMap(), nil, corev1.EventTypeNormal, "Created", "Reconcile", "n")
	h.rec.Eventf(configMap(), nil, corev1.EventTypeNormal, "Created", "Reconcile", "n")
	deadline := time.Now().Add(30 * time.Second)
	for {
		got := summarize(h.events(t))
		if len(got) == 1 && got[0].Count == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("events %+v, want one with a count of 2", got)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := h.rec.Start(ctx); err == nil {
		t.Error("second Start succeeded; want an error")
	}
	cancel()
	select {
	case err := <-stopped:
		if err != nil {
			t.Errorf("Start returned %v, want nil", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Start did not return after its context ended")
	}
}

func TestNeedLeaderElection(t *testing.T) {
	if New(nil, nil, "c", "i").NeedLeaderElection() {
		t.Error("NeedLeaderElection is true; every replica must write its events")
	}
}

// TestStartWritesConcurrently: a burst is not written one Event at a time, or a slow API server
// would overflow the queue.
func TestStartWritesConcurrently(t *testing.T) {
	var mu sync.Mutex
	inFlight, most := 0, 0
	both := make(chan struct{})
	h := newHarness(t, interceptor.Funcs{Create: func(ctx context.Context, c client.WithWatch, obj client.Object, opts ...client.CreateOption) error {
		mu.Lock()
		inFlight++
		most = max(most, inFlight)
		if inFlight == 2 {
			close(both)
		}
		mu.Unlock()
		select { // hold the first write until the second one is under way
		case <-both:
		case <-time.After(10 * time.Second):
		}
		mu.Lock()
		inFlight--
		mu.Unlock()
		return c.Create(ctx, obj, opts...)
	}})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { _ = h.rec.Start(ctx) }()
	h.rec.Eventf(configMap(), nil, corev1.EventTypeNormal, "Created", "Reconcile", "one")
	h.rec.Eventf(configMap(), nil, corev1.EventTypeNormal, "Created", "Reconcile", "two")
	deadline := time.Now().Add(30 * time.Second)
	for len(h.events(t)) < 2 {
		if time.Now().After(deadline) {
			t.Fatal("the two events were not written")
		}
		time.Sleep(10 * time.Millisecond)
	}
	mu.Lock()
	defer mu.Unlock()
	if most < 2 {
		t.Errorf("at most %d write at once, want 2", most)
	}
}
