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

	"sigs.k8s.io/controller-runtime/pkg/client"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
)

// object is what every kind of this operator is: a Kubernetes object with the remote-object fields
// in its spec and status.
type object interface {
	client.Object
	RemoteSpec() trv1.RemoteObjectSpec
	RemoteStatus() *trv1.RemoteObjectStatus
	StatusSnapshot() any
}

// childObject is an object that lives inside a Workspace (every kind but Workspace).
type childObject interface {
	object
	WorkspaceName() string
}

// adapter is everything the reconcile core needs to know about one kind: T is the custom resource,
// R the TaskRouter record and P its write parameters. Each kind has one file implementing it, with
// the optional capabilities below next to it, so a kind reads from its file alone.
type adapter[T object, R any, P any] interface {
	// kind is the kind's name, for messages, Events and reference keys.
	kind() string
	newObject() T
	newList() client.ObjectList
	// references lists the objects obj names (its Workspace, Activities, TaskQueues), so a change
	// to any of them brings obj back to the work queue.
	references(obj T) []reference
	// collection is where obj's remote objects live in a connected account or workspace.
	collection(c connection) remoteCollection[R, P]
	// render resolves obj's references and returns its desired remote state. A referenced object
	// that is missing or not ready is a waiting problem; one that cannot be right a stall.
	render(ctx context.Context, refs *resolver, c connection, obj T) (desired[R, P], error)
	// identify reads a remote object's SID and the name adoption matches.
	identify(remote R) identity
	// adoptionName is the name obj adopts an existing remote object by: its friendly name for most
	// kinds, compared exactly (or regardless of case, see caseInsensitiveNames) with identity.name.
	adoptionName(obj T) string
	// mirror copies the live fields users read into obj's status.
	mirror(obj T, remote R)
}

// remoteCollection is one kind's objects in TaskRouter (taskrouter.Collection), the only way the
// core reaches them; a step test replaces it with function fields.
type remoteCollection[R any, P any] interface {
	Create(ctx context.Context, p P) (R, error)
	Fetch(ctx context.Context, sid string) (R, error)
	Update(ctx context.Context, sid string, p P) (R, error)
	Delete(ctx context.Context, sid string) error
	List(ctx context.Context, friendlyName string) ([]R, error)
}

// identity is what the core reads of any remote object.
type identity struct {
	sid  string
	name string
}

// desired is a resource's rendered spec: what to create, and how a remote object differs from it.
type desired[R any, P any] interface {
	create() P
	// diff names the fields of have that differ from the spec and an update that sends only those.
	diff(have R) change[P]
}

// change is an update that carries only the fields whose desired value differs from the observed
// one. No fields means the remote object is up to date.
type change[P any] struct {
	fields []string
	update P
	// refused, when set, is why the difference cannot be written (a field TaskRouter cannot change).
	refused error
}

// Optional capabilities, found by type assertion on the adapter or its desired state:

// validator checks obj's spec offline, before anything is read: a syntax error is reported with its
// field and position whatever else is missing.
type validator[T object] interface {
	validate(obj T) error
}

// caseInsensitiveNames is implemented by kinds whose names TaskRouter compares regardless of case.
type caseInsensitiveNames interface {
	caseInsensitive()
}

// subresources is implemented by kinds whose remote object has parts of its own that are
// reconciled after it (a Worker's channels): sync runs once the object itself is up to date, with
// first true on the pass that created or adopted it. It writes nothing under ObserveOnly, and
// mirrors what it read into obj's status.
type subresources[T object, R any] interface {
	syncSubresources(ctx context.Context, e *env, c connection, obj T, remote R, first bool) error
}

// partialLists is implemented by kinds whose list entries lack fields only a fetch returns (a
// Worker's attributes: TaskRouter lists them as null). An object whose spec compares such a field
// is fetched once, then again only when its version moved.
type partialLists[T object, R any] interface {
	partialRecords[R]
	// needsFetch says whether comparing obj with its remote object needs the fields lists lack.
	needsFetch(obj T) bool
}

// partialRecords completes listed records from fetched ones.
type partialRecords[R any] interface {
	// version changes whenever a remote object changes (date_updated, whole seconds).
	version(R) time.Time
	// complete is listed with the fields lists lack taken from fetched.
	complete(listed, fetched R) R
}

// aggregate is implemented by kinds that keep something made of their children (a Workspace's
// ConfigMap of SIDs): their controller also hears, coalesced, when a child's SID changes, and
// watches the objects it owns of the kinds owned lists.
type aggregate interface {
	owned() []client.Object
}

// pendingReferences is implemented by a desired state that could be created before all its
// references resolved (a Workspace before its Activities): the object is not Ready until pending
// returns nil.
type pendingReferences interface {
	pending() error
}
