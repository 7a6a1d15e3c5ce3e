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
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"sigs.k8s.io/controller-runtime/pkg/client"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/internal/snapshot"
	"github.com/taskrouter-operator/taskrouter-operator/internal/taskrouter"
)

// Resources is where preview finds what it previews: the resources of the
// files given with -f first, then those applied in the cluster, and their
// remote objects and the live workers in TaskRouter.
type Resources struct {
	// Files are the resources read from -f.
	Files []FileObject
	// Namespace is where a resource is looked up: -n, else the kubeconfig's.
	Namespace func() (string, error)
	// Cluster connects to the cluster, only when a resource is not in the files.
	Cluster func() (client.Reader, error)
	// Account is the TaskRouter account the workspace is in.
	Account *taskrouter.Account
}

// found is a resource and where it was found.
type found[T client.Object] struct {
	obj T
	// file is the file it was read from; "" when it is applied in the cluster.
	file string
}

// describe says where the resource was found, for the preview's Source line.
func (f found[T]) describe(kind string) string {
	if f.file != "" {
		return "the spec in " + f.file
	}
	return fmt.Sprintf("the spec of %s %s/%s", kind, f.obj.GetNamespace(), f.obj.GetName())
}

// find looks a resource up by kind and name: in the files (in namespace, or in
// any namespace when namespace is "" and only one file object has the name),
// else in the cluster.
func find[T client.Object](ctx context.Context, r *Resources, kind, namespace, name string) (found[T], error) {
	var matches []found[T]
	for _, f := range r.Files {
		if obj, ok := f.Object.(T); ok && obj.GetName() == name && (namespace == "" || obj.GetNamespace() == namespace) {
			matches = append(matches, found[T]{obj: obj, file: f.File})
		}
	}
	switch {
	case len(matches) == 1:
		return matches[0], nil
	case len(matches) > 1:
		return found[T]{}, fmt.Errorf("%s %q is in the files in several namespaces: choose one with -n", kind, name)
	}
	return findInCluster[T](ctx, r, kind, namespace, name)
}

func findInCluster[T client.Object](ctx context.Context, r *Resources, kind, namespace, name string) (found[T], error) {
	var zero found[T]
	elsewhere := fmt.Sprintf("%s %q is not in the files given with -f", kind, name)
	if len(r.Files) == 0 {
		elsewhere = fmt.Sprintf("%s %q", kind, name)
	}
	if namespace == "" {
		ns, err := r.Namespace()
		if err != nil {
			return zero, fmt.Errorf("%s, and the cluster cannot be read: %w", elsewhere, err)
		}
		namespace = ns
	}
	kube, err := r.Cluster()
	if err != nil {
		return zero, fmt.Errorf("%s, and the cluster cannot be read: %w", elsewhere, err)
	}
	obj := reflect.New(reflect.TypeFor[T]().Elem()).Interface().(T)
	err = kube.Get(ctx, client.ObjectKey{Namespace: namespace, Name: name}, obj)
	switch {
	case apierrors.IsNotFound(err):
		return zero, fmt.Errorf("%s, nor in namespace %s of the cluster", elsewhere, namespace)
	case apierrors.IsForbidden(err):
		return zero, fmt.Errorf("%s, and your user may not read it in namespace %s: it needs get on %s", elsewhere, namespace, plural(2, kind))
	case err != nil:
		return zero, fmt.Errorf("read %s %s/%s: %w", kind, namespace, name, err)
	}
	return found[T]{obj: obj}, nil
}

// workspace finds the remote workspace of the Workspace resource name: by the
// SID it knows (status, else spec), else by its friendly name.
func (r *Resources) workspace(ctx context.Context, namespace, name string) (taskrouter.Workspace, Object, error) {
	res, err := find[*trv1.Workspace](ctx, r, "Workspace", namespace, name)
	if err != nil {
		return taskrouter.Workspace{}, Object{}, err
	}
	ws := res.obj
	ref := firstOf(ws.Status.SID, ws.Spec.SID, ws.RemoteSpec().FriendlyName)
	remote, err := snapshot.FindWorkspace(ctx, r.Account, ref)
	if err != nil {
		return taskrouter.Workspace{}, Object{}, fmt.Errorf("find the remote workspace of Workspace %s: %w", ws.Name, err)
	}
	return remote, Object{Resource: ws.Name, FriendlyName: remote.FriendlyName, SID: remote.SID}, nil
}

