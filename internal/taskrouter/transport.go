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
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/taskrouter-operator/taskrouter-operator/internal/capability"
)

// maxResponseBytes bounds a response body read; a workflow configuration is at most 1 MB,
// and list pages of 1000 records stay well below this.
const maxResponseBytes = 32 << 20

// request is one logical TaskRouter call, independent of how it is carried.
type request struct {
	method string
	// path is the TaskRouter path, e.g. /v1/Workspaces/WS1/TaskQueues/WQ1.
	path string
	// route is path's template, the low-cardinality endpoint label of metrics.
	route string
	query url.Values
	form  url.Values
	// pageURL, when set, is an absolute next_page_url that replaces path and query.
	pageURL string
	ifMatch string
	// create marks a call that is not safe to repeat after an unknown outcome.
	create bool
	// grant is what a capability token for this call must allow (channel and policies).
	grant capability.Grant
	// stream, when set, reads a successful response's body (the REST resource) as it arrives instead
	// of from a buffer holding all of it: a page of queue statistics runs to megabytes. It is called
	// once per attempt; its error fails the call without a retry, unless the body broke off.
	stream func(dec *json.Decoder) error
}

// endpoint is the TaskRouter path of the call, as errors name it.
func (r *request) endpoint() string {
	if r.pageURL != "" {
		if u, err := url.Parse(r.pageURL); err == nil {
			return u.Path
		}
	}
	return r.path
}

// response is what a transport returns: for the channel, payload is the REST resource unwrapped.
// body is nil when the request's stream read it.
type response struct {
	status int
	header http.Header
	body   []byte
}

// transport carries one attempt of a call. A failure before any response is an *Error with Status 0;
// any other error is local (the call could not be built) and is not retried.
type transport interface {
	roundTrip(ctx context.Context, r *request) (*response, error)
}

// httpSender holds what both transports share to put bytes on the wire.
type httpSender struct {
	client    *http.Client
	userAgent string
}

// send puts req on the wire and reads the answer. A successful answer to a request with a stream
// goes to it as it arrives; inEnvelope says the resource is the payload of a channel envelope.
func (s httpSender) send(ctx context.Context, r *request, req *http.Request, inEnvelope bool) (*response, error) {
	req.Header.Set("User-Agent", s.userAgent)
	req.Header.Set("Accept", "application/json")
	resp, err := s.client.Do(req.WithContext(ctx))
	if err != nil {
		return nil, transportError(r.method, r.endpoint(), err)
	}
	defer resp.Body.Close()
	out := &response{status: resp.StatusCode, header: resp.Header}
	streamed := resp.StatusCode >= 200 && resp.StatusCode <= 299
	if inEnvelope {
		streamed = resp.StatusCode == http.StatusOK
	}
	if r.stream != nil && streamed {
		return out, streamBody(r, resp.Body, inEnvelope)
	}
	if out.body, err = readBody(resp); err != nil {
		return nil, transportError(r.method, r.endpoint(), fmt.Errorf("read response: %w", err))
	}
	return out, nil
}

// streamBody hands the resource in body to r.stream. A body that breaks off, or a channel envelope
// that is not one, is a transport failure (repeated like a lost answer); a resource that does not
// decode is the stream's error as it gave it.
func streamBody(r *request, body io.Reader, inEnvelope bool) error {
	wire := &wireReader{r: io.LimitReader(body, maxResponseBytes)}
	dec := json.NewDecoder(wire)
	brokeOff := func(err error) error {
		return transportError(r.method, r.endpoint(), fmt.Errorf("read response: %w", err))
	}
	if inEnvelope {
		if err := toChannelPayload(dec); err != nil {
			if wire.err != nil {
				return brokeOff(wire.err)
			}
			return transportError(r.method, r.endpoint(), fmt.Errorf("decode channel response: %w", err))
		}
	}
	err := r.stream(dec)
	switch {
	case wire.err != nil:
		return brokeOff(wire.err)
	case err != nil && wire.read >= maxResponseBytes:
		return fmt.Errorf("response larger than %d bytes: %w", maxResponseBytes, err)
	case err != nil:
		return err
	}
	// What follows the resource (the rest of an envelope, a newline) is read so the connection can
	// carry the next call; a body far longer than that is left to close with it.
	_, _ = io.Copy(io.Discard, io.LimitReader(body, 64<<10))
	return nil
}

