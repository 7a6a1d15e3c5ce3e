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
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-logr/logr/funcr"
	"github.com/google/go-cmp/cmp"
	authenticationv1 "k8s.io/api/authentication/v1"
	authorizationv1 "k8s.io/api/authorization/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

const (
	scraperToken  = "scraper-token"
	strangerToken = "stranger-token"
	scraperUser   = "system:serviceaccount:monitoring:prometheus"
	strangerUser  = "system:serviceaccount:default:stranger"
)

// reviews is what the fake reviewers share: the specs they were asked, the calls they answered,
// those asked without reviewTimeout, and an error to answer with instead.
type reviews[S any] struct {
	mu         sync.Mutex
	specs      []S
	calls      int
	noDeadline int
	err        error
}

// answer records a call asking spec; the caller holds mu.
func (r *reviews[S]) answer(ctx context.Context, spec S) error {
	r.specs = append(r.specs, spec)
	r.calls++
	if deadline, ok := ctx.Deadline(); !ok || time.Until(deadline) > reviewTimeout {
		r.noDeadline++
	}
	return r.err
}

func (r *reviews[S]) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.calls
}

// fakeTokenReviews answers TokenReviews like an API server that knows the
// scraper's and the stranger's tokens, and counts them.
type fakeTokenReviews struct {
	reviews[authenticationv1.TokenReviewSpec]
}

func (f *fakeTokenReviews) Create(ctx context.Context, review *authenticationv1.TokenReview, _ metav1.CreateOptions) (*authenticationv1.TokenReview, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.answer(ctx, review.Spec); err != nil {
		return nil, err
	}
	out := review.DeepCopy()
	switch review.Spec.Token {
	case scraperToken:
		out.Status = authenticationv1.TokenReviewStatus{Authenticated: true, User: authenticationv1.UserInfo{
			Username: scraperUser, UID: "uid-prometheus",
			Groups: []string{"system:serviceaccounts", "system:serviceaccounts:monitoring", "system:authenticated"},
			Extra:  map[string]authenticationv1.ExtraValue{"authentication.kubernetes.io/pod-name": {"prometheus-0"}}}}
	case strangerToken:
		out.Status = authenticationv1.TokenReviewStatus{Authenticated: true, User: authenticationv1.UserInfo{
			Username: strangerUser, UID: "uid-stranger", Groups: []string{"system:authenticated"}}}
	default:
		// What a real API server says about a token it does not know.
		out.Status = authenticationv1.TokenReviewStatus{Error: "[invalid bearer token, token lookup failed]"}
	}
	return out, nil
}

// fakeAccessReviews answers SubjectAccessReviews by the users in allowed, and counts them.
type fakeAccessReviews struct {
	reviews[authorizationv1.SubjectAccessReviewSpec]
	allowed map[string]bool
}

func (f *fakeAccessReviews) Create(ctx context.Context, review *authorizationv1.SubjectAccessReview, _ metav1.CreateOptions) (*authorizationv1.SubjectAccessReview, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.answer(ctx, review.Spec); err != nil {
		return nil, err
	}
	out := review.DeepCopy()
	nonResource := review.Spec.NonResourceAttributes
	if f.allowed[review.Spec.User] && nonResource != nil && nonResource.Path == "/metrics" && nonResource.Verb == "get" {
		out.Status = authorizationv1.SubjectAccessReviewStatus{Allowed: true, Reason: "bound to metrics-reader"}
	} else {
		out.Status = authorizationv1.SubjectAccessReviewStatus{Reason: "no RBAC policy matched"}
	}
	return out, nil
}

func (f *fakeAccessReviews) allow(user string, allowed bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.allowed[user] = allowed
}

// metricsAuthTest is the filter around a /metrics handler, with fake reviews and a clock the test moves.
type metricsAuthTest struct {
	tokens  *fakeTokenReviews
	access  *fakeAccessReviews
	auth    *metricsAuth
	handler http.Handler

	mu      sync.Mutex
	clock   time.Time
	reached int
	logs    strings.Builder
}

func newMetricsAuthTest(t *testing.T) *metricsAuthTest {
	t.Helper()
	m := &metricsAuthTest{tokens: &fakeTokenReviews{}, access: &fakeAccessReviews{allowed: map[string]bool{scraperUser: true}},
		clock: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	m.auth = newMetricsAuth(m.tokens, m.access)
	m.auth.now = func() time.Time {
		m.mu.Lock()
		defer m.mu.Unlock()
		return m.clock
	}
	// Verbosity 4 shows the refusals' debug lines too, so the token test covers them.
	log := funcr.New(func(prefix, args string) {
		m.mu.Lock()
		defer m.mu.Unlock()
		fmt.Fprintln(&m.logs, prefix, args)
	}, funcr.Options{Verbosity: 4})
	handler, err := m.auth.filter(log, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		m.mu.Lock()
		m.reached++
		m.mu.Unlock()
		fmt.Fprintln(w, "# TYPE workqueue_depth gauge")
	}))
	if err != nil {
		t.Fatal(err)
	}
	m.handler = handler
	return m
}

