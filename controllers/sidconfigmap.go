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
	"maps"
	"slices"
	"strings"
	"time"
	"unicode"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/util/workqueue"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/internal/taskrouter"
)

// The Workspace's ConfigMap of SIDs (spec.sidConfigMap): one key per object of the workspace, for
// the Studio flows, Functions and front ends that need SIDs, kept as objects are created, adopted,
// recreated or deleted. It is part of the Workspace's reconcile (a step after its own object), so a
// ConfigMap the operator may not write stalls the Workspace, naming it.

// +kubebuilder:rbac:groups="",resources=configmaps,verbs=get;list;watch;create;update;patch;delete

// workspaceLabel marks a kept ConfigMap with the Workspace it lists.
const workspaceLabel = "taskrouter.operator.dev/workspace"

// sidConfigMapDelay coalesces the children's SID changes into one write: a workspace being created
// gives its objects their SIDs within seconds of each other.
const sidConfigMapDelay = 2 * time.Second

func (workspaceAdapter) owned() []client.Object { return []client.Object{&corev1.ConfigMap{}} }

// syncSubresources keeps the ConfigMap of SIDs.
func (workspaceAdapter) syncSubresources(ctx context.Context, e *env, _ connection, ws *trv1.Workspace, remote taskrouter.Workspace, _ bool) error {
	want := ""
	if ws.Spec.SIDConfigMap != nil {
		want = ws.Spec.SIDConfigMap.Name
	}
	if kept := ws.Status.SIDConfigMap; kept != "" && kept != want {
		if err := deleteIfOwned(ctx, e.kube, ws, &corev1.ConfigMap{}, kept); err != nil {
			return err
		}
		ws.Status.SIDConfigMap = ""
	}
	if want == "" {
		return nil
	}
	data, err := sidEntries(ctx, e, ws, remote.SID)
	if err != nil {
		return err
	}
	if err := writeSIDConfigMap(ctx, e, ws, want, data); err != nil {
		return err
	}
	ws.Status.SIDConfigMap = want
	return nil
}

// writeSIDConfigMap creates or updates the ConfigMap when its data differ, and refuses to touch one
// the Workspace does not own.
func writeSIDConfigMap(ctx context.Context, e *env, ws *trv1.Workspace, name string, data map[string]string) error {
	key := types.NamespacedName{Namespace: ws.Namespace, Name: name}
	var cm corev1.ConfigMap
	err := e.kube.Get(ctx, key, &cm)
	switch {
	case apierrors.IsNotFound(err):
		cm = corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ws.Namespace,
			Labels: map[string]string{ManagedByLabel: ManagedByValue, workspaceLabel: ws.Name}}, Data: data}
		if err := controllerutil.SetControllerReference(ws, &cm, e.kube.Scheme()); err != nil {
			return fmt.Errorf("own ConfigMap %s: %w", name, err)
		}
		err = e.kube.Create(ctx, &cm)
		if !apierrors.IsAlreadyExists(err) {
			return err
		}
		// Not in the cache, yet there: one without the operator's label, which the cache never holds.
		// Read it directly to tell a user's ConfigMap from cache lag.
		if err := e.uncached.Get(ctx, key, &cm); err != nil {
			return fmt.Errorf("read ConfigMap %s: %w", key, err)
		}
	case err != nil:
		return fmt.Errorf("read ConfigMap %s: %w", key, err)
	}
	if !ownedBy(&cm, ws) {
		return stall(reasonConfigMapConflict, "spec.sidConfigMap: ConfigMap %q exists and is not owned by this Workspace: the operator never overwrites it; delete it or choose another name", name)
	}
	if maps.Equal(cm.Data, data) {
		return nil
	}
	cm.Data = data
	if err := e.kube.Update(ctx, &cm); err != nil {
		return fmt.Errorf("update ConfigMap %s: %w", key, err)
	}
	return nil
}

// sidEntries are the workspace's objects with a SID, by key: WORKSPACE_<NAME> for the Workspace,
// <KIND>_<NAME> for each object in it. Names that come out the same take _2, _3 ... in the order of
// their metadata names, so every pass writes the same keys.
func sidEntries(ctx context.Context, e *env, ws *trv1.Workspace, sid string) (map[string]string, error) {
	type entry struct{ key, name, sid string }
	entries := []entry{{sidKey("Workspace", ws.Name), ws.Name, sid}}
	for _, k := range e.kinds {
		if _, child := k.newObject().(childObject); !child {
			continue
		}
		list := k.newList()
		ref := reference{kind: "Workspace", name: ws.Name}.key()
		if err := e.kube.List(ctx, list, client.InNamespace(ws.Namespace), client.MatchingFields{referenceIndex: ref}); err != nil {
			return nil, fmt.Errorf("list %s of Workspace %s: %w", k.kind(), ws.Name, err)
		}
		items, _ := meta.ExtractList(list)
		for _, item := range items {
			if o, ok := item.(object); ok && o.RemoteStatus().SID != "" && o.GetDeletionTimestamp() == nil {
				entries = append(entries, entry{sidKey(k.kind(), o.GetName()), o.GetName(), o.RemoteStatus().SID})
			}
		}
	}
	slices.SortFunc(entries, func(a, b entry) int { return strings.Compare(a.key+"\x00"+a.name, b.key+"\x00"+b.name) })
	data := make(map[string]string, len(entries))
	for _, en := range entries {
		key := en.key
		for n := 2; data[key] != ""; n++ {
			key = fmt.Sprintf("%s_%d", en.key, n)
		}
		data[key] = en.sid
	}
	return data, nil
}

// sidKey is KIND_NAME in upper case, with every character but a letter or a digit turned into "_",
// which makes a valid ConfigMap key and environment variable name.
func sidKey(kind, name string) string {
	return strings.ToUpper(kind) + "_" + strings.Map(func(r rune) rune {
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return unicode.ToUpper(r)
		}
		return '_'
	}, name)
}

// childrenChanged brings back a child's Workspace a little later, so the SID changes of a batch of
// children cost one pass, not one each.
func childrenChanged() handler.EventHandler {
	add := func(o client.Object, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
		for _, req := range toWorkspace(context.Background(), o) {
			q.AddAfter(req, sidConfigMapDelay)
		}
	}
	return handler.Funcs{
		CreateFunc: func(_ context.Context, e event.CreateEvent, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
			add(e.Object, q)
		},
		UpdateFunc: func(_ context.Context, e event.UpdateEvent, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
			add(e.ObjectNew, q)
		},
		DeleteFunc: func(_ context.Context, e event.DeleteEvent, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
			add(e.Object, q)
		},
	}
}

// deleteIfOwned deletes the object named name when owner owns it; one it does not own is left alone.
func deleteIfOwned(ctx context.Context, kube client.Client, owner, target client.Object, name string) error {
	err := kube.Get(ctx, types.NamespacedName{Namespace: owner.GetNamespace(), Name: name}, target)
	if apierrors.IsNotFound(err) || (err == nil && !ownedBy(target, owner)) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	uid := target.GetUID()
	if err := kube.Delete(ctx, target, client.Preconditions{UID: &uid}); client.IgnoreNotFound(err) != nil {
		return fmt.Errorf("delete %s: %w", name, err)
	}
	return nil
}
