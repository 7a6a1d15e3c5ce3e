package controllers

import (
	"context"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/internal/capability"
)

// The three owner kinds of front-end tokens and the policy set each one's
// capabilities map to (internal/capability, after the TaskRouter.js docs).

func workspaceTokens() tokenKind[*trv1.Workspace] {
	return tokenKind[*trv1.Workspace]{
		kind:      "Workspace",
		newObject: func() *trv1.Workspace { return &trv1.Workspace{} },
		secretName: func(ws *trv1.Workspace) string {
			if ws.Spec.TokenSecret == nil {
				return ""
			}
			return ws.Spec.TokenSecret.Name
		},
		status: func(ws *trv1.Workspace) **trv1.TokenSecretStatus { return &ws.Status.TokenSecret },
		request: func(ctx context.Context, e *env, urls capability.URLs, ws *trv1.Workspace) (*tokenRequest, error) {
			spec := ws.Spec.TokenSecret
			if ws.Status.SID == "" {
				return nil, waitFor("WaitingForSID", "Workspace %q has no SID yet", ws.Name)
			}
			caps := make([]capability.WorkspaceCapability, len(spec.Capabilities))
			for i, c := range spec.Capabilities {
				caps[i] = capability.WorkspaceCapability(c)
			}
			policies, err := urls.WorkspacePolicies(ws.Status.SID, caps...)
			return tokenRequestFor(ctx, e, urls, ws, spec.Name, spec.TTL, ws.Status.SID, policies, err)
		},
	}
}

func taskQueueTokens() tokenKind[*trv1.TaskQueue] {
	return tokenKind[*trv1.TaskQueue]{
		kind:      "TaskQueue",
		newObject: func() *trv1.TaskQueue { return &trv1.TaskQueue{} },
		secretName: func(q *trv1.TaskQueue) string {
			if q.Spec.TokenSecret == nil {
				return ""
			}
			return q.Spec.TokenSecret.Name
		},
		status: func(q *trv1.TaskQueue) **trv1.TokenSecretStatus { return &q.Status.TokenSecret },
		request: func(ctx context.Context, e *env, urls capability.URLs, q *trv1.TaskQueue) (*tokenRequest, error) {
			spec := q.Spec.TokenSecret
			ws, err := childWorkspace(ctx, e, q.Namespace, q.Spec.WorkspaceRef.Name, "TaskQueue", q.Name, q.Status.SID)
			if err != nil {
				return nil, err
			}
			caps := make([]capability.TaskQueueCapability, len(spec.Capabilities))
			for i, c := range spec.Capabilities {
				caps[i] = capability.TaskQueueCapability(c)
			}
			policies, err := urls.TaskQueuePolicies(ws.Status.SID, q.Status.SID, caps...)
			return tokenRequestFor(ctx, e, urls, ws, spec.Name, spec.TTL, q.Status.SID, policies, err)
		},
	}
}

func workerTokens() tokenKind[*trv1.Worker] {
	return tokenKind[*trv1.Worker]{
		kind:      "Worker",
		newObject: func() *trv1.Worker { return &trv1.Worker{} },
		secretName: func(w *trv1.Worker) string {
			if w.Spec.TokenSecret == nil {
				return ""
			}
			return w.Spec.TokenSecret.Name
		},
		status: func(w *trv1.Worker) **trv1.TokenSecretStatus { return &w.Status.TokenSecret },
		request: func(ctx context.Context, e *env, urls capability.URLs, w *trv1.Worker) (*tokenRequest, error) {
			spec := w.Spec.TokenSecret
			ws, err := childWorkspace(ctx, e, w.Namespace, w.Spec.WorkspaceRef.Name, "Worker", w.Name, w.Status.SID)
			if err != nil {
				return nil, err
			}
			caps := make([]capability.WorkerCapability, len(spec.Capabilities))
			for i, c := range spec.Capabilities {
				caps[i] = capability.WorkerCapability(c)
			}
			policies, err := urls.WorkerPolicies(ws.Status.SID, w.Status.SID, caps...)
			return tokenRequestFor(ctx, e, urls, ws, spec.Name, spec.TTL, w.Status.SID, policies, err)
		},
	}
}

// childWorkspace returns the Workspace of a TaskQueue or Worker once both have sids.
func childWorkspace(ctx context.Context, e *env, namespace, workspace, kind, name, sid string) (*trv1.Workspace, error) {
	if sid == "" {
		return nil, waitFor("WaitingForSID", "%s %q has no SID yet", kind, name)
	}
	var ws trv1.Workspace
	if err := e.kube.Get(ctx, types.NamespacedName{Namespace: namespace, Name: workspace}, &ws); err != nil {
		return nil, waitFor("WaitingForWorkspace", "Workspace %q: %v", workspace, err)
	}
	if ws.Status.SID == "" {
		return nil, waitFor("WaitingForWorkspace", "Workspace %q has no SID yet", workspace)
	}
	return &ws, nil
}

// tokenRequestFor reads the Workspace's credentials (the auth token signs the
// token) and puts the grant together; policiesErr is an invalid capability.
func tokenRequestFor(ctx context.Context, e *env, urls capability.URLs, ws *trv1.Workspace, secretName string,
	ttl *metav1.Duration, channel string, policies []capability.Policy, policiesErr error) (*tokenRequest, error) {
	if policiesErr != nil {
		return nil, stall("InvalidCapability", "spec.tokenSecret.capabilities: %v", policiesErr)
	}
	creds, err := e.credentials(ctx, ws)
	if err != nil {
		return nil, err
	}
	if creds.AuthToken == "" {
		return nil, stall(reasonCredentials, "credentials Secret %q has no %s: capability tokens are signed with it", ws.Spec.CredentialsRef.Name, keyAuthToken)
	}
	lifetime := capability.DefaultTTL
	if ttl != nil && ttl.Duration > 0 {
		lifetime = ttl.Duration
	}
	return &tokenRequest{
		secretName: secretName,
		ttl:        lifetime,
		grant:      capability.Grant{WorkspaceSID: ws.Status.SID, Channel: channel, Policies: policies, TTL: lifetime},
		minter:     capability.Minter{AccountSID: creds.AccountSID, AuthToken: creds.AuthToken, URLs: urls, Now: e.now},
	}, nil
}
