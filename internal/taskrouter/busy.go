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

package taskrouter

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// busyQueueStatistics decodes a queue's statistics as TaskQueueStatistics does, except that its
// real-time activity statistics keep only the activities with workers (see busyActivities). The
// fields at the outer level shadow the embedded ones of the same JSON name.
type busyQueueStatistics struct {
	TaskQueueStatistics
	RealTime busyRealTime `json:"realtime"`
}

type busyRealTime struct {
	TaskQueueRealTimeStatistics
	ActivityStatistics busyActivities `json:"activity_statistics"`
}

func (b busyQueueStatistics) statistics() TaskQueueStatistics {
	s := b.TaskQueueStatistics
	s.RealTime = b.RealTime.TaskQueueRealTimeStatistics
	s.RealTime.ActivityStatistics = b.RealTime.ActivityStatistics
	return s
}

// busyActivities is an activity_statistics array of which only the activities with workers are
// decoded: the others are passed over in the bytes, allocating nothing.
type busyActivities []ActivityCount

// UnmarshalJSON implements json.Unmarshaler. encoding/json hands it a value it has checked is valid
// JSON, which the scan below relies on.
func (b *busyActivities) UnmarshalJSON(data []byte) error {
	*b = nil
	data = bytes.TrimSpace(data)
	if string(data) == "null" {
		return nil
	}
	if len(data) < 2 || data[0] != '[' {
		return errors.New("activity_statistics: want an array")
	}
	for i := skipJSONSpace(data, 1); i < len(data) && data[i] != ']'; {
		activity := jsonValueAt(data, i)
		busy, err := hasWorkers(activity)
		if err != nil {
			return fmt.Errorf("activity_statistics: %w", err)
		}
		if busy {
			var a ActivityCount
			if err := json.Unmarshal(activity, &a); err != nil {
				return fmt.Errorf("activity_statistics: %w", err)
			}
			*b = append(*b, a)
		}
		i = skipJSONSpace(data, i+len(activity))
		if i < len(data) && data[i] == ',' {
			i = skipJSONSpace(data, i+1)
		}
	}
	return nil
}

// hasWorkers reads the workers member of one activity's statistics (a JSON object) without decoding
// the rest. A member name written with escapes is not compared byte for byte: the object is then
// decoded whole.
func hasWorkers(activity []byte) (bool, error) {
	if len(activity) == 0 || activity[0] != '{' {
		return false, fmt.Errorf("want an object, got %.20q", activity)
	}
	for i := skipJSONSpace(activity, 1); i < len(activity) && activity[i] != '}'; {
		name := jsonValueAt(activity, i)
		i = skipJSONSpace(activity, i+len(name))
		i = skipJSONSpace(activity, i+1) // the colon
		value := jsonValueAt(activity, i)
		i = skipJSONSpace(activity, i+len(value))
		if i < len(activity) && activity[i] == ',' {
			i = skipJSONSpace(activity, i+1)
		}
		if bytes.IndexByte(name, '\\') >= 0 {
			var a ActivityCount
			if err := json.Unmarshal(activity, &a); err != nil {
				return false, err
			}
			return a.Workers != 0, nil
		}
		if string(name) != `"workers"` {
			continue
		}
		var n Int
		if err := n.UnmarshalJSON(value); err != nil {
			return false, fmt.Errorf("workers: %w", err)
		}
		return n != 0, nil
	}
	return false, nil
}

// skipJSONSpace is the offset of the first byte from i on that is not JSON white space.
func skipJSONSpace(data []byte, i int) int {
	for i < len(data) && isJSONSpace(data[i]) {
		i++
	}
	return i
}

func isJSONSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
