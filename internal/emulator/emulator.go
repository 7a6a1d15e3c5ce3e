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
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator/api"
	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator/simulation"
	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator/state"
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
	cfg   Config
	store *state.Store
	// sim is the simulation as the conformance core sees it: the hooks it calls.
	sim simulationHooks
	// tasks is the same simulation, for Admin's task calls and Simulate.
	tasks        *simulation.Simulation
	router       *router
	deleteGuards []deleteGuard
	faults       *faultInjector
	recorder     *recorder
	metrics      *metrics
}

// simulationHooks is all the conformance core knows of the simulation (tasks,
// routing, reservations, statistics): the routes it serves, the points where
// the core tells it something happened or asks its leave, and what a worker's
// channels hold. Package simulation implements it; New wires it in.
type simulationHooks interface {
	// Routes are the Tasks and Statistics resources.
	Routes() []api.Route
	// WorkerActivityChanged follows every change of a worker's activity, whatever
	// made it (REST, channel, Admin), so waiting tasks are offered.
	WorkerActivityChanged(ws *state.WorkspaceState, w *state.Worker, previousActivitySID string)
	// WorkerChannelChanged follows a change of a worker channel's capacity or
	// availability, so waiting tasks are offered.
	WorkerChannelChanged(ws *state.WorkspaceState)
	// WorkerLoad is what a worker holds on each channel (by TaskChannel SID),
	// for the WorkerChannel resource.
	WorkerLoad(ws *state.WorkspaceState, workerSID string) map[string]state.ChannelLoad
	// MayDelete is the simulation's delete guard (a queue tasks wait in, a
	// channel tasks are on).
	MayDelete(ws *state.WorkspaceState, kind api.Kind, sid string) error
	// WorkspaceDeleted follows the deletion of a workspace.
	WorkspaceDeleted(sid string)
}

var _ simulationHooks = (*simulation.Simulation)(nil)

// deleteGuard refuses the deletion of an object (kind, sid) of ws with an
// *APIError, or returns nil. Guards run with the store lock held.
type deleteGuard func(ws *state.WorkspaceState, kind api.Kind, sid string) error

// New returns an emulator with an empty account. The routes it serves and the
// rules that can refuse a deletion are listed here, in one place.
func New(cfg Config) *Emulator {
	cfg = cfg.withDefaults()
	store := state.NewStore(cfg.AccountSID, cfg.Now)
	sim := simulation.New(store, cfg.Seed)
	e := &Emulator{cfg: cfg, store: store, sim: sim, tasks: sim,
		faults:   newFaultInjector(cfg.Faults, cfg.WriteRate, cfg.Seed, cfg.Now),
		recorder: &recorder{},
		metrics:  newMetrics(),
	}
	const ws = "/v1/Workspaces/{WorkspaceSid}"
	e.router = newRouter(slices.Concat(
		api.Resource(api.KindWorkspace, "/v1/Workspaces", "/v1/Workspaces/{Sid}", api.CRUD{List: e.listWorkspaces,
			Create: e.createWorkspace, Fetch: e.fetchWorkspace, Update: e.updateWorkspace, Delete: e.deleteWorkspace}),
		api.Resource(api.KindActivity, ws+"/Activities", ws+"/Activities/{Sid}", e.activities().CRUD()),
		api.Resource(api.KindTaskQueue, ws+"/TaskQueues", ws+"/TaskQueues/{Sid}", e.taskQueues().CRUD()),
		api.Resource(api.KindWorkflow, ws+"/Workflows", ws+"/Workflows/{Sid}", e.workflows().CRUD()),
		api.Resource(api.KindWorker, ws+"/Workers", ws+"/Workers/{Sid}", e.workers().CRUD()),
		api.Resource(api.KindTaskChannel, ws+"/TaskChannels", ws+"/TaskChannels/{Sid}", e.taskChannels().CRUD()),
		[]api.Route{
			{Method: http.MethodGet, Pattern: ws + "/Workers/{WorkerSid}/Channels", Kind: api.KindWorkerChannel, List: true,
				Handle: e.listWorkerChannels},
			{Method: http.MethodGet, Pattern: ws + "/Workers/{WorkerSid}/Channels/{Sid}", Kind: api.KindWorkerChannel,
				Handle: e.fetchWorkerChannel},
			{Method: http.MethodPost, Pattern: ws + "/Workers/{WorkerSid}/Channels/{Sid}", Kind: api.KindWorkerChannel,
				Handle: e.updateWorkerChannel},
		},
		sim.Routes(),
	))
	e.deleteGuards = []deleteGuard{activityInUse, taskQueueTargeted, defaultChannelKept, sim.MayDelete}
	return e
}

