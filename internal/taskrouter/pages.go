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
	"net/url"
	"reflect"
	"strconv"
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
	err := eachPage(ctx, a, t, r, key, func(items []T) { out = append(out, items...) })
	return out, err
}

// eachPage reads every page of a list and hands each page's records to use before reading the next,
// so a caller that keeps only part of each record never holds every page at once (a workspace's
// queue statistics run to megabytes a page).
func eachPage[T any](ctx context.Context, a *Account, t transport, r *request, key string, use func([]T)) error {
	seen := map[string]bool{}
	for range maxPages {
		resp, err := a.send(ctx, t, r)
		if err != nil {
			return err
		}
		items, next, err := decodePage[T](resp.body, key)
		if err != nil {
			return fmt.Errorf("decode %s page: %w", r.endpoint(), err)
		}
		use(items)
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

// decodePage decodes one list envelope: its records (under meta.key, else key) and the next page's
// URL. The records are decoded straight from the body, through a struct type made for the key,
// rather than through a map of raw values, which would copy the whole page once more.
func decodePage[T any](body []byte, key string) ([]T, string, error) {
	items, meta, err := decodeEnvelope[T](body, key)
	if err == nil && meta.Key != "" && meta.Key != key {
		items, meta, err = decodeEnvelope[T](body, meta.Key)
	}
	if err != nil {
		return nil, "", err
	}
	next := ""
	if meta.NextPageURL != nil {
		next = strings.TrimSpace(*meta.NextPageURL)
	}
	return items, next, nil
}

func decodeEnvelope[T any](body []byte, key string) ([]T, pageMeta, error) {
	envelope := reflect.New(reflect.StructOf([]reflect.StructField{
		{Name: "Items", Type: reflect.TypeFor[[]T](), Tag: reflect.StructTag(`json:` + strconv.Quote(key))},
		{Name: "Meta", Type: reflect.TypeFor[pageMeta](), Tag: `json:"meta"`},
	}))
	if err := json.Unmarshal(body, envelope.Interface()); err != nil {
		return nil, pageMeta{}, fmt.Errorf("%s: %w", key, err)
	}
	return envelope.Elem().Field(0).Interface().([]T), envelope.Elem().Field(1).Interface().(pageMeta), nil
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
