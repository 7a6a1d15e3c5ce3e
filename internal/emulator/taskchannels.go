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

import "net/http"

func init() { registerRoutes(taskChannelRoutes) }

func taskChannelRoutes() []route {
	const coll, item = "/v1/Workspaces/{WorkspaceSid}/TaskChannels", "/v1/Workspaces/{WorkspaceSid}/TaskChannels/{Sid}"
	return []route{
		{method: http.MethodGet, pattern: coll, kind: KindTaskChannel, list: true, handle: listTaskChannels},
		{method: http.MethodPost, pattern: coll, kind: KindTaskChannel, create: true, handle: createTaskChannel},
		{method: http.MethodGet, pattern: item, kind: KindTaskChannel, handle: fetchTaskChannel},
		{method: http.MethodPost, pattern: item, kind: KindTaskChannel, handle: updateTaskChannel},
		{method: http.MethodDelete, pattern: item, kind: KindTaskChannel, handle: deleteTaskChannel},
	}
}

func renderTaskChannel(c *call, tc *TaskChannel) map[string]any {
	wsURL := c.resourceURL("/v1/Workspaces/" + tc.WorkspaceSID)
	return map[string]any{
		"account_sid":               accountOf(c),
		"date_created":              formatTime(tc.DateCreated),
		"date_updated":              formatTime(tc.DateUpdated),
		"friendly_name":             tc.FriendlyName,
		"sid":                       tc.SID,
		"unique_name":               tc.UniqueName,
		"workspace_sid":             tc.WorkspaceSID,
		"channel_optimized_routing": tc.ChannelOptimizedRouting,
		"url":                       wsURL + "/TaskChannels/" + tc.SID,
		"links":                     map[string]any{"workspace": wsURL},
	}
}

// lookupTaskChannel finds a channel by SID or, as TaskRouter allows, by unique name.
func (e *Emulator) lookupTaskChannel(c *call) (*workspaceState, *TaskChannel, error) {
	ws, err := e.store.workspace(c.vars["WorkspaceSid"])
	if err != nil {
		return nil, nil, err
	}
	id := c.vars["Sid"]
	if tc, found := ws.taskChannels[id]; found {
		return ws, tc, nil
	}
	if tc := ws.taskChannelByUniqueName(id); tc != nil {
		return ws, tc, nil
	}
	return nil, nil, notFound("TaskChannel", id)
}

func (ws *workspaceState) taskChannelByUniqueName(name string) *TaskChannel {
	for _, tc := range ws.taskChannels {
		if tc.UniqueName == name {
			return tc
		}
	}
	return nil
}

func listTaskChannels(e *Emulator, c *call) (*reply, error) {
	e.store.mu.RLock()
	defer e.store.mu.RUnlock()
	ws, err := e.store.workspace(c.vars["WorkspaceSid"])
	if err != nil {
		return nil, err
	}
	// The spec names this list's key "channels", not "task_channels".
	return paginate(c, "channels", ws.sortedTaskChannels(), func(tc *TaskChannel) uint64 { return tc.seq },
		func(tc *TaskChannel) any { return renderTaskChannel(c, tc) })
}

func createTaskChannel(e *Emulator, c *call) (*reply, error) {
	e.store.mu.Lock()
	defer e.store.mu.Unlock()
	ws, err := e.store.workspace(c.vars["WorkspaceSid"])
	if err != nil {
		return nil, err
	}
	tc, err := e.store.createTaskChannel(ws, c.params)
	if err != nil {
		return nil, err
	}
	return created(renderTaskChannel(c, tc)), nil
}

// createTaskChannel validates p and adds the channel to ws. Caller holds mu.
func (s *store) createTaskChannel(ws *workspaceState, p form) (*TaskChannel, error) {
	name, _, err := p.friendlyName(true)
	if err != nil {
		return nil, err
	}
	unique, err := p.required("UniqueName")
	if err != nil {
		return nil, err
	}
	if ws.taskChannelByUniqueName(unique) != nil {
		return nil, invalid("A TaskChannel with UniqueName %q already exists in Workspace %s", unique, ws.SID)
	}
	optimized, _, err := p.boolean("ChannelOptimizedRouting")
	if err != nil {
		return nil, err
	}
	return s.addTaskChannel(ws, name, unique, optimized), nil
}

// addTaskChannel stores a validated channel. Caller holds mu for writing.
func (s *store) addTaskChannel(ws *workspaceState, name, unique string, optimized bool) *TaskChannel {
	now := s.timestamp()
	tc := &TaskChannel{SID: newSID(prefixTaskChannel), WorkspaceSID: ws.SID, FriendlyName: name, UniqueName: unique,
		ChannelOptimizedRouting: optimized, DateCreated: now, DateUpdated: now, seq: s.nextSeq()}
	ws.taskChannels[tc.SID] = tc
	return tc
}

func fetchTaskChannel(e *Emulator, c *call) (*reply, error) {
	e.store.mu.RLock()
	defer e.store.mu.RUnlock()
	_, tc, err := e.lookupTaskChannel(c)
	if err != nil {
		return nil, err
	}
	return ok(renderTaskChannel(c, tc)), nil
}

func updateTaskChannel(e *Emulator, c *call) (*reply, error) {
	e.store.mu.Lock()
	defer e.store.mu.Unlock()
	_, tc, err := e.lookupTaskChannel(c)
	if err != nil {
		return nil, err
	}
	name, hasName, err := c.params.friendlyName(false)
	if err != nil {
		return nil, err
	}
	optimized, hasOptimized, err := c.params.boolean("ChannelOptimizedRouting")
	if err != nil {
		return nil, err
	}
	if hasName {
		tc.FriendlyName = name
	}
	if hasOptimized {
		tc.ChannelOptimizedRouting = optimized
	}
	tc.DateUpdated = e.store.timestamp()
	return ok(renderTaskChannel(c, tc)), nil
}

func deleteTaskChannel(e *Emulator, c *call) (*reply, error) {
	e.store.mu.Lock()
	defer e.store.mu.Unlock()
	ws, tc, err := e.lookupTaskChannel(c)
	if err != nil {
		return nil, err
	}
	if err := ws.checkDeleteGuards(KindTaskChannel, tc.SID); err != nil {
		return nil, err
	}
	delete(ws.taskChannels, tc.SID)
	return noContent(), nil
}
