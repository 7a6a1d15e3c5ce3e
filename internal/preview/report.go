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

package preview

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Object names a resource and its remote object.
type Object struct {
	// Resource is the resource's metadata.name; empty when none stands for it.
	Resource     string `json:"resource,omitempty"`
	FriendlyName string `json:"friendlyName"`
	// SID is empty for an object that does not exist in TaskRouter yet.
	SID string `json:"sid,omitempty"`
}

func (o Object) String() string {
	var parts []string
	if o.Resource != "" {
		parts = append(parts, o.Resource)
	}
	if o.SID != "" {
		parts = append(parts, o.SID)
	} else {
		parts = append(parts, "not in TaskRouter yet")
	}
	return fmt.Sprintf("%q (%s)", o.FriendlyName, strings.Join(parts, ", "))
}

// WorkflowPreview is what preview workflow/NAME answers.
type WorkflowPreview struct {
	Workflow  Object `json:"workflow"`
	Workspace Object `json:"workspace"`
	// Source says where the routing was read from.
	Source string `json:"source"`
	// Task is the task's attributes, TaskChannel the unique name of its channel.
	Task        map[string]any `json:"task"`
	TaskChannel string         `json:"taskChannel"`
	// WorkersRead is how many workers were read from TaskRouter, ChannelsRead
	// of how many of them (those in an available activity) the channels.
	WorkersRead  int `json:"workersRead"`
	ChannelsRead int `json:"channelsRead"`
	// Filters is how many filters the workflow has.
	Filters int `json:"filters"`
	TaskRoute
}

// QueuePreview is what preview taskqueue/NAME answers.
type QueuePreview struct {
	TaskQueue Object `json:"taskQueue"`
	Workspace Object `json:"workspace"`
	// Source says where the queue's targetWorkers were read from.
	Source      string `json:"source"`
	WorkersRead int    `json:"workersRead"`
	QueueMatch
}

// maxInLine is how many workers in line the table names before "+N more".
const maxInLine = 3

// WriteText writes the preview for people: the filter, a table of targets, and where the task goes.
func (p WorkflowPreview) WriteText(w io.Writer) error {
	task, _ := json.Marshal(p.Task) // decoded from JSON: it encodes
	fmt.Fprintf(w, "Workflow %s in Workspace %s\n", p.Workflow, p.Workspace)
	fmt.Fprintf(w, "Routing: %s\n", p.Source)
	switch {
	case p.Filter != nil:
		fmt.Fprintf(w, "Task %s on channel %s matches filter %d of %d, %q: %s\n", task, p.TaskChannel, p.Filter.Index+1, p.Filters, p.Filter.Name, p.Filter.Expression)
	case p.Queue != nil:
		fmt.Fprintf(w, "Task %s on channel %s matches none of the %d filters: the default filter takes it\n", task, p.TaskChannel, p.Filters)
	default:
		fmt.Fprintf(w, "Task %s on channel %s matches none of the %d filters and the workflow has no default filter\n", task, p.TaskChannel, p.Filters)
	}
	if len(p.Targets) > 0 {
		fmt.Fprintln(w)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "\tTARGET\tQUEUE\tPRIORITY\tTIMEOUT\tELIGIBLE\tAVAILABLE\tIN LINE")
		for i, t := range p.Targets {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%d\t%s\n", marker(t), targetNumber(i, t), t.Queue.Label(), number(t.Priority),
				seconds(t.Timeout), t.Eligible, t.Available, inLine(t.InLine))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		for i, t := range p.Targets {
			if notes := targetNotes(t); notes != "" {
				fmt.Fprintf(w, "Target %s: %s\n", targetNumber(i, t), notes)
			}
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w, p.verdict())
	_, err := fmt.Fprintf(w, "%s read from TaskRouter, %d with their channels.\n", plural(p.WorkersRead, "worker"), p.ChannelsRead)
	return err
}

// verdict says in one sentence where the task goes and who gets it.
func (p WorkflowPreview) verdict() string {
	switch {
	case p.Queue == nil:
		return "The task waits without a queue until it times out."
	case p.Next == "" && p.chosenHasNoRoom():
		return fmt.Sprintf("The task enters %s and waits: no eligible worker has room for it on %s now.", p.Queue.Label(), p.TaskChannel)
	case p.Next == "":
		return fmt.Sprintf("The task enters %s and waits: no eligible worker is available now.", p.Queue.Label())
	}
	return fmt.Sprintf("The task enters %s: %s would be offered it first.", p.Queue.Label(), p.Next)
}

