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
	"net/http"
	"net/url"
	"strings"

	"github.com/taskrouter-operator/taskrouter-operator/internal/capability"
	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator/api"
)

// channelPathPrefix is where the event-bridge channel lives on the shared listener.
const channelPathPrefix = "/v1/wschannels/"

// channelRoute is the channel's template, used when a message fails before its
// inner call is known.
const channelRoute = "/v1/wschannels/{AccountSid}/{Channel}"

// channelMessage is what TaskRouter.js posts to the event bridge: one REST call
// and the capability token that authorises it.
type channelMessage struct {
	URL    string `json:"url"`
	Method string `json:"method"`
	// Params stay raw until paramsFromJSON has checked they are UTF-8 text.
	Params map[string]json.RawMessage `json:"params"`
	Token  string                     `json:"token"`
}

// serveChannel verifies a channel message and runs its inner call on the REST
// handlers. The answer is 200 {"event_type","payload"} or the inner call's error.
func (e *Emulator) serveChannel(w http.ResponseWriter, r *http.Request) {
	rec := Request{Method: r.Method, Path: r.URL.Path, Route: channelRoute, Via: ViaChannel, Write: r.Method != http.MethodGet}
	if r.Method != http.MethodPost {
		e.finish(w, errorReply(&api.Error{Status: http.StatusMethodNotAllowed, Code: api.CodeMethodNotAllowed,
			Message: "The event-bridge channel only accepts POST"}), rec)
		return
	}
	msg, inner, claims, err := e.openChannelMessage(r)
	if err != nil {
		e.finish(w, errorReply(err), rec)
		return
	}
	rt, vars, mismatch := e.router.match(msg.Method, inner.Path)
	inner.Vars = vars
	rec = Request{Method: msg.Method, Path: inner.Path, Route: routeName(rt), Via: ViaChannel,
		Params: url.Values(inner.Params), Claims: claims, Write: msg.Method != http.MethodGet}
	if rt != nil && workspaceScopeViolation(rt, msg.Method) {
		e.finish(w, errorReply(api.Forbidden(msg.Method+" "+inner.Path+
			" is not possible through the event-bridge channel: a capability token is scoped to one workspace")), rec)
		return
	}
	rep := e.invoke(r.Context(), rt, mismatch, inner)
	if rep.Status < 300 {
		payload := rep.Body
		if msg.Method == http.MethodDelete {
			payload = nil
		}
		rep = &api.Reply{Status: http.StatusOK, Header: rep.Header,
			Body: map[string]any{"event_type": eventType(rt, msg.Method), "payload": payload}}
	}
	e.finish(w, rep, rec)
}

// openChannelMessage decodes and authorises a channel message, returning the
// inner call ready to route.
func (e *Emulator) openChannelMessage(r *http.Request) (*channelMessage, *api.Call, *capability.Claims, error) {
	accountSID, channel, found := strings.Cut(strings.TrimPrefix(r.URL.Path, channelPathPrefix), "/")
	if !found || accountSID == "" || channel == "" || strings.Contains(channel, "/") {
		return nil, nil, nil, api.NotFound("channel", r.URL.Path)
	}
	msg, err := decodeChannelMessage(r)
	if err != nil {
		return nil, nil, nil, err
	}
	claims, err := capability.Verify(msg.Token, e.cfg.AccountSID, e.cfg.AuthToken, e.cfg.Now())
	if err != nil {
		return nil, nil, nil, api.Unauthorized("Capability token rejected: " + tokenProblem(err))
	}
	inner, err := e.innerCall(r, msg)
	if err != nil {
		return nil, nil, nil, err
	}
	if err := authorizeChannel(claims, accountSID, channel, msg, inner); err != nil {
		return nil, nil, nil, err
	}
	return msg, inner, claims, nil
}

