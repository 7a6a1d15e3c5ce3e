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

package webhook

import (
	"context"
	"fmt"
	"net/http"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/webhook/admission"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/internal/validate"
)

// The paths the webhooks are served at: config/webhook/manifests.yaml and the chart's
// ValidatingWebhookConfiguration call them.
const (
	TaskQueuePath = "/validate-taskrouter-operator-dev-v1alpha1-taskqueue"
	WorkflowPath  = "/validate-taskrouter-operator-dev-v1alpha1-workflow"
)

// register serves each kind's expression check at its path.
func register(server interface{ Register(string, http.Handler) }, scheme *runtime.Scheme) {
	server.Register(TaskQueuePath, admission.WithValidator(scheme, expressions[*trv1.TaskQueue]{kind: "TaskQueue", check: validate.TaskQueue}))
	server.Register(WorkflowPath, admission.WithValidator(scheme, expressions[*trv1.Workflow]{kind: "Workflow", check: validate.Workflow}))
}

// expressions refuses an object of one kind whose expressions do not parse, with the error kubectl
// prints as `The TaskQueue "x" is invalid: spec.targetWorkers: Invalid value: ...: at position N`.
type expressions[T client.Object] struct {
	kind  string
	check func(T) field.ErrorList
}

func (v expressions[T]) ValidateCreate(_ context.Context, obj T) (admission.Warnings, error) {
	return nil, v.refusal(obj, v.check(obj))
}

// ValidateUpdate refuses only what the update breaks: an expression that was already bad, unchanged,
// is the reconcile's to report (Stalled, InvalidSpec), so an object stored before the webhook was
// installed can still be edited, fixed, or have its finalizer removed.
func (v expressions[T]) ValidateUpdate(_ context.Context, old, obj T) (admission.Warnings, error) {
	return nil, v.refusal(obj, introduced(v.check(old), v.check(obj)))
}

// ValidateDelete allows every delete; the webhook configuration does not send them.
func (v expressions[T]) ValidateDelete(context.Context, T) (admission.Warnings, error) {
	return nil, nil
}

func (v expressions[T]) refusal(obj T, errs field.ErrorList) error {
	if len(errs) == 0 {
		return nil
	}
	return apierrors.NewInvalid(trv1.GroupVersion.WithKind(v.kind).GroupKind(), obj.GetName(), errs)
}

// introduced is the errors of after that before does not have: the same field with the same bad value.
func introduced(before, after field.ErrorList) field.ErrorList {
	type key struct{ field, value string }
	known := map[key]bool{}
	for _, e := range before {
		known[key{e.Field, fmt.Sprint(e.BadValue)}] = true
	}
	var out field.ErrorList
	for _, e := range after {
		if !known[key{e.Field, fmt.Sprint(e.BadValue)}] {
			out = append(out, e)
		}
	}
	return out
}
