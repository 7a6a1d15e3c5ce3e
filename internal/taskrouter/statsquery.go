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
	"net/url"
	"strconv"
	"strings"
	"time"
)

// StatisticsQuery narrows a statistics read. Zero fields are not sent; each endpoint receives only the
// parameters its operation documents (real-time endpoints take only TaskChannel).
type StatisticsQuery struct {
	// Minutes is the window ending now (TaskRouter's default is 15).
	Minutes *int
	// StartDate and EndDate bound the window instead of Minutes; sent as RFC 3339 in UTC.
	StartDate *time.Time
	EndDate   *time.Time
	// TaskChannel restricts figures to one channel (sid or unique name, e.g. "voice").
	TaskChannel string
	// SplitByWaitTime are thresholds in seconds, sent comma-separated (e.g. "5,30").
	SplitByWaitTime []int
}

// statsParams are the query parameters an endpoint accepts, so the client never sends one it does not document.
type statsParams uint8

const (
	paramWindow statsParams = 1 << iota // Minutes, StartDate, EndDate
	paramChannel
	paramSplit

	realTimeParams   = paramChannel
	cumulativeParams = paramWindow | paramChannel | paramSplit
	workerParams     = paramWindow | paramChannel
)

func (q StatisticsQuery) values(accept statsParams) url.Values {
	v := url.Values{}
	if accept&paramWindow != 0 {
		if q.Minutes != nil {
			v.Set("Minutes", strconv.Itoa(*q.Minutes))
		}
		if q.StartDate != nil {
			v.Set("StartDate", q.StartDate.UTC().Format(time.RFC3339))
		}
		if q.EndDate != nil {
			v.Set("EndDate", q.EndDate.UTC().Format(time.RFC3339))
		}
	}
	if accept&paramChannel != 0 && q.TaskChannel != "" {
		v.Set("TaskChannel", q.TaskChannel)
	}
	if accept&paramSplit != 0 && len(q.SplitByWaitTime) > 0 {
		parts := make([]string, len(q.SplitByWaitTime))
		for i, s := range q.SplitByWaitTime {
			parts[i] = strconv.Itoa(s)
		}
		v.Set("SplitByWaitTime", strings.Join(parts, ","))
	}
	return v
}
