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
	"flag"
	"fmt"
	"net"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"

	"github.com/taskrouter-operator/taskrouter-operator/internal/webhook"
)

// webhookFlags configure the validating webhook (internal/webhook). It is off unless a bind address
// is given: only an install creates the Service, Secret and webhook configuration it needs, and a
// manager run outside the cluster (make demo, make run) is not reachable by the API server anyway.
type webhookFlags struct {
	bindAddress string
	// certPath serves a certificate kept by someone else (cert-manager); else the manager keeps one
	// in certSecret and publishes its CA to configuration.
	certPath      string
	certSecret    string
	configuration string
	service       string
}

func (w *webhookFlags) bind(fs *flag.FlagSet) {
	fs.StringVar(&w.bindAddress, "webhook-bind-address", "0", "address of the validating admission webhook, e.g. :9443 (0 turns it off: the reconcile still refuses a bad expression)")
	fs.StringVar(&w.certPath, "webhook-cert-path", "", "directory with the webhook's tls.crt and tls.key kept by someone else, e.g. cert-manager (default: the manager keeps its own in --webhook-cert-secret)")
	fs.StringVar(&w.certSecret, "webhook-cert-secret", "", "namespace/name of the Secret the manager keeps the webhook's CA and certificate in; the namespace is the webhook Service's")
	fs.StringVar(&w.configuration, "webhook-configuration", "", "ValidatingWebhookConfiguration whose caBundle the manager keeps")
	fs.StringVar(&w.service, "webhook-service", "", "Service the API server calls the webhook through (in the Secret's namespace): the certificate's host names")
}

func (w webhookFlags) enabled() bool { return w.bindAddress != "0" }

// options checks the flags and turns them into the webhook's options.
func (w webhookFlags) options(enableHTTP2 bool) (webhook.Options, error) {
	host, portText, err := net.SplitHostPort(w.bindAddress)
	port, portErr := strconv.Atoi(portText)
	if err != nil || portErr != nil || port < 1 || port > 65535 {
		return webhook.Options{}, fmt.Errorf("--webhook-bind-address %q: want host:port such as :9443, or 0 to turn the webhook off", w.bindAddress)
	}
	opts := webhook.Options{Host: host, Port: port, EnableHTTP2: enableHTTP2}
	if w.certPath != "" {
		if w.certSecret != "" || w.configuration != "" || w.service != "" {
			return opts, fmt.Errorf("--webhook-cert-path serves a certificate kept elsewhere: drop --webhook-cert-secret, --webhook-configuration and --webhook-service, which are for the certificate the manager keeps")
		}
		opts.CertDir = w.certPath
		return opts, nil
	}
	namespace, name, ok := strings.Cut(w.certSecret, "/")
	if !ok || namespace == "" || name == "" || strings.Contains(name, "/") {
		return opts, fmt.Errorf("--webhook-cert-secret %q: want namespace/name of the Secret the manager keeps the webhook certificate in (or --webhook-cert-path, or --webhook-bind-address=0 to turn the webhook off)", w.certSecret)
	}
	if w.configuration == "" || w.service == "" {
		return opts, fmt.Errorf("--webhook-cert-secret needs --webhook-configuration (whose caBundle the manager keeps) and --webhook-service (the certificate's host)")
	}
	opts.Certificate = webhook.Certificate{Secret: types.NamespacedName{Namespace: namespace, Name: name},
		Configuration: w.configuration, Hosts: webhook.ServiceHosts(w.service, namespace)}
	return opts, nil
}

// addWebhook serves the webhook with mgr when it is on; the pod is Ready once it serves.
func addWebhook(mgr ctrl.Manager, w webhookFlags, enableHTTP2 bool) error {
	if !w.enabled() {
		return nil
	}
	opts, err := w.options(enableHTTP2)
	if err != nil {
		return err
	}
	started, err := webhook.Add(mgr, opts)
	if err != nil {
		return err
	}
	return mgr.AddReadyzCheck("webhook", started)
}
