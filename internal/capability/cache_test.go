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
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	clocktesting "k8s.io/utils/clock/testing"
)

// countingMint mints "token-N" valid for ttl from the clock's current time.
type countingMint struct {
	mu    sync.Mutex
	clock *clocktesting.FakePassiveClock
	ttl   time.Duration
	calls int
}

func (m *countingMint) mint() (string, time.Time, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls++
	return fmt.Sprintf("token-%d", m.calls), m.clock.Now().Add(m.ttl), nil
}

func TestCacheRenewal(t *testing.T) {
	tests := []struct {
		name string
		ttl  time.Duration
		// reuseUntil is the last offset from minting at which the first token is still reused.
		reuseUntil time.Duration
	}{
		{"one hour renews in the last 20 %", time.Hour, 48*time.Minute - time.Second},
		{"ten minutes renews in the last 5 minutes", 10 * time.Minute, 5*time.Minute - time.Second},
		{"four minutes renews at half life", 4 * time.Minute, 2*time.Minute - time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := clocktesting.NewFakePassiveClock(testNow)
			m := &countingMint{clock: clock, ttl: tt.ttl}
			c := NewCache(clock.Now)
			want := func(wantToken string) {
				t.Helper()
				got, err := c.Token("k", m.mint)
				if err != nil {
					t.Fatalf("Token: %v", err)
				}
				if got != wantToken {
					t.Fatalf("at +%s Token = %q, want %q", clock.Now().Sub(testNow), got, wantToken)
				}
			}
			want("token-1")
			clock.SetTime(testNow.Add(time.Second))
			want("token-1")
			clock.SetTime(testNow.Add(tt.reuseUntil))
			want("token-1")
			clock.SetTime(testNow.Add(tt.reuseUntil + time.Second))
			want("token-2")
			want("token-2")
			if m.calls != 2 {
				t.Errorf("mint called %d times, want 2", m.calls)
			}
		})
	}
}

func TestCacheKeysAreIndependent(t *testing.T) {
	clock := clocktesting.NewFakePassiveClock(testNow)
	m := &countingMint{clock: clock, ttl: time.Hour}
	c := NewCache(clock.Now)
	a1, _ := c.Token("a", m.mint)
	b1, _ := c.Token("b", m.mint)
	a2, _ := c.Token("a", m.mint)
	if a1 == b1 {
		t.Errorf("keys a and b share token %q", a1)
	}
	if a1 != a2 {
		t.Errorf("key a: %q then %q, want reuse", a1, a2)
	}
}

func TestCacheDoesNotKeepFailuresOrDeadTokens(t *testing.T) {
	clock := clocktesting.NewFakePassiveClock(testNow)
	c := NewCache(clock.Now)
	boom := errors.New("boom")
	if _, err := c.Token("k", func() (string, time.Time, error) { return "", time.Time{}, boom }); !errors.Is(err, boom) {
		t.Fatalf("error = %v, want %v", err, boom)
	}
	dead := func() (string, time.Time, error) { return "dead", testNow, nil }
	if got, err := c.Token("k", dead); err != nil || got != "dead" {
		t.Fatalf("Token = %q, %v; want the freshly minted token", got, err)
	}
	m := &countingMint{clock: clock, ttl: time.Hour}
	if got, _ := c.Token("k", m.mint); got != "token-1" {
		t.Errorf("after an expired mint Token = %q, want a new mint", got)
	}
	if len(c.entries) != 1 {
		t.Errorf("cache holds %d entries, want 1", len(c.entries))
	}
}

func TestCacheDropsExpiredEntries(t *testing.T) {
	clock := clocktesting.NewFakePassiveClock(testNow)
	m := &countingMint{clock: clock, ttl: time.Hour}
	c := NewCache(clock.Now)
	for i := range 5 {
		if _, err := c.Token(fmt.Sprint("old-", i), m.mint); err != nil {
			t.Fatalf("Token: %v", err)
		}
	}
	clock.SetTime(testNow.Add(2 * time.Hour))
	if _, err := c.Token("new", m.mint); err != nil {
		t.Fatalf("Token: %v", err)
	}
	if len(c.entries) != 1 {
		t.Errorf("cache holds %d entries after expiry, want 1", len(c.entries))
	}
}

