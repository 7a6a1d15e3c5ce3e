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
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"unicode/utf8"

	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator/api"
	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator/state"
)

// maxBodyBytes bounds a request body: a Workflow configuration may be 1 MB, and
// form encoding can triple it.
const maxBodyBytes = 4 << 20

// The body encodings TaskRouter reads.
const (
	formEncoded = "application/x-www-form-urlencoded"
	jsonEncoded = "application/json"
)

// requestParams returns the parameters of a REST request, read the way
// TaskRouter reads them: the query string for GET and DELETE; for POST the
// body, in the one encoding the route takes: form-encoded everywhere but the
// bulk TaskQueue statistics call, which the spec gives a JSON body (jsonBody).
//
// A body in another encoding is not read at all, as TaskRouter does not read
// it. So a create with a JSON body is refused for its missing required
// parameter, and an update with a JSON body changes nothing and answers 200
// with the resource as it was: that is what TaskRouter answers, and the
// recorded Request shows no parameters, so a client that sends JSON fails its
// tests as it would fail against Twilio. Every text parameter must be UTF-8.
func requestParams(r *http.Request, jsonBody bool) (url.Values, error) {
	if r.Method != http.MethodPost {
		q, err := url.ParseQuery(r.URL.RawQuery)
		if err != nil {
			return url.Values{}, api.Invalid("Malformed query string: %v", err)
		}
		return q, checkText(q)
	}
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case jsonBody && mediaType == jsonEncoded:
		return jsonBodyParams(r)
	case !jsonBody && mediaType == formEncoded:
		if err := r.ParseForm(); err != nil {
			return url.Values{}, bodyProblem(r, err)
		}
		return r.PostForm, checkText(r.PostForm)
	}
	return url.Values{}, nil
}

// jsonBodyParams reads a JSON object body as parameters.
func jsonBodyParams(r *http.Request) (url.Values, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return url.Values{}, bodyProblem(r, err)
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(body, &members); err != nil {
		return url.Values{}, api.Invalid("Malformed JSON body: %v", err)
	}
	params, err := paramsFromJSON(members)
	if err != nil {
		return url.Values{}, err
	}
	if !validJSONText(body) {
		return url.Values{}, api.Invalid("The request body is not UTF-8 text")
	}
	return params, nil
}

// bodyProblem explains a body that could not be read: larger than the emulator
// takes, or shorter than its Content-Length (the client stopped sending, or the
// server's read timeout ended the wait).
func bodyProblem(r *http.Request, err error) error {
	var tooLarge *http.MaxBytesError
	var netErr net.Error
	switch {
	case errors.As(err, &tooLarge):
		return api.Invalid("The request body is larger than the %d bytes a call may carry", tooLarge.Limit)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, os.ErrDeadlineExceeded),
		errors.As(err, &netErr) && netErr.Timeout():
		return api.Invalid("The request body ended before the %d bytes its Content-Length declares", r.ContentLength)
	}
	return api.Invalid("Malformed form body: %v", err)
}

// checkText refuses a parameter whose name or value is not UTF-8: TaskRouter's
// text parameters (FriendlyName, Attributes, expressions, ...) are Unicode
// text, and a client that sends other bytes has a bug a test should see.
func checkText(params url.Values) error {
	for _, name := range slices.Sorted(maps.Keys(params)) {
		if !utf8.ValidString(name) {
			return api.Invalid("A parameter name is not UTF-8 text: %q", name)
		}
		for _, v := range params[name] {
			if !utf8.ValidString(v) {
				return notUTF8(name)
			}
		}
	}
	return nil
}

func notUTF8(name string) error {
	return api.Invalid("Parameter %s is not UTF-8 text: send it UTF-8 encoded", name)
}

// paramsFromJSON turns a JSON object of parameters (the channel's "params", the
// bulk statistics body) into form values: strings as they are, numbers and
// booleans in their JSON spelling, arrays as repeated keys. Members stay raw
// until checked, because encoding/json would silently turn bytes that are not
// UTF-8, and lone surrogate escapes, into U+FFFD.
func paramsFromJSON(members map[string]json.RawMessage) (url.Values, error) {
	out := url.Values{}
	for _, name := range slices.Sorted(maps.Keys(members)) {
		raw := members[name]
		if !validJSONText(raw) {
			return nil, notUTF8(name)
		}
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			return nil, api.Invalid("Parameter %s is not a JSON value: %v", name, err)
		}
		items, isList := v.([]any)
		if !isList {
			items = []any{v}
		}
		for _, item := range items {
			s, err := scalarString(name, item)
			if err != nil {
				return nil, err
			}
			out.Add(name, s)
		}
	}
	return out, nil
}

func scalarString(name string, v any) (string, error) {
	switch t := v.(type) {
	case string:
		return t, nil
	case bool:
		return fmt.Sprint(t), nil
	case float64:
		return fmt.Sprint(t), nil
	case nil:
		return "", nil
	}
	return "", api.Invalid("Parameter %s must be a string, number or boolean", name)
}

// validJSONText reports whether raw JSON is UTF-8 text throughout, its \u
// escapes included: JSON text must be UTF-8 (RFC 8259), and a surrogate escape
// without its pair (\ud800 alone) names no character. Malformed escapes are left
// to the JSON decoder to report.
func validJSONText(raw []byte) bool {
	if !utf8.Valid(raw) {
		return false
	}
	for i := 0; i < len(raw); i++ {
		if raw[i] != '\\' {
			continue
		}
		i++ // the escaped character
		r, ok := escapedUnit(raw, i)
		if !ok {
			continue
		}
		i += 4
		switch {
		case r >= 0xDC00 && r <= 0xDFFF:
			return false
		case r >= 0xD800 && r <= 0xDBFF:
			low, ok := escapedUnit(raw, i+2)
			if !ok || i+1 >= len(raw) || raw[i+1] != '\\' || low < 0xDC00 || low > 0xDFFF {
				return false
			}
			i += 6
		}
	}
	return true
}

// escapedUnit reads the UTF-16 unit of a \uXXXX escape whose 'u' is raw[i].
func escapedUnit(raw []byte, i int) (rune, bool) {
	if i < 0 || i+4 >= len(raw) || raw[i] != 'u' {
		return 0, false
	}
	var r rune
	for _, c := range raw[i+1 : i+5] {
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(d)
	}
	return r, true
}

// activityRef validates a parameter naming an activity of ws.
func activityRef(ws *state.WorkspaceState, p api.Form, name string) (sid string, present bool, err error) {
	if !p.Has(name) {
		return "", false, nil
	}
	sid = p.Get(name)
	if _, ok := ws.Activities[sid]; !ok {
		return "", true, api.Invalid("%s %q is not an Activity of Workspace %s", name, sid, ws.SID)
	}
	return sid, true, nil
}