// scrape GETs /metrics with the Authorization header, if any.
func (m *metricsAuthTest) scrape(authorization string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, "https://manager:8443/metrics", nil)
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	rec := httptest.NewRecorder()
	m.handler.ServeHTTP(rec, req)
	return rec
}

func (m *metricsAuthTest) advance(d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.clock = m.clock.Add(d)
}

// calls reports how many TokenReviews and SubjectAccessReviews were asked, and handler calls.
func (m *metricsAuthTest) calls() (tokenReviews, accessReviews, reached int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.tokens.count(), m.access.count(), m.reached
}

func TestMetricsAuthAnswers(t *testing.T) {
	cases := []struct {
		name, authorization string
		want                int
		body                string
		reviews             [2]int // TokenReviews, SubjectAccessReviews
	}{
		{"no Authorization header", "", http.StatusUnauthorized, "Unauthorized", [2]int{0, 0}},
		{"empty bearer token", "Bearer ", http.StatusUnauthorized, "Unauthorized", [2]int{0, 0}},
		{"blank bearer token", "Bearer    ", http.StatusUnauthorized, "Unauthorized", [2]int{0, 0}},
		{"basic credentials", "Basic c2NyYXBlcjpzZWNyZXQ=", http.StatusUnauthorized, "Unauthorized", [2]int{0, 0}},
		{"a token the API server does not know", "Bearer not-a-token", http.StatusUnauthorized, "Unauthorized", [2]int{1, 0}},
		{"authenticated without metrics-reader", "Bearer " + strangerToken, http.StatusForbidden,
			"Authorization denied for user " + strangerUser, [2]int{1, 1}},
		{"bound to metrics-reader", "Bearer " + scraperToken, http.StatusOK, "# TYPE", [2]int{1, 1}},
		{"scheme in lower case, token padded", "bearer   " + scraperToken + " ", http.StatusOK, "# TYPE", [2]int{1, 1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := newMetricsAuthTest(t)
			rec := m.scrape(tc.authorization)
			if rec.Code != tc.want || !strings.Contains(rec.Body.String(), tc.body) {
				t.Fatalf("status %d %q, want %d with %q", rec.Code, rec.Body.String(), tc.want, tc.body)
			}
			tokenReviews, accessReviews, reached := m.calls()
			if [2]int{tokenReviews, accessReviews} != tc.reviews {
				t.Errorf("%d TokenReviews and %d SubjectAccessReviews, want %v", tokenReviews, accessReviews, tc.reviews)
			}
			if wantReached := map[bool]int{true: 1}[tc.want == http.StatusOK]; reached != wantReached {
				t.Errorf("handler reached %d times, want %d", reached, wantReached)
			}
			if m.tokens.noDeadline+m.access.noDeadline != 0 {
				t.Errorf("reviews asked without a %s deadline", reviewTimeout)
			}
			for _, token := range []string{scraperToken, strangerToken, "not-a-token"} {
				if strings.Contains(m.logs.String(), token) {
					t.Errorf("log shows the token %q:\n%s", token, m.logs.String())
				}
			}
		})
	}
}

// TestMetricsAuthReviews checks what the API server is asked: the token with no
// audiences, then the TokenReview's user, UID, groups and extra for get /metrics.
func TestMetricsAuthReviews(t *testing.T) {
	m := newMetricsAuthTest(t)
	if rec := m.scrape("Bearer " + scraperToken); rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body.String())
	}
	if diff := cmp.Diff([]authenticationv1.TokenReviewSpec{{Token: scraperToken}}, m.tokens.specs); diff != "" {
		t.Errorf("TokenReviews (-want +got):\n%s", diff)
	}
	want := []authorizationv1.SubjectAccessReviewSpec{{User: scraperUser, UID: "uid-prometheus",
		Groups:                []string{"system:serviceaccounts", "system:serviceaccounts:monitoring", "system:authenticated"},
		Extra:                 map[string]authorizationv1.ExtraValue{"authentication.kubernetes.io/pod-name": {"prometheus-0"}},
		NonResourceAttributes: &authorizationv1.NonResourceAttributes{Path: "/metrics", Verb: "get"}}}
	if diff := cmp.Diff(want, m.access.specs); diff != "" {
		t.Errorf("SubjectAccessReviews (-want +got):\n%s", diff)
	}
}

