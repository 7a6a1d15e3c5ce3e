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
	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator/api"
	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator/state"
)

// What the core's workspace-scoped kinds share beyond the resource skeleton:
// each kind's resource.Collection (in the kind's file) picks these where
// TaskRouter treats the kind the same way.

// guardedDelete is removeGuarded as the Delete of a core kind's Collection:
// the delete guards may refuse it.
func guardedDelete[T any](e *Emulator, kind api.Kind) func(*state.WorkspaceState, string, *T) error {
	return func(ws *state.WorkspaceState, sid string, _ *T) error { return e.removeGuarded(ws, kind, sid) }
}

// byFriendlyName is the list filter of a kind TaskRouter lists by an exact
// FriendlyName alone.
func byFriendlyName[T any](name func(*T) string) func(*state.WorkspaceState, api.Form) (func(*T) bool, error) {
	return func(_ *state.WorkspaceState, p api.Form) (func(*T) bool, error) {
		want := p.Get("FriendlyName")
		return func(t *T) bool { return want == "" || name(t) == want }, nil
	}
}
