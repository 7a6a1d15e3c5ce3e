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
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// page fetches a list URL as given in meta (absolute) and returns the SIDs under key.
func (h *harness) page(rawURL, key string) (response, []string) {
	h.t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		h.t.Fatalf("page url %q: %v", rawURL, err)
	}
	resp := h.call(http.MethodGet, u.Path, u.Query())
	if resp.status != http.StatusOK {
		h.t.Fatalf("GET %s: %d %s", rawURL, resp.status, resp.raw)
	}
	var sids []string
	records, _ := resp.body[key].([]any)
	for _, r := range records {
		sids = append(sids, r.(map[string]any)["sid"].(string))
	}
	return resp, sids
}

// TestPaginationWhileChanging walks 3-item pages by next_page_url while workers
// are deleted and added between pages: every worker present throughout is seen
// exactly once, and nothing is seen twice.
func TestPaginationWhileChanging(t *testing.T) {
	h := newHarness(t, Config{})
	ws := h.workspace("pages")
	coll := "/v1/Workspaces/" + ws + "/Workers"
	var sids []string
	for i := 0; i < 10; i++ {
		sids = append(sids, h.mustCreate(coll, vals("FriendlyName", "w"+strconv.Itoa(i))).str("sid"))
	}
	// Between pages: delete one already seen and one not yet seen, add a new one.
	changes := [][]int{{1, 5}, {7}, {}}
	removed := map[string]bool{}
	seen := map[string]int{}
	next := h.srv.URL + coll + "?PageSize=3"
	for pageNo := 0; next != ""; pageNo++ {
		resp, page := h.page(next, "workers")
		meta := resp.body["meta"].(map[string]any)
		if meta["page_size"] != float64(3) || meta["key"] != "workers" || meta["page"] != float64(pageNo) {
			t.Fatalf("page %d meta = %v", pageNo, meta)
		}
		if pageNo > 0 && meta["previous_page_url"] == nil {
			t.Errorf("page %d has no previous_page_url", pageNo)
		}
		for _, sid := range page {
			seen[sid]++
		}
		next, _ = meta["next_page_url"].(string)
		if pageNo < len(changes) {
			for _, i := range changes[pageNo] {
				if err := h.emu.Admin().Delete(sids[i]); err != nil {
					t.Fatal(err)
				}
				removed[sids[i]] = true
			}
			h.mustCreate(coll, vals("FriendlyName", "new"+strconv.Itoa(pageNo)))
		}
		if pageNo > 20 {
			t.Fatal("pagination does not end")
		}
	}
	for _, sid := range sids {
		if !removed[sid] && seen[sid] != 1 {
			t.Errorf("worker %s present throughout was seen %d times", sid, seen[sid])
		}
	}
	for sid, n := range seen {
		if n > 1 {
			t.Errorf("worker %s seen %d times", sid, n)
		}
	}
}

// TestPaginationByPageNumber checks Page without a token, the last page's null
// next_page_url and the previous_page_url going back.
func TestPaginationByPageNumber(t *testing.T) {
	h := newHarness(t, Config{})
	ws := h.workspace("numbers")
	coll := "/v1/Workspaces/" + ws + "/Activities"
	// 3 default activities + 4 = 7: pages of 3, 3, 1.
	for i := 0; i < 4; i++ {
		h.mustCreate(coll, vals("FriendlyName", "a"+strconv.Itoa(i)))
	}
	all := h.emu.Admin().Activities(ws)
	last, lastSids := h.page(h.srv.URL+coll+"?PageSize=3&Page=2", "activities")
	if diff := cmp.Diff([]string{all[6].SID}, lastSids); diff != "" {
		t.Errorf("page 2 (-want +got):\n%s", diff)
	}
	meta := last.body["meta"].(map[string]any)
	if meta["next_page_url"] != nil {
		t.Errorf("last page next_page_url = %v, want null", meta["next_page_url"])
	}
	_, prev := h.page(meta["previous_page_url"].(string), "activities")
	if diff := cmp.Diff([]string{all[3].SID, all[4].SID, all[5].SID}, prev); diff != "" {
		t.Errorf("previous page (-want +got):\n%s", diff)
	}
	first, _ := h.page(h.srv.URL+coll+"?PageSize=3", "activities")
	if m := first.body["meta"].(map[string]any); m["previous_page_url"] != nil || m["next_page_url"] == nil {
		t.Errorf("first page meta = %v", m)
	}
	bad := h.call(http.MethodGet, coll, vals("PageToken", "XX12"))
	if bad.status != http.StatusBadRequest {
		t.Errorf("bad PageToken: %d, want 400", bad.status)
	}
}
