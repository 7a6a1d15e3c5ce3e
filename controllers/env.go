package controllers

import (
	"context"
	"fmt"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
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

// env is what every controller shares: the Kubernetes clients, the TaskRouter
// client, the clock and the settings from the manager's flags.
type env struct {
	kube client.Client
	// secrets reads credentials Secrets straight from the API server: the
	// operator needs only `get` on Secrets, never a cluster-wide watch, and a
	// rotated Secret is used on the next reconcile without a restart.
	secrets    client.Reader
	taskrouter *taskrouter.Client
	events     recorder
	now        func() time.Time
	syncPeriod time.Duration

	// lastCredentials remembers each Secret's last good content, used only to
	// finish deleting a Workspace whose Secret was deleted alongside it
	// (`kubectl delete -k` removes both at once).
	mu              sync.Mutex
	lastCredentials map[types.NamespacedName]taskrouter.Credentials
}

// account opens the TaskRouter account of a Workspace from its credentials Secret.
func (e *env) account(ctx context.Context, ws *trv1.Workspace) (*taskrouter.Account, error) {
	creds, err := e.credentials(ctx, ws)
	if err != nil {
		return nil, err
	}
	mode := taskrouter.AuthCapabilityToken
	if ws.Spec.AuthMode == trv1.AuthBasic {
		mode = taskrouter.AuthBasic
	}
	acct, err := e.taskrouter.Account(creds, mode)
	if err != nil {
		return nil, stall(reasonCredentials, "Secret %s: %v (authMode %s)", ws.Spec.CredentialsRef.Name, err, mode)
	}
	return acct, nil
}

func (e *env) credentials(ctx context.Context, ws *trv1.Workspace) (taskrouter.Credentials, error) {
	key := types.NamespacedName{Namespace: ws.Namespace, Name: ws.Spec.CredentialsRef.Name}
	var secret corev1.Secret
	err := e.secrets.Get(ctx, key, &secret)
	if apierrors.IsNotFound(err) {
		if creds, ok := e.remembered(key); ok && ws.DeletionTimestamp != nil {
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
	e.mu.Lock()
	e.lastCredentials[key] = creds
	e.mu.Unlock()
	return creds, nil
}

func (e *env) remembered(key types.NamespacedName) (taskrouter.Credentials, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	creds, ok := e.lastCredentials[key]
	return creds, ok
}

// workspace resolves a child's workspaceRef to a client for that workspace.
// A child needs its Workspace to exist in TaskRouter, not to be Ready: the
// Workspace's own readiness may wait for Activities that are its children.
func (e *env) workspace(ctx context.Context, namespace, name string) (*taskrouter.WorkspaceClient, *trv1.Workspace, error) {
	var ws trv1.Workspace
	if err := e.kube.Get(ctx, types.NamespacedName{Namespace: namespace, Name: name}, &ws); err != nil {
		if apierrors.IsNotFound(err) {
			return nil, nil, waitFor("WaitingForWorkspace", "Workspace %q not found in namespace %s", name, namespace)
		}
		return nil, nil, err
	}
	if ws.Status.SID == "" {
		return nil, &ws, waitFor("WaitingForWorkspace", "Workspace %q has no SID yet", name)
	}
	acct, err := e.account(ctx, &ws)
	if err != nil {
		return nil, &ws, err
	}
	return acct.Workspace(ws.Status.SID), &ws, nil
}

// activitySID resolves an Activity reference: it must be Ready and belong to the same Workspace.
func (e *env) activitySID(ctx context.Context, namespace, workspace string, ref *trv1.LocalObjectReference, field string) (string, error) {
	if ref == nil {
		return "", nil
	}
	var act trv1.Activity
	if err := e.kube.Get(ctx, types.NamespacedName{Namespace: namespace, Name: ref.Name}, &act); err != nil {
		if apierrors.IsNotFound(err) {
			return "", waitFor("WaitingForReference", "%s: Activity %q not found", field, ref.Name)
		}
		return "", err
	}
	if act.Spec.WorkspaceRef.Name != workspace {
		return "", stall("InvalidReference", "%s: Activity %q belongs to Workspace %q, not %q", field, ref.Name, act.Spec.WorkspaceRef.Name, workspace)
	}
	if !isReady(&act) || act.Status.SID == "" {
		return "", waitFor("WaitingForReference", "%s: Activity %q is not Ready yet", field, ref.Name)
	}
	return act.Status.SID, nil
}

// isReady reports the Ready condition of the current generation.
func isReady(obj object) bool {
	c := meta.FindStatusCondition(obj.RemoteStatus().Conditions, trv1.ConditionReady)
	return c != nil && c.Status == "True" && c.ObservedGeneration == obj.GetGeneration()
}

// claimant returns the name of another resource of the same kind in the
// namespace that claims sid (in spec.sid or status.sid), the oldest first.
// obj itself never counts, and a younger claimant yields to an older one.
func (e *env) claimant(ctx context.Context, list client.ObjectList, obj client.Object, sid string) (string, error) {
	if err := e.kube.List(ctx, list, client.InNamespace(obj.GetNamespace()), client.MatchingFields{sidIndex: sid}); err != nil {
		return "", fmt.Errorf("list resources claiming %s: %w", sid, err)
	}
	items, err := meta.ExtractList(list)
	if err != nil {
		return "", err
	}
	for _, item := range items {
		other, ok := item.(client.Object)
		if !ok || other.GetUID() == obj.GetUID() || other.GetDeletionTimestamp() != nil {
			continue
		}
		if older(other, obj) {
			return other.GetName(), nil
		}
	}
	return "", nil
}

func older(a, b client.Object) bool {
	ta, tb := a.GetCreationTimestamp(), b.GetCreationTimestamp()
	if !ta.Equal(&tb) {
		return ta.Before(&tb)
	}
	return a.GetName() < b.GetName()
}
