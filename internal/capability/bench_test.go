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
	"net/url"
	"testing"
	"time"
)

func BenchmarkMint(b *testing.B) {
	m := testMinter()
	g := Grant{WorkspaceSID: "WS1", Channel: "WS1", Policies: URLs{}.ObjectScope("WS1", KindTaskQueue, "WQ1")}
	for b.Loop() {
		if _, _, err := m.Mint(g); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	token := validToken(b)
	for b.Loop() {
		if _, err := Verify(token, testAccount, testAuthToken, testNow); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAllowedWorkerSet(b *testing.B) {
	policies, err := URLs{}.WorkerPolicies("WS1", "WK1", WorkerActivityUpdates, WorkerReservationUpdates)
	if err != nil {
		b.Fatal(err)
	}
	form := url.Values{"ActivitySid": {"WA1"}}
	for b.Loop() {
		if !Allowed(policies, "POST", tr+"/Workers/WK1", nil, form) {
			b.Fatal("denied")
		}
	}
}

func BenchmarkCacheHit(b *testing.B) {
	c := NewCache(func() time.Time { return testNow })
	m := testMinter()
	g := Grant{WorkspaceSID: "WS1", Channel: "WS1", Policies: URLs{}.WorkspaceScope("WS1")}
	key := m.CacheKey(g)
	mint := func() (string, time.Time, error) { return m.Mint(g) }
	for b.Loop() {
		if _, err := c.Token(key, mint); err != nil {
			b.Fatal(err)
		}
	}
}
