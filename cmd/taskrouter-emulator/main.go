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

// Command taskrouter-emulator serves an in-memory Twilio TaskRouter for tests, the
// demo and local development: the REST API and the event-bridge channel on one
// listener, plus /metrics and /healthz.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator"
)

// shutdownGrace is how long in-flight calls get to finish on SIGINT/SIGTERM.
const shutdownGrace = 5 * time.Second

// maxHeaderBytes bounds a request's headers. TaskRouter's calls carry a Basic
// auth header, an If-Match and a few standard ones; capability tokens travel in
// the channel message's body, so 64 KiB is far more than a client needs. The
// body is bounded by the emulator itself (4 MiB: a 1 MB Workflow configuration,
// form-encoded).
const maxHeaderBytes = 64 << 10

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "taskrouter-emulator:", err)
		os.Exit(1)
	}
}

// options are the command line.
type options struct {
	listen    string
	config    emulator.Config
	devCreds  bool
	faultSpec string
	simulate  bool
	timeouts  timeouts
	// flexWorkspace names a Flex project's workspace to create at start.
	flexWorkspace string
}

// timeouts bound how long the server waits for a client and for itself, so a
// request that declares more than it sends is answered (or its connection
// closed) within seconds, as a real front end would, instead of holding a
// connection for ever and hiding the client's bug.
type timeouts struct {
	// readHeader is how long a client has to send the request line and headers.
	readHeader time.Duration
	// read is how long a client has to send the whole request, body included.
	read time.Duration
	// write is how long answering may take, from the end of the headers; it
	// covers injected latency too.
	write time.Duration
	// idle is how long a keep-alive connection may wait for its next request.
	idle time.Duration
}

