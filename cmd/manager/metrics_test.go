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
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	rtmetrics "runtime/metrics"
	"strings"
	"testing"
	"time"

	"github.com/go-logr/logr"
	authenticationv1 "k8s.io/api/authentication/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"
	"sigs.k8s.io/yaml"

	"github.com/taskrouter-operator/taskrouter-operator/internal/testenv"
)

// TestMetricsEndpoint serves /metrics as the manager does, against a real API
// server doing the TokenReviews and SubjectAccessReviews: no token is refused,
// a service account without config/rbac/metrics_reader_role.yaml is
// forbidden, one bound to it reads the metrics; --metrics-secure=false serves
// plain HTTP to anyone, for local runs.
func TestMetricsEndpoint(t *testing.T) {
	env, err := testenv.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = env.Stop() }()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	kube := kubernetes.NewForConfigOrDie(env.Config)
	scraper, stranger := serviceAccountToken(t, kube, "scraper"), serviceAccountToken(t, kube, "stranger")
	bindMetricsReader(t, kube, "scraper")

	secure := serveMetrics(ctx, t, env.Config, true)
	cases := []struct {
		name, token string
		want        int // a token TokenReview rejects is 401, like no token (controller-runtime's filter answered 500)
	}{
		{"no token", "", http.StatusUnauthorized},
		{"a token the API server does not know", "not-a-token", http.StatusUnauthorized},
		{"authenticated without metrics-reader", stranger, http.StatusForbidden},
		{"bound to metrics-reader", scraper, http.StatusOK},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := scrape(t, "https://"+secure+"/metrics", tc.token)
			if resp.StatusCode != tc.want {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.want, body)
			}
			if tc.want == http.StatusOK && (resp.Proto != "HTTP/1.1" || !strings.Contains(body, "# TYPE")) {
				t.Fatalf("%s answer without metrics: %.200s", resp.Proto, body)
			}
		})
	}

	t.Run("plain HTTP with --metrics-secure=false", func(t *testing.T) {
		plain := serveMetrics(ctx, t, env.Config, false)
		if resp, body := scrape(t, "http://"+plain+"/metrics", ""); resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d: %s", resp.StatusCode, body)
		}
	})
}

// serveMetrics starts the metrics server with the manager's options and returns its address.
func serveMetrics(ctx context.Context, t *testing.T, cfg *rest.Config, secure bool) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	f, _, err := parseFlags([]string{"--metrics-bind-address=" + addr, "--metrics-secure=" + map[bool]string{true: "true", false: "false"}[secure]})
	if err != nil {
		t.Fatal(err)
	}
	opts, _, err := metricsServing(f.metrics)
	if err != nil {
		t.Fatal(err)
	}
	httpClient, err := rest.HTTPClientFor(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := metricsserver.NewServer(opts, cfg, httpClient)
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Start(ctx) }()
	deadline := time.Now().Add(30 * time.Second)
	for {
		if conn, err := net.Dial("tcp", addr); err == nil {
			conn.Close()
			return addr
		}
		if time.Now().After(deadline) {
			t.Fatalf("metrics server on %s did not listen", addr)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func scrape(t *testing.T, url, token string) (*http.Response, string) {
	t.Helper()
	// The certificate is self-signed; ForceAttemptHTTP2 shows the server refuses h2.
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, ForceAttemptHTTP2: true}}
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

func serviceAccountToken(t *testing.T, kube kubernetes.Interface, name string) string {
	t.Helper()
	ctx := context.Background()
	sa := &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default"}}
	if _, err := kube.CoreV1().ServiceAccounts("default").Create(ctx, sa, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	tr, err := kube.CoreV1().ServiceAccounts("default").CreateToken(ctx, name, &authenticationv1.TokenRequest{}, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return tr.Status.Token
}

// bindMetricsReader creates the shipped metrics-reader ClusterRole and binds the service account to it.
func bindMetricsReader(t *testing.T, kube kubernetes.Interface, sa string) {
	t.Helper()
	ctx := context.Background()
	data, err := os.ReadFile(filepath.Join(testenv.RepoRoot(), "config", "rbac", "metrics_reader_role.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var role rbacv1.ClusterRole
	if err := yaml.UnmarshalStrict(data, &role); err != nil {
		t.Fatal(err)
	}
	if _, err := kube.RbacV1().ClusterRoles().Create(ctx, &role, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	binding := &rbacv1.ClusterRoleBinding{ObjectMeta: metav1.ObjectMeta{Name: sa + "-metrics-reader"},
		RoleRef:  rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: role.Name},
		Subjects: []rbacv1.Subject{{Kind: "ServiceAccount", Name: sa, Namespace: "default"}}}
	if _, err := kube.RbacV1().ClusterRoleBindings().Create(ctx, binding, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
}

// TestCollectAfterScrape: the scrape is answered as the registry wrote it, and a collection
// follows it; a caller the authentication refuses gets no scrape, and so no collection.
func TestCollectAfterScrape(t *testing.T) {
	forced := func() uint64 {
		s := []rtmetrics.Sample{{Name: "/gc/cycles/forced:gc-cycles"}}
		rtmetrics.Read(s)
		return s[0].Value.Uint64()
	}
	scraped := 0
	registry := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		scraped++
		_, _ = io.WriteString(w, "up 1\n")
	})
	refuseAll := func(*rest.Config, *http.Client) (metricsserver.Filter, error) {
		return func(_ logr.Logger, _ http.Handler) (http.Handler, error) {
			return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusUnauthorized) }), nil
		}, nil
	}
	for _, tc := range []struct {
		name       string
		auth       func(*rest.Config, *http.Client) (metricsserver.Filter, error)
		wantStatus int
		wantBody   string
	}{
		{name: "plain HTTP", wantStatus: http.StatusOK, wantBody: "up 1\n"},
		{name: "authentication refuses", auth: refuseAll, wantStatus: http.StatusUnauthorized},
	} {
		t.Run(tc.name, func(t *testing.T) {
			scraped = 0
			filter, err := scrapeFilter(tc.auth)(&rest.Config{}, http.DefaultClient)
			if err != nil {
				t.Fatal(err)
			}
			handler, err := filter(logr.Discard(), registry)
			if err != nil {
				t.Fatal(err)
			}
			before := forced()
			rec := httptest.NewRecorder()
			handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
			if rec.Code != tc.wantStatus || rec.Body.String() != tc.wantBody {
				t.Fatalf("answered %d %q, want %d %q", rec.Code, rec.Body.String(), tc.wantStatus, tc.wantBody)
			}
			if tc.wantStatus != http.StatusOK {
				if scraped != 0 {
					t.Errorf("a refused caller was scraped")
				}
				return
			}
			deadline := time.Now().Add(10 * time.Second)
			for forced() == before {
				if time.Now().After(deadline) {
					t.Fatal("no collection after the scrape")
				}
				time.Sleep(5 * time.Millisecond)
			}
			// Scrapes in a loop get their answers, and no more collections.
			after := forced()
			for range 20 {
				rec := httptest.NewRecorder()
				handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
				if rec.Code != http.StatusOK {
					t.Fatalf("scrape in a loop answered %d", rec.Code)
				}
			}
			time.Sleep(200 * time.Millisecond)
			if n := forced() - after; n != 0 {
				t.Errorf("%d more collections for 20 scrapes within %s, want none", n, collectEvery)
			}
		})
	}
}
