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
	"bytes"
	"context"
	"fmt"

	admissionregistrationv1 "k8s.io/api/admissionregistration/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"
	"sigs.k8s.io/controller-runtime/pkg/source"
)

// rotator keeps the certificate Secret valid and the webhook configuration's caBundle equal to its
// CA bundle. It runs on the leader only (a controller needs leader election): replicas that each
// wrote a CA would overwrite each other's.
type rotator struct {
	objects client.Reader // the certificate cache: the Secret and the webhook configuration
	writer  client.Writer
	cert    Certificate
}

// addRotator reconciles on any change of the Secret or the webhook configuration (a `helm upgrade`
// or `kubectl apply` that empties the caBundle is repaired at once), and when a certificate is due.
func addRotator(mgr ctrl.Manager, objects cache.Cache, c Certificate) error {
	r := &rotator{objects: objects, writer: mgr.GetClient(), cert: c}
	only := reconcile.Request{NamespacedName: c.Secret}
	err := ctrl.NewControllerManagedBy(mgr).
		Named("webhook-certificate").
		WatchesRawSource(source.Kind(objects, &corev1.Secret{}, handler.TypedEnqueueRequestsFromMapFunc(
			func(context.Context, *corev1.Secret) []reconcile.Request { return []reconcile.Request{only} }))).
		WatchesRawSource(source.Kind(objects, &admissionregistrationv1.ValidatingWebhookConfiguration{}, handler.TypedEnqueueRequestsFromMapFunc(
			func(context.Context, *admissionregistrationv1.ValidatingWebhookConfiguration) []reconcile.Request {
				return []reconcile.Request{only}
			}))).
		Complete(r)
	if err != nil {
		return fmt.Errorf("set up the webhook certificate rotator: %w", err)
	}
	return nil
}

// Reconcile renews what is due, publishes the CA bundle to the webhook configuration, and only then
// writes the Secret the replicas serve from: the API server trusts a new CA before any replica
// presents a certificate it signed.
func (r *rotator) Reconcile(ctx context.Context, _ reconcile.Request) (reconcile.Result, error) {
	var secret corev1.Secret
	if err := r.objects.Get(ctx, r.cert.Secret, &secret); err != nil {
		if apierrors.IsNotFound(err) {
			return reconcile.Result{}, fmt.Errorf("the webhook certificate Secret %s does not exist: the install creates it empty; re-apply the install or create it with `kubectl create secret generic -n %s %s`",
				r.cert.Secret, r.cert.Secret.Namespace, r.cert.Secret.Name)
		}
		return reconcile.Result{}, fmt.Errorf("read the webhook certificate Secret %s: %w", r.cert.Secret, err)
	}
	now := r.cert.Now()
	next, renewAt, err := refresh(secret.Data, r.cert.Hosts, now)
	if err != nil {
		return reconcile.Result{}, fmt.Errorf("renew the webhook certificate: %w", err)
	}
	if err := r.publish(ctx, next[caCertKey]); err != nil {
		return reconcile.Result{}, err
	}
	if !sameData(secret.Data, next) {
		if secret.Data == nil {
			secret.Data = map[string][]byte{}
		}
		for k, v := range next {
			secret.Data[k] = v
		}
		if err := r.writer.Update(ctx, &secret); err != nil {
			return reconcile.Result{}, fmt.Errorf("write the webhook certificate Secret %s: %w", r.cert.Secret, err)
		}
		ctrl.LoggerFrom(ctx).Info("Renewed the webhook certificate", "secret", r.cert.Secret.String(), "renewAt", renewAt)
	}
	return reconcile.Result{RequeueAfter: max(renewAt.Sub(now), 0) + readyPoll}, nil
}

// publish sets bundle as the caBundle of every webhook of the configuration. A configuration that
// does not exist yet is not an error: its creation brings the next reconcile.
func (r *rotator) publish(ctx context.Context, bundle []byte) error {
	var config admissionregistrationv1.ValidatingWebhookConfiguration
	if err := r.objects.Get(ctx, client.ObjectKey{Name: r.cert.Configuration}, &config); err != nil {
		if apierrors.IsNotFound(err) {
			ctrl.LoggerFrom(ctx).Info("The webhook configuration does not exist; its CA bundle is set when it is created", "name", r.cert.Configuration)
			return nil
		}
		return fmt.Errorf("read the ValidatingWebhookConfiguration %s: %w", r.cert.Configuration, err)
	}
	changed := false
	for i := range config.Webhooks {
		if cc := &config.Webhooks[i].ClientConfig; !bytes.Equal(cc.CABundle, bundle) {
			cc.CABundle, changed = bundle, true
		}
	}
	if !changed {
		return nil
	}
	// Update carries the resourceVersion: a configuration changed meanwhile is read again, not overwritten.
	if err := r.writer.Update(ctx, &config); err != nil {
		return fmt.Errorf("set the CA bundle of the ValidatingWebhookConfiguration %s: %w", r.cert.Configuration, err)
	}
	return nil
}