// wireReader remembers how much it read and the first failure of the connection, which a decoder
// reports only as a syntax error or an unexpected end.
type wireReader struct {
	r    io.Reader
	read int64
	err  error
}

func (w *wireReader) Read(p []byte) (int, error) {
	n, err := w.r.Read(p)
	w.read += int64(n)
	if err != nil && !errors.Is(err, io.EOF) && w.err == nil {
		w.err = err
	}
	return n, err
}

// readBody reads a response whole, up to maxResponseBytes, into a buffer of the length it declares
// when it declares one: io.ReadAll grows its buffer by steps, so a large answer would be allocated
// several times over and held at up to twice its size.
func readBody(resp *http.Response) ([]byte, error) {
	var buf bytes.Buffer
	if n := resp.ContentLength; n > 0 && n <= maxResponseBytes {
		// bytes.MinRead more, as ReadFrom wants that much room to read the end of the body.
		buf.Grow(int(n) + bytes.MinRead)
	}
	_, err := buf.ReadFrom(io.LimitReader(resp.Body, maxResponseBytes))
	return buf.Bytes(), err
}

// restTransport is the documented server path: REST with HTTP Basic auth.
type restTransport struct {
	httpSender
	base       string
	user, pass string
}

func (c *Client) restTransport(creds Credentials, urls capability.URLs) *restTransport {
	t := &restTransport{
		httpSender: httpSender{client: c.cfg.HTTPClient, userAgent: c.userAgent},
		base:       urls.TaskRouter,
		user:       creds.AccountSID,
		pass:       creds.AuthToken,
	}
	if creds.APIKeySID != "" {
		t.user, t.pass = creds.APIKeySID, creds.APIKeySecret
	}
	return t
}