// chosenHasNoRoom reports whether the target the task enters has available workers without room for it.
func (p WorkflowPreview) chosenHasNoRoom() bool {
	for _, t := range p.Targets {
		if t.Chosen {
			return len(t.NoRoom) > 0
		}
	}
	return false
}

func marker(t TargetResult) string {
	switch {
	case t.Chosen:
		return "=>"
	case t.Skipped:
		return "skip"
	}
	return ""
}

func targetNumber(i int, t TargetResult) string {
	if t.Step == "defaultFilter" {
		return "default"
	}
	return fmt.Sprint(i + 1)
}

// targetNotes lists what narrows or skips a target, e.g. "expression worker.level > 2", and
// who is available but has no room for the task.
func targetNotes(t TargetResult) string {
	var noRoom []string
	for _, n := range t.NoRoom {
		noRoom = append(noRoom, n.String())
	}
	var notes []string
	for _, n := range []struct{ label, value string }{
		{"expression", t.Expression}, {"orderBy", t.OrderBy}, {"skipIf", t.SkipIf},
		{"knownWorkerSid", t.KnownWorkerSID}, {"knownWorkerFriendlyName", t.KnownWorkerFriendlyName},
		{"no room for", strings.Join(noRoom, ", ")},
	} {
		if n.value != "" {
			notes = append(notes, n.label+" "+n.value)
		}
	}
	return strings.Join(notes, "; ")
}

func inLine(names []string) string {
	if len(names) == 0 {
		return "-"
	}
	if len(names) > maxInLine {
		return fmt.Sprintf("%s +%d more", strings.Join(names[:maxInLine], ", "), len(names)-maxInLine)
	}
	return strings.Join(names, ", ")
}

func number(v *int32) string {
	if v == nil {
		return "-"
	}
	return fmt.Sprint(*v)
}

func seconds(v *int32) string {
	if v == nil {
		return "-"
	}
	return fmt.Sprintf("%ds", *v)
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// WriteText writes the comparison for people: both selections, then every worker either selects.
func (p QueuePreview) WriteText(w io.Writer) error {
	fmt.Fprintf(w, "TaskQueue %s in Workspace %s\n", p.TaskQueue, p.Workspace)
	fmt.Fprintf(w, "targetWorkers: %s\n\n", p.Source)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "\tTARGET WORKERS\tELIGIBLE\tAVAILABLE")
	for _, s := range []struct {
		label string
		sel   *Selection
	}{{"today", p.Today}, {"proposed", p.Proposed}} {
		if s.sel != nil {
			fmt.Fprintf(tw, "%s\t%s\t%d\t%d\n", s.label, s.sel.TargetWorkers, s.sel.Eligible, s.sel.Available)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(p.Workers) > 0 {
		fmt.Fprintln(w)
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "WORKER\tACTIVITY\tTODAY\tPROPOSED")
		for _, m := range p.Workers {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", m.Name, m.Activity, yesNo(p.Today != nil, m.Today), yesNo(p.Proposed != nil, m.Proposed))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, p.verdict())
	_, err := fmt.Fprintf(w, "%s read from TaskRouter.\n", plural(p.WorkersRead, "worker"))
	return err
}

func yesNo(evaluated, selected bool) string {
	switch {
	case !evaluated:
		return "-"
	case selected:
		return "yes"
	}
	return "no"
}

// verdict says what the proposal changes.
func (p QueuePreview) verdict() string {
	switch {
	case p.Proposed == nil && p.Today == nil:
		return "The queue is not in TaskRouter yet and no targetWorkers was proposed: nothing to compare."
	case p.Proposed == nil:
		return fmt.Sprintf("Today the queue selects %s, %d available now.", plural(p.Today.Eligible, "worker"), p.Today.Available)
	case p.Today == nil:
		return fmt.Sprintf("The new queue would select %s, %d available now.", plural(p.Proposed.Eligible, "worker"), p.Proposed.Available)
	}
	var added, dropped []string
	for _, m := range p.Workers {
		switch {
		case m.Proposed && !m.Today:
			added = append(added, m.Name)
		case m.Today && !m.Proposed:
			dropped = append(dropped, m.Name)
		}
	}
	return fmt.Sprintf("The proposed targetWorkers adds %s and drops %s.", names(added), names(dropped))
}

func names(list []string) string {
	if len(list) == 0 {
		return "no worker"
	}
	return fmt.Sprintf("%s (%s)", plural(len(list), "worker"), strings.Join(list, ", "))
}
