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
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	admissionregistrationv1 "k8s.io/api/admissionregistration/v1"
	coordinationv1 "k8s.io/api/coordination/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/rest"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// envtestConfiguration is config/webhook's ValidatingWebhookConfiguration as envtest installed it.
const envtestConfiguration = "validating-webhook-configuration"

// TestSelfManagedCertificate runs two replicas with a self-managed certificate: a follower that
// never leads and a leader. Only the leader writes the Secret and the caBundle; the follower
// serves once the Secret holds a certificate; the API server, trusting the caBundle the leader
// wrote, reaches the leader and refuses a bad expression; a caBundle emptied by a re-applied
// manifest is written back.
func TestSelfManagedCertificate(t *testing.T) {
	ctx := context.Background()
	ns := newNamespace(t, "operator-system")
	secret := types.NamespacedName{Namespace: ns, Name: "webhook-cert"}
	must(t, k8s.Create(ctx, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: secret.Name, Namespace: ns}}))
	// The leader takes over the caBundle envtest wrote; give it back when the managers have stopped.
	t.Cleanup(func() { setCABundle(t, env.Webhooks.LocalServingCAData) })
	host := env.Webhooks.LocalServingHost
	cert := Certificate{Secret: secret, Configuration: envtestConfiguration, Hosts: []string{host}}

	// A Lease held by another manager for an hour: the follower never leads.
	held := time.Now()
	must(t, k8s.Create(ctx, &coordinationv1.Lease{ObjectMeta: metav1.ObjectMeta{Name: "held-elsewhere", Namespace: ns},
		Spec: coordinationv1.LeaseSpec{HolderIdentity: ptr("another-manager"), LeaseDurationSeconds: ptr[int32](3600),
			AcquireTime: &metav1.MicroTime{Time: held}, RenewTime: &metav1.MicroTime{Time: held}}}))
	followerPort := freePort(t)
	followerReady, _ := runManager(t, env.Config, Options{Host: host, Port: followerPort, Certificate: cert}, func(o *ctrl.Options) {
		o.LeaderElection, o.LeaderElectionID, o.LeaderElectionNamespace = true, "held-elsewhere", ns
	})

	t.Run("a follower alone writes nothing and does not serve", func(t *testing.T) {
		// A bounded look: this can only miss a follower that writes late, never fail a correct one.
		req, _ := http.NewRequest(http.MethodGet, "/readyz", nil)
		for end := time.Now().Add(3 * time.Second); time.Now().Before(end); time.Sleep(200 * time.Millisecond) {
			var s corev1.Secret
			must(t, k8s.Get(ctx, secret, &s))
			if len(s.Data) > 0 || followerReady(req) == nil {
				t.Fatalf("without the leader: Secret keys %d, follower ready %v", len(s.Data), followerReady(req) == nil)
			}
		}
	})

	// The leader may touch only its Secret and its webhook configuration, by name, as the installs
	// grant: its cache lists and watches them by name too.
	leaderReady, _ := runManager(t, onlyByName(t, secret, envtestConfiguration), Options{Host: host, Port: env.Webhooks.LocalServingPort, Certificate: cert}, nil)
	serving(t, leaderReady)
	var bundle []byte
	t.Run("the leader writes the Secret and the caBundle", func(t *testing.T) {
		var s corev1.Secret
		must(t, k8s.Get(ctx, secret, &s))
		for _, k := range []string{caCertKey, caKeyKey, certKey, keyKey} {
			if len(s.Data[k]) == 0 {
				t.Fatalf("Secret key %s is empty", k)
			}
		}
		bundle = s.Data[caCertKey]
		eventually(t, "caBundle", func() error { return caBundleIs(bundle) })
	})

	t.Run("the API server trusts it and the webhook refuses a bad expression", func(t *testing.T) {
		err := k8s.Create(ctx, taskQueue(newNamespace(t, "self-managed"), "broken", "skills HAS"), client.DryRunAll)
		if err == nil || !strings.Contains(err.Error(), `spec.targetWorkers: Invalid value: "skills HAS": at position 10`) {
			t.Fatalf("dry-run create: %v, want the webhook's refusal", err)
		}
	})

	t.Run("the follower serves the Secret's certificate", func(t *testing.T) {
		serving(t, followerReady)
		roots := x509.NewCertPool()
		roots.AppendCertsFromPEM(bundle)
		conn, err := tls.Dial("tcp", net.JoinHostPort(host, strconv.Itoa(followerPort)), &tls.Config{RootCAs: roots, ServerName: host})
		if err != nil {
			t.Fatalf("TLS to the follower with the caBundle: %v", err)
		}
		conn.Close()
	})

	t.Run("an emptied caBundle is written back", func(t *testing.T) {
		setCABundle(t, nil)
		eventually(t, "caBundle", func() error { return caBundleIs(bundle) })
	})
}