// TestCacheLooksForExpiredEntriesOncePerMinute: a miss drops expired entries only when the last look
// was a minute ago or more, not on every new key.
func TestCacheLooksForExpiredEntriesOncePerMinute(t *testing.T) {
	clock := clocktesting.NewFakePassiveClock(testNow)
	m := &countingMint{clock: clock, ttl: 30 * time.Second}
	c := NewCache(clock.Now)
	for i := range 3 {
		if _, err := c.Token(fmt.Sprint("first-", i), m.mint); err != nil { // the first miss looks
			t.Fatalf("Token: %v", err)
		}
	}
	clock.SetTime(testNow.Add(40 * time.Second)) // the three expired, the last look 40 s ago
	if _, err := c.Token("at-40s", m.mint); err != nil {
		t.Fatalf("Token: %v", err)
	}
	if len(c.entries) != 4 {
		t.Errorf("40 s after the last look the cache holds %d entries, want 4 (no look yet)", len(c.entries))
	}
	clock.SetTime(testNow.Add(61 * time.Second))
	if _, err := c.Token("at-61s", m.mint); err != nil {
		t.Fatalf("Token: %v", err)
	}
	var keys []string
	for k := range c.entries {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if diff := cmp.Diff([]string{"at-40s", "at-61s"}, keys); diff != "" {
		t.Errorf("a minute after the last look, entries (-want +got):\n%s", diff)
	}
}

func TestCacheConcurrentCallersShareOneMint(t *testing.T) {
	clock := clocktesting.NewFakePassiveClock(testNow)
	m := &countingMint{clock: clock, ttl: time.Hour}
	c := NewCache(clock.Now)
	var wg sync.WaitGroup
	tokens := make([]string, 32)
	for i := range tokens {
		wg.Go(func() {
			key := "k"
			if i%2 == 1 {
				key = "other"
			}
			tokens[i], _ = c.Token(key, m.mint)
		})
	}
	wg.Wait()
	if m.calls != 2 {
		t.Errorf("mint called %d times for two keys, want 2", m.calls)
	}
	for i, tok := range tokens {
		if tok != tokens[i%2] {
			t.Errorf("caller %d got %q, want %q", i, tok, tokens[i%2])
		}
	}
}

func TestGrantKey(t *testing.T) {
	grant := Grant{WorkspaceSID: "WS1", Channel: "WQ1", Policies: URLs{}.ObjectScope("WS1", KindTaskQueue, "WQ1")}
	base := GrantKey(testAccount, testAuthToken, grant)
	if strings.Contains(base, testAuthToken) {
		t.Fatalf("key contains the auth token")
	}
	same := []struct {
		name  string
		grant Grant
	}{
		{"explicit default TTL", Grant{WorkspaceSID: "WS1", Channel: "WQ1", TTL: DefaultTTL, Policies: grant.Policies}},
		{"explicit default friendly name", Grant{WorkspaceSID: "WS1", Channel: "WQ1", FriendlyName: "WQ1", Policies: grant.Policies}},
		{"nil filters and lower-case methods", Grant{WorkspaceSID: "WS1", Channel: "WQ1", Policies: []Policy{
			{URL: tr + "/TaskQueues/WQ1", Method: "get", Allow: true},
			{URL: tr + "/TaskQueues/WQ1", Method: "post", Allow: true},
			{URL: tr + "/TaskQueues/WQ1", Method: "delete", Allow: true},
		}}},
	}
	for _, tt := range same {
		if got := GrantKey(testAccount, testAuthToken, tt.grant); got != base {
			t.Errorf("%s: key differs for an equivalent grant", tt.name)
		}
	}
	different := []struct {
		name string
		key  string
	}{
		{"account", GrantKey("AC00000000000000000000000000000002", testAuthToken, grant)},
		{"auth token", GrantKey(testAccount, testAuthToken+"x", grant)},
		{"workspace", GrantKey(testAccount, testAuthToken, Grant{WorkspaceSID: "WS2", Channel: "WQ1", Policies: grant.Policies})},
		{"channel", GrantKey(testAccount, testAuthToken, Grant{WorkspaceSID: "WS1", Channel: "WS1", Policies: grant.Policies})},
		{"friendly name", GrantKey(testAccount, testAuthToken, Grant{WorkspaceSID: "WS1", Channel: "WQ1", FriendlyName: "x", Policies: grant.Policies})},
		{"ttl", GrantKey(testAccount, testAuthToken, Grant{WorkspaceSID: "WS1", Channel: "WQ1", TTL: time.Minute, Policies: grant.Policies})},
		{"policies", GrantKey(testAccount, testAuthToken, Grant{WorkspaceSID: "WS1", Channel: "WQ1", Policies: grant.Policies[:2]})},
		{"field boundaries", GrantKey(testAccount+"W", testAuthToken, Grant{WorkspaceSID: "S1", Channel: "WQ1", Policies: grant.Policies})},
		{"event-bridge URL", Minter{AccountSID: testAccount, AuthToken: testAuthToken, URLs: URLs{EventBridge: "http://127.0.0.1:8080"}}.CacheKey(grant)},
	}
	for _, tt := range different {
		if tt.key == base {
			t.Errorf("%s: key unchanged", tt.name)
		}
	}
	if got := (Minter{AccountSID: testAccount, AuthToken: testAuthToken}).CacheKey(grant); got != base {
		t.Errorf("Minter.CacheKey with default URLs differs from GrantKey")
	}
}

// TestCacheKeepsTheRecentlyUsedWithinItsBound: past the bound, the tokens used longest ago are
// dropped (and minted again when asked for), the ones in use lately are kept.
func TestCacheKeepsTheRecentlyUsedWithinItsBound(t *testing.T) {
	clock := clocktesting.NewFakePassiveClock(testNow)
	m := &countingMint{clock: clock, ttl: time.Hour}
	c := NewCache(clock.Now)
	c.max = 8
	token := func(key string) string {
		t.Helper()
		tok, err := c.Token(key, m.mint)
		if err != nil {
			t.Fatalf("Token(%s): %v", key, err)
		}
		return tok
	}
	hot := token("hot")
	for i := range 20 {
		clock.SetTime(clock.Now().Add(time.Second))
		token(fmt.Sprint("object-", i))
		if got := token("hot"); got != hot {
			t.Fatalf("after %d other keys the hot key's token was minted again", i+1)
		}
		if len(c.entries) > c.max {
			t.Fatalf("cache holds %d entries, bound %d", len(c.entries), c.max)
		}
	}
	minted := m.calls
	token("object-19") // used last: still cached
	if m.calls != minted {
		t.Fatal("the most recent key was dropped")
	}
	token("object-0") // used first: dropped, minted again
	if m.calls != minted+1 {
		t.Fatalf("%d mints for the oldest key, want 1", m.calls-minted)
	}
}
