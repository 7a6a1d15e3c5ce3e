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

// Package routing is a Workflow's configuration in TaskRouter's own terms: the
// task_routing JSON document, rendered from the Workflow kind's structured
// configuration exactly as the operator renders it (the same keys, the same
// keys left out), parsed back from the text TaskRouter returns, and turned back
// into the Workflow kind's configuration. The kubectl plugin's export and
// preview share it, so what they read and write agrees with what the operator
// compares.
package routing
