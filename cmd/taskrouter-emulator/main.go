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
	fs.BoolVar(&o.simulate, "simulate", false, "keep tasks arriving and workers changing activity in every workspace, so statistics move (demo)")
	fs.Int64Var(&cfg.Seed, "seed", time.Now().UnixNano(), "seed of fault injection, for reproducible runs")
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
	return o, o.resolveCredentials()
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
	listener, err := net.Listen("tcp", o.listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", o.listen, err)
	}
	emu := emulator.New(o.config)
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
		"faults", o.config.Faults.String(), "writeRate", o.config.WriteRate, "seed", o.config.Seed)
	if o.devCreds {
		printDevCredentials(stdout, baseURL)
	}
	srv := &http.Server{Handler: emu, ReadHeaderTimeout: 10 * time.Second}
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
