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

package api

import (
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// Page sizes TaskRouter accepts.
const (
	defaultPageSize = 50
	maxPageSize     = 1000
)

// Page tokens encode the creation sequence number of the last (PA) or first (PB)
// object of the page they continue from. Objects never change their number, so a
// next_page_url keeps working while objects are added and removed: nothing present
// throughout is skipped or repeated.
const (
	tokenAfter  = "PA"
	tokenBefore = "PB"
)

// pageRequest is a list call's paging parameters.
type pageRequest struct {
	size, page int
	token      string
	tokenSeq   uint64
}

func parsePageRequest(p Form) (pageRequest, error) {
	pr := pageRequest{size: defaultPageSize}
	var err error
	if n, present, perr := p.Integer("PageSize", 1, maxPageSize); perr != nil {
		return pr, perr
	} else if present {
		pr.size = n
	}
	if pr.page, _, err = p.Integer("Page", 0, 1<<30); err != nil {
		return pr, err
	}
	pr.token = p.Get("PageToken")
	if pr.token == "" {
		return pr, nil
	}
	kind := pr.token[:min(2, len(pr.token))]
	seq, perr := strconv.ParseUint(pr.token[len(kind):], 10, 64)
	if (kind != tokenAfter && kind != tokenBefore) || perr != nil {
		return pr, Invalid("Invalid PageToken %q", pr.token)
	}
	pr.tokenSeq = seq
	return pr, nil
}

// window returns the [start, end) bounds of the page within n sorted items.
func (pr pageRequest) window(seqs []uint64) (start, end int) {
	n := len(seqs)
	switch {
	case strings.HasPrefix(pr.token, tokenAfter):
		start = sort.Search(n, func(i int) bool { return seqs[i] > pr.tokenSeq })
	case strings.HasPrefix(pr.token, tokenBefore):
		end = sort.Search(n, func(i int) bool { return seqs[i] >= pr.tokenSeq })
		return max(0, end-pr.size), end
	default:
		start = min(n, pr.page*pr.size)
	}
	return start, min(n, start+pr.size)
}

// Paginate answers a list call with the records of one page under key and the
// meta envelope. items are in creation order.
func Paginate[T any](c *Call, key string, items []*T, seq func(*T) uint64, render func(*T) any) (*Reply, error) {
	pr, err := parsePageRequest(c.Params)
	if err != nil {
		return nil, err
	}
	seqs := make([]uint64, len(items))
	for i, it := range items {
		seqs[i] = seq(it)
	}
	start, end := pr.window(seqs)
	records := make([]any, 0, end-start)
	for _, it := range items[start:end] {
		records = append(records, render(it))
	}
	filters := url.Values{}
	for k, v := range c.Params {
		if k != "Page" && k != "PageSize" && k != "PageToken" {
			filters[k] = v
		}
	}
	pageURL := func(page int, token string) string {
		q := filters.Encode()
		if q != "" {
			q += "&"
		}
		q += "PageSize=" + strconv.Itoa(pr.size) + "&Page=" + strconv.Itoa(page)
		if token != "" {
			q += "&PageToken=" + token
		}
		return c.ResourceURL(c.Path) + "?" + q
	}
	meta := map[string]any{
		"first_page_url":    pageURL(0, ""),
		"key":               key,
		"next_page_url":     nil,
		"page":              pr.page,
		"page_size":         pr.size,
		"previous_page_url": nil,
		"url":               pageURL(pr.page, pr.token),
	}
	if end < len(items) && end > start {
		meta["next_page_url"] = pageURL(pr.page+1, tokenAfter+strconv.FormatUint(seqs[end-1], 10))
	}
	if start > 0 && pr.page > 0 {
		// The page before this one ends just before its first item (or after the
		// last item, when this page ran past the end).
		before := seqs[len(seqs)-1] + 1
		if start < len(seqs) {
			before = seqs[start]
		}
		meta["previous_page_url"] = pageURL(pr.page-1, tokenBefore+strconv.FormatUint(before, 10))
	}
	return OK(map[string]any{"meta": meta, key: records}), nil
}
