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

package scale

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"github.com/taskrouter-operator/taskrouter-operator/internal/emulator"
)

// remote calls the emulator's REST API with Basic auth as the development
// account, the way a person with the account's credentials would: to put
// objects there before the operator adopts them, and to count what is there.
type remote struct {
	base string
	hc   *http.Client
	// writes paces creates and updates at the emulator's write rate, so seeding
	// does not spend its time on 429s.
	writes *rate.Limiter
}

func newRemote(baseURL string, writeRate float64) *remote {
	limit := rate.Inf
	if writeRate > 0 {
		limit = rate.Limit(writeRate)
	}
	return &remote{base: baseURL, hc: &http.Client{Timeout: 30 * time.Second}, writes: rate.NewLimiter(limit, 1)}
}

// maxAttempts bounds the retries of one call answered 429 (or, for a read, 5xx).
const maxAttempts = 20

// post creates or updates and returns the resource TaskRouter answers with.
func (r *remote) post(ctx context.Context, path string, form url.Values) (map[string]any, error) {
	body, err := r.send(ctx, http.MethodPost, r.base+path, form)
	if err != nil {
		return nil, err
	}
	var out map[string]any
	if err := json.Unmarshal(body, &out); err != nil {
		return nil, fmt.Errorf("POST %s: decode answer: %w", path, err)
	}
	return out, nil
}

// send makes one call, retrying what TaskRouter did not process: a 429, and for
// a read also a 5xx. A write waits for the write pacer before every attempt.
func (r *remote) send(ctx context.Context, method, target string, form url.Values) ([]byte, error) {
	for attempt := 1; ; attempt++ {
		if method != http.MethodGet {
			if err := r.writes.Wait(ctx); err != nil {
				return nil, err
			}
		}
		body, status, retryAfter, err := r.do(ctx, method, target, form)
		if err != nil {
			return nil, err
		}
		retryable := status == http.StatusTooManyRequests || (method == http.MethodGet && status >= 500)
		if retryable && attempt < maxAttempts {
			if err := sleep(ctx, retryAfter); err != nil {
				return nil, err
			}
			continue
		}
		if status >= 300 {
			return nil, fmt.Errorf("%s %s: %d %s", method, target, status, body)
		}
		return body, nil
	}
}

// list reads every page of a list, following next_page_url.
func (r *remote) list(ctx context.Context, path, key string) ([]map[string]any, error) {
	var all []map[string]any
	next := r.base + path + "?PageSize=1000"
	for next != "" {
		body, err := r.send(ctx, http.MethodGet, next, nil)
		if err != nil {
			return nil, err
		}
		var page map[string]json.RawMessage
		var meta struct {
			NextPageURL *string `json:"next_page_url"`
		}
		var records []map[string]any
		if err := json.Unmarshal(body, &page); err != nil {
			return nil, fmt.Errorf("GET %s: decode page: %w", next, err)
		}
		if err := json.Unmarshal(page["meta"], &meta); err != nil {
			return nil, fmt.Errorf("GET %s: decode meta: %w", next, err)
		}
		if err := json.Unmarshal(page[key], &records); err != nil {
			return nil, fmt.Errorf("GET %s: decode %s: %w", next, key, err)
		}
		all = append(all, records...)
		next = ""
		if meta.NextPageURL != nil {
			next = *meta.NextPageURL
		}
	}
	return all, nil
}

func (r *remote) do(ctx context.Context, method, target string, form url.Values) (body []byte, status int, retryAfter time.Duration, err error) {
	var reader io.Reader
	if form != nil {
		reader = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, target, reader)
	if err != nil {
		return nil, 0, 0, err
	}
	req.SetBasicAuth(emulator.DevAccountSID, emulator.DevAuthToken)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := r.hc.Do(req)
	if err != nil {
		return nil, 0, 0, fmt.Errorf("%s %s: %w", method, target, err)
	}
	defer resp.Body.Close()
	body, err = io.ReadAll(resp.Body)
	retryAfter = time.Second
	if s, convErr := strconv.Atoi(resp.Header.Get("Retry-After")); convErr == nil && s > 0 {
		retryAfter = time.Duration(s) * time.Second
	}
	return body, resp.StatusCode, retryAfter, err
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// duplicates counts the remote objects of the workspace named like another
// of the same kind: each one beyond the first of a name is a duplicate create.
func (r *remote) duplicates(ctx context.Context, workspaceFriendlyName string) (int, error) {
	workspaces, err := r.list(ctx, "/v1/Workspaces", "workspaces")
	if err != nil {
		return 0, err
	}
	dups := extra(workspaces)
	for _, ws := range workspaces {
		if ws["friendly_name"] != workspaceFriendlyName {
			continue
		}
		sid, _ := ws["sid"].(string)
		for _, coll := range []struct{ path, key string }{
			{"Activities", "activities"}, {"TaskQueues", "task_queues"}, {"Workflows", "workflows"}, {"Workers", "workers"},
		} {
			items, err := r.list(ctx, "/v1/Workspaces/"+sid+"/"+coll.path, coll.key)
			if err != nil {
				return 0, err
			}
			dups += extra(items)
		}
	}
	return dups, nil
}

// extra counts the items beyond the first of each friendly name (case-insensitively, as TaskRouter compares worker names).
func extra(items []map[string]any) int {
	seen := map[string]bool{}
	n := 0
	for _, it := range items {
		name, _ := it["friendly_name"].(string)
		name = strings.ToLower(name)
		if seen[name] {
			n++
		}
		seen[name] = true
	}
	return n
}
