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

package expression

import (
	"testing"
	"time"
)

// The time-of-day expressions of TaskRouter's guide, at times either side of their bounds.
func TestTimeOfDay(t *testing.T) {
	berlin := time.FixedZone("CET", 3600)
	tests := []struct {
		src  string
		at   time.Time
		want bool
	}{
		{"taskrouter.currentTime > 0800 AND taskrouter.currentTime < 1830", time.Date(2026, 1, 5, 8, 1, 0, 0, time.UTC), true},
		{"taskrouter.currentTime > 0800 AND taskrouter.currentTime < 1830", time.Date(2026, 1, 5, 18, 30, 0, 0, time.UTC), false},
		{"taskrouter.currentTime > 0800", time.Date(2026, 1, 5, 8, 30, 0, 0, berlin), false}, // 07:30 UTC
		{"taskrouter.currentHour > 8 AND taskrouter.currentHour < 18", time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC), true},
		{"taskrouter.currentHour == 9", time.Date(2026, 1, 5, 9, 59, 0, 0, time.UTC), true},
		{`taskrouter.currentHour == "09"`, time.Date(2026, 1, 5, 9, 59, 0, 0, time.UTC), true},
		{"taskrouter.currentMin > 10 AND taskrouter.currentMin < 50", time.Date(2026, 1, 5, 9, 5, 0, 0, time.UTC), false},
		{"taskrouter.currentMin > 10 AND taskrouter.currentMin < 50", time.Date(2026, 1, 5, 9, 11, 0, 0, time.UTC), true},
		{`taskrouter.dayOfWeek IN ["Mon", "Tue"]`, time.Date(2026, 1, 5, 12, 0, 0, 0, time.UTC), true},           // a Monday
		{`taskrouter.dayOfWeek IN ["Mon", "Tue"]`, time.Date(2026, 1, 10, 12, 0, 0, 0, time.UTC), false},         // a Saturday
		{`taskrouter.dayOfWeek == "Sun"`, time.Date(2026, 1, 10, 23, 30, 0, 0, time.FixedZone("", -3600)), true}, // Sunday 00:30 UTC
		{"taskrouter.unknown == 1", time.Date(2026, 1, 5, 12, 0, 0, 0, time.UTC), false},
	}
	for _, tt := range tests {
		x, err := Parse(tt.src)
		if err != nil {
			t.Fatalf("%s: %v", tt.src, err)
		}
		if got := x.Evaluate(map[string]any{TimeOfDayRoot: TimeOfDay(tt.at)}); got != tt.want {
			t.Errorf("%s at %s: %v, want %v", tt.src, tt.at, got, tt.want)
		}
	}
}
