// Command kubectl-taskrouter is the kubectl plugin of taskrouter-operator:
// `kubectl taskrouter lint` checks manifests offline before kubectl apply.
// Install it on your PATH (go install .../cmd/kubectl-taskrouter@latest, or
// make build) and kubectl finds it.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], streams{in: os.Stdin, out: os.Stdout, errOut: os.Stderr}, os.Getenv)
	stop()
	os.Exit(code)
}
