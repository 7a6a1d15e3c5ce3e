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

// Package webhook is the operator's validating admission webhook: it refuses a TaskQueue or
// Workflow whose expressions do not parse (internal/validate), so `kubectl apply --dry-run=server`
// fails with the field and position before anything is stored. It serves with a certificate kept
// by someone else (a directory, e.g. cert-manager's) or one it keeps itself: the elected leader
// writes a CA and a serving certificate into a Secret and the CA into the
// ValidatingWebhookConfiguration, renews both before they expire, and every replica serves the
// Secret's certificate once it is valid.
package webhook

import (
	"context"
	"crypto/tls"
	"fmt"
	"path/filepath"
	"sync"
	"time"

	admissionregistrationv1 "k8s.io/api/admissionregistration/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/wait"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/healthz"
	"sigs.k8s.io/controller-runtime/pkg/manager"
	crwebhook "sigs.k8s.io/controller-runtime/pkg/webhook"
)

// Options configure the webhook server.
type Options struct {
	// Host and Port are where the server listens; the webhook Service's targetPort.
	Host string
	Port int
	// EnableHTTP2 allows HTTP/2, off by default (HTTP/2 Rapid Reset, CVE-2023-44487).
	EnableHTTP2 bool
	// CertDir holds tls.crt and tls.key kept by someone else (cert-manager, envtest), reloaded when
	// they change. Empty: the certificate is self-managed, as Certificate says.
	CertDir string
	// Certificate configures the self-managed certificate.
	Certificate Certificate
}

// Certificate is where the self-managed certificate lives.
type Certificate struct {
	// Secret holds the CA and the serving certificate (ca.crt, ca.key, tls.crt, tls.key). The installs
	// create it empty, so the manager needs no right to create Secrets; the leader fills it.
	Secret types.NamespacedName
	// Configuration names the ValidatingWebhookConfiguration whose caBundle the leader keeps.
	Configuration string
	// Hosts the serving certificate is for: the Service's DNS names (or IP addresses).
	Hosts []string
	// Now is the clock; nil is time.Now.
	Now func() time.Time
}

// ServiceHosts are the names the API server may reach a Service by.
func ServiceHosts(service, namespace string) []string {
	return []string{fmt.Sprintf("%s.%s.svc", service, namespace), fmt.Sprintf("%s.%s.svc.cluster.local", service, namespace)}
}

// readyPoll is how often a replica looks for a usable certificate before it starts serving.
const readyPoll = time.Second

// Add serves the webhooks on mgr's replicas. With a self-managed certificate it also starts, on the
// leader only, the controller that keeps the Secret and the caBundle. Each replica starts listening
// only once it has a usable certificate; the returned check, for /readyz, passes once it answers TLS.
func Add(mgr ctrl.Manager, opts Options) (healthz.Checker, error) {
	serverOpts := crwebhook.Options{Host: opts.Host, Port: opts.Port}
	if !opts.EnableHTTP2 {
		serverOpts.TLSOpts = append(serverOpts.TLSOpts, func(c *tls.Config) { c.NextProtos = []string{"http/1.1"} })
	}
	ready := func(context.Context) error {
		_, err := tls.LoadX509KeyPair(filepath.Join(opts.CertDir, certKey), filepath.Join(opts.CertDir, keyKey))
		return err
	}
	if opts.CertDir != "" {
		serverOpts.CertDir = opts.CertDir
	} else {
		source, err := selfManaged(mgr, opts.Certificate)
		if err != nil {
			return nil, err
		}
		serverOpts.TLSOpts = append(serverOpts.TLSOpts, func(c *tls.Config) {
			c.GetCertificate = func(*tls.ClientHelloInfo) (*tls.Certificate, error) { return source.load(context.Background()) }
		})
		ready = source.ready
	}
	server := crwebhook.NewServer(serverOpts)
	register(server, mgr.GetScheme())
	if err := mgr.Add(&gatedServer{Server: server, ready: ready}); err != nil {
		return nil, fmt.Errorf("add the webhook server: %w", err)
	}
	return server.StartedChecker(), nil
}

