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
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/taskrouter-operator/taskrouter-operator/internal/export"
	"github.com/taskrouter-operator/taskrouter-operator/internal/snapshot"
)

// exportOptions are export's own flags.
type exportOptions struct {
	workspace, dir, credentialsRef string
	workers, manage                bool
}

func newExportCommand(a *app) *cobra.Command {
	var o exportOptions
	var tr taskRouterFlags
	cmd := &cobra.Command{
		Use:   "export --workspace WS...|NAME [--workers] [--manage] [-n NAMESPACE] [--dir DIR]",
		Short: "Write an existing TaskRouter workspace as the operator's resources",
		Long: `Read a TaskRouter workspace and write it as the operator's resources: the
Workspace, its Activities, TaskChannels, TaskQueues and Workflows, and with
--workers its Workers. Every queue SID in a workflow's routing becomes a
queueRef to the exported TaskQueue, every activity SID an activity reference.

Each resource adopts its remote object by spec.sid with managementPolicy
ObserveOnly (--manage: Manage) and deletionPolicy Orphan, and carries only
the fields whose values differ from TaskRouter's defaults. Applied, every
resource becomes Ready (reason Observed) without a single write to TaskRouter;
switched to Manage it still writes nothing until the spec changes.

metadata.name derives from the friendly name (a TaskChannel's from its unique
name): lower case, other characters as "-"; names that derive alike get SID
digits appended. The output is sorted, so exporting the same workspace twice
gives the same bytes. No credential is written: the Workspace names the
Secret of --credentials-ref, which you create beside it.

Built-in TaskChannels (default, voice, chat, sms, video, email) are exported
only when their settings were changed. A worker's channels are exported where
their capacity or availability differs from a new worker's (capacity 1,
available), with channelPolicy Initial: supervisors keep changing them. A
worker's activity is not exported: it is its agent's, not configuration.

Without --dir the resources go to standard output as one YAML stream; with
--dir DIR one file per kind and a kustomization.yaml are written there.
Warnings about what cannot be exported faithfully go to standard error.`,
		Example: `  # Export a workspace by friendly name, with its workers, into one file
  kubectl taskrouter export --workspace "Acme Support" --workers > contact-center.yaml

  # The same by SID into a directory for kubectl apply -k, in namespace contact-center
  kubectl taskrouter export --workspace WS0123456789abcdef0123456789abcdef -n contact-center --dir out/

  # Against the emulator, with credentials from the environment
  TWILIO_ACCOUNT_SID=AC... TWILIO_AUTH_TOKEN=... kubectl taskrouter export \
    --workspace "Acme Support" --taskrouter-base-url http://127.0.0.1:8080`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return o.run(cmd.Context(), a, &tr) },
	}
	f := cmd.Flags()
	f.StringVar(&o.workspace, "workspace", "", "the workspace to export: its SID (WS...) or its exact friendly name")
	f.BoolVar(&o.workers, "workers", false, "export the Workers too, with their channel capacities (two TaskRouter calls per worker: its attributes and its channels)")
	f.BoolVar(&o.manage, "manage", false, "export managementPolicy Manage instead of ObserveOnly")
	f.StringVar(&o.dir, "dir", "", "write one file per kind and a kustomization.yaml into this directory instead of standard output")
	f.StringVar(&o.credentialsRef, "credentials-ref", "", fmt.Sprintf(
		"the credentials Secret the exported Workspace names (default: the Secret of --credentials, else %s)", export.DefaultCredentialsSecret))
	tr.bind(f)
	return cmd
}

// run reads the workspace and writes its resources.
func (o *exportOptions) run(ctx context.Context, a *app, tr *taskRouterFlags) error {
	if o.workspace == "" {
		return usageError(fmt.Errorf("--workspace is required: the workspace's SID (WS...) or its friendly name"))
	}
	acct, err := tr.account(ctx, &a.kube, a.getenv)
	if err != nil {
		return err
	}
	ws, err := snapshot.FindWorkspace(ctx, acct, o.workspace)
	if err != nil {
		return err
	}
	s, err := snapshot.Read(ctx, acct, ws, snapshot.Parts{Activities: true, TaskChannels: true,
		TaskQueues: true, Workflows: true, Workers: o.workers, WorkerChannels: o.workers})
	if err != nil {
		return err
	}
	e, err := export.Build(s, export.Options{Namespace: a.kube.namespace, Manage: o.manage, CredentialsSecret: o.secret(tr)})
	if err != nil {
		return err
	}
	for _, w := range e.Warnings {
		fmt.Fprintf(a.errOut, "warning: %s\n", w)
	}
	if o.dir != "" {
		return writeExportDir(a, e, o.dir)
	}
	data, err := e.YAML()
	if err != nil {
		return err
	}
	if _, err := a.out.Write(data); err != nil {
		return err
	}
	fmt.Fprintf(a.errOut, "exported %s of workspace %q (%s)\n", e.Counts(), e.WorkspaceFriendlyName, e.WorkspaceSID)
	return nil
}

// secret is the Secret the Workspace names: --credentials-ref, else the one
// the export itself read its credentials from.
func (o *exportOptions) secret(tr *taskRouterFlags) string {
	if o.credentialsRef != "" {
		return o.credentialsRef
	}
	if tr.credentials != "" {
		return tr.credentials[strings.LastIndex(tr.credentials, "/")+1:] // NAMESPACE/NAME or NAME
	}
	return export.DefaultCredentialsSecret
}

// writeExportDir writes the export's files into dir, creating it, and says
// what it wrote.
func writeExportDir(a *app, e *export.Export, dir string) error {
	files, err := e.Files()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create --dir %s: %w", dir, err)
	}
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(dir, f.Name), f.Data, 0o644); err != nil {
			return fmt.Errorf("write %s: %w", filepath.Join(dir, f.Name), err)
		}
	}
	fmt.Fprintf(a.out, "wrote %s to %s (%d files); apply with: kubectl apply -k %s\n", e.Counts(), dir, len(files), dir)
	return nil
}
