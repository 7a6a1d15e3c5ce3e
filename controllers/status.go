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

	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// writeStatus patches the status subresource of after, and only when the part of it a controller
// owns changed (part picks it: the whole status, status.statistics, status.tokenSecret), so a steady
// state costs no API server writes. Each controller writes only its own part, in a merge patch, so
// the three controllers of one object never overwrite each other. An object deleted meanwhile is
// not an error.
func writeStatus(ctx context.Context, kube client.Client, before, after client.Object, part func(client.Object) any) error {
	if equality.Semantic.DeepEqual(part(before), part(after)) {
		return nil
	}
	if err := kube.Status().Patch(ctx, after, client.MergeFrom(before)); err != nil && !apierrors.IsNotFound(err) {
		return fmt.Errorf("write status of %s: %w", client.ObjectKeyFromObject(after), err)
	}
	return nil
}
