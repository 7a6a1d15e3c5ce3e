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
	err := eachPage(ctx, a, t, r, key, func(item T) { out = append(out, item) }, func(n int) { out = out[:len(out)-n] })
	return out, err
}

// eachPage reads every page of a list and hands each record to use as it is decoded from the
// response, so that neither a page's body nor its decoded records are ever held whole (a workspace's
// queue statistics run to megabytes a page). When a page fails to decode, the records before the
// failure have been handed over, as the pages before a failed page have. A page whose body broke off
// is requested again like any lost answer, and its records are handed over again from the first:
// again, when not nil, is first told how many of them use already had, so a caller that appends can
// take them back; one that keys them by SID needs no again.
func eachPage[T any](ctx context.Context, a *Account, t transport, r *request, key string, use func(T), again func(n int)) error {
	seen := map[string]bool{}
	for range maxPages {
		var next string
		handed := 0
		page := *r
		page.stream = func(dec *json.Decoder) error {
			if handed > 0 && again != nil {
				again(handed)
			}
			handed = 0
			var err error
			next, err = decodePage(dec, key, func(item T) {
				handed++
				use(item)
			})
			if err != nil {
				return fmt.Errorf("decode %s page: %w", r.endpoint(), err)
			}
			return nil
		}
		if _, err := a.send(ctx, t, &page); err != nil {
			return err
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
		following := *r
		following.pageURL, following.query = abs, nil
		r = &following
	}
	return fmt.Errorf("list %s: more than %d pages", r.route, maxPages)
}

// decodePage decodes one list envelope from dec: it hands each record (under meta.key, else key) to
// use as it is read and returns the next page's URL. TaskRouter puts meta after the records, so the
// records under key are handed over before meta is read; an array met before meta under another name
// is kept aside in case meta names it, and meta naming another key than the one handed over is an
// error.
func decodePage[T any](dec *json.Decoder, key string, use func(T)) (string, error) {
	if err := expectDelim(dec, '{'); err != nil {
		return "", err
	}
	var meta pageMeta
	metaRead := false
	handedFrom := ""
	aside := map[string]json.RawMessage{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return "", err
		}
		name, _ := tok.(string)
		switch {
		case name == "meta":
			if err := dec.Decode(&meta); err != nil {
				return "", fmt.Errorf("meta: %w", err)
			}
			metaRead = true
			if meta.Key != "" {
				if handedFrom != "" && handedFrom != meta.Key {
					return "", fmt.Errorf("records read under %q, but meta names %q", handedFrom, meta.Key)
				}
				key = meta.Key
			}
		case name == key && handedFrom == "":
			if err := eachRecord(dec, use); err != nil {
				return "", fmt.Errorf("%s: %w", key, err)
			}
			handedFrom = name
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return "", err
			}
			if !metaRead && len(skip) > 0 && skip[0] == '[' {
				aside[name] = skip
			}
		}
	}
	if err := expectDelim(dec, '}'); err != nil {
		return "", err
	}
	if raw, ok := aside[key]; ok && handedFrom == "" {
		if err := eachRecord(json.NewDecoder(bytes.NewReader(raw)), use); err != nil {
			return "", fmt.Errorf("%s: %w", key, err)
		}
	}
	next := ""
	if meta.NextPageURL != nil {
		next = strings.TrimSpace(*meta.NextPageURL)
	}
	return next, nil
}

// eachRecord decodes the array of records dec is at one element at a time. A null is an empty page.
func eachRecord[T any](dec *json.Decoder, use func(T)) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if tok == nil {
		return nil
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
	return expectDelim(dec, ']')
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
