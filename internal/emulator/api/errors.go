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

package api

import (
	"fmt"
	"net/http"
	"strconv"
)

// Twilio error codes the emulator answers with.
const (
	CodeInvalidParameter = 20001
	CodeAuthenticate     = 20003
	CodeMethodNotAllowed = 20004
	CodeNotFound         = 20404
	CodeTooManyRequests  = 20429
	CodeInternal         = 20500
	CodePrecondition     = 20412
)

// Error is a Twilio error: the HTTP status and the JSON body
// {"code","message","more_info","status"}.
type Error struct {
	Status  int
	Code    int
	Message string
}

// Error renders the error as Twilio's message with its code.
func (e *Error) Error() string {
	return fmt.Sprintf("%d %d: %s", e.Status, e.Code, e.Message)
}

// Body is the Twilio JSON error document.
func (e *Error) Body() map[string]any {
	return map[string]any{
		"code":      e.Code,
		"message":   e.Message,
		"more_info": "https://www.twilio.com/docs/errors/" + strconv.Itoa(e.Code),
		"status":    e.Status,
	}
}

// Invalid is TaskRouter's 400 (20001) for a parameter or rule it refuses.
func Invalid(format string, args ...any) *Error {
	return &Error{Status: http.StatusBadRequest, Code: CodeInvalidParameter, Message: fmt.Sprintf(format, args...)}
}

// MissingParam is the 400 for a required parameter that is absent or empty.
func MissingParam(name string) *Error {
	return Invalid("Missing required parameter %s in the post body", name)
}

// NotFound is the 404 for an unknown SID.
func NotFound(resource, sid string) *Error {
	return &Error{
		Status:  http.StatusNotFound,
		Code:    CodeNotFound,
		Message: fmt.Sprintf("The requested resource %s %s was not found", resource, sid),
	}
}

// Unauthorized is the 401 of a failed authentication.
func Unauthorized(message string) *Error {
	return &Error{Status: http.StatusUnauthorized, Code: CodeAuthenticate, Message: message}
}

// Forbidden is the 403 of a call a capability token does not allow.
func Forbidden(message string) *Error {
	return &Error{Status: http.StatusForbidden, Code: CodeAuthenticate, Message: message}
}

// PreconditionFailed is the 412 of a stale If-Match.
func PreconditionFailed(message string) *Error {
	return &Error{Status: http.StatusPreconditionFailed, Code: CodePrecondition, Message: message}
}

// TooManyRequests is the 429 of a throttled call, never processed.
func TooManyRequests() *Error {
	return &Error{Status: http.StatusTooManyRequests, Code: CodeTooManyRequests, Message: "Too Many Requests"}
}

// Internal is the 500 of a call that failed inside TaskRouter.
func Internal() *Error {
	return &Error{Status: http.StatusInternalServerError, Code: CodeInternal, Message: "Internal Server Error"}
}
