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
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// Retry pacing when the server gives no Retry-After: full jitter over an exponentially growing ceiling.
const (
	backoffBase = 250 * time.Millisecond
	backoffCap  = 10 * time.Second
)

// send performs a call with the rate limit, the deadline and the retry policy (see doc.go).
func (a *Account) send(ctx context.Context, t transport, r *request) (*response, error) {
	c := a.c
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.cfg.Timeout)
		defer cancel()
	}
	for attempt := 0; ; attempt++ {
		if err := a.limit.wait(ctx, r, c); err != nil {
			return nil, fmt.Errorf("%s %s: %w", r.method, r.endpoint(), err)
		}
		resp, err := a.attempt(ctx, t, r)
		if err == nil {
			return resp, nil
		}
		var callErr *Error
		if !errors.As(err, &callErr) {
			return nil, err // local: the call could not be built, repeating it changes nothing
		}
		delay, retry := c.retryDelay(r, callErr, attempt)
		if deadline, ok := ctx.Deadline(); retry && ok && time.Until(deadline) < delay {
			// The deadline is on the real clock (context), not Config.Now.
			// Waiting would outlive the call; hand the error (with RetryAfter) back so the caller requeues.
			retry = false
		}
		c.cfg.Logger.V(1).Info("TaskRouter call failed", "method", r.method, "endpoint", r.route,
			"status", callErr.Status, "code", callErr.Code, "attempt", attempt+1, "retry", retry, "delay", delay)
		if !retry {
			return nil, callErr
		}
		if err := c.cfg.Sleep(ctx, delay); err != nil {
			return nil, callErr
		}
	}
}

// attempt runs one try; a failure is an *Error unless it is local (see transport).
func (a *Account) attempt(ctx context.Context, t transport, r *request) (*response, error) {
	c := a.c
	start := c.cfg.Now()
	resp, err := t.roundTrip(ctx, r)
	code := 0
	if resp != nil {
		code = resp.status
		a.limit.observe(r, code, resp.header, parseRetryAfter(resp.header, c.cfg.Now()), c.cfg.Now())
	}
	elapsed := c.cfg.Now().Sub(start)
	if c.cfg.Metrics != nil {
		c.cfg.Metrics.ObserveRequest(r.route, r.method, code, elapsed)
	}
	c.cfg.Logger.V(2).Info("TaskRouter call", "method", r.method, "endpoint", r.route, "status", code, "duration", elapsed)
	if err != nil {
		return nil, err
	}
	if resp.status < 200 || resp.status > 299 {
		return nil, decodeError(r.method, r.endpoint(), resp.status, resp.header, resp.body, c.cfg.Now())
	}
	return resp, nil
}

// retryDelay decides whether a failed attempt is repeated and after how long.
func (c *Client) retryDelay(r *request, e *Error, attempt int) (time.Duration, bool) {
	if c.cfg.MaxRetries < 0 || attempt >= c.cfg.MaxRetries {
		return 0, false
	}
	tooMany := e.Status == http.StatusTooManyRequests || e.Code == CodeTooManyRequests
	switch {
	case tooMany:
		// A 429 was never processed, so even a create is safe to repeat.
	case r.create:
		// The create may have happened; the caller re-observes by name instead of creating twice.
		return 0, false
	case !IsRetryable(e):
		return 0, false
	}
	if e.RetryAfter > 0 {
		return e.RetryAfter, true
	}
	ceiling := backoffBase << attempt
	if ceiling > backoffCap || ceiling <= 0 {
		ceiling = backoffCap
	}
	return c.jitter(ceiling), true
}

// decodeInto sends r and decodes the JSON body into out, naming op in any error.
func (a *Account) decodeInto(ctx context.Context, t transport, r *request, op string, out any) (*response, error) {
	resp, err := a.send(ctx, t, r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if out != nil {
		if err := json.Unmarshal(resp.body, out); err != nil {
			return nil, fmt.Errorf("%s: decode %s response: %w", op, r.endpoint(), err)
		}
	}
	return resp, nil
}
