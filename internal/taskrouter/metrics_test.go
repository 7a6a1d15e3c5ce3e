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
