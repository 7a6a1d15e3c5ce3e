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
	"strconv"
	"sync"
	"time"
)

// recordingMetrics keeps what the client reports.
type recordingMetrics struct {
	mu       sync.Mutex
	requests []string
	waits    []time.Duration
	minted   []string
}

func (m *recordingMetrics) ObserveRequest(endpoint, method string, code int, _ time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests = append(m.requests, method+" "+endpoint+" "+strconv.Itoa(code))
}

func (m *recordingMetrics) ObserveRateLimitWait(d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.waits = append(m.waits, d)
}

func (m *recordingMetrics) ObserveTokenMinted(kind string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.minted = append(m.minted, kind)
}

func (m *recordingMetrics) Requests() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]string(nil), m.requests...)
}

func (m *recordingMetrics) Waits() []time.Duration {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]time.Duration(nil), m.waits...)
}

func (m *recordingMetrics) Minted() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]string(nil), m.minted...)
}
