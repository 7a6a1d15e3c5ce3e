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
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// form reads the parameters of one API call (query for GET and DELETE, the
// form-encoded body for POST) with TaskRouter's parsing rules.
type form url.Values

func (f form) has(name string) bool {
	_, ok := f[name]
	return ok
}

func (f form) get(name string) string { return url.Values(f).Get(name) }

// required returns a parameter that must be present and non-empty.
func (f form) required(name string) (string, error) {
	v := f.get(name)
	if v == "" {
		return "", missingParam(name)
	}
	return v, nil
}

// boolean parses a true/false parameter; TaskRouter accepts either case.
func (f form) boolean(name string) (value, present bool, err error) {
	if !f.has(name) {
		return false, false, nil
	}
	switch strings.ToLower(f.get(name)) {
	case "true":
		return true, true, nil
	case "false":
		return false, true, nil
	}
	return false, true, invalid("Invalid value for %s: %q is not a boolean (true or false)", name, f.get(name))
}

// integer parses an integer parameter and checks it against [lo, hi].
func (f form) integer(name string, lo, hi int) (value int, present bool, err error) {
	if !f.has(name) {
		return 0, false, nil
	}
	n, perr := strconv.Atoi(strings.TrimSpace(f.get(name)))
	if perr != nil {
		return 0, true, invalid("Invalid value for %s: %q is not an integer", name, f.get(name))
	}
	if n < lo || n > hi {
		return 0, true, invalid("Value %d for %s is out of range: it must be between %d and %d", n, name, lo, hi)
	}
	return n, true, nil
}

// enum reads a parameter restricted to the given values.
func (f form) enum(name string, allowed ...string) (value string, present bool, err error) {
	if !f.has(name) {
		return "", false, nil
	}
	v := f.get(name)
	if !slices.Contains(allowed, v) {
		return "", true, invalid("Invalid value for %s: %q is not one of %s", name, v, strings.Join(allowed, ", "))
	}
	return v, true, nil
}

// friendlyName validates a FriendlyName parameter: present when required, at most
// 64 characters.
func (f form) friendlyName(required bool) (value string, present bool, err error) {
	if !f.has("FriendlyName") {
		if required {
			return "", false, missingParam("FriendlyName")
		}
		return "", false, nil
	}
	v := f.get("FriendlyName")
	if v == "" {
		return "", true, missingParam("FriendlyName")
	}
	if n := len([]rune(v)); n > maxFriendlyNameLen {
		return "", true, invalid("FriendlyName is %d characters long; the maximum is %d", n, maxFriendlyNameLen)
	}
	return v, true, nil
}

// activityRef validates a parameter naming an activity of ws.
func (f form) activityRef(ws *workspaceState, name string) (sid string, present bool, err error) {
	if !f.has(name) {
		return "", false, nil
	}
	sid = f.get(name)
	if _, ok := ws.activities[sid]; !ok {
		return "", true, invalid("%s %q is not an Activity of Workspace %s", name, sid, ws.SID)
	}
	return sid, true, nil
}
