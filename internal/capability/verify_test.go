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
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// validToken mints a worker token valid from testNow for an hour.
func validToken(t testing.TB) string {
	t.Helper()
	policies, err := URLs{}.WorkerPolicies("WS1", "WK1", WorkerActivityUpdates)
	if err != nil {
		t.Fatalf("WorkerPolicies: %v", err)
	}
	token, _, err := testMinter().Mint(Grant{WorkspaceSID: "WS1", Channel: "WK1", Policies: policies})
	if err != nil {
		t.Fatalf("Mint: %v", err)
	}
	return token
}

// signClaims signs arbitrary claims, for tokens Mint refuses to produce.
func signClaims(t *testing.T, method jwt.SigningMethod, key any, claims jwt.Claims) string {
	t.Helper()
	token, err := jwt.NewWithClaims(method, claims).SignedString(key)
	if err != nil {
		t.Fatalf("sign: %v", err)
	}
	return token
}

func forgedClaims(mutate func(*Claims)) *Claims {
	c := &Claims{
		RegisteredClaims: jwt.RegisteredClaims{Issuer: testAccount, ExpiresAt: jwt.NewNumericDate(testNow.Add(time.Hour))},
		Version:          "v1", FriendlyName: "WS1", AccountSID: testAccount, Channel: "WS1", WorkspaceSID: "WS1",
		Policies: []Policy{},
	}
	mutate(c)
	return c
}

func TestVerifyAcceptsMintedToken(t *testing.T) {
	got, err := Verify(validToken(t), testAccount, testAuthToken, testNow.Add(59*time.Minute))
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	want := &Claims{
		RegisteredClaims: jwt.RegisteredClaims{Issuer: testAccount, ExpiresAt: jwt.NewNumericDate(time.Unix(testNowUnix+3600, 0))},
		Version:          "v1", FriendlyName: "WK1", AccountSID: testAccount, Channel: "WK1", WorkspaceSID: "WS1", WorkerSID: "WK1",
		Policies: []Policy{
			{URL: "https://event-bridge.twilio.com/v1/wschannels/" + testAccount + "/WK1", Method: "GET", Allow: true},
			{URL: "https://event-bridge.twilio.com/v1/wschannels/" + testAccount + "/WK1", Method: "POST", Allow: true},
			{URL: "https://taskrouter.twilio.com/v1/Workspaces/WS1/Workers/WK1", Method: "GET", Allow: true},
			{URL: "https://taskrouter.twilio.com/v1/Workspaces/WS1/Activities", Method: "GET", Allow: true},
			{URL: "https://taskrouter.twilio.com/v1/Workspaces/WS1/Tasks/**", Method: "GET", Allow: true},
			{URL: "https://taskrouter.twilio.com/v1/Workspaces/WS1/Workers/WK1/Reservations/**", Method: "GET", Allow: true},
			{URL: "https://taskrouter.twilio.com/v1/Workspaces/WS1/Workers/WK1", Method: "POST", Allow: true,
				PostFilter: map[string]any{"ActivitySid": map[string]any{"required": true}}},
		},
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("claims (-want +got):\n%s", diff)
	}
}