// TestMetricsAuthAPIErrors: when the API server cannot answer the scrape gets a
// 500 that does not show the error, the log does (without the token), and the
// next scrape asks again rather than trusting a remembered failure.
func TestMetricsAuthAPIErrors(t *testing.T) {
	apiDown := errors.New("connection refused")
	cases := []struct {
		name string
		down func(*metricsAuthTest) *error
		// calls are the TokenReviews and SubjectAccessReviews after two failed scrapes: the
		// identity, once known, is remembered; a failed answer is not.
		calls   [2]int
		logLine string
	}{
		{"TokenReview", func(m *metricsAuthTest) *error { return &m.tokens.err }, [2]int{2, 0}, "create TokenReview: connection refused"},
		{"SubjectAccessReview", func(m *metricsAuthTest) *error { return &m.access.err }, [2]int{1, 2}, "create SubjectAccessReview: connection refused"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := newMetricsAuthTest(t)
			*tc.down(m) = apiDown
			for i := range 2 {
				rec := m.scrape("Bearer " + scraperToken)
				if rec.Code != http.StatusInternalServerError || strings.Contains(rec.Body.String(), "refused") {
					t.Fatalf("scrape %d: status %d %q, want 500 without the error", i, rec.Code, rec.Body.String())
				}
			}
			if tokenReviews, accessReviews, reached := m.calls(); [2]int{tokenReviews, accessReviews} != tc.calls || reached != 0 {
				t.Fatalf("%d TokenReviews, %d SubjectAccessReviews, handler reached %d times; want %v and 0", tokenReviews, accessReviews, reached, tc.calls)
			}
			if logs := m.logs.String(); !strings.Contains(logs, tc.logLine) || strings.Contains(logs, scraperToken) {
				t.Fatalf("log should give the error and not the token:\n%s", logs)
			}
			*tc.down(m) = nil
			if rec := m.scrape("Bearer " + scraperToken); rec.Code != http.StatusOK {
				t.Fatalf("API server back: status %d %q", rec.Code, rec.Body.String())
			}
		})
	}
}

// TestMetricsAuthCaches: scrapes within the TTLs ask the API server nothing more,
// whatever the answer was.
func TestMetricsAuthCaches(t *testing.T) {
	cases := []struct {
		name, token string
		want        int
		reviews     [2]int
	}{
		{"allowed", scraperToken, http.StatusOK, [2]int{1, 1}},
		{"denied", strangerToken, http.StatusForbidden, [2]int{1, 1}},
		{"unknown token", "not-a-token", http.StatusUnauthorized, [2]int{1, 0}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := newMetricsAuthTest(t)
			for i := range 3 {
				if rec := m.scrape("Bearer " + tc.token); rec.Code != tc.want {
					t.Fatalf("scrape %d: status %d, want %d", i, rec.Code, tc.want)
				}
				m.advance(10 * time.Second) // scrapes at 0, 10 and 20 s: within every TTL
			}
			if tokenReviews, accessReviews, _ := m.calls(); [2]int{tokenReviews, accessReviews} != tc.reviews {
				t.Fatalf("%d TokenReviews and %d SubjectAccessReviews for 3 scrapes, want %v", tokenReviews, accessReviews, tc.reviews)
			}
		})
	}
}

