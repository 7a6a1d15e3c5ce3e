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

// Package export turns a TaskRouter workspace, as package snapshot read it,
// into the operator's resources: a Workspace with its Activities,
// TaskChannels, TaskQueues, Workflows and (when read) Workers, each adopting
// its remote object by spec.sid, ObserveOnly (or Manage) and deletionPolicy
// Orphan, and carrying only the fields whose values differ from TaskRouter's
// defaults. Applied, they match TaskRouter exactly: no drift, no write.
package export

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	trv1 "github.com/taskrouter-operator/taskrouter-operator/api/v1alpha1"
	"github.com/taskrouter-operator/taskrouter-operator/internal/snapshot"
)

// DefaultCredentialsSecret is the Secret an exported Workspace names when the
// caller names none: the one of the operator's samples.
const DefaultCredentialsSecret = "taskrouter-credentials"

// Options shape the exported resources.
type Options struct {
	// Namespace, when set, is every object's metadata.namespace; else the
	// objects go where they are applied (kubectl apply -n).
	Namespace string
	// Manage exports managementPolicy Manage instead of ObserveOnly.
	Manage bool
	// CredentialsSecret is the Secret the Workspace's credentialsRef names; the
	// Secret itself is never exported. Empty means DefaultCredentialsSecret.
	CredentialsSecret string
}

// Object is one exported resource.
type Object struct {
	// Kind and Name are the resource's kind and metadata.name.
	Kind, Name string
	// SID is the remote object it adopts.
	SID string
	// doc is the resource as it is written: apiVersion, kind, metadata, spec.
	doc map[string]any
}

// Export is a workspace's resources, ready to write.
type Export struct {
	// Workspace is the remote workspace and its resource's name.
	WorkspaceSID, WorkspaceFriendlyName, WorkspaceName string
	// CredentialsSecret is the Secret the Workspace names.
	CredentialsSecret string
	// Objects are in kind order (Workspace, Activity, TaskChannel, TaskQueue, Workflow,
	// Worker), each kind sorted by name.
	Objects []Object
	// Warnings name what could not be exported faithfully, one sentence each.
	Warnings []string
}

// Build exports what s holds: every kind it read.
func Build(s *snapshot.Snapshot, opts Options) (*Export, error) {
	if opts.CredentialsSecret == "" {
		opts.CredentialsSecret = DefaultCredentialsSecret
	}
	b := newBuilder(s, opts)
	out := &Export{WorkspaceSID: s.Workspace.SID, WorkspaceFriendlyName: s.Workspace.FriendlyName,
		WorkspaceName: b.workspace, CredentialsSecret: opts.CredentialsSecret}
	for _, k := range kinds {
		typed := k.build(b)
		objects := make([]Object, 0, len(typed))
		for _, t := range typed {
			o, err := toObject(k.name, t)
			if err != nil {
				return nil, err
			}
			objects = append(objects, o)
		}
		slices.SortFunc(objects, func(a, b Object) int { return strings.Compare(a.Name, b.Name) })
		out.Objects = append(out.Objects, objects...)
	}
	out.Warnings = b.warnings
	return out, nil
}

// exported is what every kind's typed resource gives toObject.
type exported interface {
	GetName() string
}