// gatedServer starts the webhook server once ready passes: a replica that would answer the API
// server's TLS handshake with no certificate, or one it does not trust, is kept out of the Service
// by its failing readiness check instead.
type gatedServer struct {
	crwebhook.Server
	ready func(context.Context) error
}

func (g *gatedServer) Start(ctx context.Context) error {
	log := ctrl.LoggerFrom(ctx).WithName("webhook")
	var last error
	err := wait.PollUntilContextCancel(ctx, readyPoll, true, func(ctx context.Context) (bool, error) {
		err := g.ready(ctx)
		if err != nil && (last == nil || err.Error() != last.Error()) {
			log.Info("Waiting for the webhook serving certificate", "reason", err.Error())
		}
		last = err
		return err == nil, nil
	})
	if err != nil {
		return nil // stopped before the certificate was ready
	}
	return g.Server.Start(ctx)
}

// selfManaged sets up the certificate's cache (only the Secret and the webhook configuration, by
// name, so the RBAC can name them too), the leader's rotator, and the source every replica serves.
func selfManaged(mgr ctrl.Manager, c Certificate) (*servingCertificate, error) {
	if c.Secret.Namespace == "" || c.Secret.Name == "" || c.Configuration == "" || len(c.Hosts) == 0 {
		return nil, fmt.Errorf("a self-managed webhook certificate needs its Secret (namespace and name), the ValidatingWebhookConfiguration and the Service's host names")
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	objects, err := cache.New(mgr.GetConfig(), cache.Options{
		HTTPClient: mgr.GetHTTPClient(), Scheme: mgr.GetScheme(), Mapper: mgr.GetRESTMapper(),
		ByObject: map[client.Object]cache.ByObject{
			&corev1.Secret{}: {Namespaces: map[string]cache.Config{c.Secret.Namespace: {}},
				Field: fields.OneTermEqualSelector("metadata.name", c.Secret.Name)},
			&admissionregistrationv1.ValidatingWebhookConfiguration{}: {Field: fields.OneTermEqualSelector("metadata.name", c.Configuration)},
		},
		DefaultTransform: cache.TransformStripManagedFields(),
	})
	if err != nil {
		return nil, fmt.Errorf("create the webhook certificate cache: %w", err)
	}
	if err := mgr.Add(everyReplica{objects}); err != nil {
		return nil, fmt.Errorf("add the webhook certificate cache: %w", err)
	}
	if err := addRotator(mgr, objects, c); err != nil {
		return nil, err
	}
	return &servingCertificate{objects: objects, cert: c}, nil
}

// everyReplica runs a cache on every replica: the manager starts a plain cache on the leader only,
// and followers serve from it too.
type everyReplica struct{ cache.Cache }

func (everyReplica) NeedLeaderElection() bool { return false }

// servingCertificate is the Secret's serving certificate, as every replica reads it from the cache:
// parsed again only when the Secret changed.
type servingCertificate struct {
	objects cache.Cache
	cert    Certificate

	mu      sync.Mutex
	version string
	current *tls.Certificate
}

// ready says why the replica cannot serve yet, once its cache has started.
func (s *servingCertificate) ready(ctx context.Context) error {
	if !s.objects.WaitForCacheSync(ctx) {
		return ctx.Err()
	}
	_, err := s.load(ctx)
	return err
}

func (s *servingCertificate) load(ctx context.Context) (*tls.Certificate, error) {
	var secret corev1.Secret
	if err := s.objects.Get(ctx, s.cert.Secret, &secret); err != nil {
		return nil, fmt.Errorf("read the webhook certificate Secret %s: %w", s.cert.Secret, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if secret.ResourceVersion == s.version && s.current != nil {
		return s.current, nil
	}
	current, err := servingKeyPair(secret.Data, s.cert.Hosts, s.cert.Now())
	if err != nil {
		return nil, fmt.Errorf("webhook certificate Secret %s: %w", s.cert.Secret, err)
	}
	s.version, s.current = secret.ResourceVersion, current
	return current, nil
}

var _ manager.LeaderElectionRunnable = &gatedServer{}
