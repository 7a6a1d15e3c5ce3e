package controllers

import (
	"context"

	"sigs.k8s.io/controller-runtime/pkg/client"
)

// adapter is everything the reconcile core needs to know about one kind. Each
// kind has one small file implementing it, readable on its own.
type adapter[T object, R any] interface {
	// kind is the kind's name, for messages and events.
	kind() string
	newObject() T
	newList() client.ObjectList
	// references lists the objects obj names (its Workspace, Activities, TaskQueues),
	// so a change to any of them brings obj back to the work queue.
	references(obj T) []reference
	// connect reads the credentials and the referenced objects and returns a
	// binding to obj's remote object. A referenced object that is missing or not
	// ready is a waitError; an invalid spec a stallError.
	connect(ctx context.Context, env *env, obj T) (binding[T, R], error)
	// deleter returns the call that deletes obj's remote object. It needs only the
	// account, never the references, so deletion cannot wait on them.
	deleter(ctx context.Context, env *env, obj T) (deleteFunc, error)
}

// binding is one resource bound to its TaskRouter account and workspace, with its
// desired state rendered: the four verbs of crossplane's external client, plus
// the comparison and the status mirror.
type binding[T object, R any] interface {
	sid(remote R) string
	fetch(ctx context.Context, sid string) (R, error)
	// findByName returns the remote objects whose friendly name is exactly name.
	findByName(ctx context.Context, name string) ([]R, error)
	create(ctx context.Context) (R, error)
	// diff lists the fields that differ from the spec and how to send just those.
	diff(remote R) change[R]
	delete(ctx context.Context, sid string) error
	// mirror copies the live fields users read into obj's status.
	mirror(obj T, remote R)
}

// change is an update that carries only the fields whose desired value differs
// from the observed one. No fields means the remote object is up to date.
type change[R any] struct {
	fields []string
	apply  func(ctx context.Context) (R, error)
}

// reference names another object in the same namespace.
type reference struct {
	kind string // Workspace, Activity, TaskQueue
	name string
}

func (r reference) key() string { return r.kind + "/" + r.name }

// pendingReferences is implemented by a binding that could be created before
// all its references resolved (a Workspace before its Activities): the object
// is not Ready until pending returns nil.
type pendingReferences interface {
	pending() error
}