func parseOptions(args []string, stderr io.Writer) (options, error) {
	fs := flag.NewFlagSet("taskrouter-emulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	cfg := &o.config
	fs.StringVar(&o.listen, "listen", "127.0.0.1:8080", "address to serve the REST API, the event-bridge channel, /metrics and /healthz on")
	fs.StringVar(&cfg.AccountSID, "account-sid", "", "account SID (AC...); with --auth-token. Omit all credentials to use the printed development ones")
	fs.StringVar(&cfg.AuthToken, "auth-token", "", "auth token: Basic auth password for the account SID, and the key capability tokens are signed with")
	fs.StringVar(&cfg.APIKeySID, "api-key-sid", "", "optional API key SID (SK...) accepted as Basic auth user")
	fs.StringVar(&cfg.APIKeySecret, "api-key-secret", "", "secret of --api-key-sid")
	fs.StringVar(&o.faultSpec, "faults", "", "faults to inject, e.g. 429=0.2,500=0.05,commitfail=0.3,latency=50ms")
	fs.Float64Var(&cfg.WriteRate, "write-rate", 0, "answer 429 to writes beyond this many per second (0: no limit)")
	fs.StringVar(&o.flexWorkspace, "flex-workspace", "", `create at start a workspace with this friendly name and the built-ins of a Flex project's workspace (email channel, Break activity, "Everyone" queue, "Assign to Anyone" workflow), e.g. "Flex Task Assignment"`)
	fs.BoolVar(&o.simulate, "simulate", false, "keep tasks arriving and workers changing activity in every workspace, so statistics move (demo)")
	fs.Int64Var(&cfg.Seed, "seed", time.Now().UnixNano(), "seed of fault injection and of --simulate, for reproducible runs")
	fs.DurationVar(&o.timeouts.readHeader, "read-header-timeout", 5*time.Second, "how long a client may take to send a request's headers")
	fs.DurationVar(&o.timeouts.read, "read-timeout", 5*time.Second, "how long a client may take to send a whole request, body included; a shorter body than declared is answered 400 after it")
	fs.DurationVar(&o.timeouts.write, "write-timeout", 30*time.Second, "how long answering a request may take, injected latency included")
	fs.DurationVar(&o.timeouts.idle, "idle-timeout", 60*time.Second, "how long a keep-alive connection may wait for its next request")
	if err := fs.Parse(args); err != nil {
		return options{}, err
	}
	if fs.NArg() > 0 {
		return options{}, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	faults, err := emulator.ParseFaults(o.faultSpec)
	if err != nil {
		return options{}, fmt.Errorf("--faults: %w", err)
	}
	cfg.Faults = faults
	if cfg.WriteRate < 0 {
		return options{}, errors.New("--write-rate must not be negative")
	}
	if err := o.timeouts.validate(); err != nil {
		return options{}, err
	}
	return o, o.resolveCredentials()
}

// validate refuses a timeout that is not positive, naming its flag.
func (t timeouts) validate() error {
	for _, f := range []struct {
		flag  string
		value time.Duration
	}{{"--read-header-timeout", t.readHeader}, {"--read-timeout", t.read}, {"--write-timeout", t.write}, {"--idle-timeout", t.idle}} {
		if f.value <= 0 {
			return fmt.Errorf("%s=%s: want a positive duration such as 5s", f.flag, f.value)
		}
	}
	return nil
}

// resolveCredentials applies the development credentials when none were given,
// and refuses half-given ones.
func (o *options) resolveCredentials() error {
	cfg := &o.config
	if cfg.AccountSID == "" && cfg.AuthToken == "" && cfg.APIKeySID == "" && cfg.APIKeySecret == "" {
		o.devCreds = true
		cfg.AccountSID, cfg.AuthToken = emulator.DevAccountSID, emulator.DevAuthToken
		cfg.APIKeySID, cfg.APIKeySecret = emulator.DevAPIKeySID, emulator.DevAPIKeySecret
		return nil
	}
	if cfg.AccountSID == "" || cfg.AuthToken == "" {
		return errors.New("--account-sid and --auth-token go together")
	}
	if (cfg.APIKeySID == "") != (cfg.APIKeySecret == "") {
		return errors.New("--api-key-sid and --api-key-secret go together")
	}
	return nil
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	o, err := parseOptions(args, os.Stderr)
	if err != nil {
		return err
	}
	emu := emulator.New(o.config)
	if o.flexWorkspace != "" {
		if _, err := emu.Admin().CreateFlexWorkspace(o.flexWorkspace); err != nil {
			return fmt.Errorf("--flex-workspace=%q: %w", o.flexWorkspace, err)
		}
	}
	listener, err := net.Listen("tcp", o.listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", o.listen, err)
	}
	if o.simulate {
		go emu.Simulate(ctx)
	}
	return serve(ctx, listener, emu, o, stdout)
}

// serve runs the emulator on listener until ctx ends, then shuts down gracefully.
func serve(ctx context.Context, listener net.Listener, emu *emulator.Emulator, o options, stdout io.Writer) error {
	baseURL := "http://" + listener.Addr().String()
	log := slog.New(slog.NewTextHandler(stdout, nil))
	log.Info("TaskRouter emulator listening", "baseURL", baseURL, "account", o.config.AccountSID,
		"faults", o.config.Faults.String(), "writeRate", o.config.WriteRate, "seed", o.config.Seed,
		"readHeaderTimeout", o.timeouts.readHeader, "readTimeout", o.timeouts.read,
		"writeTimeout", o.timeouts.write, "idleTimeout", o.timeouts.idle)
	for _, ws := range emu.Admin().Workspaces() {
		log.Info("workspace ready", "sid", ws.SID, "friendlyName", ws.FriendlyName)
	}
	if o.devCreds {
		printDevCredentials(stdout, baseURL)
	}
	srv := newServer(emu, o.timeouts)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(listener) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("Shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// newServer is the HTTP server the program runs the emulator in.
func newServer(handler http.Handler, t timeouts) *http.Server {
	return &http.Server{Handler: handler, ReadHeaderTimeout: t.readHeader, ReadTimeout: t.read, WriteTimeout: t.write,
		IdleTimeout: t.idle, MaxHeaderBytes: maxHeaderBytes}
}

// printDevCredentials tells a developer how to point the operator at this
// emulator. It runs only with the fixed development credentials, never with
// credentials given on the command line.
func printDevCredentials(w io.Writer, baseURL string) {
	fmt.Fprintf(w, `
Development credentials (only valid for this emulator):
  Account SID:    %[2]s
  Auth token:     %[3]s
  API key SID:    %[4]s
  API key secret: %[5]s

Point the manager at it:
  --taskrouter-base-url=%[1]s --event-bridge-base-url=%[1]s

Credentials Secret for your Workspace's spec.credentialsRef:
---
apiVersion: v1
kind: Secret
metadata:
  name: taskrouter-credentials
type: Opaque
stringData:
  accountSid: %[2]s
  authToken: %[3]s
  apiKeySid: %[4]s
  apiKeySecret: %[5]s
---
`, baseURL, emulator.DevAccountSID, emulator.DevAuthToken, emulator.DevAPIKeySID, emulator.DevAPIKeySecret)
}
