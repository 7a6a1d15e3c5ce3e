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

// outcome is how one reconcile ended; setConditions turns it into the three
// conditions, and reconciler.result into the next step of the work queue.
type outcome struct {
	// ready: the remote object matches the spec.
	ready bool
	// stalled: retrying cannot help until something changes (the spec, a Secret, TaskRouter).
	stalled bool
	// concluded: neither ready nor stalled, but nothing is in progress either (ObserveOnly drift).
	concluded bool
	reason    string
	message   string
	// retry is a transient failure; the work queue retries it with exponential backoff.
	retry error
	// requeueAfter overrides the drift-check period for the next look.
	requeueAfter time.Duration
	// released: the finalizer is gone and the object with it.
	released bool
}

// waitError says a referenced object is not there or not ready yet. Watches on
// the referenced kinds bring the object back as soon as that changes.
type waitError struct {
	reason  string
	message string
}

func (e *waitError) Error() string { return e.message }

func waitFor(reason, format string, args ...any) error {
	return &waitError{reason: reason, message: fmt.Sprintf(format, args...)}
}

// stallError is a problem only a change can fix: an invalid spec the operator
// detects itself, a missing Secret key, a conflict with another resource.
type stallError struct {
	reason  string
	message string
}

func (e *stallError) Error() string { return e.message }

func stall(reason, format string, args ...any) error {
	return &stallError{reason: reason, message: fmt.Sprintf(format, args...)}
}

// Condition reasons a user may see, beyond the waitFor and stall ones named at their call sites.
const (
	reasonSynced        = "Synced"
	reasonUnauthorized  = "Unauthorized"
	reasonRejected      = "Rejected"
	reasonRetrying      = "RetryingAfterError"
	reasonCredentials   = "CredentialsInvalid"
	reasonDeleting      = "Deleting"
	reasonDeleteBlocked = "DeletionBlocked"
)

// stalledRetryPeriod is how long a Stalled object waits before one more try
// when nothing it watches changes: long enough to never storm TaskRouter.
var stalledRetryPeriod = 10 * time.Minute

// classify turns an error from any step into an outcome. Errors were classified
// once, where they arose (the TaskRouter client, the adapters); here they only
// pick their condition.
func classify(step string, err error) outcome {
	var wait *waitError
	var st *stallError
	var tr *taskrouter.Error
	switch {
	case errors.As(err, &wait):
		return outcome{reason: wait.reason, message: wait.message}
	case errors.As(err, &st):
		return outcome{stalled: true, reason: st.reason, message: st.message, requeueAfter: stalledRetryPeriod}
	case errors.Is(err, taskrouter.ErrInvalidCredentials):
		return outcome{stalled: true, reason: reasonCredentials, message: err.Error(), requeueAfter: stalledRetryPeriod}
	case errors.Is(err, taskrouter.ErrInvalidRequest):
		return outcome{stalled: true, reason: reasonRejected, message: err.Error(), requeueAfter: stalledRetryPeriod}
	case taskrouter.IsUnauthorized(err):
		return outcome{stalled: true, reason: reasonUnauthorized,
			message:      fmt.Sprintf("TaskRouter refused the credentials (%v): check the Workspace's credentials Secret and authMode", err),
			requeueAfter: stalledRetryPeriod}
	case taskrouter.IsTerminal(err) && errors.As(err, &tr):
		return outcome{stalled: true, reason: reasonRejected,
			message:      fmt.Sprintf("TaskRouter rejected the %s: code %d: %s", lower(step), tr.Code, tr.Message),
			requeueAfter: stalledRetryPeriod}
	default:
		return retryOutcome(reasonRetrying, fmt.Errorf("%s: %w", lower(step), err))
	}
}

func retryOutcome(reason string, err error) outcome {
	return outcome{reason: reason, message: err.Error(), retry: err}
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

// setConditions writes Ready, Reconciling and Stalled, all three every time and
// each stamped with the generation, as kstatus and Flux read them.
// status.observedGeneration moves when a reconcile of this generation reached a
// conclusion (Ready, Stalled, or observed drift), so a kstatus reader sees
// Current or Failed for the spec it applied, never a stale verdict.
func setConditions(obj object, out outcome) {
	if out.released {
		return
	}
	st := obj.RemoteStatus()
	gen := obj.GetGeneration()
	cond := func(t string, s metav1.ConditionStatus, reason, msg string) {
		meta.SetStatusCondition(&st.Conditions, metav1.Condition{Type: t, Status: s, Reason: reason, Message: msg, ObservedGeneration: gen})
	}
	switch {
	case out.ready:
		cond(trv1.ConditionReady, metav1.ConditionTrue, out.reason, out.message)
		cond(trv1.ConditionReconciling, metav1.ConditionFalse, out.reason, "")
		cond(trv1.ConditionStalled, metav1.ConditionFalse, out.reason, "")
		st.ObservedGeneration = gen
	case out.stalled:
		cond(trv1.ConditionReady, metav1.ConditionFalse, out.reason, out.message)
		cond(trv1.ConditionReconciling, metav1.ConditionFalse, out.reason, "")
		cond(trv1.ConditionStalled, metav1.ConditionTrue, out.reason, out.message)
		st.ObservedGeneration = gen
	case out.concluded:
		cond(trv1.ConditionReady, metav1.ConditionFalse, out.reason, out.message)
		cond(trv1.ConditionReconciling, metav1.ConditionFalse, out.reason, "")
		cond(trv1.ConditionStalled, metav1.ConditionFalse, out.reason, "")
		st.ObservedGeneration = gen
	default:
		cond(trv1.ConditionReady, metav1.ConditionFalse, out.reason, out.message)
		cond(trv1.ConditionReconciling, metav1.ConditionTrue, out.reason, out.message)
		cond(trv1.ConditionStalled, metav1.ConditionFalse, out.reason, "")
	}
}
