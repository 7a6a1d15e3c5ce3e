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

// Package scale is the scale benchmark of issue 11 (`make bench-scale`): it
// runs the real manager (bin/manager) against the TaskRouter emulator
// (bin/taskrouter-emulator) and a local control plane with the CRDs, applies a
// contact center of N objects, and measures converge time against its floor,
// requests per object, writes in steady state, the cost and duration of a drift
// sweep, pickup of new objects during a sweep, configuration requests under
// live statistics, writes when adopting matching objects, behaviour under
// injected 429s, and the manager's memory.
//
// TaskRouter requests are counted at the emulator (its
// taskrouter_emulator_requests_total counter), Kubernetes writes at the API
// server (apiserver_request_total), never by the manager about itself; the
// manager's own metrics only say when a sweep starts and ends. Every figure is
// shown beside a floor or a reference measured in the same run.
//
// Run runs the phases; hack/benchscale is its command line. Each scenario
// starts its own control plane, emulator and manager and stops them, also when
// the context is cancelled, and never signals a process it did not start.
package scale
