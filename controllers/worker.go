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
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/internal/capability"
	"github.com/taskrouter-operator/taskrouter-operator/internal/metrics"
	"github.com/taskrouter-operator/taskrouter-operator/internal/taskrouter"
)

// maxAttributesLength is TaskRouter's limit on a worker's attributes as JSON.
const maxAttributesLength = 4096

// +kubebuilder:rbac:groups=taskrouter.operator.dev,resources=workers,verbs=get;list;watch;update;patch
// +kubebuilder:rbac:groups=taskrouter.operator.dev,resources=workers/status,verbs=get;update;patch
// +kubebuilder:rbac:groups=taskrouter.operator.dev,resources=workers/finalizers,verbs=update

// workerAdapter maps a Worker resource to a TaskRouter Worker. Attributes are compared as JSON
// documents: the whole document (attributesPolicy Replace) or only the keys the spec sets (Merge).
// The activity is set at create and, with activityPolicy Enforce, kept; with Initial an agent's own
// change stands. The listed channels are its subresources (workerchannels.go). Names are unique
// regardless of case, as TaskRouter enforces them. It publishes the worker's live activity, mirrors
// its statistics when opted in, and keeps the agent's front-end token Secret.
type workerAdapter struct{}

func (workerAdapter) kind() string               { return "Worker" }
func (workerAdapter) newObject() *trv1.Worker    { return &trv1.Worker{} }
func (workerAdapter) newList() client.ObjectList { return &trv1.WorkerList{} }
func (workerAdapter) caseInsensitive()           {}

func (workerAdapter) references(w *trv1.Worker) []reference {
	refs := []reference{{kind: "Workspace", name: w.Spec.WorkspaceRef.Name}}
	if w.Spec.ActivityRef != nil {
		refs = append(refs, reference{kind: "Activity", name: w.Spec.ActivityRef.Name})
	}
	for _, ch := range w.Spec.Channels {
		if ch.ChannelRef != nil {
			refs = append(refs, reference{kind: "TaskChannel", name: ch.ChannelRef.Name})
		}
	}
	return refs
}

func (workerAdapter) collection(c connection) remoteCollection[taskrouter.Worker, taskrouter.WorkerParams] {
	return c.objects.Workers()
}

func (workerAdapter) identify(r taskrouter.Worker) identity {
	return identity{sid: r.SID, name: r.FriendlyName}
}

func (workerAdapter) adoptionName(w *trv1.Worker) string { return w.RemoteSpec().FriendlyName }

// needsFetch: TaskRouter lists workers without their attributes, so a worker whose spec sets them
// is compared with a fetched record, read again only when its date_updated moved.
func (workerAdapter) needsFetch(w *trv1.Worker) bool { return w.Spec.Attributes != nil }

func (workerAdapter) version(r taskrouter.Worker) time.Time { return r.DateUpdated }

// complete takes the attributes (and the ETag of that read) from a fetched worker; everything else,
// the live activity included, comes from the listing.
func (workerAdapter) complete(listed, fetched taskrouter.Worker) taskrouter.Worker {
	listed.Attributes, listed.ETag = fetched.Attributes, fetched.ETag
	return listed
}

// validate refuses attributes TaskRouter would refuse for their size, before anything is sent.
func (workerAdapter) validate(w *trv1.Worker) error {
	if w.Spec.Attributes != nil && len(w.Spec.Attributes.Raw) > maxAttributesLength {
		return stall(reasonInvalidSpec, "spec.attributes is %d characters as JSON; TaskRouter allows at most %d", len(w.Spec.Attributes.Raw), maxAttributesLength)
	}
	return nil
}

func (workerAdapter) render(ctx context.Context, refs *resolver, _ connection, w *trv1.Worker) (desired[taskrouter.Worker, taskrouter.WorkerParams], error) {
	d := workerDesired{name: w.RemoteSpec().FriendlyName, enforce: w.Spec.ActivityPolicy == trv1.ActivityEnforce,
		merge: w.Spec.AttributesPolicy == trv1.AttributesMerge}
	if w.Spec.Attributes != nil {
		attrs := string(w.Spec.Attributes.Raw)
		d.attributes = &attrs
	}
	sid, err := refs.activitySID(ctx, w, w.Spec.ActivityRef, "spec.activityRef")
	if err != nil {
		return nil, err
	}
	if sid != "" {
		d.activity = &sid
	}
	return d, nil
}

func (workerAdapter) mirror(w *trv1.Worker, r taskrouter.Worker) {
	w.Status.ActivitySID = r.ActivitySID
	w.Status.ActivityName = r.ActivityName
	w.Status.Available = &r.Available
	if !r.DateStatusChanged.IsZero() {
		// Status holds whole seconds; a finer time would look like a change on every pass.
		t := metav1.NewTime(r.DateStatusChanged.UTC().Truncate(time.Second))
		w.Status.ActivityChangedAt = &t
	}
}

// workerDesired is a Worker's rendered spec.
type workerDesired struct {
	name       string
	attributes *string
	activity   *string
	enforce    bool
	// merge: only the keys of attributes are owned (attributesPolicy Merge).
	merge bool
}

func (d workerDesired) create() taskrouter.WorkerParams {
	return taskrouter.WorkerParams{FriendlyName: &d.name, Attributes: d.attributes, ActivitySID: d.activity}
}

