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
	"crypto/tls"
	"fmt"
	"path/filepath"

	"sigs.k8s.io/controller-runtime/pkg/certwatcher"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"
)

// metricsFlags configure the /metrics endpoint, as kubebuilder scaffolds it.
type metricsFlags struct {
	bindAddress string
	// secure serves HTTPS and lets only callers that authenticate (TokenReview)
	// and may "get" the non-resource URL /metrics (SubjectAccessReview) read it.
	secure bool
	// certPath holds certName and keyName; empty means a self-signed certificate.
	certPath, certName, keyName string
	// enableHTTP2 is off by default: HTTP/2 Rapid Reset and Stream
	// Cancellation (CVE-2023-44487, CVE-2023-39325) make HTTP/1.1 the safer default.
	// The webhook server follows it too, as kubebuilder's --enable-http2 does.
	enableHTTP2 bool
}

func (m metricsFlags) validate() error {
	if m.certPath != "" && !m.secure {
		return fmt.Errorf("--metrics-cert-path is set but --metrics-secure=false serves plain HTTP: drop one of them")
	}
	return nil
}

// metricsServing returns the metrics server options and, when a certificate
// directory is given, the watcher that reloads a rotated certificate (it must
// be added to the manager).
func metricsServing(m metricsFlags) (metricsserver.Options, *certwatcher.CertWatcher, error) {
	opts := metricsserver.Options{BindAddress: m.bindAddress, SecureServing: m.secure}
	if !m.enableHTTP2 {
		opts.TLSOpts = append(opts.TLSOpts, func(c *tls.Config) { c.NextProtos = []string{"http/1.1"} })
	}
	if !m.secure {
		return opts, nil, nil
	}
	opts.FilterProvider = authenticatedMetrics
	if m.certPath == "" {
		// controller-runtime generates a self-signed certificate.
		return opts, nil, nil
	}
	watcher, err := certwatcher.New(filepath.Join(m.certPath, m.certName), filepath.Join(m.certPath, m.keyName))
	if err != nil {
		return opts, nil, fmt.Errorf("--metrics-cert-path %s: load %s and %s: %w", m.certPath, m.certName, m.keyName, err)
	}
	opts.TLSOpts = append(opts.TLSOpts, func(c *tls.Config) { c.GetCertificate = watcher.GetCertificate })
	return opts, watcher, nil
}
