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
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/taskrouter-operator/taskrouter-operator/internal/lint"
)

func newLintCommand(a *app) *cobra.Command {
	var files []string
	var output outputFlag
	cmd := &cobra.Command{
		Use:   "lint -f FILE|DIR|- [-f ...]",
		Short: "Check TaskRouter manifests offline before kubectl apply",
		Long: `Check TaskRouter manifests offline, without a cluster: each object against
the CRD schema (unknown or mistyped fields, enums, ranges, CEL rules), every
expression (targetWorkers, filter and target expressions, orderBy, skipIf) as
the operator parses it, and the references and names across all the files
(a queueRef to a TaskQueue that is not defined, a repeated friendly name, an
activity of another Workspace).

Each finding is printed as "file:line: field: message"; an expression error
names its position inside the expression, and the line is the line of the
offending character even inside a multi-line block scalar. Directories are
read recursively for *.yaml and *.yml; objects of other API groups are
skipped. Objects without metadata.namespace are in the namespace of -n, else
"default" (the kubeconfig is not read).

Exit status: 0 when there is no error (warnings alone pass), 1 when there are
errors, 2 when the flags are wrong or a file cannot be read.`,
		Example: `  # Lint a directory of manifests in CI, before kubectl apply
  kubectl taskrouter lint -f config/contact-center/

  # Lint what kustomize renders
  kustomize build overlays/prod | kubectl taskrouter lint -f -

  # Findings as JSON for a CI annotation step
  kubectl taskrouter lint -f config/ -o json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := output.validate(); err != nil {
				return err
			}
			sources, err := lint.ReadSources(files, a.in)
			if err != nil {
				return usageError(err)
			}
			report := lint.Lint(sources, lint.Options{Namespace: a.kube.namespace})
			if output.format == "text" {
				printFindings(a.out, a.errOut, report)
			} else if err := output.print(a.out, report); err != nil {
				return err
			}
			if report.Errors > 0 {
				return &exitError{code: exitFailed}
			}
			return nil
		},
	}
	cmd.Flags().StringArrayVarP(&files, "filename", "f", nil, "file or directory to lint, or - for standard input (repeatable)")
	output.bind(cmd.Flags(), "text", "json", "yaml")
	return cmd
}

// printFindings writes one line per finding, then a summary on stderr so
// that stdout holds nothing but findings.
func printFindings(out, errOut io.Writer, r lint.Report) {
	for _, f := range r.Findings {
		fmt.Fprintln(out, f)
	}
	fmt.Fprintf(errOut, "%s, %s in %s (%s)\n", plural(r.Errors, "error"), plural(r.Warnings, "warning"),
		plural(r.Files, "file"), plural(r.Objects, "TaskRouter object"))
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
