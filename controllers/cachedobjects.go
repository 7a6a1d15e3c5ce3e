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
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/labels"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
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
		kept := make(map[string]string, len(a)-1)
		for k, v := range a {
			if k != lastAppliedAnnotation {
				kept[k] = v
			}
		}
		obj.SetAnnotations(kept)
	}
	return in, nil
}
