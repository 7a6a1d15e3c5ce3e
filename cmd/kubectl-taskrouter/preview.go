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
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/taskrouter-operator/taskrouter-operator/internal/expression"
	"github.com/taskrouter-operator/taskrouter-operator/internal/lint"
	"github.com/taskrouter-operator/taskrouter-operator/internal/preview"
)

// previewOptions are preview's own flags.
type previewOptions struct {
	task, taskChannel, targetWorkers string
	files                            []string
	output                           outputFlag
}

// previewKinds are the names preview takes for each kind, as kubectl takes them.
var previewKinds = map[string]string{
	"workflow": "Workflow", "workflows": "Workflow", "twf": "Workflow",
	"taskqueue": "TaskQueue", "taskqueues": "TaskQueue", "tq": "TaskQueue",
}

func newPreviewCommand(a *app) *cobra.Command {
	var o previewOptions
	var tr taskRouterFlags
	cmd := &cobra.Command{
		Use:   "preview workflow/NAME --task JSON [--task-channel NAME] | taskqueue/NAME [--target-workers EXPR] [-f FILE]",
		Short: "Show where a task would go, or which workers a targetWorkers selects, from the live workers",
		Long: `Preview routing against the workers of now, without creating anything.

preview workflow/NAME --task JSON shows which filter the task's attributes
match, the targets it goes through in order with their queues, and for each
how many workers are eligible and how many available right now, who would be
offered the task first (by the target's orderBy, then the longest in their
current activity), and which queue the task enters. Available means in an
available activity with room on the task's channel (--task-channel, default
"default"): the worker's channel is available and holds fewer tasks than its
capacity. Time-of-day keys (taskrouter.currentTime, ...) read the current UTC time.

preview taskqueue/NAME --target-workers EXPR shows the workers the new
expression would select beside those the queue selects today.

The resource is the one applied in the cluster (namespace -n), or with -f the
one in the files: then its spec is previewed as it would be applied, with the
TaskQueues and the Workspace it names taken from the files, else from the
cluster, else found in TaskRouter by friendly name. An applied Workflow that
has a SID routes with the configuration TaskRouter holds.

Workers are read from TaskRouter once, then every expression is evaluated
locally (TaskRouter's own worker-matching endpoints allow 3 requests per
second). Their attributes take one call per worker, and for a workflow the
channels of each worker in an available activity one more: at 1,000 workers,
300 of them available, preview makes about 1,305 calls; the pace starts at
10 calls a second and grows while TaskRouter shows budget left.`,
		Example: `  # Where does a Spanish task from a gold customer go?
  kubectl taskrouter preview workflow/inbound --task '{"language":"es","customer":{"tier":"gold"}}'

  # Who would be offered a chat now, with the agents' chat capacities?
  kubectl taskrouter preview workflow/inbound --task '{"type":"billing"}' --task-channel chat

  # Which agents would a stricter billing queue select, compared with today?
  kubectl taskrouter preview taskqueue/billing --target-workers 'skills HAS "billing" AND level > 3'

  # Preview an edited file before applying it, against the emulator
  kubectl taskrouter preview workflow/inbound -f config/samples --task '{"type":"billing"}' \
    --taskrouter-base-url http://127.0.0.1:8080`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			kind, name, task, err := o.validate(args[0])
			if err != nil {
				return err
			}
			res, err := o.resources(cmd, a, &tr)
			if err != nil {
				return err
			}
			if kind == "Workflow" {
				p, err := res.Workflow(cmd.Context(), name, task)
				if err != nil {
					return err
				}
				return o.print(a, p, p.WriteText)
			}
			p, err := res.TaskQueue(cmd.Context(), name, o.targetWorkers)
			if err != nil {
				return err
			}
			return o.print(a, p, p.WriteText)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.task, "task", "", `the task's attributes as a JSON object, e.g. '{"language":"es"}' (workflow only)`)
	f.StringVar(&o.taskChannel, "task-channel", "", `the task's TaskChannel, a unique name or TC SID, e.g. chat (workflow only; default "default")`)
	f.StringVar(&o.targetWorkers, "target-workers", "", `a targetWorkers expression to compare with today's, e.g. 'skills HAS "billing"' (taskqueue only)`)
	f.StringArrayVarP(&o.files, "filename", "f", nil, "preview the resource of these files (files, directories or - for standard input; repeatable)")
	o.output.bind(f, "text", "json", "yaml")
	tr.bind(f)
	return cmd
}

