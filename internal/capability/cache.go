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

package capability

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"slices"
	"sync"
	"time"
)

// Renewal thresholds: a cached token is replaced once less than max(renewFraction of its
// lifetime, renewFloor) remains, so a 1 h token is renewed 12 min early and a 10 min token
// 5 min early. The floor covers clock skew and a slow round trip for short tokens; it is
// capped at half the lifetime so a very short token is still reused for its first half.
const (
	renewFraction = 5 // renew in the last 1/5 (20 %) of the lifetime...
	renewFloor    = 5 * time.Minute
)

// renewBefore is how long before expiry a token of the given lifetime is replaced.
func renewBefore(lifetime time.Duration) time.Duration {
	return min(max(lifetime/renewFraction, renewFloor), lifetime/2)
}

// maxCachedTokens bounds the cache. Tokens are per object (least privilege per call), and a token
// is about 1 KB: a workspace of 10,000 objects would otherwise keep 10 MB of them, mostly for objects
// that will not call TaskRouter again before their token expires. Minting one again is a signature,
// not a request.
const maxCachedTokens = 1000

// expiredScanEvery is how often a miss looks for expired entries: every miss did, a pass over up to
// maxCachedTokens entries for each of the thousands of new objects of a converge.
const expiredScanEvery = time.Minute

// Cache reuses one token per key until shortly before it expires, keeping at most maxCachedTokens
// (the least recently used go first). Safe for concurrent use: callers of one key wait for a single
// mint, callers of other keys do not wait at all.
type Cache struct {
	now     func() time.Time
	max     int
	mu      sync.Mutex
	entries map[string]*cacheEntry
	// scannedAt is when a miss last looked for expired entries.
	scannedAt time.Time
}

type cacheEntry struct {
	mu       sync.Mutex
	token    string
	expires  time.Time
	renewAt  time.Time
	lastUsed time.Time
}

// NewCache returns an empty cache reading time from now (nil means time.Now).
func NewCache(now func() time.Time) *Cache {
	if now == nil {
		now = time.Now
	}
	return &Cache{now: now, max: maxCachedTokens, entries: map[string]*cacheEntry{}}
}

// Token returns the cached token for key, calling mint when there is none or it is due for
// renewal. Mint errors are returned, not cached; a token minted already expired is not cached.
func (c *Cache) Token(key string, mint func() (string, time.Time, error)) (string, error) {
	e := c.entry(key)
	e.mu.Lock()
	defer e.mu.Unlock()
	now := c.now()
	e.lastUsed = now
	if e.token != "" && now.Before(e.renewAt) {
		return e.token, nil
	}
	token, expires, err := mint()
	if err != nil {
		c.forget(key, e)
		return "", fmt.Errorf("renew cached capability token: %w", err)
	}
	lifetime := expires.Sub(now)
	if lifetime <= 0 {
		c.forget(key, e)
		return token, nil
	}
	e.token, e.expires, e.renewAt = token, expires, expires.Add(-renewBefore(lifetime))
	return token, nil
}

// entry finds or creates key's entry; creating one also drops expired entries (at most once every
// expiredScanEvery), so keys that stop being used (a rotated auth token, a deleted object) do not
// accumulate, and makes room when the cache is full.
func (c *Cache) entry(key string) *cacheEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[key]; ok {
		return e
	}
	if now := c.now(); now.Sub(c.scannedAt) >= expiredScanEvery {
		c.scannedAt = now
		c.dropExpired(now)
	}
	if len(c.entries) >= c.max {
		c.dropLeastRecentlyUsed()
	}
	e := &cacheEntry{}
	c.entries[key] = e
	return e
}

// dropExpired drops the entries whose token expired before now.
func (c *Cache) dropExpired(now time.Time) {
	for k, e := range c.entries {
		// TryLock: an entry being minted right now is in use, not stale. A zero expiry is
		// an entry whose first mint is still to come; Token forgets it if that mint fails.
		if e.mu.TryLock() {
			if !e.expires.IsZero() && !now.Before(e.expires) {
				delete(c.entries, k)
			}
			e.mu.Unlock()
		}
	}
}

// dropLeastRecentlyUsed drops the entries used longest ago, down to three quarters of the bound at
// once, so a burst of new keys sorts once per quarter of the bound, not once per key. Entries in
// use are kept.
func (c *Cache) dropLeastRecentlyUsed() {
	idle := make([]idleEntry, 0, len(c.entries))
	for k, e := range c.entries {
		if e.mu.TryLock() {
			idle = append(idle, idleEntry{key: k, lastUsed: e.lastUsed})
			e.mu.Unlock()
		}
	}
	slices.SortFunc(idle, func(a, b idleEntry) int { return a.lastUsed.Compare(b.lastUsed) })
	for _, old := range idle {
		if len(c.entries) < c.max*3/4 {
			return
		}
		delete(c.entries, old.key)
	}
}

// idleEntry is an entry no one was using when room was made.
type idleEntry struct {
	key      string
	lastUsed time.Time
}

// forget drops key's entry after a failed or uncacheable mint, unless it was replaced meanwhile.
// Called with e.mu held; entry only TryLocks entries under c.mu, so the lock order is safe.
func (c *Cache) forget(key string, e *cacheEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e.token, e.expires, e.renewAt = "", time.Time{}, time.Time{}
	if c.entries[key] == e {
		delete(c.entries, key)
	}
}

// GrantKey is a cache key covering everything that changes a token minted with the default
// URLs: account, auth token and grant. It is a SHA-256 digest, so the auth token never
// appears in clear. Use Minter.CacheKey when the event-bridge URL can vary.
func GrantKey(accountSID, authToken string, g Grant) string {
	return grantKey(accountSID, authToken, DefaultEventBridgeBaseURL, g)
}

// CacheKey is GrantKey for this minter's account, auth token and event-bridge URL.
func (m Minter) CacheKey(g Grant) string {
	return grantKey(m.AccountSID, m.AuthToken, m.URLs.eventBridgeBase(), g)
}

// grantKey hashes length-prefixed fields, so no two field lists can collide by concatenation.
// Equivalent grants (TTL 0 and DefaultTTL, empty and defaulted friendly name, nil and {}
// filters, method case) share a key because Mint turns them into the same token.
func grantKey(accountSID, authToken, eventBridge string, g Grant) string {
	h := sha256.New()
	ttl := g.TTL
	if ttl == 0 {
		ttl = DefaultTTL
	}
	name := g.FriendlyName
	if name == "" {
		name = g.Channel
	}
	writeField(h, "taskrouter-capability-grant/1")
	for _, f := range []string{accountSID, authToken, eventBridge, g.WorkspaceSID, g.Channel, name, ttl.String()} {
		writeField(h, f)
	}
	for _, p := range g.Policies {
		b, err := json.Marshal(normalise(p))
		if err != nil {
			// Mint cannot sign such a policy either; a distinct marker keeps the key total.
			b = []byte(fmt.Sprintf("unencodable:%s %s", p.Method, p.URL))
		}
		writeField(h, string(b))
	}
	return hex.EncodeToString(h.Sum(nil))
}

func writeField(h hash.Hash, s string) {
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(len(s)))
	h.Write(n[:])
	h.Write([]byte(s))
}