func decodeChannelMessage(r *http.Request) (*channelMessage, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, bodyProblem(r, err)
	}
	var msg channelMessage
	if err := json.Unmarshal(body, &msg); err != nil {
		return nil, api.Invalid("Channel message is not a JSON object {url, method, params, token}: %v", err)
	}
	if !validJSONText(body) {
		if _, err := paramsFromJSON(msg.Params); err != nil {
			return nil, err
		}
		return nil, api.Invalid("Channel message is not UTF-8 text")
	}
	msg.Method = strings.ToUpper(msg.Method)
	switch {
	case msg.URL == "":
		return nil, api.Invalid("Channel message has no url")
	case msg.Token == "":
		return nil, api.Unauthorized("Channel message has no capability token")
	case msg.Method != http.MethodGet && msg.Method != http.MethodPost && msg.Method != http.MethodDelete:
		return nil, api.Invalid("Channel message method %q must be GET, POST or DELETE", msg.Method)
	}
	return &msg, nil
}

// tokenProblem says why a token failed without echoing any of it.
func tokenProblem(err error) string {
	switch {
	case errors.Is(err, capability.ErrExpired):
		return "token expired"
	case errors.Is(err, capability.ErrWrongAccount):
		return "token belongs to another account"
	case errors.Is(err, capability.ErrSignature):
		return "invalid signature"
	}
	return "malformed token"
}

// innerCall builds the REST call a message carries. Only the url's path routes;
// its host is whatever base URL the caller used, and the answer's links use it.
func (e *Emulator) innerCall(r *http.Request, msg *channelMessage) (*api.Call, error) {
	u, err := url.Parse(msg.URL)
	if err != nil || u.Path == "" {
		return nil, api.Invalid("Channel message url %q is not a URL", msg.URL)
	}
	params, err := paramsFromJSON(msg.Params)
	if err != nil {
		return nil, err
	}
	if msg.Method == http.MethodGet {
		for k, vs := range u.Query() {
			for _, v := range vs {
				params.Add(k, v)
			}
		}
		if err := checkText(params); err != nil {
			return nil, err
		}
	}
	base := baseURLOf(r)
	if u.Scheme != "" && u.Host != "" {
		base = (&url.URL{Scheme: u.Scheme, Host: u.Host}).String()
	}
	// The message has no header field, so a Worker's If-Match rides on the channel
	// POST itself (assumed, as the operator's client sends it).
	header := http.Header{}
	if v := r.Header.Get("If-Match"); v != "" {
		header.Set("If-Match", v)
	}
	return &api.Call{Method: msg.Method, Path: u.Path, Params: api.Form(params), Header: header,
		BaseURL: base, AccountSID: e.cfg.AccountSID}, nil
}

// authorizeChannel applies the channel's rules: the path's account and channel are
// the token's, the url is in the token's workspace, and a policy allows the call.
func authorizeChannel(claims *capability.Claims, accountSID, channel string, msg *channelMessage, inner *api.Call) error {
	if accountSID != claims.AccountSID {
		return api.Forbidden("Channel account " + accountSID + " is not the token's account")
	}
	if channel != claims.Channel {
		return api.Forbidden("Channel " + channel + " is not the token's channel " + claims.Channel)
	}
	segs := strings.Split(strings.Trim(inner.Path, "/"), "/")
	if len(segs) < 2 || segs[0] != "v1" || segs[1] != "Workspaces" {
		return api.Forbidden("Policy did not allow " + msg.Method + " " + msg.URL)
	}
	if len(segs) >= 3 && segs[2] != claims.WorkspaceSID {
		return api.Forbidden(fmt.Sprintf("Workspace %s is not the token's workspace %s", segs[2], claims.WorkspaceSID))
	}
	u, _ := url.Parse(msg.URL) // parsed successfully by innerCall
	query := u.Query()
	postForm := url.Values{}
	if msg.Method == http.MethodGet {
		query = url.Values(inner.Params)
	} else {
		postForm = url.Values(inner.Params)
	}
	if !capability.Allowed(claims.Policies, msg.Method, msg.URL, query, postForm) {
		return api.Forbidden("Policy did not allow " + msg.Method + " " + msg.URL)
	}
	return nil
}

// workspaceScopeViolation reports the Workspace calls a workspace-scoped token
// can never make: create, list and delete of Workspaces.
func workspaceScopeViolation(rt *route, method string) bool {
	switch rt.Pattern {
	case "/v1/Workspaces":
		return true
	case "/v1/Workspaces/{Sid}":
		return method == http.MethodDelete
	}
	return false
}
