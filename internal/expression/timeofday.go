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
	"fmt"
	"time"
)

// TimeOfDayRoot is the root of TaskRouter's time-of-day keys, which workflow
// filter and target expressions may read ("Time of Day Routing").
const TimeOfDayRoot = "taskrouter"

// TimeOfDay is what the taskrouter.* keys read at now, in UTC as TaskRouter
// fills them in: currentTime is HHMM as a number (930 at 09:30, so
// "taskrouter.currentTime > 0800" works), currentHour a two-digit string
// ("09"; compared with a number it compares as one), currentMin the minute
// the same way (assumed: the guide gives its meaning but not its type), and
// dayOfWeek Mon, Tue, ... Sun. Any other taskrouter.* key reads as missing.
// Put it under TimeOfDayRoot in the context of an expression.
func TimeOfDay(now time.Time) map[string]any {
	now = now.UTC()
	return map[string]any{
		"currentTime": float64(now.Hour()*100 + now.Minute()),
		"currentHour": fmt.Sprintf("%02d", now.Hour()),
		"currentMin":  fmt.Sprintf("%02d", now.Minute()),
		"dayOfWeek":   now.Weekday().String()[:3],
	}
}