func TestVerifyRefuses(t *testing.T) {
	valid := validToken(t)
	parts := strings.Split(valid, ".")
	tamperedPayload := func() string {
		raw, _ := base64.RawURLEncoding.DecodeString(parts[1])
		var m map[string]any
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatalf("payload: %v", err)
		}
		m["worker_sid"] = "WK2" // escalate to another worker, keep the signature
		b, _ := json.Marshal(m)
		return parts[0] + "." + base64.RawURLEncoding.EncodeToString(b) + "." + parts[2]
	}
	noneHeader := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`))
	tests := []struct {
		name  string
		token string
		now   time.Time
		want  error
	}{
		{"tampered payload", tamperedPayload(), testNow, ErrSignature},
		{"tampered signature", parts[0] + "." + parts[1] + "." + strings.Repeat("A", len(parts[2])), testNow, ErrSignature},
		{"wrong key", signClaims(t, jwt.SigningMethodHS256, []byte("another-auth-token"), forgedClaims(func(*Claims) {})), testNow, ErrSignature},
		{"alg none with signature stripped", noneHeader + "." + parts[1] + ".", testNow, ErrSignature},
		{"alg none via library", signClaims(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, forgedClaims(func(*Claims) {})), testNow, ErrSignature},
		{"HS512 with the right key", signClaims(t, jwt.SigningMethodHS512, []byte(testAuthToken), forgedClaims(func(*Claims) {})), testNow, ErrSignature},
		{"unknown alg", base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"XX256"}`)) + "." + parts[1] + "." + parts[2], testNow, ErrSignature},
		{"expired exactly at exp", valid, time.Unix(testNowUnix+3600, 0), ErrExpired},
		{"expired long ago", valid, testNow.Add(48 * time.Hour), ErrExpired},
		{"not yet valid", signClaims(t, jwt.SigningMethodHS256, []byte(testAuthToken), forgedClaims(func(c *Claims) {
			c.NotBefore = jwt.NewNumericDate(testNow.Add(time.Minute))
		})), testNow, ErrExpired},
		{"wrong account in iss", signClaims(t, jwt.SigningMethodHS256, []byte(testAuthToken), forgedClaims(func(c *Claims) {
			c.Issuer = "AC00000000000000000000000000000002"
		})), testNow, ErrWrongAccount},
		{"wrong account in account_sid", signClaims(t, jwt.SigningMethodHS256, []byte(testAuthToken), forgedClaims(func(c *Claims) {
			c.AccountSID = "AC00000000000000000000000000000002"
		})), testNow, ErrWrongAccount},
		{"wrong version", signClaims(t, jwt.SigningMethodHS256, []byte(testAuthToken), forgedClaims(func(c *Claims) { c.Version = "v2" })), testNow, ErrMalformed},
		{"no exp", signClaims(t, jwt.SigningMethodHS256, []byte(testAuthToken), forgedClaims(func(c *Claims) { c.ExpiresAt = nil })), testNow, ErrMalformed},
		{"empty", "", testNow, ErrMalformed},
		{"garbage", "not a token", testNow, ErrMalformed},
		{"two segments", parts[0] + "." + parts[1], testNow, ErrMalformed},
		{"four segments", valid + ".x", testNow, ErrMalformed},
		{"header not base64", "!!!." + parts[1] + "." + parts[2], testNow, ErrMalformed},
		{"header not JSON", base64.RawURLEncoding.EncodeToString([]byte("nope")) + "." + parts[1] + "." + parts[2], testNow, ErrMalformed},
		{"claims of the wrong type", parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(`{"policies":5}`)) + "." + parts[2], testNow, ErrMalformed},
		{"padded base64 (not strict)", parts[0] + "." + parts[1] + "." + parts[2] + "=", testNow, ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			claims, err := Verify(tt.token, testAccount, testAuthToken, tt.now)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Verify error = %v, want %v", err, tt.want)
			}
			if claims != nil {
				t.Errorf("Verify returned claims with an error")
			}
			for _, kind := range []error{ErrMalformed, ErrSignature, ErrExpired, ErrWrongAccount} {
				if !errors.Is(kind, tt.want) && errors.Is(err, kind) {
					t.Errorf("error %v also matches %v", err, kind)
				}
			}
			if tt.token != "" && strings.Contains(err.Error(), tt.token) || strings.Contains(err.Error(), testAuthToken) {
				t.Errorf("error leaks the token or key: %v", err)
			}
		})
	}
}

func TestVerifyRefusesEmptyKeyAndAccount(t *testing.T) {
	token := signClaims(t, jwt.SigningMethodHS256, []byte{}, forgedClaims(func(*Claims) {}))
	if _, err := Verify(token, testAccount, "", testNow); !errors.Is(err, ErrSignature) {
		t.Errorf("empty auth token: error = %v, want %v", err, ErrSignature)
	}
	if _, err := Verify(validToken(t), "", testAuthToken, testNow); !errors.Is(err, ErrWrongAccount) {
		t.Errorf("empty account: error = %v, want %v", err, ErrWrongAccount)
	}
}
