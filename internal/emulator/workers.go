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

package emulator

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/taskrouter-operator/taskrouter-operator/internal/expression"
)

func init() { registerRoutes(workerRoutes) }

func workerRoutes() []route {
	const coll, item = "/v1/Workspaces/{WorkspaceSid}/Workers", "/v1/Workspaces/{WorkspaceSid}/Workers/{Sid}"
	return []route{
		{method: http.MethodGet, pattern: coll, kind: KindWorker, list: true, handle: listWorkers},
		{method: http.MethodPost, pattern: coll, kind: KindWorker, create: true, handle: createWorker},
		{method: http.MethodGet, pattern: item, kind: KindWorker, handle: fetchWorker},
		{method: http.MethodPost, pattern: item, kind: KindWorker, handle: updateWorker},
		{method: http.MethodDelete, pattern: item, kind: KindWorker, handle: deleteWorker},
	}
}

// renderWorker renders w; lists leave attributes null, as TaskRouter does (fetch
// one worker to read them).
func renderWorker(c *call, ws *workspaceState, w *Worker, withAttributes bool) map[string]any {
	wsURL := c.resourceURL("/v1/Workspaces/" + w.WorkspaceSID)
	self := wsURL + "/Workers/" + w.SID
	var attributes any
	if withAttributes {
		attributes = w.Attributes
	}
	return map[string]any{
		"account_sid":         accountOf(c),
		"activity_name":       nullable(ws.activityName(w.ActivitySID)),
		"activity_sid":        w.ActivitySID,
		"attributes":          attributes,
		"available":           ws.workerAvailable(w),
		"date_created":        formatTime(w.DateCreated),
		"date_status_changed": formatTime(w.DateStatusChanged),
		"date_updated":        formatTime(w.DateUpdated),
		"friendly_name":       w.FriendlyName,
		"sid":                 w.SID,
		"workspace_sid":       w.WorkspaceSID,
		"url":                 self,
		"links": map[string]any{
			"channels":              self + "/Channels",
			"activity":              wsURL + "/Activities/" + w.ActivitySID,
			"workspace":             wsURL,
			"statistics":            wsURL + "/Workers/Statistics",
			"real_time_statistics":  wsURL + "/Workers/RealTimeStatistics",
			"cumulative_statistics": wsURL + "/Workers/CumulativeStatistics",
			"worker_statistics":     self + "/Statistics",
			"worker_channels":       self + "/Channels",
			"reservations":          self + "/Reservations",
		},
	}
}

// etag is the worker's version as TaskRouter spells an ETag.
func etag(w *Worker) string { return `"` + strconv.Itoa(w.Version) + `"` }

func workerReply(rep *reply, w *Worker) *reply {
	rep.header.Set("ETag", etag(w))
	return rep
}

// checkIfMatch answers 412 when the If-Match header names another version.
func checkIfMatch(c *call, w *Worker) error {
	want := c.header.Get("If-Match")
	if want == "" || want == "*" || strings.Trim(want, `" `) == strconv.Itoa(w.Version) {
		return nil
	}
	return &APIError{Status: http.StatusPreconditionFailed, Code: CodePrecondition,
		Message: "Worker " + w.SID + " has changed: If-Match " + want + " does not match ETag " + etag(w)}
}

func (e *Emulator) lookupWorker(c *call) (*workspaceState, *Worker, error) {
	return lookupObject(e, c, "Worker", func(w *workspaceState) map[string]*Worker { return w.workers })
}

func listWorkers(e *Emulator, c *call) (*reply, error) {
	e.store.mu.RLock()
	defer e.store.mu.RUnlock()
	ws, err := e.store.workspace(c.vars["WorkspaceSid"])
	if err != nil {
		return nil, err
	}
	match, err := workerFilter(ws, c.params)
	if err != nil {
		return nil, err
	}
	var items []*Worker
	for _, w := range ws.sortedWorkers() {
		if match(w) {
			items = append(items, w)
		}
	}
	return paginate(c, "workers", items, func(w *Worker) uint64 { return w.seq },
		func(w *Worker) any { return renderWorker(c, ws, w, false) })
}

// workerFilter builds the predicate of a Workers list call's filters.
func workerFilter(ws *workspaceState, p form) (func(*Worker) bool, error) {
	var checks []func(*Worker) bool
	if v := p.get("FriendlyName"); v != "" {
		checks = append(checks, func(w *Worker) bool { return strings.EqualFold(w.FriendlyName, v) })
	}
	if v := p.get("ActivitySid"); v != "" {
		checks = append(checks, func(w *Worker) bool { return w.ActivitySID == v })
	}
	if v := p.get("ActivityName"); v != "" {
		checks = append(checks, func(w *Worker) bool { return ws.activityName(w.ActivitySID) == v })
	}
	if v := p.get("Available"); v != "" {
		want := parseAvailable(v)
		checks = append(checks, func(w *Worker) bool { return ws.workerAvailable(w) == want })
	}
	if v := p.get("TargetWorkersExpression"); v != "" {
		expr, err := expression.Parse(v)
		if err != nil {
			return nil, invalid("Invalid TargetWorkersExpression %q: %v", v, err)
		}
		checks = append(checks, func(w *Worker) bool { return expr.Evaluate(w.attributeMap()) })
	}
	if queue := queueFilter(ws, p); queue != nil {
		checks = append(checks, queue)
	}
	return func(w *Worker) bool {
		for _, check := range checks {
			if !check(w) {
				return false
			}
		}
		return true
	}, nil
}

