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

// Command manager runs the taskrouter-operator controllers. Outside a cluster
// it uses KUBECONFIG; inside, its service account.
package main

import (
	"flag"
	"fmt"
	"net/url"
	"os"
	"time"

	"k8s.io/apimachinery/pkg/runtime"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/healthz"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	ctrlmetrics "sigs.k8s.io/controller-runtime/pkg/metrics"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/controllers"
	"github.com/taskrouter-operator/taskrouter-operator/internal/capability"
	"github.com/taskrouter-operator/taskrouter-operator/internal/metrics"
	"github.com/taskrouter-operator/taskrouter-operator/internal/taskrouter"
)

// flags are the manager's command-line settings (API.md, "Manager").
type flags struct {
	taskRouterBaseURL       string
	eventBridgeBaseURL      string
	syncPeriod              time.Duration
	statisticsInterval      time.Duration
	apiQPS                  float64
	apiBurst                int
	maxConcurrentReconciles int
	leaderElect             bool
	leaderElectionNamespace string
	metrics                 metricsFlags
	webhook                 webhookFlags
	probeAddr               string
	namespace               string
	kubeconfig              string
	version                 bool
}

func parseFlags(args []string) (flags, zap.Options, error) {
	var f flags
	fs := flag.NewFlagSet("manager", flag.ContinueOnError)
	fs.StringVar(&f.taskRouterBaseURL, "taskrouter-base-url", capability.DefaultTaskRouterBaseURL, "TaskRouter REST API base URL (point it at taskrouter-emulator for local runs)")
	fs.StringVar(&f.eventBridgeBaseURL, "event-bridge-base-url", capability.DefaultEventBridgeBaseURL, "event-bridge base URL that capability-token calls are tunnelled through")
	fs.DurationVar(&f.syncPeriod, "sync-period", 10*time.Minute, "how often every object is checked for drift against TaskRouter (jittered by ±10%)")
	fs.DurationVar(&f.statisticsInterval, "statistics-interval", 30*time.Second, "default interval between statistics refreshes (spec.statistics.interval overrides; 0 turns polling off)")
	fs.Float64Var(&f.apiQPS, "api-qps", taskrouter.DefaultQPS, "ceiling on TaskRouter requests per second per Twilio account, reads and writes apart; below it the operator paces by TaskRouter's rate-limit headers and 429s")
	fs.IntVar(&f.apiBurst, "api-burst", taskrouter.DefaultBurst, "TaskRouter requests per Twilio account that may go at once")
	fs.IntVar(&f.maxConcurrentReconciles, "max-concurrent-reconciles", 2, "reconciles run at once per kind")
	fs.BoolVar(&f.leaderElect, "leader-elect", false, "elect a leader so only one replica reconciles")
	fs.StringVar(&f.leaderElectionNamespace, "leader-election-namespace", "", "namespace of the leader-election Lease (default: the manager's own namespace)")
	fs.StringVar(&f.metrics.bindAddress, "metrics-bind-address", ":8443", "address of the Prometheus metrics endpoint (0 turns it off)")
	fs.BoolVar(&f.metrics.secure, "metrics-secure", true, "serve metrics over HTTPS to authenticated and authorized callers only (false: plain HTTP, for local runs)")
	fs.StringVar(&f.metrics.certPath, "metrics-cert-path", "", "directory with the metrics server's certificate and key (default: a self-signed certificate); reloaded when it changes")
	fs.StringVar(&f.metrics.certName, "metrics-cert-name", "tls.crt", "certificate file name in --metrics-cert-path")
	fs.StringVar(&f.metrics.keyName, "metrics-cert-key", "tls.key", "key file name in --metrics-cert-path")
	fs.BoolVar(&f.metrics.enableHTTP2, "enable-http2", false, "allow HTTP/2 on the metrics and webhook endpoints (off: HTTP/2 Rapid Reset and Stream Cancellation)")
	f.webhook.bind(fs)
	fs.StringVar(&f.probeAddr, "health-probe-bind-address", ":8081", "address of the /healthz and /readyz probes")
	fs.StringVar(&f.namespace, "namespace", "", "watch only this namespace (default: all namespaces)")
	fs.StringVar(&f.kubeconfig, "kubeconfig", "", "kubeconfig file to use outside a cluster (default: $KUBECONFIG, then ~/.kube/config, then the in-cluster service account)")
	fs.BoolVar(&f.version, "version", false, "print the version and exit")
	var zopts zap.Options
	zopts.BindFlags(fs)
	if err := fs.Parse(args); err != nil {
		return f, zopts, err
	}
	for name, raw := range map[string]string{"--taskrouter-base-url": f.taskRouterBaseURL, "--event-bridge-base-url": f.eventBridgeBaseURL} {
		if u, err := url.Parse(raw); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return f, zopts, fmt.Errorf("%s %q: want an http(s) URL such as https://taskrouter.twilio.com", name, raw)
		}
	}
	if f.apiQPS <= 0 || f.apiBurst < 1 {
		return f, zopts, fmt.Errorf("--api-qps must be > 0 and --api-burst >= 1")
	}
	if f.statisticsInterval < 0 {
		return f, zopts, fmt.Errorf("--statistics-interval %s is negative: use 0 to turn polling off", f.statisticsInterval)
	}
	if f.syncPeriod < time.Second {
		return f, zopts, fmt.Errorf("--sync-period %s is too short: use at least 1s", f.syncPeriod)
	}
	if err := f.metrics.validate(); err != nil {
		return f, zopts, err
	}
	if f.webhook.enabled() {
		if _, err := f.webhook.options(f.metrics.enableHTTP2); err != nil {
			return f, zopts, err
		}
	}
	return f, zopts, nil
}

