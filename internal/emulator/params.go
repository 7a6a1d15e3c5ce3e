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
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator/api"
	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator/state"
)

// maxBodyBytes bounds a request body: a Workflow configuration may be 1 MB, and
// form encoding can triple it.
const maxBodyBytes = 4 << 20

// requestParams returns the parameters of a REST request: the form body for POST,
// the query string otherwise.
func requestParams(r *http.Request) (url.Values, error) {
	if r.Method != http.MethodPost {
		q, err := url.ParseQuery(r.URL.RawQuery)
		if err != nil {
			return url.Values{}, api.Invalid("Malformed query string: %v", err)
		}
		return q, nil
	}
	r.Body = http.MaxBytesReader(nil, r.Body, maxBodyBytes)
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		// The bulk TaskQueue real-time statistics call posts JSON {"QueueSids": [...]}.
		var raw map[string]any
		if err := json.NewDecoder(r.Body).Decode(&raw); err != nil {
			return url.Values{}, api.Invalid("Malformed JSON body: %v", err)
		}
		return paramsFromJSON(raw)
	}
	if err := r.ParseForm(); err != nil {
		return url.Values{}, api.Invalid("Malformed form body: %v", err)
	}
	return r.PostForm, nil
}

// paramsFromJSON turns the channel's "params" object into form values: strings as
// they are, numbers and booleans in their JSON spelling, arrays as repeated keys.
func paramsFromJSON(raw map[string]any) (url.Values, error) {
	out := url.Values{}
	for k, v := range raw {
		switch t := v.(type) {
		case []any:
			for _, item := range t {
				s, err := scalarString(k, item)
				if err != nil {
					return nil, err
				}
				out.Add(k, s)
			}
		default:
			s, err := scalarString(k, t)
			if err != nil {
				return nil, err
			}
			out.Set(k, s)
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
