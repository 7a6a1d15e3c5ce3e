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

package api

import (
	"encoding/json"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// MaxFriendlyNameLen is the longest FriendlyName TaskRouter accepts, in characters.
const MaxFriendlyNameLen = 64

// Form holds the parameters of one API call (query for GET and DELETE, the
// form-encoded body for POST) and reads them with TaskRouter's parsing rules.
type Form url.Values

// Has reports whether the call names the parameter, even with an empty value.
func (f Form) Has(name string) bool {
	_, ok := f[name]
	return ok
}

// Get returns the parameter's first value, or "".
func (f Form) Get(name string) string { return url.Values(f).Get(name) }

// Required returns a parameter that must be present and non-empty.
func (f Form) Required(name string) (string, error) {
	v := f.Get(name)
	if v == "" {
		return "", MissingParam(name)
	}
	return v, nil
}

// Boolean parses a true/false parameter; TaskRouter accepts either case.
func (f Form) Boolean(name string) (value, present bool, err error) {
	if !f.Has(name) {
		return false, false, nil
	}
	switch strings.ToLower(f.Get(name)) {
	case "true":
		return true, true, nil
	case "false":
		return false, true, nil
	}
	return false, true, Invalid("Invalid value for %s: %q is not a boolean (true or false)", name, f.Get(name))
}

// Integer parses an integer parameter and checks it against [lo, hi].
func (f Form) Integer(name string, lo, hi int) (value int, present bool, err error) {
	if !f.Has(name) {
		return 0, false, nil
	}
	n, perr := strconv.Atoi(strings.TrimSpace(f.Get(name)))
	if perr != nil {
		return 0, true, Invalid("Invalid value for %s: %q is not an integer", name, f.Get(name))
	}
	if n < lo || n > hi {
		return 0, true, Invalid("Value %d for %s is out of range: it must be between %d and %d", n, name, lo, hi)
	}
	return n, true, nil
}

// Enum reads a parameter restricted to the given values.
func (f Form) Enum(name string, allowed ...string) (value string, present bool, err error) {
	if !f.Has(name) {
		return "", false, nil
	}
	v := f.Get(name)
	if !slices.Contains(allowed, v) {
		return "", true, Invalid("Invalid value for %s: %q is not one of %s", name, v, strings.Join(allowed, ", "))
	}
	return v, true, nil
}

// FriendlyName validates a FriendlyName parameter: present when required, at
// most 64 characters.
func (f Form) FriendlyName(required bool) (value string, present bool, err error) {
	if !f.Has("FriendlyName") {
		if required {
			return "", false, MissingParam("FriendlyName")
		}
		return "", false, nil
	}
	v := f.Get("FriendlyName")
	if v == "" {
		return "", true, MissingParam("FriendlyName")
	}
	if n := len([]rune(v)); n > MaxFriendlyNameLen {
		return "", true, Invalid("FriendlyName is %d characters long; the maximum is %d", n, MaxFriendlyNameLen)
	}
	return v, true, nil
}

// CallbackURL validates an optional absolute http(s) URL parameter; an empty
// value clears it.
func (f Form) CallbackURL(name string) (value string, present bool, err error) {
	if !f.Has(name) {
		return "", false, nil
	}
	v := f.Get(name)
	if v == "" {
		return "", true, nil
	}
	u, perr := url.Parse(v)
	if perr != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", true, Invalid("%s %q is not a valid http or https URL", name, v)
	}
	return v, true, nil
}

// CheckJSONObject refuses a parameter value (a worker's or a task's
// Attributes) that is not a JSON object.
func CheckJSONObject(name, value string) error {
	var obj map[string]any
	if err := json.Unmarshal([]byte(value), &obj); err != nil || obj == nil {
		return Invalid("%s must be a JSON object", name)
	}
	return nil
}