// withDefaults fills in the development credentials and the clock.
func (cfg Config) withDefaults() Config {
	if cfg.AccountSID == "" && cfg.AuthToken == "" {
		cfg.AccountSID, cfg.AuthToken = DevAccountSID, DevAuthToken
		if cfg.APIKeySID == "" && cfg.APIKeySecret == "" {
			cfg.APIKeySID, cfg.APIKeySecret = DevAPIKeySID, DevAPIKeySecret
		}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return cfg
}

// mayDelete runs every delete guard for (kind, sid) of ws. Caller holds the lock.
func (e *Emulator) mayDelete(ws *state.WorkspaceState, kind api.Kind, sid string) error {
	for _, guard := range e.deleteGuards {
		if err := guard(ws, kind, sid); err != nil {
			return err
		}
	}
	return nil
}

// removeGuarded deletes object (kind, sid) of ws, with what hangs on it, once
// every delete guard allows it. Caller holds the lock for writing.
func (e *Emulator) removeGuarded(ws *state.WorkspaceState, kind api.Kind, sid string) error {
	if err := e.mayDelete(ws, kind, sid); err != nil {
		return err
	}
	ws.Remove(kind, sid)
	return nil
}

// setWorkerActivity moves w to activity sid (validated by the caller) and tells
// the simulation. Caller holds the lock for writing.
func (e *Emulator) setWorkerActivity(ws *state.WorkspaceState, w *state.Worker, activitySID string) {
	if previous, changed := e.store.SetWorkerActivity(w, activitySID); changed {
		e.sim.WorkerActivityChanged(ws, w, previous)
	}
}

// AccountSID is the account the emulator serves.
func (e *Emulator) AccountSID() string { return e.cfg.AccountSID }

// ServeHTTP serves the REST API, the event-bridge channel, /metrics and /healthz.
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// A body past the cap fails its read, and the server closes the connection
	// after answering.
	r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
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
	rt, vars, mismatch := e.router.match(r.Method, r.URL.Path)
	params, perr := requestParams(r, rt != nil && rt.JSONBody)
	rec := Request{Method: r.Method, Path: r.URL.Path, Route: routeName(rt), Via: ViaREST,
		Params: params, Write: r.Method != http.MethodGet}
	var rep *api.Reply
	switch {
	case !e.basicAuthOK(r):
		rep = errorReply(api.Unauthorized("Authentication Error - invalid username"))
		rep.Header.Set("WWW-Authenticate", `Basic realm="Twilio API"`)
	case perr != nil:
		rep = errorReply(perr)
	default:
		c := &api.Call{Method: r.Method, Path: r.URL.Path, Vars: vars, Params: api.Form(params), Header: r.Header,
			BaseURL: baseURLOf(r), AccountSID: e.cfg.AccountSID}
		rep = e.invoke(r.Context(), rt, mismatch, c)
	}
	e.finish(w, rep, rec)
}

// invoke runs one API call through fault injection and its handler. It is shared
// by REST and the channel, so faults hit both alike.
func (e *Emulator) invoke(ctx context.Context, rt *route, mismatch bool, c *api.Call) *api.Reply {
	if rt == nil {
		if mismatch {
			return errorReply(&api.Error{Status: http.StatusMethodNotAllowed, Code: api.CodeMethodNotAllowed,
				Message: "Method " + c.Method + " not allowed on " + c.Path})
		}
		return errorReply(&api.Error{Status: http.StatusNotFound, Code: api.CodeNotFound,
			Message: "The requested resource " + c.Path + " was not found"})
	}
	write := c.Method != http.MethodGet
	if fault := e.faults.before(ctx, write); fault != nil {
		return fault
	}
	rep, err := handle(rt, c)
	if err != nil {
		return errorReply(err)
	}
	if rt.Create && e.faults.commitFails() {
		// The create happened; only the answer is lost, as when a response is dropped.
		return errorReply(api.Internal())
	}
	return rep
}

// handle runs a route's handler, turning a panic into a 500 so one bad input
// cannot take the emulator down (the fuzz test treats any 500 as a bug).
func handle(rt *route, c *api.Call) (rep *api.Reply, err error) {
	defer func() {
		if p := recover(); p != nil {
			rep, err = nil, api.Internal()
		}
	}()
	rep, err = rt.Handle(c)
	if err == nil && rep.Header == nil {
		rep.Header = http.Header{}
	}
	return rep, err
}

// finish writes rep with the rate-limit headers and records the call.
func (e *Emulator) finish(w http.ResponseWriter, rep *api.Reply, rec Request) {
	for k, vs := range rep.Header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	e.faults.rateLimitHeaders(w.Header(), rec.Write)
	writeJSON(w, rep.Status, rep.Body)
	rec.Status = rep.Status
	e.recorder.add(rec)
	e.metrics.observe(rec)
}

// errorReply turns err into a Twilio error answer; an unexpected error is a 500.
func errorReply(err error) *api.Reply {
	var apiErr *api.Error
	if !errors.As(err, &apiErr) {
		apiErr = api.Internal()
	}
	return &api.Reply{Status: apiErr.Status, Body: apiErr.Body(), Header: http.Header{}}
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
	// Declared, so a client can read a page of megabytes into one buffer of the right size.
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(status)
	_, _ = w.Write(data)
}
