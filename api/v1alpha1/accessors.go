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

package v1alpha1

// The accessors below let the shared reconcile core read the fields every kind
// has without reflection. Each kind answers for itself in a few lines.

// RemoteObjectSpec is what the reconcile core reads from any kind's spec.
type RemoteObjectSpec struct {
	// FriendlyName is spec.friendlyName, or metadata.name when unset.
	FriendlyName string
	// SID is spec.sid: adopt exactly this remote object.
	SID string
	// Policies are the adoption, deletion and management policies.
	Policies RemoteObjectPolicies
}

func remoteSpec(name, friendlyName, sid string, p RemoteObjectPolicies) RemoteObjectSpec {
	if friendlyName == "" {
		friendlyName = name
	}
	if p.AdoptionPolicy == "" {
		p.AdoptionPolicy = AdoptOrCreate
	}
	if p.ManagementPolicy == "" {
		p.ManagementPolicy = Manage
	}
	return RemoteObjectSpec{FriendlyName: friendlyName, SID: sid, Policies: p}
}

// EffectiveDeletionPolicy resolves an unset deletion policy: Delete for objects the
// operator created, Orphan for adopted ones (and for ones whose origin is unknown).
func (s RemoteObjectSpec) EffectiveDeletionPolicy(origin Origin) DeletionPolicy {
	if s.Policies.DeletionPolicy != "" {
		return s.Policies.DeletionPolicy
	}
	if origin == OriginCreated {
		return DeletionDelete
	}
	return DeletionOrphan
}

// RemoteSpec returns the fields every kind has.
func (w *Workspace) RemoteSpec() RemoteObjectSpec {
	return remoteSpec(w.Name, w.Spec.FriendlyName, w.Spec.SID, w.Spec.RemoteObjectPolicies)
}

// RemoteStatus returns the status fields every kind has.
func (w *Workspace) RemoteStatus() *RemoteObjectStatus { return &w.Status.RemoteObjectStatus }

// RemoteSpec returns the fields every kind has.
func (a *Activity) RemoteSpec() RemoteObjectSpec {
	return remoteSpec(a.Name, a.Spec.FriendlyName, a.Spec.SID, a.Spec.RemoteObjectPolicies)
}

// RemoteStatus returns the status fields every kind has.
func (a *Activity) RemoteStatus() *RemoteObjectStatus { return &a.Status.RemoteObjectStatus }

// WorkspaceName names the Workspace the Activity belongs to.
func (a *Activity) WorkspaceName() string { return a.Spec.WorkspaceRef.Name }

// RemoteSpec returns the fields every kind has.
func (q *TaskQueue) RemoteSpec() RemoteObjectSpec {
	return remoteSpec(q.Name, q.Spec.FriendlyName, q.Spec.SID, q.Spec.RemoteObjectPolicies)
}

// RemoteStatus returns the status fields every kind has.
func (q *TaskQueue) RemoteStatus() *RemoteObjectStatus { return &q.Status.RemoteObjectStatus }

// WorkspaceName names the Workspace the TaskQueue belongs to.
func (q *TaskQueue) WorkspaceName() string { return q.Spec.WorkspaceRef.Name }

// RemoteSpec returns the fields every kind has.
func (w *Workflow) RemoteSpec() RemoteObjectSpec {
	return remoteSpec(w.Name, w.Spec.FriendlyName, w.Spec.SID, w.Spec.RemoteObjectPolicies)
}

// RemoteStatus returns the status fields every kind has.
func (w *Workflow) RemoteStatus() *RemoteObjectStatus { return &w.Status.RemoteObjectStatus }

// WorkspaceName names the Workspace the Workflow belongs to.
func (w *Workflow) WorkspaceName() string { return w.Spec.WorkspaceRef.Name }

// RemoteSpec returns the fields every kind has.
func (w *Worker) RemoteSpec() RemoteObjectSpec {
	return remoteSpec(w.Name, w.Spec.FriendlyName, w.Spec.SID, w.Spec.RemoteObjectPolicies)
}

// RemoteStatus returns the status fields every kind has.
func (w *Worker) RemoteStatus() *RemoteObjectStatus { return &w.Status.RemoteObjectStatus }

// WorkspaceName names the Workspace the Worker belongs to.
func (w *Worker) WorkspaceName() string { return w.Spec.WorkspaceRef.Name }

// RemoteSpec returns the fields every kind has. FriendlyName is what a new channel is named; an
// adopted channel's name is compared only when spec.friendlyName is set (adoption goes by UniqueName).
func (c *TaskChannel) RemoteSpec() RemoteObjectSpec {
	return remoteSpec(c.Name, c.Spec.FriendlyName, c.Spec.SID, c.Spec.RemoteObjectPolicies)
}

// RemoteStatus returns the status fields every kind has.
func (c *TaskChannel) RemoteStatus() *RemoteObjectStatus { return &c.Status.RemoteObjectStatus }

// WorkspaceName names the Workspace the TaskChannel belongs to.
func (c *TaskChannel) WorkspaceName() string { return c.Spec.WorkspaceRef.Name }

// UniqueName is spec.uniqueName, or metadata.name when unset: the name TaskRouter, tasks and worker
// channels know the channel by, and the one adoption matches.
func (c *TaskChannel) UniqueName() string {
	if c.Spec.UniqueName != "" {
		return c.Spec.UniqueName
	}
	return c.Name
}

// StatusSnapshot returns the status, for comparing before and after a reconcile.
func (w *Workspace) StatusSnapshot() any { return w.Status }

// StatusSnapshot returns the status, for comparing before and after a reconcile.
func (a *Activity) StatusSnapshot() any { return a.Status }

// StatusSnapshot returns the status, for comparing before and after a reconcile.
func (q *TaskQueue) StatusSnapshot() any { return q.Status }

// StatusSnapshot returns the status, for comparing before and after a reconcile.
func (w *Workflow) StatusSnapshot() any { return w.Status }

// StatusSnapshot returns the status, for comparing before and after a reconcile.
func (w *Worker) StatusSnapshot() any { return w.Status }

// StatusSnapshot returns the status, for comparing before and after a reconcile.
func (c *TaskChannel) StatusSnapshot() any { return c.Status }

// Window returns the window part of any statistics type that embeds it, so code that handles every
// kind's statistics alike can stamp and compare it without knowing the kind.
func (w *StatisticsWindow) Window() *StatisticsWindow { return w }
