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

package main

import (
	"context"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	admissionregistrationv1 "k8s.io/api/admissionregistration/v1"
	appsv1 "k8s.io/api/apps/v1"
	coordinationv1 "k8s.io/api/coordination/v1"
	corev1 "k8s.io/api/core/v1"
	eventsv1 "k8s.io/api/events/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client/apiutil"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"

	"github.com/taskrouter-operator/taskrouter-operator/internal/capability"
	"github.com/taskrouter-operator/taskrouter-operator/internal/taskrouter"
	"github.com/taskrouter-operator/taskrouter-operator/internal/webhook"
)

func TestParseFlags(t *testing.T) {
	f, _, err := parseFlags(nil)
	if err != nil {
		t.Fatalf("defaults rejected: %v", err)
	}
	if f.taskRouterBaseURL != "https://taskrouter.twilio.com" || f.eventBridgeBaseURL != "https://event-bridge.twilio.com" ||
		f.syncPeriod != 10*time.Minute || f.statisticsInterval != 30*time.Second ||
		f.metrics != (metricsFlags{bindAddress: ":8443", secure: true, certName: "tls.crt", keyName: "tls.key"}) {
		t.Fatalf("defaults = %+v", f)
	}
	// kubebuilder's Lease timings; the Lease is released on a graceful stop.
	if want := (electionFlags{leaseDuration: 15 * time.Second, renewDeadline: 10 * time.Second, retryPeriod: 2 * time.Second,
		gracefulShutdown: 10 * time.Second}); f.election != want {
		t.Fatalf("election defaults = %+v, want %+v", f.election, want)
	}
	f, _, err = parseFlags([]string{"--leader-elect", "--leader-elect-lease-duration=4s", "--leader-elect-renew-deadline=3s",
		"--leader-elect-retry-period=1s", "--graceful-shutdown-timeout=20s"})
	if want := (electionFlags{enabled: true, leaseDuration: 4 * time.Second, renewDeadline: 3 * time.Second,
		retryPeriod: time.Second, gracefulShutdown: 20 * time.Second}); err != nil || f.election != want {
		t.Fatalf("election = %+v, %v; want %+v", f.election, err, want)
	}
	f, _, err = parseFlags([]string{"--taskrouter-base-url=http://127.0.0.1:8080", "--namespace=contact-center", "--max-concurrent-reconciles=4"})
	if err != nil || f.taskRouterBaseURL != "http://127.0.0.1:8080" || f.namespace != "contact-center" || f.maxConcurrentReconciles != 4 {
		t.Fatalf("parse = %+v, %v", f, err)
	}

	bad := []struct {
		args []string
		want string // the error names the flag
	}{
		{[]string{"--taskrouter-base-url=taskrouter.twilio.com"}, "--taskrouter-base-url"},
		{[]string{"--event-bridge-base-url=ftp://x"}, "--event-bridge-base-url"},
		{[]string{"--api-qps=0"}, "--api-qps"},
		{[]string{"--api-burst=0"}, "--api-burst"},
		{[]string{"--sync-period=10ms"}, "--sync-period"},
		{[]string{"--statistics-interval=-1s"}, "--statistics-interval"},
		{[]string{"--no-such-flag"}, "no-such-flag"},
		{[]string{"--metrics-secure=false", "--metrics-cert-path=/certs"}, "--metrics-cert-path"},
		{[]string{"--leader-elect-lease-duration=1500ms"}, "--leader-elect-lease-duration"},
		{[]string{"--leader-elect-lease-duration=0s"}, "--leader-elect-lease-duration"},
		{[]string{"--leader-elect-retry-period=0s"}, "--leader-elect-retry-period"},
		{[]string{"--leader-elect-retry-period=500ms"}, "--leader-elect-retry-period"},
		{[]string{"--leader-elect-renew-deadline=15s"}, "--leader-elect-lease-duration"},
		{[]string{"--leader-elect-lease-duration=8s"}, "--leader-elect-renew-deadline"},
		{[]string{"--leader-elect-retry-period=9s"}, "--leader-elect-retry-period"},
		{[]string{"--leader-elect-renew-deadline=2400ms"}, "1.2 × --leader-elect-retry-period"},
		{[]string{"--graceful-shutdown-timeout=0s"}, "--graceful-shutdown-timeout"},
		{[]string{"--webhook-bind-address=9443"}, "--webhook-bind-address"},
		{[]string{"--webhook-bind-address=:9443"}, "--webhook-cert-secret"},
		{[]string{"--webhook-bind-address=:9443", "--webhook-cert-secret=webhook-cert", "--webhook-configuration=c", "--webhook-service=s"}, "namespace/name"},
		{[]string{"--webhook-bind-address=:9443", "--webhook-cert-secret=ops/webhook-cert", "--webhook-service=s"}, "--webhook-configuration"},
		{[]string{"--webhook-bind-address=:9443", "--webhook-cert-path=/certs", "--webhook-cert-secret=ops/webhook-cert"}, "--webhook-cert-path"},
	}
	for _, tc := range bad {
		_, _, err := parseFlags(tc.args)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("parseFlags(%v) = %v, want an error naming %s", tc.args, err, tc.want)
		}
	}
}

