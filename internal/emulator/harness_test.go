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
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/taskrouter-operator/taskrouter-operator/internal/openapi"
)

// testClock is a settable clock for the emulator's timestamps, token expiry and
// write-rate bucket.
type testClock struct{ now time.Time }

func (c *testClock) Now() time.Time { return c.now }

// harness is an emulator behind a real HTTP server, with helpers that speak its
// REST API the way a client does.
type harness struct {
	t     *testing.T
	emu   *Emulator
	srv   *httptest.Server
	clock *testClock
	spec  *openapi.Catalogue
	// checkSpec makes every REST answer pass openapi.CheckResponse.
	checkSpec bool
}

func newHarness(t *testing.T, cfg Config) *harness {
	t.Helper()
	clock := &testClock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	if cfg.Now == nil {
		cfg.Now = clock.Now
	}
	emu := New(cfg)
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	return &harness{t: t, emu: emu, srv: srv, clock: clock, spec: openapi.Load(), checkSpec: true}
}

// response is one decoded answer.
type response struct {
	status int
	header http.Header
	raw    []byte
	body   map[string]any
}

func (r response) str(key string) string {
	s, _ := r.body[key].(string)
	return s
}

func (r response) code() int {
	n, _ := r.body["code"].(float64)
	return int(n)
}

// call sends a REST request with the account's credentials.
func (h *harness) call(method, path string, params url.Values) response {
	h.t.Helper()
	return h.callAs(h.emu.cfg.AccountSID, h.emu.cfg.AuthToken, method, path, params, nil)
}

// callAs sends a REST request with Basic credentials user:pass ("" user: none).
func (h *harness) callAs(user, pass, method, path string, params url.Values, header http.Header) response {
	h.t.Helper()
	var body io.Reader
	target := h.srv.URL + path
	if method == http.MethodPost {
		body = strings.NewReader(params.Encode())
	} else if len(params) > 0 {
		target += "?" + params.Encode()
	}
	req, err := http.NewRequest(method, target, body)
	if err != nil {
		h.t.Fatalf("build request: %v", err)
	}
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	if user != "" {
		req.SetBasicAuth(user, pass)
	}
	resp := h.send(req)
	if h.checkSpec && resp.status != http.StatusNotFound && resp.status != http.StatusMethodNotAllowed {
		if err := h.spec.CheckResponse(method, path, resp.status, resp.raw); err != nil {
			h.t.Errorf("%s %s: answer does not meet the spec: %v\n%s", method, path, err, resp.raw)
		}
	}
	return resp
}

func (h *harness) send(req *http.Request) response {
	h.t.Helper()
	res, err := h.srv.Client().Do(req)
	if err != nil {
		h.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		h.t.Fatalf("read body: %v", err)
	}
	out := response{status: res.StatusCode, header: res.Header, raw: raw}
	if len(raw) > 0 && strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") && res.ContentLength != int64(len(raw)) {
		// Clients size their read buffer by it.
		h.t.Errorf("%s %s: Content-Length %d for a body of %d bytes", req.Method, req.URL.Path, res.ContentLength, len(raw))
	}
	if len(raw) > 0 && strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(raw, &out.body); err != nil {
			h.t.Fatalf("%s %s: body is not JSON: %v\n%s", req.Method, req.URL.Path, err, raw)
		}
	}
	return out
}

// mustCreate posts params to a collection and fails the test unless it answers 201.
func (h *harness) mustCreate(path string, params url.Values) response {
	h.t.Helper()
	resp := h.call(http.MethodPost, path, params)
	if resp.status != http.StatusCreated {
		h.t.Fatalf("POST %s %v: status %d, want 201: %s", path, params, resp.status, resp.raw)
	}
	return resp
}

// workspace creates a workspace and returns its SID.
func (h *harness) workspace(name string) string {
	h.t.Helper()
	return h.mustCreate("/v1/Workspaces", url.Values{"FriendlyName": {name}}).str("sid")
}

func vals(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}
