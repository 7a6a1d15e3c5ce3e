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

import "fmt"

// NoRoom is an eligible worker in an available activity who cannot be offered
// the task now, and why.
type NoRoom struct {
	Worker string `json:"worker"`
	// Reason is e.g. "chat unavailable" or "chat full, 3 of 3".
	Reason string `json:"reason"`
}

// String is how the text output lists it: "Alice (chat full, 3 of 3)".
func (n NoRoom) String() string { return fmt.Sprintf("%s (%s)", n.Worker, n.Reason) }

// room reports whether w can take one more task of channel now, as the
// emulator's routing decides (internal/emulator/simulation, hasRoom): its
// channel must be available; then, with multitasking, it must hold fewer tasks
// there than its capacity, which is what a free percentage above 0 says (it
// counts reserved tasks too, which assigned_tasks does not); without
// multitasking it must hold no task on any channel. A worker whose channels
// were not read, or a task without a channel, is not held back. reason says
// why not, for the output.
func (w Worker) room(channel string, multiTask bool) (ok bool, reason string) {
	if w.Channels == nil || channel == "" {
		return true, ""
	}
	c, found := w.Channels[channel]
	switch {
	case !found:
		return false, "no " + channel + " channel"
	case !c.Available:
		return false, channel + " unavailable"
	case !multiTask && w.holdsAny():
		return false, "busy, and multitasking is off"
	case multiTask && c.Capacity <= 0:
		return false, channel + " capacity 0"
	case multiTask && c.FreePercentage <= 0:
		return false, fmt.Sprintf("%s full, %d of %d", channel, max(c.Assigned, c.Capacity), c.Capacity)
	}
	return true, ""
}

// holdsAny reports whether w holds a task on any channel: an assigned or
// wrapping one counts in Assigned, a reservation only as capacity taken.
func (w Worker) holdsAny() bool {
	for _, c := range w.Channels {
		if c.Assigned > 0 || (c.Available && c.Capacity > 0 && c.FreePercentage < 100) {
			return true
		}
	}
	return false
}
