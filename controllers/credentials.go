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
	"sync"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/internal/taskrouter"
)

// Secret keys of the credentials Secret (API.md).
const (
	keyAccountSID   = "accountSid"
	keyAuthToken    = "authToken"
	keyAPIKeySID    = "apiKeySid"
	keyAPIKeySecret = "apiKeySecret"
)

// credentials opens the TaskRouter account a Workspace's credentials Secret names. It is the one
// place that reads those Secrets.
type credentials struct {
	// secrets reads credentials Secrets straight from the API server: the operator needs only `get`
	// on them, and a rotated Secret is used on the next reconcile without a restart.
	secrets    client.Reader
	taskrouter *taskrouter.Client

	// last remembers each Secret's last good content, used only to finish deleting a Workspace
	// whose Secret was deleted alongside it (`kubectl delete -k` removes both at once).
	mu   sync.Mutex
	last map[types.NamespacedName]taskrouter.Credentials
}

func newCredentials(secrets client.Reader, tr *taskrouter.Client) *credentials {
	return &credentials{secrets: secrets, taskrouter: tr, last: map[types.NamespacedName]taskrouter.Credentials{}}
}

// account opens the TaskRouter account of a Workspace from its credentials Secret.
func (c *credentials) account(ctx context.Context, ws *trv1.Workspace) (*taskrouter.Account, error) {
	creds, err := c.read(ctx, ws)
	if err != nil {
		return nil, err
	}
	mode := taskrouter.AuthCapabilityToken
	if ws.Spec.AuthMode == trv1.AuthBasic {
		mode = taskrouter.AuthBasic
	}
	acct, err := c.taskrouter.Account(creds, mode)
	if err != nil {
		return nil, stall(reasonCredentials, "Secret %s: %v (authMode %s)", ws.Spec.CredentialsRef.Name, err, mode)
	}
	return acct, nil
}

// read returns the keys of ws's credentials Secret.
func (c *credentials) read(ctx context.Context, ws *trv1.Workspace) (taskrouter.Credentials, error) {
	key := types.NamespacedName{Namespace: ws.Namespace, Name: ws.Spec.CredentialsRef.Name}
	var secret corev1.Secret
	err := c.secrets.Get(ctx, key, &secret)
	if apierrors.IsNotFound(err) {
		if creds, ok := c.remembered(key); ok && ws.DeletionTimestamp != nil {
			return creds, nil
		}
		return taskrouter.Credentials{}, stall(reasonCredentials, "credentials Secret %q not found in namespace %s: create it with the keys %s and %s",
			key.Name, key.Namespace, keyAccountSID, keyAuthToken)
	}
	if err != nil {
		return taskrouter.Credentials{}, fmt.Errorf("read credentials Secret %s: %w", key, err)
	}
	creds := taskrouter.Credentials{
		AccountSID:   string(secret.Data[keyAccountSID]),
		AuthToken:    string(secret.Data[keyAuthToken]),
		APIKeySID:    string(secret.Data[keyAPIKeySID]),
		APIKeySecret: string(secret.Data[keyAPIKeySecret]),
	}
	c.mu.Lock()
	c.last[key] = creds
	c.mu.Unlock()
	return creds, nil
}

func (c *credentials) remembered(key types.NamespacedName) (taskrouter.Credentials, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	creds, ok := c.last[key]
	return creds, ok
}
