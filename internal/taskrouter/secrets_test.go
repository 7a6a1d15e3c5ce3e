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
	"context"
	"encoding/base64"
	"strings"
	"sync"
	"testing"

	"github.com/go-logr/logr/funcr"
)

func TestNoSecretInLogsOrErrors(t *testing.T) {
	var mu sync.Mutex
	var lines []string
	logger := funcr.New(func(prefix, args string) {
		mu.Lock()
		defer mu.Unlock()
		lines = append(lines, prefix+" "+args)
	}, funcr.Options{Verbosity: 10})

	// Every call fails (500, 401, 429 in turn) so retries, their debug logs and error texts all run.
	var tokens []string
	srv := newFakeServer(t, func(r recorded, n int) reply {
		if strings.HasPrefix(r.Path, "/v1/wschannels/") {
			mu.Lock()
			tokens = append(tokens, channelMessage(t, r).Token)
			mu.Unlock()
		}
		status := []int{500, 401, 429}[n%3]
		return reply{status: status, body: `{"code":20003,"message":"denied","status":401}`}
	})
	clock := newFakeClock()
	c := testClient(srv, clock, func(c *Config) { c.Logger = logger; c.MaxRetries = 2 })

	var errs []string
	record := func(err error) {
		if err == nil {
			t.Fatal("a failing call succeeded")
		}
		errs = append(errs, err.Error())
	}
	for _, mode := range []AuthMode{AuthBasic, AuthCapabilityToken} {
		a := mustAccount(t, c, keyCreds(), mode)
		w := a.Workspace(testWS)
		for _, call := range everyCall(a)[:12] {
			record(call())
		}
		_, err := w.FetchWorkflowStatistics(context.Background(), testWW, StatisticsQuery{})
		record(err)
	}
	// A dead server: transport errors carry the URL, never the credentials.
	dead := newFakeServer(t, always(200, "{}"))
	dead.Close()
	a := mustAccount(t, testClient(dead, clock, func(c *Config) { c.Logger = logger; c.MaxRetries = 1 }), keyCreds(), AuthBasic)
	_, err := a.Workspaces().Fetch(context.Background(), testWS)
	record(err)
	_, err = c.Account(Credentials{AccountSID: testAccount, APIKeySecret: testKeySecret}, AuthBasic)
	record(err)

	secrets := []string{testAuthToken, testKeySecret, "Authorization", "authorization",
		base64.StdEncoding.EncodeToString([]byte(testKeySID + ":" + testKeySecret)),
		base64.StdEncoding.EncodeToString([]byte(testAccount + ":" + testAuthToken))}
	mu.Lock()
	secrets = append(secrets, tokens...)
	logged := append([]string(nil), lines...)
	mu.Unlock()
	if len(tokens) == 0 || len(logged) == 0 {
		t.Fatalf("test did not exercise tokens (%d) or logs (%d)", len(tokens), len(logged))
	}
	for _, text := range append(logged, errs...) {
		for _, s := range secrets {
			if strings.Contains(text, s) {
				t.Errorf("%q leaks a secret (%.12s...)", text, s)
			}
		}
	}
}
