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
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParseFaults(t *testing.T) {
	cases := []struct {
		spec    string
		want    Faults
		wantErr string
	}{
		{"", Faults{}, ""},
		{"429=0.2,500=0.05,commitfail=0.3,latency=50ms", Faults{TooManyRequests: 0.2, ServerError: 0.05, CommitFail: 0.3, Latency: 50 * time.Millisecond}, ""},
		{" 500=1 , ", Faults{ServerError: 1}, ""},
		{"429=1.5", Faults{}, "between 0 and 1"},
		{"latency=soon", Faults{}, "duration"},
		{"teapot=0.1", Faults{}, "unknown fault"},
		{"429", Faults{}, "name=value"},
	}
	for _, tc := range cases {
		got, err := ParseFaults(tc.spec)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("ParseFaults(%q) error = %v, want %q", tc.spec, err, tc.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseFaults(%q): %v", tc.spec, err)
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("ParseFaults(%q) (-want +got):\n%s", tc.spec, diff)
		}
	}
}

// TestUnprocessedFaults checks 429 and 500: answered with Twilio bodies and the
// rate-limit headers, and never processed.
func TestUnprocessedFaults(t *testing.T) {
	for _, tc := range []struct {
		faults Faults
		status int
		code   int
	}{
		{Faults{TooManyRequests: 1}, http.StatusTooManyRequests, CodeTooManyRequests},
		{Faults{ServerError: 1}, http.StatusInternalServerError, CodeInternal},
	} {
		h := newHarness(t, Config{Faults: tc.faults})
		got := h.call(http.MethodPost, "/v1/Workspaces", vals("FriendlyName", "never"))
		if got.status != tc.status || got.code() != tc.code {
			t.Errorf("faults %v: %d %d, want %d %d", tc.faults, got.status, got.code(), tc.status, tc.code)
		}
		if tc.status == http.StatusTooManyRequests && got.header.Get("Retry-After") != "1" {
			t.Errorf("429 Retry-After = %q, want 1", got.header.Get("Retry-After"))
		}
		if n := len(h.emu.Admin().Workspaces()); n != 0 {
			t.Errorf("faults %v: the faulted create happened (%d workspaces)", tc.faults, n)
		}
	}
}

// TestCommitFail checks that a create is performed, then answered 500, and that
// only creates are affected.
func TestCommitFail(t *testing.T) {
	h := newHarness(t, Config{})
	ws := h.workspace("commit")
	h.emu.SetFaults(Faults{CommitFail: 1})
	got := h.call(http.MethodPost, "/v1/Workspaces/"+ws+"/TaskQueues", vals("FriendlyName", "lost answer"))
	if got.status != http.StatusInternalServerError {
		t.Fatalf("create under commitfail: %d, want 500", got.status)
	}
	if n := h.emu.Admin().CountByFriendlyName(KindTaskQueue, ws, "lost answer"); n != 1 {
		t.Errorf("queues named after the lost create: %d, want 1", n)
	}
	if upd := h.call(http.MethodPost, "/v1/Workspaces/"+ws, vals("FriendlyName", "renamed")); upd.status != http.StatusOK {
		t.Errorf("update under commitfail: %d, want 200", upd.status)
	}
}

// TestFaultsNeverCorruptState retries creates through heavy faults the way a
// client does and checks that every object exists exactly once.
func TestFaultsNeverCorruptState(t *testing.T) {
	h := newHarness(t, Config{Seed: 7})
	ws := h.workspace("chaos")
	h.emu.SetFaults(Faults{TooManyRequests: 0.3, ServerError: 0.3, CommitFail: 0.3})
	statuses := map[int]int{}
	const n = 40
	for i := 0; i < n; i++ {
		name := "q" + strconv.Itoa(i)
		for attempt := 0; ; attempt++ {
			got := h.call(http.MethodPost, "/v1/Workspaces/"+ws+"/TaskQueues", vals("FriendlyName", name))
			statuses[got.status]++
			// A 400 here is "already exists": an earlier attempt's answer was lost.
			if got.status == http.StatusCreated || got.status == http.StatusBadRequest {
				break
			}
			if attempt > 50 {
				t.Fatalf("%s: no answer after 50 attempts", name)
			}
		}
		if c := h.emu.Admin().CountByFriendlyName(KindTaskQueue, ws, name); c != 1 {
			t.Errorf("%s exists %d times", name, c)
		}
	}
	if len(h.emu.Admin().TaskQueues(ws)) != n {
		t.Errorf("%d queues, want %d", len(h.emu.Admin().TaskQueues(ws)), n)
	}
	for _, status := range []int{201, 400, 429, 500} {
		if statuses[status] == 0 {
			t.Errorf("no %d among %v: the fault mix was not exercised", status, statuses)
		}
	}
}

