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
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"
)

// Development credentials the emulator uses when it is given none. They only ever
// open this in-memory emulator.
const (
	DevAccountSID   = "AC00000000000000000000000000000001"
	DevAuthToken    = "emulator-dev-auth-token"
	DevAPIKeySID    = "SK00000000000000000000000000000001"
	DevAPIKeySecret = "emulator-dev-api-key-secret"
)

// Config sets up an Emulator.
type Config struct {
	// AccountSID and AuthToken are the account's credentials: Basic auth user and
	// password, and the key capability tokens are signed with. Empty means the
	// development credentials.
	AccountSID string
	AuthToken  string
	// APIKeySID and APIKeySecret, when set, are a second Basic auth pair.
	APIKeySID    string
	APIKeySecret string
	// Faults are injected into API calls from the start; see SetFaults.
	Faults Faults
	// WriteRate, when above zero, answers 429 to writes beyond that many per second.
	WriteRate float64
	// Seed makes fault injection reproducible.
	Seed int64
	// Now is the clock for timestamps, token expiry and the write-rate bucket;
	// nil means time.Now.
	Now func() time.Time
}

// Emulator is an in-memory TaskRouter: the REST API, the event-bridge channel,
// /metrics and /healthz on one http.Handler.
type Emulator struct {
	cfg      Config
	store    *store
	router   *router
	faults   *faultInjector
	recorder *recorder
	metrics  *metrics
}

// New returns an emulator with an empty account.
func New(cfg Config) *Emulator {
	if cfg.AccountSID == "" && cfg.AuthToken == "" {
		cfg.AccountSID, cfg.AuthToken = DevAccountSID, DevAuthToken
		if cfg.APIKeySID == "" && cfg.APIKeySecret == "" {
			cfg.APIKeySID, cfg.APIKeySecret = DevAPIKeySID, DevAPIKeySecret
		}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Emulator{
		cfg:      cfg,
		store:    newStore(cfg.AccountSID, cfg.Now),
		router:   newRouter(),
		faults:   newFaultInjector(cfg.Faults, cfg.WriteRate, cfg.Seed, cfg.Now),
		recorder: &recorder{},
		metrics:  newMetrics(),
	}
}

// AccountSID is the account the emulator serves.
func (e *Emulator) AccountSID() string { return e.cfg.AccountSID }

// ServeHTTP serves the REST API, the event-bridge channel, /metrics and /healthz.
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == "/healthz":
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok"))
	case r.URL.Path == "/metrics":
		e.metrics.handler().ServeHTTP(w, r)
	case strings.HasPrefix(r.URL.Path, channelPathPrefix):
		e.serveChannel(w, r)
	default:
		e.serveREST(w, r)
	}
}

// serveREST authenticates a Basic-auth REST request and runs it.
func (e *Emulator) serveREST(w http.ResponseWriter, r *http.Request) {
	params, perr := requestParams(r)
	rt, vars, mismatch := e.router.match(r.Method, r.URL.Path)
	rec := Request{Method: r.Method, Path: r.URL.Path, Route: routeName(rt), Via: ViaREST,
		Params: params, Write: r.Method != http.MethodGet}
	var rep *reply
	switch {
	case !e.basicAuthOK(r):
		rep = errorReply(unauthorized("Authentication Error - invalid username"))
		rep.header.Set("WWW-Authenticate", `Basic realm="Twilio API"`)
	case perr != nil:
		rep = errorReply(perr)
	default:
		c := &call{method: r.Method, path: r.URL.Path, vars: vars, params: form(params), header: r.Header, baseURL: baseURLOf(r),
			accountSID: e.cfg.AccountSID}
		rep = e.invoke(r.Context(), rt, mismatch, c)
	}
	e.finish(w, rep, rec)
}

// invoke runs one API call through fault injection and its handler. It is shared
// by REST and the channel, so faults hit both alike.
func (e *Emulator) invoke(ctx context.Context, rt *route, mismatch bool, c *call) *reply {
	if rt == nil {
		if mismatch {
			return errorReply(&APIError{Status: http.StatusMethodNotAllowed, Code: CodeMethodNotAllowed,
				Message: "Method " + c.method + " not allowed on " + c.path})
		}
		return errorReply(&APIError{Status: http.StatusNotFound, Code: CodeNotFound,
			Message: "The requested resource " + c.path + " was not found"})
	}
	write := c.method != http.MethodGet
	if fault := e.faults.before(ctx, write); fault != nil {
		return fault
	}
	rep, err := e.handle(rt, c)
	if err != nil {
		return errorReply(err)
	}
	if rt.create && e.faults.commitFails() {
		// The create happened; only the answer is lost, as when a response is dropped.
		return errorReply(internalError())
	}
	return rep
}

// handle runs a route's handler, turning a panic into a 500 so one bad input
// cannot take the emulator down (the fuzz test treats any 500 as a bug).
func (e *Emulator) handle(rt *route, c *call) (rep *reply, err error) {
	defer func() {
		if p := recover(); p != nil {
			rep, err = nil, internalError()
		}
	}()
	rep, err = rt.handle(e, c)
	if err == nil && rep.header == nil {
		rep.header = http.Header{}
	}
	return rep, err
}

// finish writes rep with the rate-limit headers and records the call.
func (e *Emulator) finish(w http.ResponseWriter, rep *reply, rec Request) {
	for k, vs := range rep.header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	e.faults.rateLimitHeaders(w.Header(), rec.Write)
	writeJSON(w, rep.status, rep.body)
	rec.Status = rep.status
	e.recorder.add(rec)
	e.metrics.observe(rec)
}

// errorReply turns err into a Twilio error answer; an unexpected error is a 500.
func errorReply(err error) *reply {
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		apiErr = internalError()
	}
	return &reply{status: apiErr.Status, body: apiErr.body(), header: http.Header{}}
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	if status == http.StatusNoContent || body == nil {
		w.WriteHeader(status)
		return
	}
	data, err := json.Marshal(body)
	if err != nil {
		status, data = http.StatusInternalServerError, []byte(`{"code":20500,"message":"Internal Server Error","more_info":"https://www.twilio.com/docs/errors/20500","status":500}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(data)
}

// routeName is the template of rt, or "" for a path no route serves.
func routeName(rt *route) string {
	if rt == nil {
		return ""
	}
	return rt.pattern
}

// ok, created and noContent build the success replies.
func ok(body any) *reply { return &reply{status: http.StatusOK, body: body, header: http.Header{}} }
func created(body any) *reply {
	return &reply{status: http.StatusCreated, body: body, header: http.Header{}}
}
func noContent() *reply { return &reply{status: http.StatusNoContent, header: http.Header{}} }