// toObject turns a typed resource into the document written: no status, no
// creationTimestamp, numbers as TaskRouter gave them.
func toObject(kind string, typed exported) (Object, error) {
	raw, err := json.Marshal(typed)
	if err != nil {
		return Object{}, fmt.Errorf("encode %s %s: %w", kind, typed.GetName(), err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber() // a large integer in worker attributes keeps every digit
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		return Object{}, fmt.Errorf("encode %s %s: %w", kind, typed.GetName(), err)
	}
	delete(doc, "status")
	if meta, ok := doc["metadata"].(map[string]any); ok {
		delete(meta, "creationTimestamp")
	}
	spec, _ := doc["spec"].(map[string]any)
	sid, _ := spec["sid"].(string)
	return Object{Kind: kind, Name: typed.GetName(), SID: sid, doc: doc}, nil
}

// Counts says how many objects of each kind were exported, e.g. "1 Workspace, 3 Activities".
func (e *Export) Counts() string {
	var parts []string
	for _, k := range kinds {
		n := 0
		for _, o := range e.Objects {
			if o.Kind == k.name {
				n++
			}
		}
		switch {
		case n == 1:
			parts = append(parts, "1 "+k.name)
		case n > 1:
			parts = append(parts, fmt.Sprintf("%d %s", n, k.plural))
		}
	}
	return strings.Join(parts, ", ")
}

// builder holds what every kind's export needs: the snapshot, the names given
// to every remote object (by SID), and the warnings so far.
type builder struct {
	s         *snapshot.Snapshot
	opts      Options
	names     map[string]string
	workspace string
	warnings  []string
}

func newBuilder(s *snapshot.Snapshot, opts Options) *builder {
	b := &builder{s: s, opts: opts, names: map[string]string{}}
	add := func(named map[string]string) {
		for sid, name := range named {
			b.names[sid] = name
		}
	}
	add(assignNames([]remoteObject{{s.Workspace.SID, s.Workspace.FriendlyName}}, "workspace"))
	b.workspace = b.names[s.Workspace.SID]
	add(assignNames(remoteObjects(s.Activities, func(a activity) remoteObject { return remoteObject{a.SID, a.FriendlyName} }), "activity"))
	add(assignNames(remoteObjects(s.TaskChannels, func(c taskChannel) remoteObject { return remoteObject{c.SID, c.UniqueName} }), "taskchannel"))
	add(assignNames(remoteObjects(s.TaskQueues, func(q taskQueue) remoteObject { return remoteObject{q.SID, q.FriendlyName} }), "taskqueue"))
	add(assignNames(remoteObjects(s.Workflows, func(w workflow) remoteObject { return remoteObject{w.SID, w.FriendlyName} }), "workflow"))
	add(assignNames(remoteObjects(s.Workers, func(w worker) remoteObject { return remoteObject{w.SID, w.FriendlyName} }), "worker"))
	return b
}

func remoteObjects[R any](items []R, of func(R) remoteObject) []remoteObject {
	out := make([]remoteObject, len(items))
	for i, it := range items {
		out[i] = of(it)
	}
	return out
}

func (b *builder) warnf(format string, args ...any) {
	b.warnings = append(b.warnings, fmt.Sprintf(format, args...))
}

// meta is the metadata of the object exported for sid.
func (b *builder) meta(sid string) metav1.ObjectMeta {
	return metav1.ObjectMeta{Name: b.names[sid], Namespace: b.opts.Namespace}
}

func typeMeta(kind string) metav1.TypeMeta {
	return metav1.TypeMeta{APIVersion: trv1.GroupVersion.String(), Kind: kind}
}

// policies adopt without ever deleting: the export describes objects that exist
// and that the cluster must not take down with a deleted resource.
func (b *builder) policies() trv1.RemoteObjectPolicies {
	p := trv1.RemoteObjectPolicies{DeletionPolicy: trv1.DeletionOrphan, ManagementPolicy: trv1.ObserveOnly}
	if b.opts.Manage {
		p.ManagementPolicy = trv1.Manage
	}
	return p
}

// friendlyName is spec.friendlyName: empty when it is the object's
// metadata.name, which is its default.
func (b *builder) friendlyName(sid, friendly string) string {
	if friendly == b.names[sid] {
		return ""
	}
	return friendly
}

// ref is a reference to the exported object for sid; nil when sid is empty.
func (b *builder) ref(sid string) *trv1.LocalObjectReference {
	if sid == "" {
		return nil
	}
	return &trv1.LocalObjectReference{Name: b.names[sid]}
}

func (b *builder) workspaceRef() trv1.LocalObjectReference {
	return trv1.LocalObjectReference{Name: b.workspace}
}
