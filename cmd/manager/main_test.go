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
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"k8s.io/apimachinery/pkg/types"

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