// TestMetricsAuthExpiry: a new binding lets a denied reader in once the 30 s deny
// decision expires; a removed one shuts an allowed reader out after 5 minutes,
// while its identity is asked for again every minute.
func TestMetricsAuthExpiry(t *testing.T) {
	t.Run("deny", func(t *testing.T) {
		m := newMetricsAuthTest(t)
		if rec := m.scrape("Bearer " + strangerToken); rec.Code != http.StatusForbidden {
			t.Fatalf("status %d, want 403", rec.Code)
		}
		m.access.allow(strangerUser, true)
		m.advance(denyTTL - time.Second)
		if rec := m.scrape("Bearer " + strangerToken); rec.Code != http.StatusForbidden {
			t.Fatalf("within the deny TTL: status %d, want the remembered 403", rec.Code)
		}
		m.advance(time.Second)
		if rec := m.scrape("Bearer " + strangerToken); rec.Code != http.StatusOK {
			t.Fatalf("deny TTL over: status %d, want 200", rec.Code)
		}
		if tokenReviews, accessReviews, _ := m.calls(); tokenReviews != 1 || accessReviews != 2 {
			t.Fatalf("%d TokenReviews and %d SubjectAccessReviews, want 1 and 2", tokenReviews, accessReviews)
		}
	})
	t.Run("allow", func(t *testing.T) {
		m := newMetricsAuthTest(t)
		if rec := m.scrape("Bearer " + scraperToken); rec.Code != http.StatusOK {
			t.Fatalf("status %d, want 200", rec.Code)
		}
		m.access.allow(scraperUser, false)
		m.advance(identityTTL)
		if rec := m.scrape("Bearer " + scraperToken); rec.Code != http.StatusOK {
			t.Fatalf("within the allow TTL: status %d, want the remembered 200", rec.Code)
		}
		if tokenReviews, accessReviews, _ := m.calls(); tokenReviews != 2 || accessReviews != 1 {
			t.Fatalf("identity TTL over: %d TokenReviews and %d SubjectAccessReviews, want 2 and 1", tokenReviews, accessReviews)
		}
		m.advance(allowTTL - identityTTL)
		if rec := m.scrape("Bearer " + scraperToken); rec.Code != http.StatusForbidden {
			t.Fatalf("allow TTL over: status %d, want 403", rec.Code)
		}
		if tokenReviews, accessReviews, _ := m.calls(); tokenReviews != 3 || accessReviews != 2 {
			t.Fatalf("%d TokenReviews and %d SubjectAccessReviews, want 3 and 2", tokenReviews, accessReviews)
		}
	})
}

// TestMetricsAuthCacheBound: a flood of made-up tokens fills the identity cache
// only up to its bound and leaves the scraper's remembered decision alone.
func TestMetricsAuthCacheBound(t *testing.T) {
	m := newMetricsAuthTest(t)
	if rec := m.scrape("Bearer " + scraperToken); rec.Code != http.StatusOK {
		t.Fatalf("status %d, want 200", rec.Code)
	}
	for i := range 3 * maxCacheEntries {
		if rec := m.scrape(fmt.Sprintf("Bearer made-up-%d", i)); rec.Code != http.StatusUnauthorized {
			t.Fatalf("made-up token %d: status %d, want 401", i, rec.Code)
		}
	}
	if n := len(m.auth.identities.entries); n > maxCacheEntries {
		t.Fatalf("identity cache holds %d entries, bound %d", n, maxCacheEntries)
	}
	// The scraper's identity may have been evicted (one more TokenReview), its decision not.
	if rec := m.scrape("Bearer " + scraperToken); rec.Code != http.StatusOK {
		t.Fatalf("status %d, want 200", rec.Code)
	}
	if _, accessReviews, _ := m.calls(); accessReviews != 1 {
		t.Fatalf("%d SubjectAccessReviews, want the remembered one", accessReviews)
	}
}

// TestTTLCacheEvictsExpiredFirst: a full cache makes room by dropping expired
// entries, and only if there are none, live ones; it never exceeds its bound.
func TestTTLCacheEvictsExpiredFirst(t *testing.T) {
	key := func(s string) [sha256.Size]byte { return sha256.Sum256([]byte(s)) }
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := newTTLCache[string](3)
	c.put(key("short"), "short", now, 10*time.Second)
	c.put(key("long-1"), "long-1", now, time.Minute)
	c.put(key("long-2"), "long-2", now, time.Minute)
	now = now.Add(10 * time.Second)
	c.put(key("new"), "new", now, time.Minute)
	for _, k := range []string{"long-1", "long-2", "new"} {
		if v, ok := c.get(key(k), now); !ok || v != k {
			t.Errorf("%s evicted, though %q had expired", k, "short")
		}
	}
	if _, ok := c.get(key("short"), now); ok {
		t.Error("expired entry still answers")
	}
	c.put(key("newer"), "newer", now, time.Minute)
	if len(c.entries) != 3 {
		t.Fatalf("%d entries, bound 3", len(c.entries))
	}
	if v, ok := c.get(key("newer"), now); !ok || v != "newer" {
		t.Fatal("entry put into a full cache is missing")
	}
}

// TestMetricsAuthConcurrentScrapes lets go test -race check the cache's locking.
func TestMetricsAuthConcurrentScrapes(t *testing.T) {
	m := newMetricsAuthTest(t)
	tokens := map[string]int{scraperToken: http.StatusOK, strangerToken: http.StatusForbidden, "not-a-token": http.StatusUnauthorized}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 50 {
				for token, want := range tokens {
					if rec := m.scrape("Bearer " + token); rec.Code != want {
						t.Errorf("status %d, want %d", rec.Code, want)
						return
					}
				}
			}
		})
	}
	wg.Wait()
}
