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

package kubeevents

import (
	"container/list"
	"time"
)

// series is what the recorder remembers of one Event it wrote, so that a repeat can patch that
// Event's count instead of creating another; it holds no Event and no note.
type series struct {
	key          uint64
	name         string
	namespace    string
	count        int32
	lastObserved time.Time
}

// seriesCache bounds the memory spent on repeats: at most max series, none older than window.
// Only the goroutine running Start uses it, so it has no lock.
type seriesCache struct {
	max    int
	window time.Duration
	byKey  map[uint64]*list.Element
	// recency orders the series by their last write, most recent first: the writer handles
	// occurrences in queue order, so the back is (nearly) the one observed longest ago.
	recency list.List
}

func newSeriesCache(maxSeries int, window time.Duration) *seriesCache {
	return &seriesCache{max: maxSeries, window: window, byKey: make(map[uint64]*list.Element)}
}

// lookup returns the series an occurrence at the given time continues, or nil when there is
// none or the last one ended a window or more before.
func (c *seriesCache) lookup(key uint64, at time.Time) *series {
	e, ok := c.byKey[key]
	if !ok {
		return nil
	}
	s := e.Value.(*series)
	if at.Sub(s.lastObserved) >= c.window {
		c.remove(e)
		return nil
	}
	return s
}

// touch marks s as the most recently written series.
func (c *seriesCache) touch(s *series) {
	if e, ok := c.byKey[s.key]; ok {
		c.recency.MoveToFront(e)
	}
}

// add remembers s, replacing any series with its key and evicting the least recently written
// ones beyond the bound.
func (c *seriesCache) add(s *series) {
	if e, ok := c.byKey[s.key]; ok {
		c.remove(e)
	}
	for c.recency.Len() >= c.max && c.recency.Len() > 0 {
		c.remove(c.recency.Back())
	}
	c.byKey[s.key] = c.recency.PushFront(s)
}

// expire drops the series whose window has closed by now, so that memory is given back even
// when no event repeats.
func (c *seriesCache) expire(now time.Time) {
	for e := c.recency.Back(); e != nil; e = c.recency.Back() {
		if now.Sub(e.Value.(*series).lastObserved) < c.window {
			return
		}
		c.remove(e)
	}
}

func (c *seriesCache) len() int {
	return c.recency.Len()
}

func (c *seriesCache) remove(e *list.Element) {
	delete(c.byKey, e.Value.(*series).key)
	c.recency.Remove(e)
}
