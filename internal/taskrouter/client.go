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
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/go-logr/logr"

	"github.com/taskrouter-operator/taskrouter-operator/internal/capability"
)

// Version is the operator version sent in the User-Agent; set it with
// -ldflags "-X github.com/taskrouter-operator/taskrouter-operator/internal/taskrouter.Version=v0.1.0".
var Version = "dev"

// Defaults applied by New to zero Config fields.
const (
	// DefaultQPS is the ceiling of an account's pace. The pace itself starts at initialRate (about 10
	// writes/s is known to be safe) and follows what TaskRouter says (see pacer), so the ceiling only
	// bounds how fast an account that keeps showing budget left is driven.
	DefaultQPS        = 100.0
	DefaultBurst      = 10
	DefaultTimeout    = 30 * time.Second
	DefaultMaxRetries = 4
	DefaultPageSize   = 1000
	// maxPageSize is TaskRouter's PageSize maximum.
	maxPageSize = 1000
)

// Metrics receives the client's measurements; the manager implements it with Prometheus.
type Metrics interface {
	// ObserveRequest records one HTTP attempt; endpoint is a route template such as
	// /v1/Workspaces/{WorkspaceSid}/TaskQueues/{Sid}, code is 0 when no response arrived.
	ObserveRequest(endpoint, method string, code int, d time.Duration)
	// ObserveRateLimitWait records time spent waiting for the per-account rate limiter.
	ObserveRateLimitWait(d time.Duration)
	// ObserveTokenMinted records a capability token minted (not served from cache) for a
	// channel kind: Workspace, TaskQueue or Worker.
	ObserveTokenMinted(channelKind string)
}

// Config configures a Client. Zero fields take the defaults documented on each.
type Config struct {
	// TaskRouterBaseURL is the REST host of accounts whose credentials name no region (default
	// https://taskrouter.twilio.com).
	TaskRouterBaseURL string
	// EventBridgeBaseURL is the capability-token channel host of accounts whose credentials name no
	// region (default https://event-bridge.twilio.com).
	EventBridgeBaseURL string
	// Override's non-empty fields are the hosts of every account, whatever region and edge its
	// credentials name: the emulator, a proxy, a private Interconnect host. The manager sets a field
	// only when its flag was given on the command line.
	Override capability.URLs
	// HTTPClient sends every request (default: a client with no overall timeout; the context bounds calls).
	HTTPClient *http.Client
	// UserAgent replaces the default "taskrouter-operator/<Version>".
	UserAgent string
	// QPS is the ceiling of each account's pace, reads and writes apart (default DefaultQPS); Burst
	// the calls that may go at once (default DefaultBurst).
	QPS   float64
	Burst int
	// Timeout bounds a call, retries included, when the caller's context has no deadline (default 30s).
	Timeout time.Duration
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Sleep waits d or until ctx ends (default: a timer); tests inject one that does not wait.
	Sleep func(ctx context.Context, d time.Duration) error
	// Metrics is an optional sink; nil records nothing.
	Metrics Metrics
	// MaxRetries is how many times a failed call is repeated (default DefaultMaxRetries; negative: never).
	MaxRetries int
	// PageSize is the PageSize of our list calls, 1..1000 (default 1000: fewest round trips).
	PageSize int
	// Logger receives debug lines (V(1)); they never hold credentials, tokens or request bodies.
	Logger logr.Logger
}

// Client talks to TaskRouter for any number of accounts. Create one per manager: it holds the
// per-account rate limiters and the capability-token cache that all accounts share.
type Client struct {
	cfg       Config
	userAgent string
	tokens    *capability.Cache
	// jitter returns a uniformly random duration in [0, max); replaced in tests.
	jitter func(max time.Duration) time.Duration

	mu       sync.Mutex
	limiters map[string]*accountLimiter
}