func main() {
	f, zopts, err := parseFlags(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	if f.version {
		fmt.Println(taskrouter.Version)
		return
	}
	ctrl.SetLogger(zap.New(zap.UseFlagOptions(&zopts)))
	if err := run(f); err != nil {
		ctrl.Log.Error(err, "Manager stopped")
		os.Exit(1)
	}
}

func run(f flags) error {
	scheme := runtime.NewScheme()
	utilruntime.Must(clientgoscheme.AddToScheme(scheme))
	utilruntime.Must(trv1.AddToScheme(scheme))

	metricsOpts, certWatcher, err := metricsServing(f.metrics)
	if err != nil {
		return err
	}
	opts := ctrl.Options{
		Scheme:                  scheme,
		Metrics:                 metricsOpts,
		HealthProbeBindAddress:  f.probeAddr,
		LeaderElection:          f.leaderElect,
		LeaderElectionID:        "taskrouter-operator.operator.dev",
		LeaderElectionNamespace: f.leaderElectionNamespace,
	}
	opts.Cache = controllers.CacheOptions()
	if f.namespace != "" {
		opts.Cache.DefaultNamespaces = map[string]cache.Config{f.namespace: {}}
	}
	restConfig, err := restConfig(f.kubeconfig)
	if err != nil {
		return err
	}
	mgr, err := ctrl.NewManager(restConfig, opts)
	if err != nil {
		return fmt.Errorf("create manager: %w", err)
	}
	if certWatcher != nil {
		if err := mgr.Add(certWatcher); err != nil {
			return fmt.Errorf("watch the metrics certificate: %w", err)
		}
	}
	m, err := metrics.New(ctrlmetrics.Registry)
	if err != nil {
		return err
	}
	client := taskrouter.New(taskrouter.Config{
		Metrics:            m,
		TaskRouterBaseURL:  f.taskRouterBaseURL,
		EventBridgeBaseURL: f.eventBridgeBaseURL,
		QPS:                f.apiQPS,
		Burst:              f.apiBurst,
		Logger:             ctrl.Log.WithName("taskrouter"),
	})
	if err := controllers.SetupAll(mgr, controllers.Options{
		TaskRouter:              client,
		SyncPeriod:              f.syncPeriod,
		MaxConcurrentReconciles: f.maxConcurrentReconciles,
		StatisticsInterval:      f.statisticsInterval,
		Metrics:                 m,
		CapabilityURLs:          capability.URLs{TaskRouter: f.taskRouterBaseURL, EventBridge: f.eventBridgeBaseURL},
		Namespaces:              nonEmpty(f.namespace),
	}); err != nil {
		return err
	}
	if err := addWebhook(mgr, f.webhook, f.metrics.enableHTTP2); err != nil {
		return err
	}
	if err := mgr.AddHealthzCheck("healthz", healthz.Ping); err != nil {
		return err
	}
	if err := mgr.AddReadyzCheck("readyz", healthz.Ping); err != nil {
		return err
	}
	ctrl.Log.Info("Starting manager", "version", taskrouter.Version, "taskrouterBaseURL", f.taskRouterBaseURL, "namespace", f.namespace,
		"metricsBindAddress", f.metrics.bindAddress, "metricsSecure", f.metrics.secure, "webhookBindAddress", f.webhook.bindAddress)
	return mgr.Start(ctrl.SetupSignalHandler())
}

func nonEmpty(values ...string) []string {
	var out []string
	for _, v := range values {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

// restConfig loads an explicit kubeconfig, else controller-runtime's usual
// chain ($KUBECONFIG, ~/.kube/config, in-cluster).
func restConfig(path string) (*rest.Config, error) {
	if path == "" {
		return ctrl.GetConfig()
	}
	cfg, err := clientcmd.BuildConfigFromFlags("", path)
	if err != nil {
		return nil, fmt.Errorf("--kubeconfig %s: %w", path, err)
	}
	return cfg, nil
}
