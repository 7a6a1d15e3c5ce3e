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
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/taskrouter-operator/taskrouter-operator/internal/taskrouter"
)

// Exit codes, as kubectl and linters use them.
const (
	exitOK       = 0
	exitFailed   = 1 // findings, or the command could not do its work
	exitUsage    = 2 // bad flags or arguments, or input that cannot be read
	displayName  = "kubectl taskrouter"
	userAgentFmt = "kubectl-taskrouter/%s"
)

// streams are the command's standard streams.
type streams struct {
	in          io.Reader
	out, errOut io.Writer
}

// app is what every subcommand shares: the streams, the environment and the
// global flags.
type app struct {
	streams
	getenv func(string) string
	kube   kubeFlags
	// started is set once cobra has parsed the command line: an error after
	// that is the command's own, before it a usage error.
	started bool
}

// exitError is an error with the exit code it ends the program with; err
// may be nil when the command has already said everything (lint findings).
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// usageError ends the program with exitUsage.
func usageError(err error) error { return &exitError{code: exitUsage, err: err} }

// run executes the command line and returns the exit code.
func run(ctx context.Context, args []string, s streams, getenv func(string) string) int {
	a := &app{streams: s, getenv: getenv}
	root := newRootCommand(a)
	root.SetArgs(args)
	root.SetIn(s.in)
	root.SetOut(s.out)
	root.SetErr(s.errOut)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return exitOK
	}
	var exit *exitError
	switch {
	case errors.As(err, &exit):
		if exit.err != nil {
			fmt.Fprintf(s.errOut, "error: %v\n", exit.err)
		}
		return exit.code
	case !a.started:
		fmt.Fprintf(s.errOut, "error: %v\nSee '%s --help' for usage.\n", err, cmd.CommandPath())
		return exitUsage
	}
	fmt.Fprintf(s.errOut, "error: %v\n", err)
	return exitFailed
}

func newRootCommand(a *app) *cobra.Command {
	root := &cobra.Command{
		Use:   "kubectl-taskrouter",
		Short: "Work with Twilio TaskRouter resources of taskrouter-operator",
		Long: `kubectl taskrouter works with the TaskRouter resources of taskrouter-operator
(Workspace, Activity, TaskQueue, Workflow, Worker, TaskChannel): lint checks
manifests offline, export writes an existing workspace as resources, preview
shows where a task would go and which workers a queue would select.

Exit codes: 0 success, 1 findings or a failed operation, 2 a usage error or
input that cannot be read.`,
		Example: `  # Check manifests before kubectl apply (offline, no cluster needed)
  kubectl taskrouter lint -f config/

  # Take over an existing workspace: export it, then apply what was exported
  kubectl taskrouter export --workspace "Acme Support" --workers > contact-center.yaml

  # Where would a Spanish task go, and who would get it?
  kubectl taskrouter preview workflow/inbound --task '{"language":"es"}'`,
		Version:       taskrouter.Version,
		SilenceUsage:  true,
		SilenceErrors: true,
		Annotations:   map[string]string{cobra.CommandDisplayNameAnnotation: displayName},
		PersistentPreRunE: func(*cobra.Command, []string) error {
			a.started = true
			return nil
		},
	}
	// No -v: kubectl spends it on log verbosity. No completion command: kubectl
	// completes plugins through their hidden __complete command.
	root.Flags().Bool("version", false, "print the version")
	root.CompletionOptions.DisableDefaultCmd = true
	a.kube.bind(root.PersistentFlags())
	root.AddCommand(newLintCommand(a), newExportCommand(a), newPreviewCommand(a))
	return root
}