// New returns a Client with cfg's zero fields defaulted.
func New(cfg Config) *Client {
	cfg = withDefaults(cfg)
	ua := cfg.UserAgent
	if ua == "" {
		ua = "taskrouter-operator/" + Version
	}
	return &Client{
		cfg:       cfg,
		userAgent: ua,
		tokens:    capability.NewCache(cfg.Now),
		jitter:    fullJitter,
		limiters:  map[string]*accountLimiter{},
	}
}

func withDefaults(cfg Config) Config {
	cfg.TaskRouterBaseURL = strings.TrimRight(cfg.TaskRouterBaseURL, "/")
	if cfg.TaskRouterBaseURL == "" {
		cfg.TaskRouterBaseURL = capability.DefaultTaskRouterBaseURL
	}
	cfg.EventBridgeBaseURL = strings.TrimRight(cfg.EventBridgeBaseURL, "/")
	if cfg.EventBridgeBaseURL == "" {
		cfg.EventBridgeBaseURL = capability.DefaultEventBridgeBaseURL
	}
	cfg.Override.TaskRouter = strings.TrimRight(cfg.Override.TaskRouter, "/")
	cfg.Override.EventBridge = strings.TrimRight(cfg.Override.EventBridge, "/")
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{}
	}
	if cfg.QPS <= 0 {
		cfg.QPS = DefaultQPS
	}
	if cfg.Burst <= 0 {
		cfg.Burst = DefaultBurst
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Sleep == nil {
		cfg.Sleep = sleepContext
	}
	if cfg.MaxRetries == 0 {
		cfg.MaxRetries = DefaultMaxRetries
	}
	if cfg.PageSize <= 0 || cfg.PageSize > maxPageSize {
		cfg.PageSize = DefaultPageSize
	}
	if cfg.Logger.GetSink() == nil {
		cfg.Logger = logr.Discard()
	}
	return cfg
}

func sleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func fullJitter(max time.Duration) time.Duration {
	if max <= 0 {
		return 0
	}
	return rand.N(max)
}

// limiter returns the rate limiter of an account, shared by every Account value for it.
func (c *Client) limiter(accountSID string) *accountLimiter {
	c.mu.Lock()
	defer c.mu.Unlock()
	l, ok := c.limiters[accountSID]
	if !ok {
		l = newAccountLimiter(c.cfg.QPS, c.cfg.Burst, c.cfg.Now())
		c.limiters[accountSID] = l
	}
	return l
}

// Credentials are an account's secrets as the operator reads them from a Secret, and where the
// account lives.
type Credentials struct {
	AccountSID   string
	AuthToken    string
	APIKeySID    string
	APIKeySecret string
	// Region and Edge (e.g. ie1 and dublin) place the account in a Twilio Region reached through an
	// Edge Location (see CheckRegion); both empty is Twilio's default, US1 through the global hosts.
	// Twilio Regions are isolated: a region's accounts have their own auth tokens and API keys.
	Region string
	Edge   string
}

// AuthMode selects how an Account authenticates its calls.
type AuthMode string

const (
	// AuthCapabilityToken sends each call through the event-bridge channel with a token scoped to that call.
	AuthCapabilityToken AuthMode = "CapabilityToken"
	// AuthBasic sends REST calls with HTTP Basic auth (API key when present, else account sid and auth token).
	AuthBasic AuthMode = "Basic"
)

// ErrInvalidCredentials means a credential the auth mode needs is missing; the error names the Secret key.
var ErrInvalidCredentials = errors.New("invalid credentials")

// ErrInvalidRequest means the client refused to send a call because its parameters cannot be right.
var ErrInvalidRequest = errors.New("invalid request")

// Account is one TaskRouter account with its chosen transport.
type Account struct {
	c    *Client
	sid  string
	mode AuthMode
	// urls are the account's hosts: its calls go there, and its tokens are written against them.
	urls capability.URLs
	// origin is the TaskRouter host, the only one whose next_page_url is followed.
	origin *url.URL
	api    transport // the mode's transport: every call but workspace create, list and delete
	basic  transport // REST with Basic auth: workspace create, list and delete in either mode
	// limit is shared by every Account of the sid, whatever its region.
	limit *accountLimiter
}