// validate checks the argument and the flags before anything is read, and
// returns the kind, the name and the task.
func (o *previewOptions) validate(arg string) (kind, name string, task preview.Task, err error) {
	if err := o.output.validate(); err != nil {
		return "", "", task, err
	}
	word, name, _ := strings.Cut(arg, "/")
	kind = previewKinds[strings.ToLower(word)]
	switch {
	case kind == "":
		return "", "", task, usageError(fmt.Errorf("%q: want workflow/NAME or taskqueue/NAME", arg))
	case name == "":
		return "", "", task, usageError(fmt.Errorf("%q: name the %s, e.g. %s/inbound", arg, kind, strings.ToLower(kind)))
	case kind == "Workflow" && o.targetWorkers != "":
		return "", "", task, usageError(fmt.Errorf("--target-workers is for taskqueue/NAME; a workflow takes --task"))
	case kind == "TaskQueue" && o.task != "":
		return "", "", task, usageError(fmt.Errorf("--task is for workflow/NAME; a task queue takes --target-workers"))
	case kind == "TaskQueue" && o.taskChannel != "":
		return "", "", task, usageError(fmt.Errorf("--task-channel is for workflow/NAME; a task queue takes --target-workers"))
	case kind == "Workflow" && o.task == "":
		return "", "", task, usageError(fmt.Errorf(`--task is required: the task's attributes as a JSON object, e.g. --task '{"language":"es"}'`))
	}
	if kind == "TaskQueue" {
		if o.targetWorkers != "" {
			if _, err := expression.Parse(o.targetWorkers); err != nil {
				return "", "", task, usageError(fmt.Errorf("--target-workers: %w", err))
			}
		}
		return kind, name, task, nil
	}
	task = preview.Task{Channel: o.taskChannel, At: time.Now()}
	task.Attributes, err = parseTask(o.task)
	return kind, name, task, err
}

// parseTask reads --task: a JSON object, as TaskRouter takes a task's attributes.
func parseTask(text string) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader([]byte(text)))
	var task map[string]any
	if err := dec.Decode(&task); err != nil || task == nil || dec.More() {
		return nil, usageError(fmt.Errorf(`--task %s: want the task's attributes as one JSON object, e.g. '{"language":"es"}'`, text))
	}
	return task, nil
}

// resources opens what preview reads: the files, the cluster when it needs
// it, and the TaskRouter account.
func (o *previewOptions) resources(cmd *cobra.Command, a *app, tr *taskRouterFlags) (*preview.Resources, error) {
	var files []preview.FileObject
	if len(o.files) > 0 {
		sources, err := lint.ReadSources(o.files, a.in)
		if err != nil {
			return nil, usageError(err)
		}
		if files, err = preview.ReadFiles(sources, a.kube.namespace); err != nil {
			return nil, usageError(err)
		}
	}
	acct, err := tr.account(cmd.Context(), &a.kube, a.getenv)
	if err != nil {
		return nil, err
	}
	return &preview.Resources{Files: files, Namespace: a.kube.currentNamespace, Cluster: a.kube.reader, Account: acct}, nil
}

// print writes the preview as text for people, or as JSON or YAML.
func (o *previewOptions) print(a *app, v any, text func(io.Writer) error) error {
	if o.output.format == "text" {
		return text(a.out)
	}
	return o.output.print(a.out, v)
}
