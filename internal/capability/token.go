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

package capability

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// DefaultTaskRouterBaseURL is the TaskRouter REST host that policies are written against.
const DefaultTaskRouterBaseURL = "https://taskrouter.twilio.com"

// DefaultEventBridgeBaseURL is the event-bridge host that carries capability-token calls.
const DefaultEventBridgeBaseURL = "https://event-bridge.twilio.com"

// DefaultTTL is the token lifetime every official helper library uses when none is given.
const DefaultTTL = time.Hour

// Version is the value of the "version" claim of every TaskRouter v1 capability token.
const Version = "v1"

// Policy is one entry of the token's "policies" claim.
type Policy struct {
	URL         string         `json:"url"`
	Method      string         `json:"method"`
	QueryFilter map[string]any `json:"query_filter"`
	PostFilter  map[string]any `json:"post_filter"`
	Allow       bool           `json:"allow"`
}

// MarshalJSON writes empty filters as {} rather than null, as every helper library does,
// so a policy built with nil maps still serialises to the documented shape.
func (p Policy) MarshalJSON() ([]byte, error) {
	type plain Policy // drops the method set, so json.Marshal does not recurse
	out := plain(p)
	if out.QueryFilter == nil {
		out.QueryFilter = map[string]any{}
	}
	if out.PostFilter == nil {
		out.PostFilter = map[string]any{}
	}
	return json.Marshal(out)
}

// Claims is the full claim set of a TaskRouter capability token.
//
// Of the registered claims Mint writes only iss and exp, as twilio-php does and the project
// notes list; twilio-node's signer adds iat and twilio-python adds nbf, and Verify accepts both.
type Claims struct {
	jwt.RegisteredClaims
	Version      string   `json:"version"`
	FriendlyName string   `json:"friendly_name"`
	AccountSID   string   `json:"account_sid"`
	Channel      string   `json:"channel"`
	WorkspaceSID string   `json:"workspace_sid"`
	WorkerSID    string   `json:"worker_sid,omitempty"`
	TaskQueueSID string   `json:"taskqueue_sid,omitempty"`
	Policies     []Policy `json:"policies"`
}

// URLs are the two base URLs policies are written against; the zero value means the defaults.
type URLs struct {
	TaskRouter  string
	EventBridge string
}

func (u URLs) taskRouterBase() string {
	if u.TaskRouter == "" {
		return DefaultTaskRouterBaseURL
	}
	return strings.TrimRight(u.TaskRouter, "/")
}

func (u URLs) eventBridgeBase() string {
	if u.EventBridge == "" {
		return DefaultEventBridgeBaseURL
	}
	return strings.TrimRight(u.EventBridge, "/")
}

// Resource is the TaskRouter v1 URL of path, e.g. Resource("Workspaces/WS1/TaskQueues/WQ1").
func (u URLs) Resource(path string) string {
	return u.taskRouterBase() + "/" + Version + "/" + strings.TrimLeft(path, "/")
}

// Channel is the event-bridge URL of a token's channel, the endpoint TaskRouter.js posts every call to.
func (u URLs) Channel(accountSID, channel string) string {
	return u.eventBridgeBase() + "/" + Version + "/wschannels/" + accountSID + "/" + channel
}

// Grant describes one token to mint.
type Grant struct {
	WorkspaceSID string
	// Channel is a WS, WQ or WK sid; it decides whether worker_sid or taskqueue_sid is written.
	Channel string
	// FriendlyName defaults to Channel, as in every helper library.
	FriendlyName string
	// Policies are the grants beyond the channel's own GET and POST policies, which Mint adds.
	Policies []Policy
	// TTL is the token lifetime; 0 means DefaultTTL.
	TTL time.Duration
}

