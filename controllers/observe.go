package controllers

import (
	"context"
	"fmt"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/internal/taskrouter"
)

// observe finds the remote object of run.obj, creating it when the policies
// allow and nothing is there. found is false when the reconcile ends here (with out).
//
// The rule that prevents duplicate creates: status.createAttemptedAt is written
// to the API server before TaskRouter is asked to create. If the create's answer
// is lost (a timeout, a 500 after commit, a crash before the SID was saved), the
// next pass finds the object by friendly name and, because an attempt is on
// record, claims it as its own creation instead of creating another.
func (run *reconcileRun[T, R]) observe(ctx context.Context, b binding[T, R]) (remote R, out outcome, found bool) {
	st := run.obj.RemoteStatus()
	spec := run.obj.RemoteSpec()

	if sid := knownSID(st, spec); sid != "" {
		remote, err := b.fetch(ctx, sid)
		switch {
		case err == nil:
			if err := run.claim(ctx, b.sid(remote), originFor(st, spec)); err != nil {
				return remote, classify("Adopt", err), false
			}
			return remote, outcome{}, true
		case !taskrouter.IsNotFound(err):
			return remote, classify("Fetch", err), false
		case spec.SID != "":
			return remote, classify("Fetch", stall("NotFound", "spec.sid %s does not exist in TaskRouter: correct spec.sid or remove it to adopt or create by name", spec.SID)), false
		case spec.Policies.ManagementPolicy == trv1.ObserveOnly:
			return remote, outcome{stalled: true, reason: "RemoteObjectMissing", requeueAfter: stalledRetryPeriod,
				message: fmt.Sprintf("%s %s was deleted outside the operator; ObserveOnly does not recreate it", run.adapter.kind(), sid)}, false
		}
		// Deleted out of band: forget it and fall through to create a new one.
		run.event("Warning", "RemoteObjectMissing", "Observe", "%s %s was deleted outside the operator; recreating", run.adapter.kind(), sid)
		st.SID, st.Origin, st.CreateAttemptedAt = "", "", nil
	}
	return run.findOrCreate(ctx, b)
}

// findOrCreate adopts the one remote object with the friendly name, or creates one.
func (run *reconcileRun[T, R]) findOrCreate(ctx context.Context, b binding[T, R]) (remote R, out outcome, found bool) {
	st := run.obj.RemoteStatus()
	spec := run.obj.RemoteSpec()
	matches, err := b.findByName(ctx, spec.FriendlyName)
	if err != nil {
		return remote, classify("List", err), false
	}
	switch {
	case len(matches) > 1:
		sids := make([]string, len(matches))
		for i, m := range matches {
			sids[i] = b.sid(m)
		}
		return remote, classify("Adopt", stall("Ambiguous", "%d remote objects are named %q (%s): set spec.sid to the one to adopt, or rename one",
			len(matches), spec.FriendlyName, strings.Join(sids, ", "))), false
	case len(matches) == 1:
		remote = matches[0]
		origin := trv1.OriginAdopted
		if st.CreateAttemptedAt != nil {
			origin = trv1.OriginCreated // our own create whose answer was lost
		} else if spec.Policies.AdoptionPolicy == trv1.CreateOnly {
			return remote, classify("Adopt", stall("AlreadyExists", "%s %q already exists as %s and adoptionPolicy is CreateOnly: rename it, or allow adoption",
				run.adapter.kind(), spec.FriendlyName, b.sid(remote))), false
		}
		if err := run.claim(ctx, b.sid(remote), origin); err != nil {
			return remote, classify("Adopt", err), false
		}
		if origin == trv1.OriginAdopted {
			run.event("Normal", "Adopted", "Adopt", "adopted existing %s %s named %q", run.adapter.kind(), b.sid(remote), spec.FriendlyName)
		}
		return remote, outcome{}, true
	case spec.Policies.AdoptionPolicy == trv1.AdoptOnly || spec.Policies.ManagementPolicy == trv1.ObserveOnly:
		return remote, outcome{reason: "WaitingForRemoteObject",
			message: fmt.Sprintf("no %s named %q in TaskRouter; this resource never creates one (adoptionPolicy %s, managementPolicy %s)",
				run.adapter.kind(), spec.FriendlyName, spec.Policies.AdoptionPolicy, spec.Policies.ManagementPolicy)}, false
	}
	return run.create(ctx, b)
}

// create records the intent, then creates the remote object.
func (run *reconcileRun[T, R]) create(ctx context.Context, b binding[T, R]) (remote R, out outcome, found bool) {
	st := run.obj.RemoteStatus()
	if st.CreateAttemptedAt == nil {
		before := run.obj.DeepCopyObject().(T)
		now := metav1.NewTime(run.env.now())
		st.CreateAttemptedAt = &now
		if err := run.env.kube.Status().Patch(ctx, run.obj, client.MergeFrom(before)); err != nil {
			return remote, retryOutcome("RecordingCreate", fmt.Errorf("record create attempt: %w", err)), false
		}
	}
	remote, err := b.create(ctx)
	if err != nil {
		return remote, classify("Create", err), false
	}
	st.SID, st.Origin, st.CreateAttemptedAt = b.sid(remote), trv1.OriginCreated, nil
	run.event("Normal", "Created", "Create", "created %s %s named %q", run.adapter.kind(), st.SID, run.obj.RemoteSpec().FriendlyName)
	return remote, outcome{}, true
}

// claim records sid as this resource's remote object, unless another resource
// of the same kind already claims it: two resources writing one remote object
// would undo each other's changes forever, so the younger one stalls instead.
func (run *reconcileRun[T, R]) claim(ctx context.Context, sid string, origin trv1.Origin) error {
	if other, err := run.env.claimant(ctx, run.adapter.newList(), run.obj, sid); err != nil {
		return err
	} else if other != "" {
		return stall("Conflict", "%s %s is already managed by %s %s: only one resource may own a remote object; delete one of them or point it elsewhere",
			run.adapter.kind(), sid, run.adapter.kind(), other)
	}
	st := run.obj.RemoteStatus()
	if st.SID != sid || st.Origin == "" {
		st.SID, st.Origin = sid, origin
	}
	st.CreateAttemptedAt = nil
	return nil
}

func knownSID(st *trv1.RemoteObjectStatus, spec trv1.RemoteObjectSpec) string {
	if spec.SID != "" {
		return spec.SID
	}
	return st.SID
}

func originFor(st *trv1.RemoteObjectStatus, spec trv1.RemoteObjectSpec) trv1.Origin {
	if st.Origin != "" && (spec.SID == "" || spec.SID == st.SID) {
		return st.Origin
	}
	return trv1.OriginAdopted
}
