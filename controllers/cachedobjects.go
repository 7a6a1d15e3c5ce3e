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
	"unique"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/labels"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
)

// CacheOptions are the manager's cache settings this package relies on: the
// only Secrets cached (and watched) are the token Secrets the operator keeps,
// selected by their managed-by label, so users' Secrets never enter memory.
// Credentials are read with the uncached API reader.
//
// Cached objects carry neither managedFields nor kubectl's last-applied-configuration annotation:
// nothing here reads them, and at thousands of objects they are most of the cache's memory. The
// controllers therefore never write a whole object back (finalizers and status go in patches).
func CacheOptions() cache.Options {
	return cache.Options{
		ByObject: map[client.Object]cache.ByObject{
			&corev1.Secret{}:    {Label: labels.SelectorFromSet(labels.Set{ManagedByLabel: ManagedByValue})},
			&corev1.ConfigMap{}: {Label: labels.SelectorFromSet(labels.Set{ManagedByLabel: ManagedByValue})},
		},
		DefaultTransform: stripUnread,
	}
}

// lastAppliedAnnotation is where `kubectl apply` keeps the whole object it last applied.
const lastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration"

// stripUnread drops what the controllers never read before an object enters the cache.
func stripUnread(in any) (any, error) {
	obj, err := meta.Accessor(in)
	if err != nil {
		return in, nil
	}
	if obj.GetManagedFields() != nil {
		obj.SetManagedFields(nil)
	}
	if a := obj.GetAnnotations(); a[lastAppliedAnnotation] != "" {
		var kept map[string]string // nil when nothing is left: an empty map still costs its header
		for k, v := range a {
			if k != lastAppliedAnnotation {
				if kept == nil {
					kept = make(map[string]string, len(a)-1)
				}
				kept[k] = v
			}
		}
		obj.SetAnnotations(kept)
	}
	if o, ok := in.(client.Object); ok {
		shareStrings(o)
	}
	return in, nil
}

// shareStrings replaces the strings that most cached objects repeat (namespace, finalizer,
// condition types and reasons, policies, names referred to) with one shared copy. Each object is
// decoded on its own, so each held its own copies: about 300 bytes of a cached Worker's 1.7 KB.
// Strings unique to an object (names, SIDs, messages) are left alone: sharing them saves nothing.
func shareStrings(obj client.Object) {
	obj.SetNamespace(shared(obj.GetNamespace()))
	for i, f := range obj.GetFinalizers() {
		obj.GetFinalizers()[i] = shared(f)
	}
	if o, ok := obj.(object); ok {
		st := o.RemoteStatus()
		st.Origin = shared(st.Origin)
		for i := range st.Conditions {
			c := &st.Conditions[i]
			c.Type, c.Status, c.Reason = shared(c.Type), shared(c.Status), shared(c.Reason)
		}
	}
	switch o := obj.(type) {
	case *trv1.Worker:
		sharePolicies(&o.Spec.RemoteObjectPolicies)
		shareRef(&o.Spec.WorkspaceRef)
		shareRef(o.Spec.ActivityRef)
		o.Spec.AttributesPolicy, o.Spec.ActivityPolicy, o.Spec.ChannelPolicy = shared(o.Spec.AttributesPolicy), shared(o.Spec.ActivityPolicy), shared(o.Spec.ChannelPolicy)
		for i := range o.Spec.Channels {
			shareRef(o.Spec.Channels[i].ChannelRef)
			o.Spec.Channels[i].UniqueName = shared(o.Spec.Channels[i].UniqueName)
		}
		o.Status.ActivityName, o.Status.ActivitySID = shared(o.Status.ActivityName), shared(o.Status.ActivitySID)
		for i := range o.Status.Channels {
			o.Status.Channels[i].UniqueName = shared(o.Status.Channels[i].UniqueName)
		}
	case *trv1.TaskQueue:
		sharePolicies(&o.Spec.RemoteObjectPolicies)
		shareRef(&o.Spec.WorkspaceRef)
		shareRef(o.Spec.ReservationActivityRef)
		shareRef(o.Spec.AssignmentActivityRef)
		o.Spec.TaskOrder = shared(o.Spec.TaskOrder)
		o.Status.ReservationActivitySID, o.Status.AssignmentActivitySID = shared(o.Status.ReservationActivitySID), shared(o.Status.AssignmentActivitySID)
	case *trv1.Activity:
		sharePolicies(&o.Spec.RemoteObjectPolicies)
		shareRef(&o.Spec.WorkspaceRef)
	case *trv1.Workflow:
		sharePolicies(&o.Spec.RemoteObjectPolicies)
		shareRef(&o.Spec.WorkspaceRef)
	case *trv1.TaskChannel:
		sharePolicies(&o.Spec.RemoteObjectPolicies)
		shareRef(&o.Spec.WorkspaceRef)
	}
}

func sharePolicies(p *trv1.RemoteObjectPolicies) {
	p.AdoptionPolicy, p.DeletionPolicy, p.ManagementPolicy = shared(p.AdoptionPolicy), shared(p.DeletionPolicy), shared(p.ManagementPolicy)
}

func shareRef(r *trv1.LocalObjectReference) {
	if r != nil {
		r.Name = shared(r.Name)
	}
}

// shared is the one copy of s the process keeps (unique's handles are weak: a value no object
// holds any more is dropped).
func shared[S ~string](s S) S {
	if s == "" {
		return s
	}
	return S(unique.Make(string(s)).Value())
}
