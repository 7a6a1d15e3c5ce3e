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
	"runtime/debug"
	"time"

	admissionregistrationv1 "k8s.io/api/admissionregistration/v1"
	coordinationv1 "k8s.io/api/coordination/v1"
	corev1 "k8s.io/api/core/v1"
	eventsv1 "k8s.io/api/events/v1"
	"k8s.io/apimachinery/pkg/runtime"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
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
	taskRouterBaseURL  string
	eventBridgeBaseURL string
	// override holds the base URLs given on the command line: they win over every credentials
	// Secret's region and edge (see parseFlags).
	override                capability.URLs
	syncPeriod              time.Duration
	statisticsInterval      time.Duration
	apiQPS                  float64
	apiBurst                int
	maxConcurrentReconciles int
	election                electionFlags
	metrics                 metricsFlags
	webhook                 webhookFlags
	probeAddr               string
	pprofAddr               string
	namespace               string
	kubeconfig              string
	kubeQPS                 float64
	kubeBurst               int
	version                 bool
}

func parseFlags(args []string) (flags, zap.Options, error) {
	var f flags
	fs := flag.NewFlagSet("manager", flag.ContinueOnError)
	fs.StringVar(&f.taskRouterBaseURL, "taskrouter-base-url", capability.DefaultTaskRouterBaseURL,
		"TaskRouter REST API base URL for accounts whose credentials Secret names no region; given on the command line, it is used for every account, "+
			"whatever region and edge its Secret names (point it at taskrouter-emulator for local runs, or at a proxy)")
	fs.StringVar(&f.eventBridgeBaseURL, "event-bridge-base-url", capability.DefaultEventBridgeBaseURL,
		"event-bridge base URL that capability-token calls are tunnelled through, for accounts whose credentials Secret names no region; "+
			"given on the command line, it is used for every account, whatever region and edge its Secret names")
	fs.DurationVar(&f.syncPeriod, "sync-period", 10*time.Minute, "how often every object is checked for drift against TaskRouter (jittered by ±10%)")
	fs.DurationVar(&f.statisticsInterval, "statistics-interval", 30*time.Second, "default interval between statistics refreshes (spec.statistics.interval overrides; 0 turns polling off)")
	fs.Float64Var(&f.apiQPS, "api-qps", taskrouter.DefaultQPS, "ceiling on TaskRouter requests per second per Twilio account, reads and writes apart; below it the operator paces by TaskRouter's rate-limit headers and 429s")
	fs.IntVar(&f.apiBurst, "api-burst", taskrouter.DefaultBurst, "TaskRouter requests per Twilio account that may go at once")
	fs.IntVar(&f.maxConcurrentReconciles, "max-concurrent-reconciles", 8, "reconciles run at once per kind (each mostly waits on TaskRouter; the pace per account bounds the calls, not this)")
	f.election.bind(fs)
	fs.StringVar(&f.metrics.bindAddress, "metrics-bind-address", ":8443", "address of the Prometheus metrics endpoint (0 turns it off)")
	fs.BoolVar(&f.metrics.secure, "metrics-secure", true, "serve metrics over HTTPS to authenticated and authorized callers only (false: plain HTTP, for local runs)")
	fs.StringVar(&f.metrics.certPath, "metrics-cert-path", "", "directory with the metrics server's certificate and key (default: a self-signed certificate); reloaded when it changes")
	fs.StringVar(&f.metrics.certName, "metrics-cert-name", "tls.crt", "certificate file name in --metrics-cert-path")
	fs.StringVar(&f.metrics.keyName, "metrics-cert-key", "tls.key", "key file name in --metrics-cert-path")
	fs.BoolVar(&f.metrics.enableHTTP2, "enable-http2", false, "allow HTTP/2 on the metrics and webhook endpoints (off: HTTP/2 Rapid Reset and Stream Cancellation)")
	f.webhook.bind(fs)
	fs.StringVar(&f.probeAddr, "health-probe-bind-address", ":8081", "address of the /healthz and /readyz probes")
	fs.StringVar(&f.pprofAddr, "pprof-bind-address", "0", "address of Go's /debug/pprof profiles, for diagnosing a slow or memory-hungry manager; 0 (the default) serves none. Bind it to 127.0.0.1 and port-forward: the profiles are not authenticated")
	fs.StringVar(&f.namespace, "namespace", "", "watch only this namespace (default: all namespaces)")
	fs.Float64Var(&f.kubeQPS, "kube-api-qps", 0, "ceiling on Kubernetes API requests per second (0: none on the client, as controller-runtime's default; the API server's Priority and Fairness protects it)")
	fs.IntVar(&f.kubeBurst, "kube-api-burst", 0, "Kubernetes API requests that may go at once under --kube-api-qps (0: twice --kube-api-qps)")
	fs.StringVar(&f.kubeconfig, "kubeconfig", "", "kubeconfig file to use outside a cluster (default: $KUBECONFIG, then ~/.kube/config, then the in-cluster service account)")
	fs.BoolVar(&f.version, "version", false, "print the version and exit")
	var zopts zap.Options
	zopts.BindFlags(fs)
	if err := fs.Parse(args); err != nil {
		return f, zopts, err
	}
	f.override = givenBaseURLs(fs, f)
	for name, raw := range map[string]string{"--taskrouter-base-url": f.taskRouterBaseURL, "--event-bridge-base-url": f.eventBridgeBaseURL} {
		if u, err := url.Parse(raw); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return f, zopts, fmt.Errorf("%s %q: want an http(s) URL such as https://taskrouter.twilio.com", name, raw)
		}
	}
	if f.kubeQPS < 0 || f.kubeBurst < 0 {
		return f, zopts, fmt.Errorf("--kube-api-qps and --kube-api-burst must be >= 0 (0: no client-side limit)")
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
	if err := f.election.validate(); err != nil {
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
	collectGarbageSooner()
	// Nothing may run after run returns: with --leader-elect the Lease is
	// released by then and another replica may already be leading.
	if err := run(f); err != nil {
		ctrl.Log.Error(err, "Manager stopped")
		os.Exit(1)
	}
}

// gcPercent is the manager's garbage collection target unless GOGC says otherwise: the heap may grow
// half again over what is live between collections, not double as by Go's default. The manager's heap
// is nearly all its caches, which stay; what it allocates in between (statistics pages, scrapes) is
// short-lived, so collecting twice as often costs little CPU once converged and keeps the RSS near
// what is live (see "Memory at 10,000 objects" in the README).
const gcPercent = 50

// collectGarbageSooner applies gcPercent unless the GOGC environment variable is set.
func collectGarbageSooner() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(gcPercent)
	}
}