// Account validates creds for mode and returns a handle for the account's calls.
func (c *Client) Account(creds Credentials, mode AuthMode) (*Account, error) {
	if err := validateCredentials(creds, mode); err != nil {
		return nil, err
	}
	urls, err := c.URLs(creds)
	if err != nil {
		return nil, err
	}
	origin, err := url.Parse(urls.TaskRouter)
	if err != nil || origin.Host == "" {
		// An unparsable base cannot receive a request anyway; keep an empty origin so every page URL is refused.
		origin = &url.URL{}
	}
	basic := c.restTransport(creds, urls)
	a := &Account{c: c, sid: creds.AccountSID, mode: mode, urls: urls, origin: origin, api: basic, basic: basic,
		limit: c.limiter(creds.AccountSID)}
	if mode == AuthCapabilityToken {
		a.api = c.channelTransport(creds, urls)
	}
	return a, nil
}

// URLs are the hosts of the account creds name, field by field: Config.Override when set, else the
// hosts of the credentials' region and edge, else Config's TaskRouterBaseURL and EventBridgeBaseURL.
// Front-end tokens for the account are written against them, as the client's own are. A region and
// edge that are not a valid pair are an ErrInvalidCredentials naming the Secret key, even under an
// override: the Secret is wrong either way.
func (c *Client) URLs(creds Credentials) (capability.URLs, error) {
	if err := CheckRegion(creds.Region, creds.Edge, SecretRegionKeys); err != nil {
		return capability.URLs{}, fmt.Errorf("%w: %w", ErrInvalidCredentials, err)
	}
	urls := regionalURLs(creds.Region, creds.Edge)
	urls.TaskRouter = firstNonEmpty(c.cfg.Override.TaskRouter, urls.TaskRouter, c.cfg.TaskRouterBaseURL)
	urls.EventBridge = firstNonEmpty(c.cfg.Override.EventBridge, urls.EventBridge, c.cfg.EventBridgeBaseURL)
	return urls, nil
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

func validateCredentials(creds Credentials, mode AuthMode) error {
	var missing []string
	if creds.AccountSID == "" {
		missing = append(missing, "accountSid")
	}
	switch mode {
	case AuthCapabilityToken:
		// Only the auth token can sign a capability token; an API key cannot.
		if creds.AuthToken == "" {
			missing = append(missing, "authToken")
		}
	case AuthBasic:
		switch {
		case creds.APIKeySID != "" && creds.APIKeySecret == "":
			missing = append(missing, "apiKeySecret")
		case creds.APIKeySID == "" && creds.APIKeySecret != "":
			missing = append(missing, "apiKeySid")
		case creds.APIKeySID == "" && creds.AuthToken == "":
			missing = append(missing, "authToken (or apiKeySid and apiKeySecret)")
		}
	default:
		return fmt.Errorf("%w: unknown auth mode %q (want %s or %s)", ErrInvalidCredentials, mode, AuthCapabilityToken, AuthBasic)
	}
	if len(missing) > 0 {
		return fmt.Errorf("%w: missing %s", ErrInvalidCredentials, strings.Join(missing, ", "))
	}
	if !strings.HasPrefix(creds.AccountSID, "AC") {
		return fmt.Errorf("%w: accountSid does not start with AC", ErrInvalidCredentials)
	}
	return nil
}

// SID is the account sid.
func (a *Account) SID() string { return a.sid }

// Mode is the account's auth mode.
func (a *Account) Mode() AuthMode { return a.mode }

// URLs are the account's TaskRouter and event-bridge hosts (see Client.URLs).
func (a *Account) URLs() capability.URLs { return a.urls }

// Workspace returns a client for the objects of one workspace.
func (a *Account) Workspace(sid string) *WorkspaceClient { return &WorkspaceClient{a: a, sid: sid} }

// WorkspaceClient calls the objects of one Workspace.
type WorkspaceClient struct {
	a   *Account
	sid string
}

// SID is the workspace sid.
func (w *WorkspaceClient) SID() string { return w.sid }
