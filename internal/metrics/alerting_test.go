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
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/client_golang/prometheus"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/taskrouter-operator/taskrouter-operator/internal/metrics/metricstest"
)

func newMetrics(t *testing.T) (*Metrics, *prometheus.Registry) {
	t.Helper()
	reg := prometheus.NewRegistry()
	m, err := New(reg)
	if err != nil {
		t.Fatal(err)
	}
	return m, reg
}

func stalled(reason string, since int64) []metav1.Condition {
	return []metav1.Condition{
		{Type: "Ready", Status: metav1.ConditionFalse, Reason: reason},
		{Type: "Stalled", Status: metav1.ConditionTrue, Reason: reason, LastTransitionTime: metav1.Unix(since, 0)},
	}
}

func TestStalledSinceFollowsTheCondition(t *testing.T) {
	const name = "taskrouter_operator_stalled_since_timestamp_seconds"
	steps := []struct {
		name       string
		conditions []metav1.Condition
		want       []string
	}{
		{"stalled", stalled("InvalidSpec", 1700000000),
			[]string{name + "{kind=TaskQueue,name=support,namespace=cc,reason=InvalidSpec} 1700000000"}},
		{"still stalled for another reason: one series, the new reason", stalled("Rejected", 1700000060),
			[]string{name + "{kind=TaskQueue,name=support,namespace=cc,reason=Rejected} 1700000060"}},
		{"ready again", []metav1.Condition{{Type: "Ready", Status: metav1.ConditionTrue}, {Type: "Stalled", Status: metav1.ConditionFalse}}, nil},
		{"no conditions yet", nil, nil},
	}
	m, reg := newMetrics(t)
	for _, step := range steps {
		m.SetConditions("TaskQueue", "cc", "support", step.conditions)
		if diff := cmp.Diff(step.want, metricstest.Series(t, reg, name)); diff != "" {
			t.Fatalf("%s (-want +got):\n%s", step.name, diff)
		}
	}
	m.SetConditions("Worker", "cc", "alice", stalled("Conflict", 1700000000))
	m.ForgetObject("Worker", "cc", "alice")
	if got := metricstest.Series(t, reg, name); len(got) != 0 {
		t.Fatalf("after ForgetObject: %v", got)
	}
}

func TestTokenSecretTimes(t *testing.T) {
	m, reg := newMetrics(t)
	renew, expires := time.Unix(1700002880, 0), time.Unix(1700003600, 0)
	m.SetTokenSecret("Worker", "cc", "alice", "alice-token", renew, expires)
	// Renamed Secret: the old series goes.
	m.SetTokenSecret("Worker", "cc", "alice", "alice-token-2", renew.Add(time.Hour), expires.Add(time.Hour))
	m.SetTokenSecret("TaskQueue", "cc", "support", "wallboard", renew, expires)
	want := []string{
		"taskrouter_operator_token_secret_expires_at_timestamp_seconds{kind=TaskQueue,name=support,namespace=cc,secret=wallboard} 1700003600",
		"taskrouter_operator_token_secret_expires_at_timestamp_seconds{kind=Worker,name=alice,namespace=cc,secret=alice-token-2} 1700007200",
		"taskrouter_operator_token_secret_renew_at_timestamp_seconds{kind=TaskQueue,name=support,namespace=cc,secret=wallboard} 1700002880",
		"taskrouter_operator_token_secret_renew_at_timestamp_seconds{kind=Worker,name=alice,namespace=cc,secret=alice-token-2} 1700006480",
	}
	if diff := cmp.Diff(want, metricstest.Series(t, reg, "taskrouter_operator_token_secret_")); diff != "" {
		t.Fatalf("token series (-want +got):\n%s", diff)
	}
	m.ForgetTokenSecret("Worker", "cc", "alice")
	m.ForgetObject("TaskQueue", "cc", "support")
	if got := metricstest.Series(t, reg, "taskrouter_operator_token_secret_"); len(got) != 0 {
		t.Fatalf("after forgetting: %v", got)
	}
}

func TestQueueWaitThreshold(t *testing.T) {
	const name = "taskrouter_taskqueue_longest_task_waiting_age_threshold_seconds"
	q := Object{Namespace: "cc", Name: "support", SID: "WQ1", Workspace: "ws"}
	cases := []struct {
		name        string
		annotations map[string]string
		want        []string
		wantErr     string
	}{
		{"opted in", map[string]string{WaitAlertAnnotation: "2m"},
			[]string{name + "{name=support,namespace=cc,sid=WQ1,workspace=ws} 120"}, ""},
		{"not opted in", map[string]string{"other": "x"}, nil, ""},
		{"not a duration", map[string]string{WaitAlertAnnotation: "two minutes"}, nil, WaitAlertAnnotation},
		{"not positive", map[string]string{WaitAlertAnnotation: "0s"}, nil, "positive duration"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			reg := prometheus.NewRegistry()
			reg.MustRegister(FiguresCollector(func(f *Figures) { err = f.SetQueueWaitThreshold(q, tc.annotations) }))
			got := metricstest.Series(t, reg, name)
			if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Fatalf("threshold (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRefreshLastSuccess(t *testing.T) {
	const name = "taskrouter_operator_statistics_last_success_timestamp_seconds"
	m, reg := newMetrics(t)
	m.ObserveRefresh("cc", "failing", time.Millisecond, errors.New("503"))
	before := float64(time.Now().Unix())
	m.ObserveRefresh("cc", "healthy", time.Millisecond, nil)
	got := metricstest.Series(t, reg, name)
	if len(got) != 1 || !strings.HasPrefix(got[0], name+"{namespace=cc,workspace=healthy} ") {
		t.Fatalf("last-success series %v, want only the healthy workspace's", got)
	}
	families, _ := reg.Gather()
	for _, f := range families {
		if f.GetName() == name && f.GetMetric()[0].GetGauge().GetValue() < before {
			t.Fatalf("last success %v is before the refresh", f.GetMetric()[0].GetGauge().GetValue())
		}
	}
	if errs := metricstest.Series(t, reg, "taskrouter_operator_statistics_refresh_errors_total"); len(errs) != 1 || !strings.Contains(errs[0], "workspace=failing") {
		t.Fatalf("refresh errors %v, want the failing workspace's", errs)
	}
	m.ForgetWorkspace("cc", "healthy")
	if got := metricstest.Series(t, reg, name); len(got) != 0 {
		t.Fatalf("after ForgetWorkspace: %v", got)
	}
}
