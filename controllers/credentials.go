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
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"
	"sigs.k8s.io/controller-runtime/pkg/source"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/internal/capability"
	"github.com/taskrouter-operator/taskrouter-operator/internal/taskrouter"
)

// Secret keys of the credentials Secret (API.md).
const (
	keyAccountSID   = "accountSid"
	keyAuthToken    = "authToken"
	keyAPIKeySID    = "apiKeySid"
	keyAPIKeySecret = "apiKeySecret"
	// keyRegion and keyEdge place the account in a Twilio Region (ie1) reached through an Edge
	// Location (dublin); the client checks the pair (taskrouter.CheckRegion names these keys).
	keyRegion = "region"
	keyEdge   = "edge"
)

// credentials opens the TaskRouter account a Workspace's credentials Secret names. It is the one
// place that reads those Secrets.
//
// Users' Secrets never enter the operator's cache: only their metadata does (a metadata-only watch,
// resourceVersion and all), which says when a Secret appeared, changed or went. The keys are read
// straight from the API server once per version of the Secret and kept in memory, so a reconcile
// costs no Secret read, and a created, fixed or rotated Secret wakes its Workspaces and their objects
// within seconds.
type credentials struct {
	// secrets reads credentials Secrets straight from the API server.
	secrets client.Reader
	// versions is the Secret metadata cache; nil reads every time (tests that build an env by hand).
	versions   client.Reader
	taskrouter *taskrouter.Client

	// last remembers each Secret's last good content and its resourceVersion: served while the
	// Secret is unchanged, and used to finish deleting a Workspace whose Secret was deleted
	// alongside it (`kubectl delete -k` removes both at once).
	mu   sync.Mutex
	last map[types.NamespacedName]keptCredentials
}

type keptCredentials struct {
	creds   taskrouter.Credentials
	version string
}

func newCredentials(secrets client.Reader, tr *taskrouter.Client) *credentials {
	return &credentials{secrets: secrets, taskrouter: tr, last: map[types.NamespacedName]keptCredentials{}}
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

// capabilityURLs are the hosts of the account creds name, which front-end tokens must be written
// against: the browser calls the same regional hosts. A region and edge that are not a valid pair stall,
// naming the key and the valid values, as account does.
func (c *credentials) capabilityURLs(ws *trv1.Workspace, creds taskrouter.Credentials) (capability.URLs, error) {
	urls, err := c.taskrouter.URLs(creds)
	if err != nil {
		return capability.URLs{}, stall(reasonCredentials, "Secret %s: %v", ws.Spec.CredentialsRef.Name, err)
	}
	return urls, nil
}

// read returns the keys of ws's credentials Secret.
func (c *credentials) read(ctx context.Context, ws *trv1.Workspace) (taskrouter.Credentials, error) {
	key := types.NamespacedName{Namespace: ws.Namespace, Name: ws.Spec.CredentialsRef.Name}
	if creds, ok, err := c.unchanged(ctx, key); err != nil || ok {
		return creds, err
	}
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
		Region:       string(secret.Data[keyRegion]),
		Edge:         string(secret.Data[keyEdge]),
	}
	c.mu.Lock()
	c.last[key] = keptCredentials{creds: creds, version: secret.ResourceVersion}
	c.mu.Unlock()
	return creds, nil
}

// unchanged returns the kept credentials of key while the Secret's metadata shows the version they
// were read at. A Secret the metadata cache does not know is read, so the answer is the API server's.
func (c *credentials) unchanged(ctx context.Context, key types.NamespacedName) (taskrouter.Credentials, bool, error) {
	if c.versions == nil {
		return taskrouter.Credentials{}, false, nil
	}
	m := secretMetadata()
	if err := c.versions.Get(ctx, key, m); err != nil {
		return taskrouter.Credentials{}, false, client.IgnoreNotFound(err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	kept, ok := c.last[key]
	return kept.creds, ok && kept.version == m.ResourceVersion, nil
}

func (c *credentials) remembered(key types.NamespacedName) (taskrouter.Credentials, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	kept, ok := c.last[key]
	return kept.creds, ok
}

// secretMetadata is an empty Secret metadata object for the metadata cache.
func secretMetadata() *metav1.PartialObjectMetadata {
	m := &metav1.PartialObjectMetadata{}
	m.SetGroupVersionKind(corev1.SchemeGroupVersion.WithKind("Secret"))
	return m
}

// credentialsIndex indexes Workspaces by the name of their credentials Secret.
const credentialsIndex = "taskrouter.operator.dev/credentials"

// watchSecrets starts the Secret metadata cache (all Secrets of the watched namespaces, metadata
// only: the RBAC the token Secrets need already allows it) and the index from a Secret's name to the
// Workspaces that use it.
func (c *credentials) watchSecrets(mgr ctrl.Manager, namespaces []string) (cache.Cache, error) {
	opts := cache.Options{HTTPClient: mgr.GetHTTPClient(), Scheme: mgr.GetScheme(), Mapper: mgr.GetRESTMapper(),
		DefaultTransform: cache.TransformStripManagedFields()}
	if len(namespaces) > 0 {
		opts.DefaultNamespaces = map[string]cache.Config{}
		for _, ns := range namespaces {
			opts.DefaultNamespaces[ns] = cache.Config{}
		}
	}
	versions, err := cache.New(mgr.GetConfig(), opts)
	if err != nil {
		return nil, fmt.Errorf("start the Secret metadata cache: %w", err)
	}
	if err := mgr.Add(versions); err != nil {
		return nil, fmt.Errorf("start the Secret metadata cache: %w", err)
	}
	c.versions = versions
	err = mgr.GetFieldIndexer().IndexField(context.Background(), &trv1.Workspace{}, credentialsIndex, func(o client.Object) []string {
		return []string{o.(*trv1.Workspace).Spec.CredentialsRef.Name}
	})
	if err != nil {
		return nil, fmt.Errorf("index Workspaces by credentials Secret: %w", err)
	}
	return versions, nil
}

// secretChanges is the event source of one kind's controller for credentials Secrets: a Secret
// created, changed or deleted brings back the Workspaces that use it and every object of those
// Workspaces of this kind.
func secretChanges(versions cache.Cache, kube client.Client, newObject func() client.Object, newList func() client.ObjectList) source.Source {
	_, child := newObject().(childObject)
	return source.Kind(versions, secretMetadata(), handler.TypedEnqueueRequestsFromMapFunc(
		func(ctx context.Context, s *metav1.PartialObjectMetadata) []reconcile.Request {
			var workspaces trv1.WorkspaceList
			if err := kube.List(ctx, &workspaces, client.InNamespace(s.Namespace), client.MatchingFields{credentialsIndex: s.Name}); err != nil {
				return nil
			}
			var reqs []reconcile.Request
			for _, ws := range workspaces.Items {
				if !child {
					reqs = append(reqs, reconcile.Request{NamespacedName: client.ObjectKeyFromObject(&ws)})
					continue
				}
				list := newList()
				key := reference{kind: "Workspace", name: ws.Name}.key()
				if err := kube.List(ctx, list, client.InNamespace(s.Namespace), client.MatchingFields{referenceIndex: key}); err != nil {
					continue
				}
				items, _ := meta.ExtractList(list)
				for _, item := range items {
					if o, ok := item.(client.Object); ok {
						reqs = append(reqs, reconcile.Request{NamespacedName: client.ObjectKeyFromObject(o)})
					}
				}
			}
			return reqs
		}))
}