// TestBaseURLFlagsOverrideTheSecretsRegion: a base URL given on the command line is used for every
// account, whatever region its Secret names, host by host; left out, the Secret's region decides and
// accounts without one get the default.
func TestBaseURLFlagsOverrideTheSecretsRegion(t *testing.T) {
	const emulatorURL = "http://127.0.0.1:8080"
	ireland := taskrouter.Credentials{AccountSID: "AC00000000000000000000000000000001", AuthToken: "token", Region: "ie1", Edge: "dublin"}
	global := taskrouter.Credentials{AccountSID: "AC00000000000000000000000000000001", AuthToken: "token"}
	twilio := capability.URLs{TaskRouter: "https://taskrouter.twilio.com", EventBridge: "https://event-bridge.twilio.com"}
	dublin := capability.URLs{TaskRouter: "https://taskrouter.dublin.ie1.twilio.com", EventBridge: "https://event-bridge.ie1.twilio.com"}
	emulated := capability.URLs{TaskRouter: emulatorURL, EventBridge: emulatorURL}
	tests := []struct {
		name                    string
		args                    []string
		wantIreland, wantGlobal capability.URLs
	}{
		{"no flags: the Secret decides", nil, dublin, twilio},
		{"both flags: the emulator for everyone", []string{"--taskrouter-base-url=" + emulatorURL, "--event-bridge-base-url=" + emulatorURL},
			emulated, emulated},
		{"one flag overrides its own host only", []string{"--taskrouter-base-url=https://proxy.example.com"},
			capability.URLs{TaskRouter: "https://proxy.example.com", EventBridge: dublin.EventBridge},
			capability.URLs{TaskRouter: "https://proxy.example.com", EventBridge: twilio.EventBridge}},
		{"given at its default value, still given", []string{"--taskrouter-base-url=https://taskrouter.twilio.com"},
			capability.URLs{TaskRouter: twilio.TaskRouter, EventBridge: dublin.EventBridge}, twilio},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, _, err := parseFlags(tt.args)
			if err != nil {
				t.Fatal(err)
			}
			client := taskrouter.New(f.clientConfig())
			for _, c := range []struct {
				creds taskrouter.Credentials
				want  capability.URLs
			}{{ireland, tt.wantIreland}, {global, tt.wantGlobal}} {
				got, err := client.URLs(c.creds)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(c.want, got); diff != "" {
					t.Errorf("hosts of an account with region %q (-want +got):\n%s", c.creds.Region, diff)
				}
			}
		})
	}
}

// TestWebhookFlags: off by default (local runs need nothing), a certificate kept by the manager for
// the Service in the Secret's namespace, or one kept elsewhere.
func TestWebhookFlags(t *testing.T) {
	f, _, err := parseFlags(nil)
	if err != nil || f.webhook.enabled() {
		t.Fatalf("the webhook is on by default (%v)", err)
	}
	f, _, err = parseFlags([]string{"--webhook-bind-address=:9443", "--webhook-cert-secret=tr-system/tr-webhook-cert",
		"--webhook-configuration=tr-validating-webhook-configuration", "--webhook-service=tr-webhook-service"})
	if err != nil {
		t.Fatal(err)
	}
	opts, err := f.webhook.options(false)
	if err != nil {
		t.Fatal(err)
	}
	want := webhook.Options{Port: 9443, Certificate: webhook.Certificate{
		Secret:        types.NamespacedName{Namespace: "tr-system", Name: "tr-webhook-cert"},
		Configuration: "tr-validating-webhook-configuration",
		Hosts:         []string{"tr-webhook-service.tr-system.svc", "tr-webhook-service.tr-system.svc.cluster.local"},
	}}
	if diff := cmp.Diff(want, opts, cmpopts.IgnoreFields(webhook.Certificate{}, "Now")); diff != "" {
		t.Errorf("self-managed options (-want +got):\n%s", diff)
	}
	f, _, err = parseFlags([]string{"--webhook-bind-address=127.0.0.1:9443", "--webhook-cert-path=/certs", "--enable-http2"})
	if err != nil {
		t.Fatal(err)
	}
	if opts, err := f.webhook.options(f.metrics.enableHTTP2); err != nil || opts.CertDir != "/certs" || opts.Host != "127.0.0.1" || !opts.EnableHTTP2 {
		t.Errorf("cert-path options = %+v, %v", opts, err)
	}
}

