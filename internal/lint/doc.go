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

/*
Package lint checks TaskRouter manifests offline, before kubectl apply: what
the API server, the operator or TaskRouter would refuse, reported as
"file:line: field: message". It backs `kubectl taskrouter lint`.

Lint reads every document of group taskrouter.operator.dev (a v1 List is read
item by item) and skips every other object. For each object it checks:

  - the schema, walking the YAML against the api/v1alpha1 Go types as the API
    server's strict field validation does: unknown and repeated fields (with a
    "did you mean"), wrong types, missing required fields;
  - what the CRD schema refuses beyond types: enums, numeric ranges (e.g.
    maxReservedWorkers 1..50), string lengths and patterns (SIDs, callback
    URLs), list sizes and list-type sets;
  - the CRD's CEL rules that need no stored object: sid with adoptionPolicy
    CreateOnly, metadata.name over 64 characters without spec.friendlyName,
    exactly one of queueRef and queueSid, activityPolicy Enforce without
    activityRef, tokenSecret ttl within 1m..24h. The transition rules
    (Activity available, Workspace template) compare with the stored object
    and cannot be checked offline;
  - expressions, checked by internal/validate as the operator's reconcile and
    its admission webhook check them,
    with the error's position inside the expression and, when the source
    allows, the line and column of the offending character even inside a
    multi-line block scalar: targetWorkers, filter and target expressions
    (targets may use worker., task. and taskrouter. keys), orderBy (worker.
    keys, ASC or DESC) and skipIf (workers. keys). A "worker." key in
    targetWorkers or a "task." key in a filter is a warning: those read
    attributes without a prefix;
  - worker attributes: an object of at most 4,096 characters as JSON.

Across all files, per namespace (metadata.namespace, else Options.Namespace):
references (workspaceRef; queueRef, activity refs and channelRef to an
object of the same Workspace), a metadata.name defined twice for one kind,
and friendly names that must be unique in a Workspace: TaskQueue (TaskRouter
refuses a duplicate), Worker (regardless of case), TaskChannel uniqueName,
and for Workspace, Activity and Workflow without spec.sid, because two
resources would adopt the same remote object.

Every kind decodes into its api/v1alpha1 type; TestSchemaMatchesCRDs
compares every table here with config/crd/bases and fails when the CRDs
change without lint.
*/
package lint
