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

package main

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/go-logr/logr"
	authenticationv1 "k8s.io/api/authentication/v1"
	authorizationv1 "k8s.io/api/authorization/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	authenticationv1client "k8s.io/client-go/kubernetes/typed/authentication/v1"
	authorizationv1client "k8s.io/client-go/kubernetes/typed/authorization/v1"
	"k8s.io/client-go/rest"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"
)

// The TTLs are controller-runtime's (filters.WithAuthenticationAndAuthorization): a
// Prometheus scrape every 15 s then costs a TokenReview a minute and a
// SubjectAccessReview every five, while a revoked binding stops a reader within
// five minutes and a new one lets it in within 30 s.
const (
	identityTTL = time.Minute
	allowTTL    = 5 * time.Minute
	denyTTL     = 30 * time.Second
	// reviewTimeout bounds each call to the API server, so a slow one fails the
	// scrape instead of piling up requests.
	reviewTimeout = 10 * time.Second
	// maxCacheEntries bounds each cache: a handful of scrapers need a handful of
	// entries, and a flood of made-up tokens must not grow memory without bound.
	maxCacheEntries = 2048
)

// authenticatedMetrics is a metricsserver.Options.FilterProvider: only callers the
// API server authenticates (TokenReview) and lets get the path (SubjectAccessReview,
// e.g. config/rbac/metrics_reader_role.yaml) read /metrics. It does the job of
// controller-runtime's filters.WithAuthenticationAndAuthorization with client-go's
// typed clients only; that one links k8s.io/apiserver and cel-go, about 30 MB of
// the binary and of the manager's resident memory.
func authenticatedMetrics(config *rest.Config, httpClient *http.Client) (metricsserver.Filter, error) {
	authn, err := authenticationv1client.NewForConfigAndClient(config, httpClient)
	if err != nil {
		return nil, fmt.Errorf("metrics authentication: TokenReview client: %w", err)
	}
	authz, err := authorizationv1client.NewForConfigAndClient(config, httpClient)
	if err != nil {
		return nil, fmt.Errorf("metrics authorization: SubjectAccessReview client: %w", err)
	}
	return newMetricsAuth(authn.TokenReviews(), authz.SubjectAccessReviews()).filter, nil
}

// metricsAuth asks the API server who a bearer token belongs to and whether
// that user may read the path, and remembers the answers for a while.
type metricsAuth struct {
	tokenReviews  authenticationv1client.TokenReviewInterface
	accessReviews authorizationv1client.SubjectAccessReviewInterface
	now           func() time.Time
	// identities is keyed by the SHA-256 of the token, so the cache holds no
	// credential. It is apart from decisions so that a flood of made-up tokens
	// (which never reach a SubjectAccessReview) cannot evict them.
	identities *ttlCache[identity]
	// decisions is keyed by the SHA-256 of the SubjectAccessReview spec (user,
	// UID, groups, extra, path, verb): exactly what the API server decides on,
	// so the key cannot mix up two users, and a service account's rotated
	// token, which has a new identities entry, reuses its decision.
	decisions *ttlCache[decision]
}

// identity is what a TokenReview said about a token.
type identity struct {
	authenticated bool
	user          authenticationv1.UserInfo
}

// decision is what a SubjectAccessReview said; reason is only logged.
type decision struct {
	allowed bool
	reason  string
}

func newMetricsAuth(tokenReviews authenticationv1client.TokenReviewInterface, accessReviews authorizationv1client.SubjectAccessReviewInterface) *metricsAuth {
	return &metricsAuth{tokenReviews: tokenReviews, accessReviews: accessReviews, now: time.Now,
		identities: newTTLCache[identity](maxCacheEntries), decisions: newTTLCache[decision](maxCacheEntries)}
}

// filter is the metricsserver.Filter: 401 without a token the API server
// authenticates, 403 when the user may not, 500 when the API server cannot say
// (not remembered, so the next scrape asks again). Unlike controller-runtime's
// filter, which turned a TokenReview's status.error into a 500, an unknown token
// is a 401: it is the caller's fault, not the server's.
func (a *metricsAuth) filter(log logr.Logger, next http.Handler) (http.Handler, error) {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		token, ok := bearerToken(req)
		if !ok {
			log.V(4).Info("No bearer token")
			http.Error(w, "Unauthorized", http.StatusUnauthorized)
			return
		}
		id, err := a.authenticate(req.Context(), token)
		if err != nil {
			log.Error(err, "Authentication failed")
			http.Error(w, "Authentication failed", http.StatusInternalServerError)
			return
		}
		if !id.authenticated {
			log.V(4).Info("Authentication failed: the API server does not know the token")
			http.Error(w, "Unauthorized", http.StatusUnauthorized)
			return
		}
		path, verb := req.URL.Path, strings.ToLower(req.Method)
		d, err := a.authorize(req.Context(), id.user, path, verb)
		if err != nil {
			msg := fmt.Sprintf("Authorization for user %s failed", id.user.Username)
			log.Error(err, msg, "path", path, "verb", verb)
			http.Error(w, msg, http.StatusInternalServerError)
			return
		}
		if !d.allowed {
			msg := fmt.Sprintf("Authorization denied for user %s", id.user.Username)
			log.V(4).Info(msg, "path", path, "verb", verb, "reason", d.reason)
			http.Error(w, msg, http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, req)
	}), nil
}