func (t *restTransport) roundTrip(ctx context.Context, r *request) (*response, error) {
	target := r.pageURL
	if target == "" {
		target = t.base + r.path
		if len(r.query) > 0 {
			target += "?" + r.query.Encode()
		}
	}
	var body io.Reader
	contentType := ""
	if r.method == http.MethodPost {
		body, contentType = strings.NewReader(r.form.Encode()), "application/x-www-form-urlencoded"
	}
	req, err := http.NewRequest(r.method, target, body)
	if err != nil {
		return nil, fmt.Errorf("build request: %w", err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if r.ifMatch != "" {
		req.Header.Set("If-Match", r.ifMatch)
	}
	req.SetBasicAuth(t.user, t.pass)
	return t.send(ctx, r, req, false)
}

// channelTransport is the TaskRouter.js path: each call is POSTed to the event-bridge channel with a
// capability token that allows exactly that call.
type channelTransport struct {
	httpSender
	urls       capability.URLs
	accountSID string
	mint       func(capability.Grant) (string, error)
}

// channelBody is the JSON TaskRouter.js posts to the channel.
type channelBody struct {
	URL    string         `json:"url"`
	Method string         `json:"method"`
	Params map[string]any `json:"params"`
	Token  string         `json:"token"`
}

func (c *Client) channelTransport(creds Credentials, urls capability.URLs) *channelTransport {
	minter := capability.Minter{AccountSID: creds.AccountSID, AuthToken: creds.AuthToken, URLs: urls, Now: c.cfg.Now}
	return &channelTransport{
		httpSender: httpSender{client: c.cfg.HTTPClient, userAgent: c.userAgent},
		urls:       urls,
		accountSID: creds.AccountSID,
		mint: func(g capability.Grant) (string, error) {
			return c.tokens.Token(minter.CacheKey(g), func() (string, time.Time, error) {
				tok, exp, err := minter.Mint(g)
				if err == nil && c.cfg.Metrics != nil {
					c.cfg.Metrics.ObserveTokenMinted(channelKind(g.Channel))
				}
				return tok, exp, err
			})
		},
	}
}

// channelKind names the kind of object a channel sid belongs to, for the token metric.
func channelKind(channel string) string {
	switch {
	case strings.HasPrefix(channel, "WQ"):
		return "TaskQueue"
	case strings.HasPrefix(channel, "WK"):
		return "Worker"
	default:
		return "Workspace"
	}
}

func (t *channelTransport) roundTrip(ctx context.Context, r *request) (*response, error) {
	token, err := t.mint(r.grant)
	if err != nil {
		return nil, fmt.Errorf("%w: capability token: %w", ErrInvalidRequest, err)
	}
	body := channelBody{Method: r.method, Token: token, Params: channelParams(r)}
	if r.pageURL != "" {
		body.URL = r.pageURL
	} else {
		body.URL = t.urls.Resource(strings.TrimPrefix(r.path, "/"+capability.Version+"/"))
	}
	b, err := json.Marshal(body)
	if err != nil {
		return nil, fmt.Errorf("encode channel body: %w", err)
	}
	req, err := http.NewRequest(http.MethodPost, t.urls.Channel(t.accountSID, r.grant.Channel), bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("build channel request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	if r.ifMatch != "" {
		// The channel body has no header field; the If-Match rides on the channel POST itself (assumed).
		req.Header.Set("If-Match", r.ifMatch)
	}
	resp, err := t.send(ctx, r, req, true)
	if err != nil || resp.status != http.StatusOK || r.stream != nil {
		return resp, err
	}
	payload, err := channelPayload(resp.body)
	if err != nil {
		return nil, transportError(r.method, r.endpoint(), fmt.Errorf("decode channel response: %w", err))
	}
	resp.body = payload
	return resp, nil
}

// channelPayload is the payload of a channel response ({"event_type","payload"}) as a part of the
// response, not a copy of it (a page of statistics is megabytes); nil when there is none.
func channelPayload(body []byte) ([]byte, error) {
	if !json.Valid(body) {
		return nil, errors.New("not JSON")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	switch err := toChannelPayload(dec); {
	case errors.Is(err, errNoPayload):
		return nil, nil
	case err != nil:
		return nil, err
	}
	return jsonValueAt(body, int(dec.InputOffset())), nil
}

// errNoPayload is a channel envelope without a payload.
var errNoPayload = errors.New("no payload")

// toChannelPayload moves dec, at the start of a channel envelope, to the start of its payload.
func toChannelPayload(dec *json.Decoder) error {
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return errors.New("not a JSON object")
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return err
		}
		if key == "payload" {
			return nil
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return err
		}
	}
	return errNoPayload
}

// jsonValueAt is the JSON value that starts at offset i of valid JSON data, past the colon and white
// space before it.
func jsonValueAt(data []byte, i int) []byte {
	for i < len(data) && (data[i] == ':' || isJSONSpace(data[i])) {
		i++
	}
	start, depth, inString := i, 0, false
	for ; i < len(data); i++ {
		c := data[i]
		switch {
		case inString:
			switch c {
			case '\\':
				i++
			case '"':
				inString = false
				if depth == 0 {
					return data[start : i+1]
				}
			}
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			if depth == 0 {
				return data[start:i] // a scalar, last in its object
			}
			if depth--; depth == 0 {
				return data[start : i+1]
			}
		case depth == 0 && (c == ',' || isJSONSpace(c)):
			return data[start:i]
		}
	}
	return data[start:]
}

// channelParams puts query (GET) or form (POST) values in the channel body: a string per key, or an
// array for repeated keys.
func channelParams(r *request) map[string]any {
	values := r.form
	if r.method != http.MethodPost {
		values = r.query
	}
	params := map[string]any{}
	for k, vs := range values {
		if len(vs) == 1 {
			params[k] = vs[0]
		} else {
			params[k] = append([]string(nil), vs...)
		}
	}
	return params
}
