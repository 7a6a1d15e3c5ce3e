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

package scale

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
)

// seed puts the plan's objects into the emulator exactly as the operator would
// have left them, so that applying the plan's resources afterwards finds every
// remote object already matching: the adoption scenario, where a correct
// operator writes nothing.
func seed(ctx context.Context, r *remote, p plan) error {
	ws, err := r.post(ctx, "/v1/Workspaces", url.Values{"FriendlyName": {p.workspace.friendly}})
	if err != nil {
		return fmt.Errorf("seed workspace: %w", err)
	}
	wsPath := "/v1/Workspaces/" + str(ws["sid"])
	activities, err := seedActivities(ctx, r, wsPath, p.activities)
	if err != nil {
		return err
	}
	if _, err := r.post(ctx, wsPath, url.Values{
		"DefaultActivitySid": {activities["offline"]}, "TimeoutActivitySid": {activities["break"]},
	}); err != nil {
		return fmt.Errorf("seed workspace activities: %w", err)
	}
	queues := map[string]string{}
	for _, q := range p.queues {
		created, err := r.post(ctx, wsPath+"/TaskQueues", url.Values{"FriendlyName": {q.friendly}, "TargetWorkers": {q.targetWorkers}})
		if err != nil {
			return fmt.Errorf("seed task queue %s: %w", q.name, err)
		}
		queues[q.name] = str(created["sid"])
	}
	for _, wf := range p.workflows {
		config, err := json.Marshal(wf.rendered(queues))
		if err != nil {
			return err
		}
		if _, err := r.post(ctx, wsPath+"/Workflows", url.Values{"FriendlyName": {wf.friendly}, "Configuration": {string(config)}}); err != nil {
			return fmt.Errorf("seed workflow %s: %w", wf.name, err)
		}
	}
	for _, w := range p.workers {
		attrs, err := json.Marshal(w.attributes)
		if err != nil {
			return err
		}
		form := url.Values{"FriendlyName": {w.friendly}, "Attributes": {string(attrs)}, "ActivitySid": {activities["available"]}}
		if _, err := r.post(ctx, wsPath+"/Workers", form); err != nil {
			return fmt.Errorf("seed worker %s: %w", w.name, err)
		}
	}
	return nil
}

// seedActivities creates the plan's Activities a new workspace does not have
// and returns every Activity's SID by resource name.
func seedActivities(ctx context.Context, r *remote, wsPath string, plan []activityPlan) (map[string]string, error) {
	existing, err := r.list(ctx, wsPath+"/Activities", "activities")
	if err != nil {
		return nil, fmt.Errorf("list built-in activities: %w", err)
	}
	byFriendly := map[string]string{}
	for _, a := range existing {
		byFriendly[str(a["friendly_name"])] = str(a["sid"])
	}
	sids := map[string]string{}
	for _, a := range plan {
		if sid, ok := byFriendly[a.friendly]; ok {
			sids[a.name] = sid
			continue
		}
		created, err := r.post(ctx, wsPath+"/Activities", url.Values{"FriendlyName": {a.friendly}, "Available": {strconv.FormatBool(a.available)}})
		if err != nil {
			return nil, fmt.Errorf("seed activity %s: %w", a.name, err)
		}
		sids[a.name] = str(created["sid"])
	}
	return sids, nil
}

// rendered is the workflow's configuration as TaskRouter holds it: the
// task_routing document with queue SIDs, as the operator renders spec.configuration.
func (wf workflowPlan) rendered(queueSIDs map[string]string) map[string]any {
	filters := make([]any, 0, len(wf.filters))
	for _, f := range wf.filters {
		filters = append(filters, map[string]any{
			"filter_friendly_name": f.friendly, "expression": f.expression,
			"targets": []any{map[string]any{"queue": queueSIDs[f.queue], "priority": f.priority}},
		})
	}
	return map[string]any{"task_routing": map[string]any{
		"filters": filters, "default_filter": map[string]any{"queue": queueSIDs[wf.defaultQueue]},
	}}
}

func str(v any) string {
	s, _ := v.(string)
	return s
}
