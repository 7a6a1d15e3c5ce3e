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

package emulator

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

// APIError is a Twilio error: the HTTP status and the JSON body
// {"code","message","more_info","status"}.
type APIError struct {
	Status  int
	Code    int
	Message string
}

// Error renders the error as Twilio's message with its code.
func (e *APIError) Error() string {
	return fmt.Sprintf("%d %d: %s", e.Status, e.Code, e.Message)
}

// body is the Twilio JSON error document.
func (e *APIError) body() map[string]any {
	return map[string]any{
		"code":      e.Code,
		"message":   e.Message,
		"more_info": "https://www.twilio.com/docs/errors/" + strconv.Itoa(e.Code),
		"status":    e.Status,
	}
}

func invalid(format string, args ...any) *APIError {
	return &APIError{Status: http.StatusBadRequest, Code: CodeInvalidParameter, Message: fmt.Sprintf(format, args...)}
}

func missingParam(name string) *APIError {
	return invalid("Missing required parameter %s in the post body", name)
}

func notFound(resource, sid string) *APIError {
	return &APIError{
		Status:  http.StatusNotFound,
		Code:    CodeNotFound,
		Message: fmt.Sprintf("The requested resource %s %s was not found", resource, sid),
	}
}

func unauthorized(message string) *APIError {
	return &APIError{Status: http.StatusUnauthorized, Code: CodeAuthenticate, Message: message}
}

func forbidden(message string) *APIError {
	return &APIError{Status: http.StatusForbidden, Code: CodeAuthenticate, Message: message}
}

func tooManyRequests() *APIError {
	return &APIError{Status: http.StatusTooManyRequests, Code: CodeTooManyRequests, Message: "Too Many Requests"}
}

func internalError() *APIError {
	return &APIError{Status: http.StatusInternalServerError, Code: CodeInternal, Message: "Internal Server Error"}
}
