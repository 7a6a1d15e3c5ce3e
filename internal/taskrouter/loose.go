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
	"fmt"
	"math"
	"strconv"
)

// TaskRouter statistics do not keep to their declared types: integers arrive as 0.0, map values as
// strings ("10"), absent figures as null. Int and Float accept all of these so one odd field never
// fails a whole statistics read.

// Int is a count decoded loosely from a JSON number, a numeric string or null (0).
type Int int64

// UnmarshalJSON implements json.Unmarshaler.
func (n *Int) UnmarshalJSON(b []byte) error {
	f, err := looseFloat(b)
	if err != nil {
		return err
	}
	*n = Int(math.Round(f))
	return nil
}

// Float is a figure (an average or a duration in seconds) decoded loosely like Int.
type Float float64

// UnmarshalJSON implements json.Unmarshaler.
func (n *Float) UnmarshalJSON(b []byte) error {
	f, err := looseFloat(b)
	if err != nil {
		return err
	}
	*n = Float(f)
	return nil
}

func looseFloat(b []byte) (float64, error) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || bytes.Equal(b, []byte("null")) {
		return 0, nil
	}
	if b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return 0, err
		}
		if s == "" {
			return 0, nil
		}
		b = []byte(s)
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("not a number: %.40q", b)
	}
	return f, nil
}
