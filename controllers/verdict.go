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
	"errors"
	"fmt"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/internal/taskrouter"
)

// verdict is how one reconcile ended.
type verdict int

const (
	// progressing: work is under way, or the object waits for something that changes by itself
	// (a referenced object, a retry). Reconciling=True.
	progressing verdict = iota
	// ready: the remote object matches the spec. Ready=True.
	ready
	// drifted: ObserveOnly found TaskRouter differing from the spec; nothing is in progress and
	// nothing will be written. Ready=False, neither Reconciling nor Stalled.
	drifted
	// stalled: retrying cannot help until something changes (the spec, a Secret, TaskRouter). Stalled=True.
	stalled
	// released: the finalizer is gone and the object with it; nothing is written.
	released
)

// result is one reconcile's verdict with its reason and message; setConditions turns it into the
// three conditions and reconciler.requeue into the work queue's next step.
type result struct {
	verdict verdict
	reason  string
	message string
	// retry is a transient failure: the work queue retries it with exponential backoff.
	retry error
	// after, when set, replaces the drift-check period before the next look.
	after time.Duration
}

// problem is the one error type the controllers classify themselves (TaskRouter's errors are
// classified by the client): the object waits (a referenced object is missing or not ready; the
// watches bring it back) or is stalled (only a change of the spec, a Secret or TaskRouter helps).
type problem struct {
	stalled bool
	reason  string
	message string
}

func (p *problem) Error() string { return p.message }

// waiting is a problem that resolves by itself once a referenced object appears or becomes ready.
func waiting(reason, format string, args ...any) error {
	return &problem{reason: reason, message: fmt.Sprintf(format, args...)}
}

// stall is a problem only a change can fix: an invalid spec, a missing Secret key, a conflict.
func stall(reason, format string, args ...any) error {
	return &problem{stalled: true, reason: reason, message: fmt.Sprintf(format, args...)}
}

// stalledRetryPeriod is how long a Stalled object waits before one more try when nothing it
// watches changes: long enough to never storm TaskRouter.
var stalledRetryPeriod = 10 * time.Minute

// classify turns an error from any step into a result. Errors were classified once, where they
// arose (the TaskRouter client, the steps); here they only pick their condition.
func classify(step string, err error) result {
	var p *problem
	var tr *taskrouter.Error
	switch {
	case errors.As(err, &p) && p.stalled:
		return result{verdict: stalled, reason: p.reason, message: p.message, after: stalledRetryPeriod}
	case errors.As(err, &p):
		return result{verdict: progressing, reason: p.reason, message: p.message}
	case errors.Is(err, taskrouter.ErrInvalidCredentials):
		return result{verdict: stalled, reason: reasonCredentials, message: err.Error(), after: stalledRetryPeriod}
	case errors.Is(err, taskrouter.ErrInvalidRequest):
		return result{verdict: stalled, reason: reasonRejected, message: err.Error(), after: stalledRetryPeriod}
	case taskrouter.IsUnauthorized(err):
		return result{verdict: stalled, reason: reasonUnauthorized, after: stalledRetryPeriod,
			message: fmt.Sprintf("TaskRouter refused the credentials (%v): check the Workspace's credentials Secret and authMode", err)}
	case taskrouter.IsTerminal(err) && errors.As(err, &tr):
		return result{verdict: stalled, reason: reasonRejected, after: stalledRetryPeriod,
			message: fmt.Sprintf("TaskRouter rejected the %s: code %d: %s", lower(step), tr.Code, tr.Message)}
	default:
		return retrying(reasonRetrying, fmt.Errorf("%s: %w", lower(step), err))
	}
}

// retrying is a transient failure the work queue retries with backoff.
func retrying(reason string, err error) result {
	return result{verdict: progressing, reason: reason, message: err.Error(), retry: err}
}

func lower(s string) string {
	if s == "" {
		return s
	}
	b := []byte(s)
	if b[0] >= 'A' && b[0] <= 'Z' {
		b[0] += 'a' - 'A'
	}
	return string(b)
}

// setConditions writes Ready, Reconciling and Stalled, all three every time and each stamped with
// the generation, as kstatus and Flux read them. status.observedGeneration moves when a reconcile
// of this generation reached a conclusion (ready, stalled or drifted), so a kstatus reader sees
// Current or Failed for the spec it applied, never a stale verdict.
func setConditions(obj object, res result) {
	if res.verdict == released {
		return
	}
	st := obj.RemoteStatus()
	gen := obj.GetGeneration()
	set := func(condType string, on bool, message string) {
		status := metav1.ConditionFalse
		if on {
			status = metav1.ConditionTrue
		}
		meta.SetStatusCondition(&st.Conditions, metav1.Condition{Type: condType, Status: status, Reason: res.reason, Message: message, ObservedGeneration: gen})
	}
	set(trv1.ConditionReady, res.verdict == ready, res.message)
	inProgress, isStalled := res.verdict == progressing, res.verdict == stalled
	set(trv1.ConditionReconciling, inProgress, messageIf(inProgress, res.message))
	set(trv1.ConditionStalled, isStalled, messageIf(isStalled, res.message))
	if !inProgress {
		st.ObservedGeneration = gen
	}
}

func messageIf(on bool, message string) string {
	if on {
		return message
	}
	return ""
}