// firstOf is the first value that is not empty.
func firstOf(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// remoteQueue is a TaskQueue resource with its remote queue, when there is one.
type remoteQueue struct {
	found[*trv1.TaskQueue]
	remote *taskrouter.TaskQueue
}

// desired is the queue as the resource wants it; live is TaskRouter's when it
// exists, else the same.
func (q remoteQueue) desired() Queue {
	out := Queue{Name: q.obj.RemoteSpec().FriendlyName, Resource: q.obj.Name, TargetWorkers: firstOf(q.obj.Spec.TargetWorkers, "1==1")}
	if q.remote != nil {
		out.SID = q.remote.SID
	}
	return out
}

func (q remoteQueue) live() Queue {
	if q.remote == nil {
		return q.desired()
	}
	return Queue{Name: q.remote.FriendlyName, SID: q.remote.SID, Resource: q.obj.Name, TargetWorkers: q.remote.TargetWorkers}
}

// forRouting is what routing evaluates: a file's queue as the file wants it, an
// applied queue as TaskRouter has it.
func (q remoteQueue) forRouting() Queue {
	if q.file != "" {
		return q.desired()
	}
	return q.live()
}

// taskQueue finds the TaskQueue resource name and its remote queue among
// queues: by the SID it knows, else by friendly name.
func (r *Resources) taskQueue(ctx context.Context, namespace, name string, queues []taskrouter.TaskQueue) (remoteQueue, error) {
	res, err := find[*trv1.TaskQueue](ctx, r, "TaskQueue", namespace, name)
	if err != nil {
		return remoteQueue{}, err
	}
	q := remoteQueue{found: res}
	sid := firstOf(res.obj.Spec.SID, res.obj.Status.SID)
	for i := range queues {
		if (sid != "" && queues[i].SID == sid) || (sid == "" && queues[i].FriendlyName == res.obj.RemoteSpec().FriendlyName) {
			q.remote = &queues[i]
		}
	}
	if sid != "" && q.remote == nil {
		return q, fmt.Errorf("the SID %s of TaskQueue %s is no queue of the workspace", sid, name)
	}
	return q, nil
}

// workers reads the live workers of the workspace, with their attributes and,
// when withChannels, the channels of those in an available activity, the only
// ones a task can be offered to. channelsRead is how many workers' channels were read.
func (r *Resources) workers(ctx context.Context, ws *taskrouter.WorkspaceClient, withChannels bool) (workers []Worker, channelsRead int, err error) {
	listed, err := snapshot.Workers(ctx, ws)
	if err != nil {
		return nil, 0, err
	}
	var channels map[string][]taskrouter.WorkerChannel
	if withChannels {
		var available []string
		for _, w := range listed {
			if w.Available {
				available = append(available, w.SID)
			}
		}
		if channels, err = snapshot.WorkerChannels(ctx, ws, available); err != nil {
			return nil, 0, err
		}
	}
	out := make([]Worker, 0, len(listed))
	for _, w := range listed {
		own, read := channels[w.SID]
		if read {
			channelsRead++
			if own == nil {
				own = []taskrouter.WorkerChannel{} // read, and none: the worker has room on no channel
			}
		}
		worker, err := WorkerOf(w, own)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, worker)
	}
	return out, channelsRead, nil
}

// taskChannel resolves the task's channel, a unique name or a TC SID as
// TaskRouter's TaskChannel parameter takes it, to its unique name.
func taskChannel(ctx context.Context, ws *taskrouter.WorkspaceClient, wsName, ref string) (string, error) {
	channels, err := ws.TaskChannels().List(ctx, "")
	if err != nil {
		return "", err
	}
	names := make([]string, 0, len(channels))
	for _, c := range channels {
		if c.UniqueName == ref || c.SID == ref {
			return c.UniqueName, nil
		}
		names = append(names, c.UniqueName)
	}
	slices.Sort(names)
	return "", fmt.Errorf("the task's channel %q is no TaskChannel of workspace %q: use one of %s", ref, wsName, strings.Join(names, ", "))
}
