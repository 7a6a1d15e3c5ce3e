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
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/internal/capability"
	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator"
	"github.com/taskrouter-operator/taskrouter-operator/internal/taskrouter"
)

const regionWorkspaceSID = "WS00000000000000000000000000000001"

var irelandURLs = capability.URLs{TaskRouter: "https://taskrouter.dublin.ie1.twilio.com", EventBridge: "https://event-bridge.ie1.twilio.com"}

// regionSecret is the emulator's credentials with the given extra keys (region, edge).
func regionSecret(extra map[string]string) *corev1.Secret {
	data := map[string][]byte{keyAccountSID: []byte(emulator.DevAccountSID), keyAuthToken: []byte(emulator.DevAuthToken)}
	for k, v := range extra {
		data[k] = []byte(v)
	}
	return &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "creds", Namespace: "cc"}, Data: data}
}

func regionWorkspace() *trv1.Workspace {
	return &trv1.Workspace{ObjectMeta: metav1.ObjectMeta{Name: "ws", Namespace: "cc"},
		Spec: trv1.WorkspaceSpec{CredentialsRef: trv1.LocalObjectReference{Name: "creds"},
			TokenSecret: &trv1.WorkspaceTokenSecret{Name: "ws-token",
				Capabilities: []trv1.WorkspaceCapability{"FetchSubresources"}}},
		Status: trv1.WorkspaceStatus{RemoteObjectStatus: trv1.RemoteObjectStatus{SID: regionWorkspaceSID}}}
}

// regionCredentials reads credentials Secrets from a fake API server holding secret.
func regionCredentials(secret *corev1.Secret, cfg taskrouter.Config) *credentials {
	scheme := runtime.NewScheme()
	utilruntime.Must(clientgoscheme.AddToScheme(scheme))
	utilruntime.Must(trv1.AddToScheme(scheme))
	kube := fake.NewClientBuilder().WithScheme(scheme).WithObjects(secret).Build()
	return newCredentials(kube, taskrouter.New(cfg))
}

// TestCredentialsRegionPicksTheHosts: the Secret's region and edge pick the account's hosts, for the
// client's calls and for front-end tokens alike; the manager's explicit flags (Override) win.
func TestCredentialsRegionPicksTheHosts(t *testing.T) {
	const emulatorURL = "http://127.0.0.1:8080"
	tests := []struct {
		name   string
		secret map[string]string
		cfg    taskrouter.Config
		want   capability.URLs
	}{
		{"no region: the configured hosts", nil, taskrouter.Config{TaskRouterBaseURL: emulatorURL, EventBridgeBaseURL: emulatorURL},
			capability.URLs{TaskRouter: emulatorURL, EventBridge: emulatorURL}},
		{"region and edge: the regional hosts", map[string]string{keyRegion: "ie1", keyEdge: "dublin"},
			taskrouter.Config{TaskRouterBaseURL: emulatorURL, EventBridgeBaseURL: emulatorURL}, irelandURLs},
		{"explicit flags win over the Secret", map[string]string{keyRegion: "ie1", keyEdge: "dublin"},
			taskrouter.Config{Override: capability.URLs{TaskRouter: emulatorURL, EventBridge: emulatorURL}},
			capability.URLs{TaskRouter: emulatorURL, EventBridge: emulatorURL}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := regionCredentials(regionSecret(tt.secret), tt.cfg)
			ws := regionWorkspace()
			acct, err := c.account(context.Background(), ws)
			must(t, err)
			if diff := cmp.Diff(tt.want, acct.URLs()); diff != "" {
				t.Errorf("account hosts (-want +got):\n%s", diff)
			}
			// The front-end token of the Workspace is written for the same hosts.
			e := &env{credentials: c, refs: &resolver{}, now: time.Now}
			r := &tokenSecretReconciler[*trv1.Workspace]{env: e, kind: "Workspace", newObj: workspaceAdapter{}.newObject, source: workspaceAdapter{}}
			req, err := r.request(context.Background(), ws, "ws-token")
			must(t, err)
			token, _, err := req.minter.Mint(req.grant)
			must(t, err)
			claims, err := capability.Verify(token, emulator.DevAccountSID, emulator.DevAuthToken, time.Now())
			must(t, err)
			for _, p := range claims.Policies {
				if !strings.HasPrefix(p.URL, tt.want.TaskRouter+"/v1/") && !strings.HasPrefix(p.URL, tt.want.EventBridge+"/v1/wschannels/") {
					t.Errorf("token policy %s %s is not on %s or %s", p.Method, p.URL, tt.want.TaskRouter, tt.want.EventBridge)
				}
			}
		})
	}
}

