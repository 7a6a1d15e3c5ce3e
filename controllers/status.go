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