// Minter signs tokens with the account's auth token (HS256).
type Minter struct {
	AccountSID string
	AuthToken  string
	URLs       URLs
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Mint signs a token for g and returns it with its expiry (whole seconds, as in the exp claim).
func (m Minter) Mint(g Grant) (token string, expires time.Time, err error) {
	claims, err := m.claims(g)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("mint capability token for channel %q: %w", g.Channel, err)
	}
	signed, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString([]byte(m.AuthToken))
	if err != nil {
		return "", time.Time{}, fmt.Errorf("sign capability token for channel %q: %w", g.Channel, err)
	}
	return signed, claims.ExpiresAt.Time, nil
}

// claims builds the claim set exactly as the helper libraries lay it out.
func (m Minter) claims(g Grant) (*Claims, error) {
	if err := m.validate(g); err != nil {
		return nil, err
	}
	ttl := g.TTL
	if ttl == 0 {
		ttl = DefaultTTL
	}
	now := time.Now
	if m.Now != nil {
		now = m.Now
	}
	// exp is whole seconds; truncating here makes the returned expiry equal the claim.
	exp := now().Add(ttl).Truncate(time.Second)
	name := g.FriendlyName
	if name == "" {
		name = g.Channel
	}
	c := &Claims{
		RegisteredClaims: jwt.RegisteredClaims{Issuer: m.AccountSID, ExpiresAt: jwt.NewNumericDate(exp)},
		Version:          Version,
		FriendlyName:     name,
		AccountSID:       m.AccountSID,
		Channel:          g.Channel,
		WorkspaceSID:     g.WorkspaceSID,
		Policies:         m.policies(g),
	}
	switch {
	case strings.HasPrefix(g.Channel, "WK"):
		c.WorkerSID = g.Channel
	case strings.HasPrefix(g.Channel, "WQ"):
		c.TaskQueueSID = g.Channel
	}
	return c, nil
}

// policies puts the channel's GET and POST first (the order twilio-php and twilio-python use),
// then the caller's, normalised: upper-case methods, {} filters, exact duplicates dropped.
func (m Minter) policies(g Grant) []Policy {
	channel := m.URLs.Channel(m.AccountSID, g.Channel)
	out := []Policy{allow(channel, "GET", nil), allow(channel, "POST", nil)}
	for _, p := range g.Policies {
		p = normalise(p)
		if !containsPolicy(out, p) {
			out = append(out, p)
		}
	}
	return out
}

func (m Minter) validate(g Grant) error {
	var errs []error
	if !strings.HasPrefix(m.AccountSID, "AC") {
		errs = append(errs, fmt.Errorf("account sid %q does not start with AC", m.AccountSID))
	}
	if m.AuthToken == "" {
		errs = append(errs, errors.New("no auth token to sign with"))
	}
	if !strings.HasPrefix(g.WorkspaceSID, "WS") {
		errs = append(errs, fmt.Errorf("workspace sid %q does not start with WS", g.WorkspaceSID))
	}
	if !hasAnyPrefix(g.Channel, "WS", "WQ", "WK") {
		errs = append(errs, fmt.Errorf("channel %q is not a WS, WQ or WK sid", g.Channel))
	}
	if g.TTL < 0 {
		errs = append(errs, fmt.Errorf("negative ttl %s", g.TTL))
	}
	return errors.Join(errs...)
}

func allow(url, method string, postFilter map[string]any) Policy {
	if postFilter == nil {
		postFilter = map[string]any{}
	}
	return Policy{URL: url, Method: method, QueryFilter: map[string]any{}, PostFilter: postFilter, Allow: true}
}

func normalise(p Policy) Policy {
	p.Method = strings.ToUpper(p.Method)
	if p.QueryFilter == nil {
		p.QueryFilter = map[string]any{}
	}
	if p.PostFilter == nil {
		p.PostFilter = map[string]any{}
	}
	return p
}

func containsPolicy(list []Policy, p Policy) bool {
	want, err := json.Marshal(p)
	if err != nil {
		return false
	}
	for _, q := range list {
		got, err := json.Marshal(q)
		if err == nil && string(got) == string(want) {
			return true
		}
	}
	return false
}

func hasAnyPrefix(s string, prefixes ...string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
