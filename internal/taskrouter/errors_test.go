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
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestErrorClassification(t *testing.T) {
	type class struct{ NotFound, Retryable, Terminal, Unauthorized, InvalidParameter, PreconditionFailed bool }
	classify := func(err error) class {
		return class{IsNotFound(err), IsRetryable(err), IsTerminal(err), IsUnauthorized(err), IsInvalidParameter(err), IsPreconditionFailed(err)}
	}
	twilio := func(status, code int) string {
		return fmt.Sprintf(`{"code":%d,"message":"m","more_info":"https://www.twilio.com/docs/errors/%d","status":%d}`, code, code, status)
	}
	tests := []struct {
		name   string
		status int
		body   string
		want   class
	}{
		{"invalid parameter", 400, twilio(400, 20001), class{Terminal: true, InvalidParameter: true}},
		{"unauthorized", 401, twilio(401, 20003), class{Terminal: true, Unauthorized: true}},
		{"forbidden", 403, twilio(403, 20003), class{Terminal: true, Unauthorized: true}},
		{"not found", 404, twilio(404, 20404), class{NotFound: true}},
		{"precondition failed", 412, twilio(412, 20412), class{PreconditionFailed: true}},
		{"too many requests", 429, twilio(429, 20429), class{Retryable: true}},
		{"server error without a body", 500, "", class{Retryable: true}},
		{"bad gateway with HTML", 502, "<html>bad gateway</html>", class{Retryable: true}},
		{"unavailable", 503, twilio(503, 20503), class{Retryable: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := decodeError("GET", "/v1/Workspaces/WS1", tt.status, http.Header{}, []byte(tt.body), time.Now())
			wrapped := fmt.Errorf("fetch workspace WS1: %w", e)
			if diff := cmp.Diff(tt.want, classify(wrapped)); diff != "" {
				t.Errorf("classification (-want +got):\n%s", diff)
			}
		})
	}
	local := []struct {
		name string
		err  error
		want class
	}{
		{"no response", transportError("GET", "/v1/Workspaces", errors.New("connection refused")), class{Retryable: true}},
		{"timeout", transportError("GET", "/v1/Workspaces", context.DeadlineExceeded), class{Retryable: true}},
		{"canceled", transportError("GET", "/v1/Workspaces", context.Canceled), class{}},
		{"refused locally", fmt.Errorf("update: %w", ErrInvalidRequest), class{Terminal: true}},
		{"bad credentials", fmt.Errorf("x: %w", ErrInvalidCredentials), class{Terminal: true}},
		{"nil", nil, class{}},
	}
	for _, tt := range local {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, classify(tt.err)); diff != "" {
				t.Errorf("classification (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeError(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		status int
		header http.Header
		body   string
		want   Error
		text   string
	}{{
		name: "twilio body", status: 400, header: http.Header{},
		body: `{"code":20001,"message":"Duplicate friendly name","more_info":"https://www.twilio.com/docs/errors/20001","status":400}`,
		want: Error{Status: 400, Code: 20001, Message: "Duplicate friendly name", MoreInfo: "https://www.twilio.com/docs/errors/20001", Method: "POST", Endpoint: "/v1/Workspaces/WS1/TaskQueues"},
		text: "POST /v1/Workspaces/WS1/TaskQueues: status 400 code 20001: Duplicate friendly name",
	}, {
		name: "retry-after seconds", status: 429, header: http.Header{"Retry-After": {"3"}}, body: `{"code":20429,"message":"Too many requests","status":429}`,
		want: Error{Status: 429, Code: 20429, Message: "Too many requests", Method: "POST", Endpoint: "/v1/Workspaces/WS1/TaskQueues", RetryAfter: 3 * time.Second},
		text: "POST /v1/Workspaces/WS1/TaskQueues: status 429 code 20429: Too many requests",
	}, {
		name: "retry-after date", status: 503, header: http.Header{"Retry-After": {now.Add(90 * time.Second).Format(http.TimeFormat)}}, body: "",
		want: Error{Status: 503, Message: "Service Unavailable", Method: "POST", Endpoint: "/v1/Workspaces/WS1/TaskQueues", RetryAfter: 90 * time.Second},
		text: "POST /v1/Workspaces/WS1/TaskQueues: status 503: Service Unavailable",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := decodeError("POST", "/v1/Workspaces/WS1/TaskQueues", tt.status, tt.header, []byte(tt.body), now)
			if diff := cmp.Diff(tt.want, *e, cmp.AllowUnexported(Error{})); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			if e.Error() != tt.text {
				t.Errorf("text = %q, want %q", e.Error(), tt.text)
			}
		})
	}
}

func TestErrorNamesTheOperation(t *testing.T) {
	srv := newFakeServer(t, always(404, `{"code":20404,"message":"The requested resource was not found","status":404}`))
	a := mustAccount(t, testClient(srv, newFakeClock()), keyCreds(), AuthBasic)
	_, err := a.Workspace(testWS).Workflows().Fetch(context.Background(), testWW)
	want := "fetch workflow " + testWW + ": GET /v1/Workspaces/" + testWS + "/Workflows/" + testWW + ": status 404 code 20404: The requested resource was not found"
	if err == nil || err.Error() != want || !IsNotFound(err) {
		t.Errorf("error = %v, want %q and not found", err, want)
	}
}

func TestCredentialValidation(t *testing.T) {
	tests := []struct {
		name  string
		creds Credentials
		mode  AuthMode
		want  string // "" means accepted
	}{
		{"token mode needs the auth token", Credentials{AccountSID: testAccount, APIKeySID: testKeySID, APIKeySecret: testKeySecret}, AuthCapabilityToken, "invalid credentials: missing authToken"},
		{"account sid", Credentials{AuthToken: "x"}, AuthBasic, "invalid credentials: missing accountSid"},
		{"key without secret", Credentials{AccountSID: testAccount, APIKeySID: testKeySID}, AuthBasic, "invalid credentials: missing apiKeySecret"},
		{"secret without key", Credentials{AccountSID: testAccount, APIKeySecret: "s"}, AuthBasic, "invalid credentials: missing apiKeySid"},
		{"nothing to authenticate with", Credentials{AccountSID: testAccount}, AuthBasic, "invalid credentials: missing authToken (or apiKeySid and apiKeySecret)"},
		{"not an account sid", Credentials{AccountSID: "XX1", AuthToken: "x"}, AuthBasic, "invalid credentials: accountSid does not start with AC"},
		{"unknown mode", tokenCreds(), AuthMode("OAuth"), `invalid credentials: unknown auth mode "OAuth" (want CapabilityToken or Basic)`},
		{"basic with an API key only", Credentials{AccountSID: testAccount, APIKeySID: testKeySID, APIKeySecret: testKeySecret}, AuthBasic, ""},
		{"token mode", tokenCreds(), AuthCapabilityToken, ""},
	}
	c := New(Config{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.Account(tt.creds, tt.mode)
			got := ""
			if err != nil {
				got = err.Error()
				if !errors.Is(err, ErrInvalidCredentials) {
					t.Errorf("error %v is not ErrInvalidCredentials", err)
				}
			}
			if got != tt.want {
				t.Errorf("error = %q, want %q", got, tt.want)
			}
		})
	}
}