func TestMetricsCertificateMissing(t *testing.T) {
	_, _, err := metricsServing(metricsFlags{bindAddress: ":8443", secure: true, certPath: t.TempDir(), certName: "tls.crt", keyName: "tls.key"})
	if err == nil || !strings.Contains(err.Error(), "--metrics-cert-path") || !strings.Contains(err.Error(), "tls.crt") {
		t.Fatalf("an empty certificate directory: %v, want an error naming the flag and the file", err)
	}
}

// TestReadyOnceCandidate: /readyz fails, saying why, until the manager starts
// the runnables that follow the cache sync, then answers.
func TestReadyOnceCandidate(t *testing.T) {
	c := newCandidacy()
	if err := c.ready(nil); err == nil || !strings.Contains(err.Error(), "caches not synced") {
		t.Fatalf("ready before start = %v, want an error about the caches", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan error)
	go func() { stopped <- c.Start(ctx) }()
	<-c.started
	if err := c.ready(nil); err != nil {
		t.Fatalf("ready after start = %v", err)
	}
	cancel()
	if err := <-stopped; err != nil {
		t.Fatalf("Start returned %v on cancel", err)
	}
}

// TestKubeClientPace: a kubeconfig given with --kubeconfig gets no client-side pace unless
// --kube-api-qps asks for one, as in-cluster configs do not (client-go's default of 5 requests a
// second held a 1,000-object converge to about 2 objects a second).
func TestKubeClientPace(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kubeconfig")
	kubeconfig := "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: https://127.0.0.1:6443}\n" +
		"users:\n- name: u\n  user: {token: t}\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\ncurrent-context: x\n"
	if err := os.WriteFile(path, []byte(kubeconfig), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		qps       float64
		burst     int
		wantQPS   float32
		wantBurst int
	}{{0, 0, -1, 0}, {20, 0, 20, 40}, {20, 5, 20, 5}} {
		cfg, err := restConfig(path, tc.qps, tc.burst)
		if err != nil {
			t.Fatal(err)
		}
		if cfg.QPS != tc.wantQPS || cfg.Burst != tc.wantBurst {
			t.Errorf("--kube-api-qps=%v --kube-api-burst=%d: QPS %v burst %d, want %v and %d", tc.qps, tc.burst, cfg.QPS, cfg.Burst, tc.wantQPS, tc.wantBurst)
		}
	}
	if _, _, err := parseFlags([]string{"--kube-api-qps=-1"}); err == nil || !strings.Contains(err.Error(), "--kube-api-qps") {
		t.Errorf("a negative --kube-api-qps: %v, want an error naming it", err)
	}
}

// TestGarbageCollectionTarget: the manager collects at gcPercent unless GOGC says otherwise.
func TestGarbageCollectionTarget(t *testing.T) {
	percent := func() int {
		p := debug.SetGCPercent(100)
		debug.SetGCPercent(p)
		return p
	}
	defer debug.SetGCPercent(debug.SetGCPercent(100))

	t.Setenv("GOGC", "80")
	collectGarbageSooner()
	if got := percent(); got != 100 {
		t.Fatalf("with GOGC set the target is %d, want it left alone (100)", got)
	}
	if err := os.Unsetenv("GOGC"); err != nil {
		t.Fatal(err)
	}
	collectGarbageSooner()
	if got := percent(); got != gcPercent {
		t.Fatalf("without GOGC the target is %d, want %d", got, gcPercent)
	}
}

// TestManagerScheme: the manager's scheme knows every kind the manager reads or writes (a kind
// missing would fail at run time with "no kind is registered"), and no more.
func TestManagerScheme(t *testing.T) {
	scheme := managerScheme()
	used := []runtime.Object{
		&corev1.Secret{}, &corev1.ConfigMap{}, &corev1.SecretList{}, &eventsv1.Event{}, &coordinationv1.Lease{},
		&admissionregistrationv1.ValidatingWebhookConfiguration{},
		&trv1.Workspace{}, &trv1.Activity{}, &trv1.TaskQueue{}, &trv1.Workflow{}, &trv1.Worker{}, &trv1.TaskChannel{},
		&trv1.WorkerList{},
	}
	for _, obj := range used {
		if _, err := apiutil.GVKForObject(obj, scheme); err != nil {
			t.Errorf("%T: %v", obj, err)
		}
	}
	if _, err := apiutil.GVKForObject(&appsv1.Deployment{}, scheme); err == nil {
		t.Error("the scheme knows Deployments, which the manager never reads")
	}
}
