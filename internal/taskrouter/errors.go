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
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Twilio error codes the client classifies on.
const (
	CodeInvalidParameter = 20001
	CodePermissionDenied = 20003
	CodeNotFound         = 20404
	CodeTooManyRequests  = 20429
)

// Error is a failed TaskRouter call: a Twilio error response, or (Status 0) a transport failure.
// Its text names the call, never credentials or tokens.
type Error struct {
	// Status is the HTTP status; 0 means no response arrived (network failure or timeout).
	Status int
	// Code is Twilio's error code (20001, 20003, 20404, 20429, ...), 0 when the body carried none.
	Code     int
	Message  string
	MoreInfo string
	// Method and Endpoint are the TaskRouter method and path (not the event-bridge channel) of the call.
	Method   string
	Endpoint string
	// RetryAfter is the server's Retry-After, zero when absent.
	RetryAfter time.Duration

	cause error
}

// Error implements error.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: ", e.Method, e.Endpoint)
	if e.Status == 0 {
		b.WriteString("no response")
	} else {
		fmt.Fprintf(&b, "status %d", e.Status)
	}
	if e.Code != 0 {
		fmt.Fprintf(&b, " code %d", e.Code)
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	return b.String()
}

// Unwrap returns the transport failure behind a Status 0 error.
func (e *Error) Unwrap() error { return e.cause }

// twilioErrorBody is the JSON error document TaskRouter and the event bridge return.
type twilioErrorBody struct {
	Code     json.Number `json:"code"`
	Message  string      `json:"message"`
	MoreInfo string      `json:"more_info"`
	Status   json.Number `json:"status"`
}

// decodeError builds an Error from a non-success response; a body that is not a Twilio error keeps only the status.
func decodeError(method, endpoint string, status int, header http.Header, body []byte, now time.Time) *Error {
	e := &Error{Status: status, Method: method, Endpoint: endpoint, RetryAfter: parseRetryAfter(header, now)}
	var tb twilioErrorBody
	if json.Unmarshal(body, &tb) == nil {
		if c, err := tb.Code.Int64(); err == nil {
			e.Code = int(c)
		}
		e.Message = tb.Message
		e.MoreInfo = tb.MoreInfo
	}
	if e.Message == "" {
		e.Message = http.StatusText(status)
	}
	return e
}

// transportError wraps a failure before any response. The cause's text (a *url.Error) holds only the
// method and URL, which carry no credentials: auth goes in headers or the JSON body.
func transportError(method, endpoint string, cause error) *Error {
	return &Error{Method: method, Endpoint: endpoint, Message: cause.Error(), cause: cause}
}

// parseRetryAfter reads Retry-After as delay-seconds or an HTTP date.
func parseRetryAfter(h http.Header, now time.Time) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil && secs >= 0 {
		return time.Duration(secs * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

func asError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// IsNotFound reports whether the object does not exist (404 or code 20404).
func IsNotFound(err error) bool {
	e, ok := asError(err)
	return ok && (e.Status == http.StatusNotFound || e.Code == CodeNotFound)
}

// IsRetryable reports whether the same call may succeed later: 429, 5xx, no response, or a timeout.
func IsRetryable(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	e, ok := asError(err)
	if !ok {
		return false
	}
	if e.Status == 0 {
		return !errors.Is(e.cause, context.Canceled)
	}
	return e.Status == http.StatusTooManyRequests || e.Code == CodeTooManyRequests || e.Status >= 500
}

// IsTerminal reports whether repeating the call unchanged cannot succeed (400, 401, 403, or a call the
// client refused to send): the spec, the credentials or the permissions must change first.
func IsTerminal(err error) bool {
	if errors.Is(err, ErrInvalidRequest) || errors.Is(err, ErrInvalidCredentials) {
		return true
	}
	e, ok := asError(err)
	if !ok {
		return false
	}
	switch e.Status {
	case http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden:
		return true
	}
	return false
}

// IsUnauthorized reports whether the credentials or token were refused (401, 403 or code 20003).
func IsUnauthorized(err error) bool {
	e, ok := asError(err)
	return ok && (e.Status == http.StatusUnauthorized || e.Status == http.StatusForbidden || e.Code == CodePermissionDenied)
}

// IsInvalidParameter reports whether TaskRouter rejected a parameter (code 20001), e.g. a duplicate name.
func IsInvalidParameter(err error) bool {
	e, ok := asError(err)
	return ok && e.Code == CodeInvalidParameter
}

// IsPreconditionFailed reports whether an If-Match guarded update lost a race with another writer (412).
func IsPreconditionFailed(err error) bool {
	e, ok := asError(err)
	return ok && e.Status == http.StatusPreconditionFailed
}
