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

// Package argocdhealth runs an Argo CD resource health check (a Lua script such as
// config/argocd/health.lua) against a Kubernetes object the way Argo CD runs it, so the
// script shipped for Argo CD users is tested in `go test ./...` without an Argo CD.
//
// The sandbox matches Argo CD's util/lua for a custom health check from argocd-cm
// without resource.customizations.useOpenLibs: only the package, base and table
// libraries are open (no string, math or io), the object is the global obj, the
// script's returned table is the result, and a status outside Healthy, Progressing,
// Degraded, Suspended, Missing and Unknown becomes Unknown, as Argo CD reports it.
// Argo CD's safe os library is left out: the operator's script does not use it.
package argocdhealth
