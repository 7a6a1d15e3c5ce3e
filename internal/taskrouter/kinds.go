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

package taskrouter

import (
	"context"
	"net/url"
)

// Creates below are retried only on 429 (never processed); any other failure is returned because the
// object may exist, so the caller re-observes by friendly name before creating again. Deletes are
// retried, so a delete whose first try succeeded can return a not-found error: treat IsNotFound as deleted.

// CreateActivity creates an Activity. See the retry note on creates above.
func (w *WorkspaceClient) CreateActivity(ctx context.Context, p ActivityParams) (*Activity, error) {
	a, _, err := createObject[Activity](ctx, w, kindActivity, p, deref(p.FriendlyName))
	return a, err
}

// FetchActivity reads one Activity.
func (w *WorkspaceClient) FetchActivity(ctx context.Context, sid string) (*Activity, error) {
	a, _, err := fetchObject[Activity](ctx, w, kindActivity, sid)
	return a, err
}

// UpdateActivity renames an Activity (its availability cannot change).
func (w *WorkspaceClient) UpdateActivity(ctx context.Context, sid string, p ActivityParams) (*Activity, error) {
	a, _, err := updateObject[Activity](ctx, w, kindActivity, sid, p, "")
	return a, err
}

// DeleteActivity deletes an Activity; TaskRouter refuses while workers are in it or it is a default.
func (w *WorkspaceClient) DeleteActivity(ctx context.Context, sid string) error {
	return deleteObject(ctx, w, kindActivity, sid)
}

// ListActivities lists the workspace's Activities, all pages; a non-empty friendlyName filters by name.
func (w *WorkspaceClient) ListActivities(ctx context.Context, friendlyName string) ([]Activity, error) {
	return listObjects[Activity](ctx, w, kindActivity, w.a.listQuery(friendlyName))
}

// CreateTaskQueue creates a TaskQueue. See the retry note on creates above.
func (w *WorkspaceClient) CreateTaskQueue(ctx context.Context, p TaskQueueParams) (*TaskQueue, error) {
	q, _, err := createObject[TaskQueue](ctx, w, kindTaskQueue, p, deref(p.FriendlyName))
	return q, err
}

// FetchTaskQueue reads one TaskQueue.
func (w *WorkspaceClient) FetchTaskQueue(ctx context.Context, sid string) (*TaskQueue, error) {
	q, _, err := fetchObject[TaskQueue](ctx, w, kindTaskQueue, sid)
	return q, err
}

// UpdateTaskQueue changes the fields set in p.
func (w *WorkspaceClient) UpdateTaskQueue(ctx context.Context, sid string, p TaskQueueParams) (*TaskQueue, error) {
	q, _, err := updateObject[TaskQueue](ctx, w, kindTaskQueue, sid, p, "")
	return q, err
}

// DeleteTaskQueue deletes a TaskQueue; TaskRouter refuses while a Workflow targets it or tasks are pending.
func (w *WorkspaceClient) DeleteTaskQueue(ctx context.Context, sid string) error {
	return deleteObject(ctx, w, kindTaskQueue, sid)
}

// ListTaskQueues lists the workspace's TaskQueues, all pages; a non-empty friendlyName filters by name.
func (w *WorkspaceClient) ListTaskQueues(ctx context.Context, friendlyName string) ([]TaskQueue, error) {
	return listObjects[TaskQueue](ctx, w, kindTaskQueue, w.a.listQuery(friendlyName))
}

// CreateWorkflow creates a Workflow. See the retry note on creates above.
func (w *WorkspaceClient) CreateWorkflow(ctx context.Context, p WorkflowParams) (*Workflow, error) {
	f, _, err := createObject[Workflow](ctx, w, kindWorkflow, p, deref(p.FriendlyName))
	return f, err
}

// FetchWorkflow reads one Workflow.
func (w *WorkspaceClient) FetchWorkflow(ctx context.Context, sid string) (*Workflow, error) {
	f, _, err := fetchObject[Workflow](ctx, w, kindWorkflow, sid)
	return f, err
}

// UpdateWorkflow changes the fields set in p.
func (w *WorkspaceClient) UpdateWorkflow(ctx context.Context, sid string, p WorkflowParams) (*Workflow, error) {
	f, _, err := updateObject[Workflow](ctx, w, kindWorkflow, sid, p, "")
	return f, err
}

// DeleteWorkflow deletes a Workflow.
func (w *WorkspaceClient) DeleteWorkflow(ctx context.Context, sid string) error {
	return deleteObject(ctx, w, kindWorkflow, sid)
}

// ListWorkflows lists the workspace's Workflows, all pages; a non-empty friendlyName filters by name.
func (w *WorkspaceClient) ListWorkflows(ctx context.Context, friendlyName string) ([]Workflow, error) {
	return listObjects[Workflow](ctx, w, kindWorkflow, w.a.listQuery(friendlyName))
}

// CreateWorker creates a Worker. See the retry note on creates above.
func (w *WorkspaceClient) CreateWorker(ctx context.Context, p WorkerParams) (*Worker, error) {
	k, resp, err := createObject[Worker](ctx, w, kindWorker, p, deref(p.FriendlyName))
	return withETag(k, resp), err
}

// FetchWorker reads one Worker with its attributes and ETag.
func (w *WorkspaceClient) FetchWorker(ctx context.Context, sid string) (*Worker, error) {
	k, resp, err := fetchObject[Worker](ctx, w, kindWorker, sid)
	return withETag(k, resp), err
}

// UpdateWorker changes the fields set in p, guarded by p.IfMatch when set.
func (w *WorkspaceClient) UpdateWorker(ctx context.Context, sid string, p WorkerParams) (*Worker, error) {
	k, resp, err := updateObject[Worker](ctx, w, kindWorker, sid, p, p.IfMatch)
	return withETag(k, resp), err
}

// DeleteWorker deletes a Worker.
func (w *WorkspaceClient) DeleteWorker(ctx context.Context, sid string) error {
	return deleteObject(ctx, w, kindWorker, sid)
}

// ListWorkers lists the workspace's Workers, all pages; a non-empty friendlyName filters by name.
// TaskRouter returns no attributes in lists: fetch a Worker to read them.
func (w *WorkspaceClient) ListWorkers(ctx context.Context, friendlyName string) ([]Worker, error) {
	return listObjects[Worker](ctx, w, kindWorker, w.a.listQuery(friendlyName))
}

func withETag(k *Worker, resp *response) *Worker {
	if k != nil && resp != nil {
		k.ETag = resp.header.Get("ETag")
	}
	return k
}

// FetchTaskChannel reads one TaskChannel.
func (w *WorkspaceClient) FetchTaskChannel(ctx context.Context, sid string) (*TaskChannel, error) {
	c, _, err := fetchObject[TaskChannel](ctx, w, kindTaskChannel, sid)
	return c, err
}

// ListTaskChannels lists the workspace's TaskChannels, all pages (TaskRouter has no name filter here).
func (w *WorkspaceClient) ListTaskChannels(ctx context.Context) ([]TaskChannel, error) {
	return listObjects[TaskChannel](ctx, w, kindTaskChannel, url.Values{"PageSize": {w.a.listQuery("").Get("PageSize")}})
}