// TestCredentialsRegionStalls: a region without edge, an edge without region or a pair that does not
// exist stall the account and its front-end token with CredentialsInvalid, naming the key and the
// values that would be valid.
func TestCredentialsRegionStalls(t *testing.T) {
	tests := []struct {
		name    string
		secret  map[string]string
		message string
	}{
		{"region without edge", map[string]string{keyRegion: "ie1"},
			`Secret creds: invalid credentials: region "ie1" is set but edge is not: set edge to dublin`},
		{"edge without region", map[string]string{keyEdge: "dublin"},
			`Secret creds: invalid credentials: edge "dublin" is set but region is not: set region to ie1 or us1`},
		{"unknown pair", map[string]string{keyRegion: "ie1", keyEdge: "tokyo"},
			`Secret creds: invalid credentials: edge "tokyo" does not reach region "ie1": set edge to dublin`},
		{"unknown region", map[string]string{keyRegion: "eu2", keyEdge: "dublin"},
			`Secret creds: invalid credentials: region "eu2" is not a Twilio Region: set region to ie1 or us1`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := regionCredentials(regionSecret(tt.secret), taskrouter.Config{})
			ws := regionWorkspace()
			_, err := c.account(context.Background(), ws)
			checkStall(t, err, tt.message+" (authMode CapabilityToken)")
			_, err = c.capabilityURLs(ws, taskrouter.Credentials{Region: tt.secret[keyRegion], Edge: tt.secret[keyEdge]})
			checkStall(t, err, tt.message)
		})
	}
}

func checkStall(t *testing.T, err error, message string) {
	t.Helper()
	var p *problem
	if !errors.As(err, &p) {
		t.Fatalf("error %v is not a classified problem", err)
	}
	got := struct {
		Stalled         bool
		Reason, Message string
	}{p.stalled, p.reason, p.message}
	want := struct {
		Stalled         bool
		Reason, Message string
	}{true, reasonCredentials, message}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("stall (-want +got):\n%s", diff)
	}
}

// TestRegionStallIsRepairedWithoutARestart: against the running manager, a Workspace whose Secret
// names a region without its edge is Stalled with a message naming the key; once the Secret is fixed
// (here: the region removed, the emulator being the global host) the Workspace becomes Ready.
func TestRegionStallIsRepairedWithoutARestart(t *testing.T) {
	ns := newNamespace(t)
	ctx := context.Background()
	var secret corev1.Secret
	must(t, k8s.Get(ctx, client.ObjectKey{Namespace: ns, Name: "creds"}, &secret))
	secret.StringData = map[string]string{keyRegion: "ie1"}
	must(t, k8s.Update(ctx, &secret))
	ws := workspace(ns)
	must(t, k8s.Create(ctx, ws))
	c := waitReason(t, ws, trv1.ConditionStalled, metav1.ConditionTrue, reasonCredentials)
	if !strings.Contains(c.Message, `region "ie1" is set but edge is not: set edge to dublin`) {
		t.Fatalf("Stalled message does not name the missing key and its value: %s", c.Message)
	}
	must(t, k8s.Get(ctx, client.ObjectKey{Namespace: ns, Name: "creds"}, &secret))
	delete(secret.Data, keyRegion)
	must(t, k8s.Update(ctx, &secret))
	waitReady(t, ws)
}