// bearerToken returns the token of "Authorization: Bearer <token>"; the scheme is
// case-insensitive, as in the API server. Any other scheme counts as no token:
// anonymous access is never allowed.
func bearerToken(req *http.Request) (string, bool) {
	scheme, token, found := strings.Cut(strings.TrimSpace(req.Header.Get("Authorization")), " ")
	if !found || !strings.EqualFold(scheme, "bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

// authenticate asks for a TokenReview unless one answered for the token within
// identityTTL. A token the API server does not know is remembered too, so a
// scraper retrying a stale token does not cost a TokenReview each time.
func (a *metricsAuth) authenticate(ctx context.Context, token string) (identity, error) {
	key := sha256.Sum256([]byte(token))
	if id, ok := a.identities.get(key, a.now()); ok {
		return id, nil
	}
	ctx, cancel := context.WithTimeout(ctx, reviewTimeout)
	defer cancel()
	// No audiences: the API server's own, as for the service account tokens Prometheus sends.
	review, err := a.tokenReviews.Create(ctx, &authenticationv1.TokenReview{
		Spec: authenticationv1.TokenReviewSpec{Token: token}}, metav1.CreateOptions{})
	if err != nil {
		return identity{}, fmt.Errorf("create TokenReview: %w", err)
	}
	// Status.Error (e.g. "invalid bearer token") only says why it is not
	// authenticated: a 401 like any unknown token, not a 500.
	id := identity{authenticated: review.Status.Authenticated, user: review.Status.User}
	a.identities.put(key, id, a.now(), identityTTL)
	return id, nil
}

// authorize asks for a SubjectAccessReview of verb on the non-resource path
// unless one answered for the same user and request recently.
func (a *metricsAuth) authorize(ctx context.Context, user authenticationv1.UserInfo, path, verb string) (decision, error) {
	spec := authorizationv1.SubjectAccessReviewSpec{User: user.Username, UID: user.UID, Groups: user.Groups,
		NonResourceAttributes: &authorizationv1.NonResourceAttributes{Path: path, Verb: verb}}
	if len(user.Extra) > 0 {
		spec.Extra = make(map[string]authorizationv1.ExtraValue, len(user.Extra))
		for k, v := range user.Extra {
			spec.Extra[k] = authorizationv1.ExtraValue(v)
		}
	}
	// JSON sorts map keys, so equal specs encode, and hash, alike.
	encoded, err := json.Marshal(spec)
	if err != nil {
		return decision{}, fmt.Errorf("encode SubjectAccessReview spec as cache key: %w", err)
	}
	key := sha256.Sum256(encoded)
	if d, ok := a.decisions.get(key, a.now()); ok {
		return d, nil
	}
	ctx, cancel := context.WithTimeout(ctx, reviewTimeout)
	defer cancel()
	review, err := a.accessReviews.Create(ctx, &authorizationv1.SubjectAccessReview{Spec: spec}, metav1.CreateOptions{})
	if err != nil {
		return decision{}, fmt.Errorf("create SubjectAccessReview: %w", err)
	}
	// Denied wins over Allowed, as in the API server's webhook authorizer; neither is "no opinion", a denial here.
	d := decision{allowed: review.Status.Allowed && !review.Status.Denied, reason: review.Status.Reason}
	ttl := denyTTL
	if d.allowed {
		ttl = allowTTL
	}
	a.decisions.put(key, d, a.now(), ttl)
	return d, nil
}

// ttlCache maps SHA-256 digests to values that expire. It holds at most max
// entries: putting into a full cache drops the expired entries and, if none
// are, arbitrary ones (Go's map order), which costs at most an extra review.
type ttlCache[V any] struct {
	mu      sync.Mutex
	max     int
	entries map[[sha256.Size]byte]ttlEntry[V]
}

type ttlEntry[V any] struct {
	value   V
	expires time.Time
}

func newTTLCache[V any](maxEntries int) *ttlCache[V] {
	return &ttlCache[V]{max: maxEntries, entries: make(map[[sha256.Size]byte]ttlEntry[V])}
}

func (c *ttlCache[V]) get(key [sha256.Size]byte, now time.Time) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok || !now.Before(e.expires) {
		delete(c.entries, key)
		var zero V
		return zero, false
	}
	return e.value, true
}

// put remembers value until now+ttl. Expired entries are swept only when the
// cache is full, which keeps puts cheap otherwise; get drops the ones it meets.
func (c *ttlCache[V]) put(key [sha256.Size]byte, value V, now time.Time, ttl time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries[key]; !ok && len(c.entries) >= c.max {
		for k, e := range c.entries {
			if !now.Before(e.expires) {
				delete(c.entries, k)
			}
		}
		for k := range c.entries {
			if len(c.entries) < c.max {
				break
			}
			delete(c.entries, k)
		}
	}
	c.entries[key] = ttlEntry[V]{value: value, expires: now.Add(ttl)}
}