// diff guards the update with If-Match: an agent changing activity, or a login rewriting attributes,
// in between makes it a 412, retried against the fresh state rather than overwriting it.
func (d workerDesired) diff(r taskrouter.Worker) change[taskrouter.WorkerParams] {
	c := change[taskrouter.WorkerParams]{update: taskrouter.WorkerParams{IfMatch: r.ETag}}
	if r.FriendlyName != d.name {
		c.fields, c.update.FriendlyName = append(c.fields, "friendlyName"), &d.name
	}
	switch {
	case d.attributes == nil:
	case d.merge:
		c = d.mergeAttributes(r, c)
	case !sameJSON(*d.attributes, r.Attributes):
		c.fields, c.update.Attributes = append(c.fields, "attributes"), d.attributes
	}
	if d.enforce && d.activity != nil && *d.activity != r.ActivitySID {
		c.fields, c.update.ActivitySID = append(c.fields, "activityRef"), d.activity
	}
	return c
}

// mergeAttributes compares only the owned keys and, when one differs, sends the remote document with
// the owned keys put in: TaskRouter replaces attributes whole, and every other key must survive as it is.
func (d workerDesired) mergeAttributes(r taskrouter.Worker, c change[taskrouter.WorkerParams]) change[taskrouter.WorkerParams] {
	same, err := ownedKeysMatch([]byte(r.Attributes), []byte(*d.attributes))
	if err == nil && same {
		return c
	}
	var merged []byte
	if err == nil {
		merged, err = mergeOwnedKeys([]byte(r.Attributes), []byte(*d.attributes))
	}
	c.fields = append(c.fields, "attributes")
	if err != nil {
		c.refused = stall(reasonAttributesNotMergeable, "attributesPolicy Merge: the attributes of Worker %s in TaskRouter are %s, not a JSON object, so the spec's keys cannot be merged in: make them an object in TaskRouter, or use attributesPolicy Replace",
			r.SID, jsonKind(r.Attributes))
		return c
	}
	if len(merged) > maxAttributesLength {
		c.refused = stall(reasonInvalidSpec, "attributesPolicy Merge: the attributes of Worker %s would be %d characters as JSON with spec.attributes merged in; TaskRouter allows at most %d",
			r.SID, len(merged), maxAttributesLength)
		return c
	}
	c.update.Attributes = taskrouter.Ptr(string(merged))
	return c
}

// Statistics: opt-in, one call per worker and refresh; the live activity is published from the
// status on every pass, at no TaskRouter cost.

func (workerAdapter) statisticsOptIn() {}

func (workerAdapter) statisticsSpec(w *trv1.Worker) *trv1.StatisticsSpec { return w.Spec.Statistics }

func (workerAdapter) planStatistics(w *trv1.Worker, p *statsPlan, minutes int) {
	p.workers[w.Status.SID] = minutes
}

func (workerAdapter) mirrorStatistics(w *trv1.Worker, res statsResult, minutes int, now time.Time) (bool, bool) {
	s, ok := res.workers[w.Status.SID]
	if !ok {
		return false, false
	}
	return true, replaceStatistics(&w.Status.Statistics, workerStatistics(s, minutes), now)
}

// workerStatistics turns TaskRouter's worker statistics into the status type.
func workerStatistics(s taskrouter.WorkerStatistics, minutes int) *trv1.WorkerStatistics {
	c := s.Cumulative
	var durations []trv1.ActivityDuration
	for _, d := range c.ActivityDurations {
		durations = append(durations, trv1.ActivityDuration{FriendlyName: d.FriendlyName, SID: d.SID, TotalSeconds: seconds(d.Total)})
	}
	return &trv1.WorkerStatistics{
		StatisticsWindow: trv1.StatisticsWindow{Minutes: int32(minutes)},
		Cumulative:       &trv1.WorkerCumulative{ActivityDurations: durations, ReservationCounts: reservationCounts(c.ReservationCounts)},
	}
}

func (workerAdapter) publishStatistics(m *metrics.Figures, w *trv1.Worker, o metrics.Object) {
	s := w.Status.Statistics
	if s == nil || s.Cumulative == nil {
		return
	}
	for _, d := range s.Cumulative.ActivityDurations {
		m.WorkerActivitySeconds.With(o, "activity", d.FriendlyName).Set(float64(d.TotalSeconds))
	}
}

// publishLive exports the worker's live activity and availability from its status.
func (workerAdapter) publishLive(m *metrics.Figures, w *trv1.Worker, o metrics.Object) {
	if w.Status.ActivityName == "" {
		return
	}
	available := 0.0
	if w.Status.Available != nil && *w.Status.Available {
		available = 1
	}
	m.WorkerAvailable.With(o, "activity", w.Status.ActivityName).Set(available)
}

// Front-end token: the worker policy set of TaskRouter.js plus the listed capabilities.

func (workerAdapter) tokenSecret(w *trv1.Worker) (string, *metav1.Duration) {
	if w.Spec.TokenSecret == nil {
		return "", nil
	}
	return w.Spec.TokenSecret.Name, w.Spec.TokenSecret.TTL
}

func (workerAdapter) tokenStatus(w *trv1.Worker) **trv1.TokenSecretStatus {
	return &w.Status.TokenSecret
}

func (workerAdapter) tokenPolicies(urls capability.URLs, w *trv1.Worker, wsSID string) ([]capability.Policy, error) {
	caps := capabilitiesAs[capability.WorkerCapability](w.Spec.TokenSecret.Capabilities)
	return urls.WorkerPolicies(wsSID, w.Status.SID, caps...)
}