// onlyByName returns a config for a user allowed nothing but the rotator's verbs on the Secret and
// the webhook configuration of these names.
func onlyByName(t *testing.T, secret types.NamespacedName, configuration string) *rest.Config {
	t.Helper()
	ctx := context.Background()
	const user = "webhook-rotator"
	verbs := []string{"get", "list", "watch", "update"}
	subjects := []rbacv1.Subject{{Kind: rbacv1.UserKind, APIGroup: rbacv1.GroupName, Name: user}}
	must(t, k8s.Create(ctx, &rbacv1.ClusterRole{ObjectMeta: metav1.ObjectMeta{Name: user}, Rules: []rbacv1.PolicyRule{{
		APIGroups: []string{admissionregistrationv1.GroupName}, Resources: []string{"validatingwebhookconfigurations"}, ResourceNames: []string{configuration}, Verbs: verbs}}}))
	must(t, k8s.Create(ctx, &rbacv1.ClusterRoleBinding{ObjectMeta: metav1.ObjectMeta{Name: user}, Subjects: subjects,
		RoleRef: rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: user}}))
	must(t, k8s.Create(ctx, &rbacv1.Role{ObjectMeta: metav1.ObjectMeta{Name: user, Namespace: secret.Namespace}, Rules: []rbacv1.PolicyRule{{
		APIGroups: []string{""}, Resources: []string{"secrets"}, ResourceNames: []string{secret.Name}, Verbs: verbs}}}))
	must(t, k8s.Create(ctx, &rbacv1.RoleBinding{ObjectMeta: metav1.ObjectMeta{Name: user, Namespace: secret.Namespace}, Subjects: subjects,
		RoleRef: rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "Role", Name: user}}))
	cfg := rest.CopyConfig(env.Config)
	cfg.Impersonate = rest.ImpersonationConfig{UserName: user}
	return cfg
}

func setCABundle(t *testing.T, bundle []byte) {
	t.Helper()
	ctx := context.Background()
	eventually(t, "set the caBundle", func() error {
		var c admissionregistrationv1.ValidatingWebhookConfiguration
		if err := k8s.Get(ctx, client.ObjectKey{Name: envtestConfiguration}, &c); err != nil {
			return err
		}
		for i := range c.Webhooks {
			c.Webhooks[i].ClientConfig.CABundle = bundle
		}
		return k8s.Update(ctx, &c)
	})
}

func caBundleIs(want []byte) error {
	var c admissionregistrationv1.ValidatingWebhookConfiguration
	if err := k8s.Get(context.Background(), client.ObjectKey{Name: envtestConfiguration}, &c); err != nil {
		return err
	}
	if len(c.Webhooks) == 0 {
		return errors.New("no webhooks")
	}
	for _, w := range c.Webhooks {
		if !bytes.Equal(w.ClientConfig.CABundle, want) {
			return fmt.Errorf("webhook %s has a caBundle of %d bytes, want the Secret's ca.crt", w.Name, len(w.ClientConfig.CABundle))
		}
	}
	return nil
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func ptr[T any](v T) *T { return &v }