// TestFaultsAreReproducible checks that a seed fixes which calls fail.
func TestFaultsAreReproducible(t *testing.T) {
	run := func() []int {
		h := newHarness(t, Config{Seed: 42, Faults: Faults{TooManyRequests: 0.5}})
		var out []int
		for i := 0; i < 20; i++ {
			out = append(out, h.call(http.MethodGet, "/v1/Workspaces", nil).status)
		}
		return out
	}
	first, second := run(), run()
	if diff := cmp.Diff(first, second); diff != "" {
		t.Errorf("same seed, different faults (-first +second):\n%s", diff)
	}
}

// TestWriteRate checks the token bucket on the emulator's clock: writes beyond
// the rate are refused, reads are not, and the bucket refills with time.
func TestWriteRate(t *testing.T) {
	h := newHarness(t, Config{WriteRate: 2})
	var got []int
	for i := 0; i < 3; i++ {
		got = append(got, h.call(http.MethodPost, "/v1/Workspaces", vals("FriendlyName", "w")).status)
	}
	got = append(got, h.call(http.MethodGet, "/v1/Workspaces", nil).status)
	h.clock.now = h.clock.now.Add(time.Second)
	got = append(got, h.call(http.MethodPost, "/v1/Workspaces", vals("FriendlyName", "w")).status)
	if diff := cmp.Diff([]int{201, 201, 429, 200, 201}, got); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	if n := len(h.emu.Admin().Workspaces()); n != 3 {
		t.Errorf("%d workspaces, want 3 (the throttled write must not happen)", n)
	}
}

// TestLatency checks that a latency fault delays but does not fail a call.
func TestLatency(t *testing.T) {
	h := newHarness(t, Config{Faults: Faults{Latency: time.Millisecond}})
	if got := h.call(http.MethodGet, "/v1/Workspaces", nil); got.status != http.StatusOK {
		t.Errorf("status %d, want 200", got.status)
	}
}

// TestFaultsReachChannelNotProbes checks that channel calls are faulted and that
// /healthz and /metrics never are.
func TestFaultsReachChannelNotProbes(t *testing.T) {
	h := newHarness(t, Config{})
	ws := h.workspace("probes")
	m := h.minter()
	policies, err := m.URLs.WorkspacePolicies(ws)
	if err != nil {
		t.Fatal(err)
	}
	token := h.mint(m, ws, ws, policies, 0)
	h.emu.SetFaults(Faults{TooManyRequests: 1})
	if got := h.channelCall(h.emu.cfg.AccountSID, ws, token, "GET", "/v1/Workspaces/"+ws, nil); got.status != http.StatusTooManyRequests {
		t.Errorf("channel call under 429=1: %d, want 429", got.status)
	}
	for _, path := range []string{"/healthz", "/metrics"} {
		res, err := http.Get(h.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Errorf("%s under faults: %d", path, res.StatusCode)
		}
		if path == "/healthz" && string(body) != "ok" {
			t.Errorf("/healthz body %q, want ok", body)
		}
		if path == "/metrics" && !strings.Contains(string(body), `taskrouter_emulator_requests_total{code="429",method="GET",route="/v1/Workspaces/{Sid}"} 1`) {
			t.Errorf("/metrics lacks the channel's 429:\n%s", body)
		}
	}
}

// TestRateLimitHeaders checks that every API answer carries X-Rate-Limit-*.
func TestRateLimitHeaders(t *testing.T) {
	h := newHarness(t, Config{WriteRate: 5})
	answers := []response{
		h.call(http.MethodGet, "/v1/Workspaces", nil),
		h.callAs("", "", http.MethodGet, "/v1/Workspaces", nil, nil),
		h.call(http.MethodPost, "/v1/Workspaces", vals("FriendlyName", "x")),
	}
	h.checkSpec = false
	answers = append(answers, h.call(http.MethodGet, "/v1/Nowhere", nil))
	for i, a := range answers {
		for _, name := range []string{"X-Rate-Limit-Limit", "X-Rate-Limit-Remaining", "X-Rate-Limit-Config"} {
			if a.header.Get(name) == "" {
				t.Errorf("answer %d (%d) lacks %s", i, a.status, name)
			}
		}
	}
	if got := answers[2].header.Get("X-Rate-Limit-Remaining"); got != "4" {
		t.Errorf("remaining after one write at 5/s = %q, want 4", got)
	}
}
