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
	"net/url"
	"strings"
)

// ErrForeignPageURL means a list response pointed its next page at another host; the client refuses
// to follow it so credentials and tokens never leave the configured TaskRouter.
var ErrForeignPageURL = errors.New("next_page_url is not on the account's TaskRouter host")

// maxPages stops a server that keeps returning new page URLs: 10,000 pages of 1000 records is far
// beyond TaskRouter's limits (5,000 queues per workspace).
const maxPages = 10000

// pageMeta is the part of a list envelope that drives paging.
type pageMeta struct {
	Key         string  `json:"key"`
	NextPageURL *string `json:"next_page_url"`
}

// listAll reads every page of a list, following meta.next_page_url as given until it is null.
// key is the records property to expect when meta.key is absent.
func listAll[T any](ctx context.Context, a *Account, t transport, r *request, key string) ([]T, error) {
	var out []T
	err := eachPage(ctx, a, t, r, key, func(item T) { out = append(out, item) })
	return out, err
}

// eachPage reads every page of a list and hands each record to use as it is decoded, so a caller
// that keeps only part of each record never holds a whole page of decoded records (a workspace's
// queue statistics run to megabytes a page). When a page fails to decode, the records before the
// failure have been handed over, as the pages before a failed page have.
func eachPage[T any](ctx context.Context, a *Account, t transport, r *request, key string, use func(T)) error {
	seen := map[string]bool{}
	for range maxPages {
		resp, err := a.send(ctx, t, r)
		if err != nil {
			return err
		}
		next, err := decodePage(resp.body, key, use)
		if err != nil {
			return fmt.Errorf("decode %s page: %w", r.endpoint(), err)
		}
		if next == "" {
			return nil
		}
		abs, err := a.samePageOrigin(next)
		if err != nil {
			return err
		}
		if seen[abs] {
			return fmt.Errorf("next_page_url repeats a page already read: %s", redactQuery(abs))
		}
		seen[abs] = true
		page := *r
		page.pageURL, page.query = abs, nil
		r = &page
	}
	return fmt.Errorf("list %s: more than %d pages", r.route, maxPages)
}

// decodePage decodes one list envelope: it hands each record (under meta.key, else key) to use and
// returns the next page's URL. meta is read first, as it names the records' key and may come after
// them; the records are then decoded one at a time, straight from the body.
func decodePage[T any](body []byte, key string, use func(T)) (string, error) {
	var envelope struct {
		Meta pageMeta `json:"meta"`
	}
	if err := json.Unmarshal(body, &envelope); err != nil {
		return "", fmt.Errorf("%s: %w", key, err)
	}
	if envelope.Meta.Key != "" {
		key = envelope.Meta.Key
	}
	if err := eachRecord(body, key, use); err != nil {
		return "", fmt.Errorf("%s: %w", key, err)
	}
	next := ""
	if envelope.Meta.NextPageURL != nil {
		next = strings.TrimSpace(*envelope.Meta.NextPageURL)
	}
	return next, nil
}

// eachRecord decodes the array under key in the JSON object body one element at a time. A missing
// key or a null is an empty page.
func eachRecord[T any](body []byte, key string, use func(T)) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := expectDelim(dec, '{'); err != nil {
		return err
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		if name, _ := tok.(string); name != key {
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return err
			}
			continue
		}
		if tok, err = dec.Token(); err != nil {
			return err
		}
		if tok == nil {
			continue
		}
		if tok != json.Delim('[') {
			return fmt.Errorf("want an array of records, got %v", tok)
		}
		for dec.More() {
			var item T
			if err := dec.Decode(&item); err != nil {
				return err
			}
			use(item)
		}
		if err := expectDelim(dec, ']'); err != nil {
			return err
		}
	}
	return expectDelim(dec, '}')
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if tok != want {
		return fmt.Errorf("want %v, got %v", want, tok)
	}
	return nil
}

// samePageOrigin resolves next against the account's TaskRouter base and accepts it only on the same
// scheme and host: a regional account's pages stay in its region.
func (a *Account) samePageOrigin(next string) (string, error) {
	u, err := url.Parse(next)
	if err != nil {
		return "", fmt.Errorf("%w: unparsable", ErrForeignPageURL)
	}
	u = a.origin.ResolveReference(u)
	if u.User != nil || !strings.EqualFold(u.Scheme, a.origin.Scheme) || !strings.EqualFold(u.Host, a.origin.Host) {
		return "", fmt.Errorf("%w: %s://%s", ErrForeignPageURL, u.Scheme, u.Host)
	}
	return u.String(), nil
}

// redactQuery drops the query of a URL for an error message: page tokens are opaque and long.
func redactQuery(raw string) string {
	if i := strings.IndexByte(raw, '?'); i >= 0 {
		return raw[:i]
	}
	return raw
}
