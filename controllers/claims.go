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
	"fmt"
	"slices"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// Who owns a remote object. A remote object has at most one owner per account, whatever the
// namespace: SIDs are unique in TaskRouter, so two resources anywhere in the cluster that claim one
// SID claim one object, and two owners would rewrite each other's changes forever. The older
// resource (by creation time, then name) keeps it; the younger stalls with Conflict naming it.
//
// Two records answer "who claims this SID": the cache (spec.sid and status.sid of every resource,
// through the sid index), and, for claims made in this process so recently that their status is
// not written or cached yet (two resources of one name applied in one batch), the snapshot's
// owners.

// owner is a resource that claimed a remote object.
type owner struct {
	uid     types.UID
	key     types.NamespacedName
	created metav1.Time
}

func ownerOf(o client.Object) owner {
	return owner{uid: o.GetUID(), key: client.ObjectKeyFromObject(o), created: o.GetCreationTimestamp()}
}

// olderThan orders claimants: the first created, then the first by namespace and name.
func (o owner) olderThan(p owner) bool {
	if !o.created.Equal(&p.created) {
		return o.created.Before(&p.created)
	}
	return o.key.String() < p.key.String()
}

// name is how a Conflict message names the owner: its name, with its namespace when it is elsewhere.
func (o owner) name(from string) string {
	if o.key.Namespace == from {
		return o.key.Name
	}
	return o.key.String()
}

// claimant names another resource of the same kind, anywhere in the cluster, that claims sid and
// is older than run.obj; "" when there is none. A resource being deleted does not count.
func (run *pass[T, R, P]) claimant(ctx context.Context, v remoteObjects[R, P], sid string) (string, error) {
	me := ownerOf(run.obj)
	list := run.adapter.newList()
	// The cache's own objects, not copies: this runs on every pass, and only reads them.
	if err := run.env.kube.List(ctx, list, client.MatchingFields{sidIndex: sidBucket(sid)}, client.UnsafeDisableDeepCopy); err != nil {
		return "", fmt.Errorf("list resources claiming %s: %w", sid, err)
	}
	items, err := meta.ExtractList(list)
	if err != nil {
		return "", err
	}
	for _, item := range items {
		other, ok := item.(T)
		if !ok || other.GetUID() == me.uid || other.GetDeletionTimestamp() != nil || !claims(other, sid) {
			continue
		}
		if o := ownerOf(other); o.olderThan(me) {
			return o.name(me.key.Namespace), nil
		}
	}
	recent, ok := v.listing.ownerOf(sid)
	if !ok || recent.uid == me.uid || !recent.olderThan(me) {
		return "", nil
	}
	// Claimed in this process: it counts while that resource is still there.
	other := run.adapter.newObject()
	switch err := run.env.kube.Get(ctx, recent.key, other); {
	case apierrors.IsNotFound(err):
		return "", nil
	case err != nil:
		return "", fmt.Errorf("read %s, which claimed %s: %w", recent.key, sid, err)
	case other.GetUID() != recent.uid || other.GetDeletionTimestamp() != nil:
		return "", nil
	}
	return recent.name(me.key.Namespace), nil
}

// claims says whether obj names sid as its remote object, in its spec or its status.
func claims(obj object, sid string) bool {
	return obj.RemoteSpec().SID == sid || obj.RemoteStatus().SID == sid
}

// sidBucket is the key of the sid index: a SID's last three characters. An index keeps a set per
// key, and a set per SID cost about 450 bytes an object; 4,096 buckets keep the same objects in a
// tenth of that, and a lookup passes over the two or three others sharing the bucket.
func sidBucket(sid string) string { return sid[max(0, len(sid)-3):] }

// sidBuckets are the index keys of an object's SIDs, each once.
func sidBuckets(obj object) []string {
	var keys []string
	for _, sid := range []string{obj.RemoteSpec().SID, obj.RemoteStatus().SID} {
		if sid != "" && !slices.Contains(keys, sidBucket(sid)) {
			keys = append(keys, sidBucket(sid))
		}
	}
	return keys
}
