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

// Command kubectl-taskrouter is the kubectl plugin of taskrouter-operator:
// `kubectl taskrouter lint` checks manifests offline before kubectl apply,
// `export` writes an existing TaskRouter workspace as the operator's resources,
// and `preview` shows where a task would go and which workers a queue selects.
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