// queueFilter keeps the workers a queue (TaskQueueSid or TaskQueueName) targets;
// an unknown queue matches nobody.
func queueFilter(ws *workspaceState, p form) func(*Worker) bool {
	sid, name := p.get("TaskQueueSid"), p.get("TaskQueueName")
	if sid == "" && name == "" {
		return nil
	}
	var queue *TaskQueue
	for _, q := range ws.taskQueues {
		if (sid != "" && q.SID == sid) || (sid == "" && q.FriendlyName == name) {
			queue = q
		}
	}
	if queue == nil {
		return func(*Worker) bool { return false }
	}
	expr, err := expression.Parse(queue.TargetWorkers)
	if err != nil {
		return func(*Worker) bool { return false }
	}
	return func(w *Worker) bool { return expr.Evaluate(w.attributeMap()) }
}

// attributeMap is the worker's attributes as an expression context.
func (w *Worker) attributeMap() map[string]any {
	m := map[string]any{}
	_ = json.Unmarshal([]byte(w.Attributes), &m) // stored attributes were validated as a JSON object
	return m
}

func createWorker(e *Emulator, c *call) (*reply, error) {
	e.store.mu.Lock()
	defer e.store.mu.Unlock()
	ws, err := e.store.workspace(c.vars["WorkspaceSid"])
	if err != nil {
		return nil, err
	}
	w, err := e.store.createWorker(ws, c.params)
	if err != nil {
		return nil, err
	}
	return workerReply(created(renderWorker(c, ws, w, true)), w), nil
}

// createWorker validates p and adds the worker to ws. Caller holds mu.
func (s *store) createWorker(ws *workspaceState, p form) (*Worker, error) {
	if _, _, err := p.friendlyName(true); err != nil {
		return nil, err
	}
	w := Worker{ActivitySID: ws.DefaultActivitySID, Attributes: "{}"}
	if err := applyWorkerParams(ws, &w, p); err != nil {
		return nil, err
	}
	now := s.timestamp()
	w.SID, w.WorkspaceSID, w.seq, w.Version = newSID(prefixWorker), ws.SID, s.nextSeq(), 1
	w.DateCreated, w.DateUpdated, w.DateStatusChanged = now, now, now
	ws.workers[w.SID] = &w
	return &w, nil
}

// applyWorkerParams validates FriendlyName and Attributes of p and applies them to
// w, plus ActivitySid on create (an update moves the worker through
// setWorkerActivity so the status change is stamped). On error w is unchanged.
func applyWorkerParams(ws *workspaceState, w *Worker, p form) error {
	next := *w
	if name, present, err := p.friendlyName(false); err != nil {
		return err
	} else if present {
		if other := ws.workerByName(name); other != nil && other.SID != w.SID {
			return invalid("A Worker named %q already exists in Workspace %s", other.FriendlyName, ws.SID)
		}
		next.FriendlyName = name
	}
	if p.has("Attributes") {
		if err := validateAttributes(p.get("Attributes")); err != nil {
			return err
		}
		next.Attributes = p.get("Attributes")
	}
	if sid, present, err := p.activityRef(ws, "ActivitySid"); err != nil {
		return err
	} else if present && w.SID == "" {
		next.ActivitySID = sid
	}
	if _, _, err := p.boolean("RejectPendingReservations"); err != nil {
		return err
	}
	*w = next
	return nil
}

// validateAttributes requires a JSON object of at most 4,096 characters.
func validateAttributes(attrs string) error {
	if n := len([]rune(attrs)); n > maxWorkerAttributes {
		return invalid("Attributes are %d characters long; the maximum is %d", n, maxWorkerAttributes)
	}
	var obj map[string]any
	if err := json.Unmarshal([]byte(attrs), &obj); err != nil || obj == nil {
		return invalid("Attributes must be a JSON object")
	}
	return nil
}

func fetchWorker(e *Emulator, c *call) (*reply, error) {
	e.store.mu.RLock()
	defer e.store.mu.RUnlock()
	ws, w, err := e.lookupWorker(c)
	if err != nil {
		return nil, err
	}
	return workerReply(ok(renderWorker(c, ws, w, true)), w), nil
}

func updateWorker(e *Emulator, c *call) (*reply, error) {
	e.store.mu.Lock()
	defer e.store.mu.Unlock()
	ws, w, err := e.lookupWorker(c)
	if err != nil {
		return nil, err
	}
	if err := checkIfMatch(c, w); err != nil {
		return nil, err
	}
	if err := applyWorkerParams(ws, w, c.params); err != nil {
		return nil, err
	}
	w.DateUpdated = e.store.timestamp()
	w.Version++
	if sid := c.params.get("ActivitySid"); sid != "" {
		e.store.setWorkerActivity(ws, w, sid)
	}
	return workerReply(ok(renderWorker(c, ws, w, true)), w), nil
}

func deleteWorker(e *Emulator, c *call) (*reply, error) {
	e.store.mu.Lock()
	defer e.store.mu.Unlock()
	ws, w, err := e.lookupWorker(c)
	if err != nil {
		return nil, err
	}
	if err := checkIfMatch(c, w); err != nil {
		return nil, err
	}
	if err := ws.checkDeleteGuards(KindWorker, w.SID); err != nil {
		return nil, err
	}
	delete(ws.workers, w.SID)
	return noContent(), nil
}
