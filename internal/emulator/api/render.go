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

import "time"

// TimeFormat is the spec's date-time format (ISO 8601 in UTC, whole seconds), the
// one every TaskRouter v1 example uses.
const TimeFormat = "2006-01-02T15:04:05Z"

// FormatTime renders t in TimeFormat.
func FormatTime(t time.Time) string { return t.UTC().Format(TimeFormat) }

// Nullable renders an unset string as JSON null, as TaskRouter does.
func Nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}
