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

package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
)

// The gauges below exist for the alerts in config/prometheus (docs/alerts.md).
// Times are exported as Unix timestamps rather than ages: an alert computes
// the age with time(), and a timestamp taken from status survives a restart of
// the manager, where a "for:" clause would start counting again.

// WaitAlertAnnotation on a TaskQueue opts it into the TaskQueueLongestWaitHigh
// alert: the alert fires when the queue's oldest waiting task is older than
// this duration (a Go duration such as "90s" or "2m").
const WaitAlertAnnotation = "taskrouter.operator.dev/longest-wait-alert"

// alerting are the collectors the alerts read besides the mirrored figures.
type alerting struct {
	// StalledSince is the Stalled condition's last transition per stalled object.
	StalledSince *prometheus.GaugeVec
	// TokenRenewAt and TokenExpiresAt describe each kept front-end token Secret.
	TokenRenewAt   *prometheus.GaugeVec
	TokenExpiresAt *prometheus.GaugeVec
	// RefreshSucceeded is when a workspace's statistics were last read in full.
	RefreshSucceeded *prometheus.GaugeVec
}

func newAlerting() alerting {
	ownerLabels := []string{"kind", "namespace", "name"}
	return alerting{
		StalledSince: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "taskrouter_operator_stalled_since_timestamp_seconds",
			Help: "When the object's Stalled condition became True (Unix time), by reason; absent while it is not Stalled."},
			append(ownerLabels, "reason")),
		TokenRenewAt: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "taskrouter_operator_token_secret_renew_at_timestamp_seconds",
			Help: "When the front-end token in the Secret is due for renewal (Unix time), by owner."}, append(ownerLabels, "secret")),
		TokenExpiresAt: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "taskrouter_operator_token_secret_expires_at_timestamp_seconds",
			Help: "When the front-end token in the Secret expires (Unix time), by owner."}, append(ownerLabels, "secret")),
		RefreshSucceeded: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "taskrouter_operator_statistics_last_success_timestamp_seconds",
			Help: "When a statistics refresh of the workspace last succeeded (Unix time)."}, []string{"namespace", "workspace"}),
	}
}

func (a alerting) collectors() []prometheus.Collector {
	return []prometheus.Collector{a.StalledSince, a.TokenRenewAt, a.TokenExpiresAt, a.RefreshSucceeded}
}

// SetConditions publishes whether the object of the given kind is Stalled,
// and since when, from the conditions just written to its status.
func (m *Metrics) SetConditions(kind, namespace, name string, conditions []metav1.Condition) {
	owner := prometheus.Labels{"kind": kind, "namespace": namespace, "name": name}
	stalled := meta.FindStatusCondition(conditions, trv1.ConditionStalled)
	if stalled == nil || stalled.Status != metav1.ConditionTrue {
		m.StalledSince.DeletePartialMatch(owner)
		return
	}
	// The reason may have changed while Stalled: keep one series per object.
	m.StalledSince.DeletePartialMatch(owner)
	m.StalledSince.With(prometheus.Labels{"kind": kind, "namespace": namespace, "name": name, "reason": stalled.Reason}).
		Set(float64(stalled.LastTransitionTime.Unix()))
}

// SetTokenSecret publishes when the token kept in the Secret secret for the
// object (kind, namespace, name) is due for renewal and when it expires.
func (m *Metrics) SetTokenSecret(kind, namespace, name, secret string, renewAt, expiresAt time.Time) {
	owner := prometheus.Labels{"kind": kind, "namespace": namespace, "name": name}
	m.TokenRenewAt.DeletePartialMatch(owner)
	m.TokenExpiresAt.DeletePartialMatch(owner)
	key := prometheus.Labels{"kind": kind, "namespace": namespace, "name": name, "secret": secret}
	m.TokenRenewAt.With(key).Set(float64(renewAt.Unix()))
	m.TokenExpiresAt.With(key).Set(float64(expiresAt.Unix()))
}

// ForgetObject deletes the alerting series of an object that is gone (its
// mirrored figures go by themselves: they are made at each scrape).
func (m *Metrics) ForgetObject(kind, namespace, name string) {
	m.StalledSince.DeletePartialMatch(prometheus.Labels{"kind": kind, "namespace": namespace, "name": name})
	m.ForgetTokenSecret(kind, namespace, name)
}

// ForgetTokenSecret deletes the token series of an object that no longer keeps a token Secret.
func (m *Metrics) ForgetTokenSecret(kind, namespace, name string) {
	owner := prometheus.Labels{"kind": kind, "namespace": namespace, "name": name}
	m.TokenRenewAt.DeletePartialMatch(owner)
	m.TokenExpiresAt.DeletePartialMatch(owner)
}
