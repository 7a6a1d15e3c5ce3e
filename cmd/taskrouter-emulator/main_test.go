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
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator"
)

func TestParseOptions(t *testing.T) {
	cases := []struct {
		name     string
		args     []string
		wantErr  string
		devCreds bool
	}{
		{"no flags: development credentials", nil, "", true},
		{"account credentials", []string{"--account-sid", "AC1", "--auth-token", "t"}, "", false},
		{"with api key", []string{"--account-sid", "AC1", "--auth-token", "t", "--api-key-sid", "SK1", "--api-key-secret", "s"}, "", false},
		{"token without account", []string{"--auth-token", "t"}, "go together", false},
		{"key without secret", []string{"--account-sid", "AC1", "--auth-token", "t", "--api-key-sid", "SK1"}, "go together", false},
		{"bad faults", []string{"--faults", "429=2"}, "--faults", false},
		{"negative write rate", []string{"--write-rate", "-1"}, "negative", false},
		{"zero read timeout", []string{"--read-timeout", "0s"}, "--read-timeout=0s: want a positive duration", false},
		{"negative header timeout", []string{"--read-header-timeout", "-1s"}, "--read-header-timeout", false},
		{"zero write timeout", []string{"--write-timeout", "0"}, "--write-timeout", false},
		{"zero idle timeout", []string{"--idle-timeout", "0"}, "--idle-timeout", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			o, err := parseOptions(tc.args, io.Discard)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if o.devCreds != tc.devCreds {
				t.Errorf("devCreds = %v, want %v", o.devCreds, tc.devCreds)
			}
		})
	}
}

// TestServerLimits checks the server the program builds: the timeouts of the
// flags (defaults: seconds, not minutes) and the header size bound.
func TestServerLimits(t *testing.T) {
	o, err := parseOptions([]string{"--read-timeout", "7s"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	srv := newServer(http.NotFoundHandler(), o.timeouts)
	got := []time.Duration{srv.ReadHeaderTimeout, srv.ReadTimeout, srv.WriteTimeout, srv.IdleTimeout}
	want := []time.Duration{5 * time.Second, 7 * time.Second, 30 * time.Second, 60 * time.Second}
	if d := cmp.Diff(want, got); d != "" || srv.MaxHeaderBytes != 64<<10 {
		t.Errorf("timeouts (-want +got):\n%s\nmax header bytes %d", d, srv.MaxHeaderBytes)
	}
}

// TestServeAndShutdown runs the program's server, checks it answers and prints
// the development Secret, and that cancelling stops it.
func TestServeAndShutdown(t *testing.T) {
	o, err := parseOptions([]string{"--faults", "500=1"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var out bytes.Buffer
	done := make(chan error, 1)
	go func() { done <- serve(ctx, listener, emulator.New(o.config), o, &out) }()
	res, err := http.Get("http://" + listener.Addr().String() + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("/healthz: %d", res.StatusCode)
	}
	req, _ := http.NewRequest(http.MethodGet, "http://"+listener.Addr().String()+"/v1/Workspaces", nil)
	req.SetBasicAuth(emulator.DevAPIKeySID, emulator.DevAPIKeySecret)
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusInternalServerError {
		t.Errorf("list under --faults 500=1: %d, want 500", res.StatusCode)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
	for _, want := range []string{"kind: Secret", "authToken: " + emulator.DevAuthToken, "--taskrouter-base-url=http://" + listener.Addr().String()} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

// TestGivenCredentialsAreNotPrinted checks that credentials from flags never
// reach the output.
func TestGivenCredentialsAreNotPrinted(t *testing.T) {
	o, err := parseOptions([]string{"--account-sid", "AC" + strings.Repeat("1", 32), "--auth-token", "super-secret-token"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out bytes.Buffer
	if err := serve(ctx, listener, emulator.New(o.config), o, &out); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "super-secret-token") || strings.Contains(out.String(), "kind: Secret") {
		t.Errorf("output shows given credentials:\n%s", out.String())
	}
}

// startServer runs the program's server with args on a free port and returns
// its address; the server stops when the test ends.
func startServer(t *testing.T, args ...string) string {
	t.Helper()
	o, err := parseOptions(args, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve(ctx, listener, emulator.New(o.config), o, io.Discard) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return listener.Addr().String()
}

// TestServerAnswersTruncatedRequests sends, over raw TCP, requests that stop
// short: a body shorter than its Content-Length, and headers that never end.
// The shipped server, with its default timeouts, must answer or close the
// connection; without read timeouts it waits for the rest for ever. The
// client's deadline only keeps a broken server from hanging the test.
func TestServerAnswersTruncatedRequests(t *testing.T) {
	addr := startServer(t)
	auth := base64.StdEncoding.EncodeToString([]byte(emulator.DevAccountSID + ":" + emulator.DevAuthToken))
	cases := []struct {
		name, request, wantStatus, wantMessage string
	}{
		{"body shorter than Content-Length", "POST /v1/Workspaces HTTP/1.1\r\nHost: emulator\r\nAuthorization: Basic " + auth +
			"\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nFriendlyName=half", "HTTP/1.1 400",
			"ended before the 100 bytes its Content-Length declares"},
		{"headers that never end", "GET /v1/Workspaces HTTP/1.1\r\nHost: emulator\r\n", "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			if _, err := io.WriteString(conn, tc.request); err != nil {
				t.Fatal(err)
			}
			if err := conn.SetReadDeadline(time.Now().Add(25 * time.Second)); err != nil {
				t.Fatal(err)
			}
			answer, err := io.ReadAll(conn)
			if err != nil {
				t.Fatalf("no answer and no close: %v (read %q)", err, answer)
			}
			if !strings.HasPrefix(string(answer), tc.wantStatus) || !strings.Contains(string(answer), tc.wantMessage) {
				t.Errorf("answer %q, want it to start with %q and say %q", answer, tc.wantStatus, tc.wantMessage)
			}
		})
	}
}

// TestFlexWorkspaceFlag starts the program with --flex-workspace: the workspace
// is there from the start, and a name TaskRouter would refuse stops the
// program with the flag's name.
func TestFlexWorkspaceFlag(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out bytes.Buffer
	if err := run(ctx, []string{"--listen", "127.0.0.1:0", "--flex-workspace", "Flex Task Assignment"}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `msg="workspace ready"`) || !strings.Contains(out.String(), `friendlyName="Flex Task Assignment"`) {
		t.Errorf("output does not report the Flex workspace:\n%s", out.String())
	}
	err := run(ctx, []string{"--listen", "127.0.0.1:0", "--flex-workspace", strings.Repeat("f", 65)}, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "--flex-workspace") || !strings.Contains(err.Error(), "maximum is 64") {
		t.Errorf("65-character name: %v, want an error naming --flex-workspace and the limit", err)
	}
}