// managerScheme holds the kinds the manager reads and writes: its own, and the few built-in ones
// (Secrets and ConfigMaps, Events, Leases, the webhook's configuration). Every built-in kind of
// client-go's scheme was another megabyte of type tables for nothing.
func managerScheme() *runtime.Scheme {
	scheme := runtime.NewScheme()
	utilruntime.Must(corev1.AddToScheme(scheme))
	utilruntime.Must(eventsv1.AddToScheme(scheme))
	utilruntime.Must(coordinationv1.AddToScheme(scheme))
	utilruntime.Must(admissionregistrationv1.AddToScheme(scheme))
	utilruntime.Must(trv1.AddToScheme(scheme))
	return scheme
}

func run(f flags) error {
	scheme := managerScheme()

	metricsOpts, certWatcher, err := metricsServing(f.metrics)
	if err != nil {
		return err
	}
	opts := ctrl.Options{
		Scheme:                 scheme,
		Metrics:                metricsOpts,
		HealthProbeBindAddress: f.probeAddr,
		PprofBindAddress:       f.pprofAddr,
	}
	f.election.apply(&opts)
	opts.Cache = controllers.CacheOptions()
	if f.namespace != "" {
		opts.Cache.DefaultNamespaces = map[string]cache.Config{f.namespace: {}}
	}
	restConfig, err := restConfig(f.kubeconfig, f.kubeQPS, f.kubeBurst)
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
	cfg := f.clientConfig()
	cfg.Metrics, cfg.Logger = m, ctrl.Log.WithName("taskrouter")
	if err := controllers.SetupAll(mgr, controllers.Options{
		TaskRouter:              taskrouter.New(cfg),
		SyncPeriod:              f.syncPeriod,
		MaxConcurrentReconciles: f.maxConcurrentReconciles,
		StatisticsInterval:      f.statisticsInterval,
		Metrics:                 m,
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
	candidacy := newCandidacy()
	if err := mgr.Add(candidacy); err != nil {
		return fmt.Errorf("add the readiness latch: %w", err)
	}
	if err := mgr.AddReadyzCheck("candidacy", candidacy.ready); err != nil {
		return err
	}
	ctrl.Log.Info("Starting manager", "version", taskrouter.Version, "taskrouterBaseURL", f.taskRouterBaseURL,
		"taskrouterBaseURLOverride", f.override.TaskRouter, "eventBridgeBaseURLOverride", f.override.EventBridge, "namespace", f.namespace,
		"metricsBindAddress", f.metrics.bindAddress, "metricsSecure", f.metrics.secure, "leaderElect", f.election.enabled,
		"leaseDuration", f.election.leaseDuration.String(), "renewDeadline", f.election.renewDeadline.String(),
		"retryPeriod", f.election.retryPeriod.String(), "gracefulShutdownTimeout", f.election.gracefulShutdown.String(),
		"webhookBindAddress", f.webhook.bindAddress)
	// Start has released the Lease when it returns (electionFlags.apply):
	// main must exit right after, doing nothing a leader would.
	return mgr.Start(ctrl.SetupSignalHandler())
}

// givenBaseURLs are the base-URL flags set on the command line, the overrides of every Secret's
// region and edge. "Given" is "set on the command line" (flag.Visit sees only those), even to the
// default value: --taskrouter-base-url=https://taskrouter.twilio.com pins every account to the global
// host. A flag left out leaves each account's region and edge in charge.
func givenBaseURLs(fs *flag.FlagSet, f flags) capability.URLs {
	var given capability.URLs
	fs.Visit(func(fl *flag.Flag) {
		switch fl.Name {
		case "taskrouter-base-url":
			given.TaskRouter = f.taskRouterBaseURL
		case "event-bridge-base-url":
			given.EventBridge = f.eventBridgeBaseURL
		}
	})
	return given
}

// clientConfig is the TaskRouter client's configuration from the flags: the base URLs are the default
// of accounts whose Secret names no region, and the ones given on the command line override all.
func (f flags) clientConfig() taskrouter.Config {
	return taskrouter.Config{
		TaskRouterBaseURL:  f.taskRouterBaseURL,
		EventBridgeBaseURL: f.eventBridgeBaseURL,
		Override:           f.override,
		QPS:                f.apiQPS,
		Burst:              f.apiBurst,
	}
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

// restConfig loads an explicit kubeconfig, else controller-runtime's usual chain ($KUBECONFIG,
// ~/.kube/config, in-cluster), with the client-side pace of --kube-api-qps. Left at 0 the pace is
// off whichever way the config was found: a kubeconfig loaded here would otherwise get client-go's
// 5 requests a second, which held a 1,000-object converge to about 2 objects a second (each costs
// a finalizer and a status patch or two) while in-cluster runs had no limit.
func restConfig(path string, qps float64, burst int) (*rest.Config, error) {
	var cfg *rest.Config
	var err error
	if path == "" {
		cfg, err = ctrl.GetConfig()
	} else if cfg, err = clientcmd.BuildConfigFromFlags("", path); err != nil {
		err = fmt.Errorf("--kubeconfig %s: %w", path, err)
	}
	if err != nil {
		return nil, err
	}
	cfg.QPS, cfg.Burst = -1, 0
	if qps > 0 {
		cfg.QPS, cfg.Burst = float32(qps), burst
		if burst <= 0 {
			cfg.Burst = max(1, int(2*qps))
		}
	}
	return cfg, nil
}
