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
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// pagedQueues serves three pages of task queues, the next_page_url of each built from base.
func pagedQueues(base *string, wrapInEnvelope bool) func(recorded, int) reply {
	return func(_ recorded, n int) reply {
		next := "null"
		if n < 3 {
			next = fmt.Sprintf(`"%s/v1/Workspaces/%s/TaskQueues?PageSize=1000&Page=%d&PageToken=PT%d"`, *base, testWS, n, n)
		}
		body := fmt.Sprintf(`{"meta":{"key":"task_queues","page":%d,"next_page_url":%s},"task_queues":[{"sid":"WQ%d","friendly_name":"q%d"}]}`, n-1, next, n, n)
		if wrapInEnvelope {
			body = wrap(body)
		}
		return reply{body: body}
	}
}

func TestListFollowsEveryPage(t *testing.T) {
	for _, mode := range []AuthMode{AuthBasic, AuthCapabilityToken} {
		t.Run(string(mode), func(t *testing.T) {
			var base string
			srv := newFakeServer(t, pagedQueues(&base, mode == AuthCapabilityToken))
			base = srv.URL
			a := mustAccount(t, testClient(srv, newFakeClock()), tokenCreds(), mode)
			queues, err := a.Workspace(testWS).TaskQueues().List(context.Background(), "")
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, q := range queues {
				names = append(names, q.SID+"/"+q.FriendlyName)
			}
			if diff := cmp.Diff([]string{"WQ1/q1", "WQ2/q2", "WQ3/q3"}, names); diff != "" {
				t.Errorf("records (-want +got):\n%s", diff)
			}
			var pages []string
			for _, r := range srv.Requests() {
				if mode == AuthBasic {
					pages = append(pages, r.Path+"?"+r.Query)
				} else {
					pages = append(pages, channelMessage(t, r).URL[len(base):])
				}
			}
			first := "/v1/Workspaces/" + testWS + "/TaskQueues"
			want := []string{first + "?PageSize=1000", first + "?PageSize=1000&Page=1&PageToken=PT1", first + "?PageSize=1000&Page=2&PageToken=PT2"}
			if mode == AuthCapabilityToken {
				want[0] = first // the first page's query rides in params
			}
			if diff := cmp.Diff(want, pages); diff != "" {
				t.Errorf("pages requested (-want +got):\n%s", diff)
			}
		})
	}
}

func TestListRefusesForeignNextPage(t *testing.T) {
	for _, next := range []string{
		"https://attacker.example.com/v1/Workspaces/" + testWS + "/TaskQueues?Page=1",
		"ftp://127.0.0.1/v1/Workspaces",
		"//attacker.example.com/v1/Workspaces",
	} {
		t.Run(next, func(t *testing.T) {
			srv := newFakeServer(t, always(200, `{"meta":{"key":"task_queues","next_page_url":"`+next+`"},"task_queues":[{"sid":"WQ1"}]}`))
			a := mustAccount(t, testClient(srv, newFakeClock()), keyCreds(), AuthBasic)
			_, err := a.Workspace(testWS).TaskQueues().List(context.Background(), "")
			if !errors.Is(err, ErrForeignPageURL) {
				t.Fatalf("error = %v, want ErrForeignPageURL", err)
			}
			if n := len(srv.Requests()); n != 1 {
				t.Errorf("sent %d requests, want only the first page", n)
			}
		})
	}
}

func TestListStopsOnARepeatedPage(t *testing.T) {
	var base string
	srv := newFakeServer(t, func(recorded, int) reply {
		return reply{body: `{"meta":{"key":"workers","next_page_url":"` + base + `/v1/Workspaces/` + testWS + `/Workers?Page=1"},"workers":[]}`}
	})
	base = srv.URL
	a := mustAccount(t, testClient(srv, newFakeClock()), keyCreds(), AuthBasic)
	if _, err := a.Workspace(testWS).Workers().List(context.Background(), ""); err == nil {
		t.Fatal("a list whose next page repeats forever succeeded")
	}
	if n := len(srv.Requests()); n != 2 {
		t.Errorf("sent %d requests, want 2", n)
	}
}

func TestListUsesConfiguredPageSize(t *testing.T) {
	srv := newFakeServer(t, always(200, `{"meta":{"key":"activities","next_page_url":null},"activities":[{"sid":"WA1","available":true}]}`))
	a := mustAccount(t, testClient(srv, newFakeClock(), func(c *Config) { c.PageSize = 50 }), keyCreds(), AuthBasic)
	acts, err := a.Workspace(testWS).Activities().List(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	got := []any{srv.Requests()[0].Query, len(acts), acts[0].Available}
	if diff := cmp.Diff([]any{"PageSize=50", 1, true}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestListReadsAgainAPageWhoseBodyBrokeOff: a page whose answer ends before its declared length,
// after some of its records, is requested again like a lost answer; the records of the broken
// attempt are not kept twice. A page that arrives whole but does not decode is not requested again.
func TestListReadsAgainAPageWhoseBodyBrokeOff(t *testing.T) {
	whole := `{"task_queues":[{"sid":"WQ1","friendly_name":"q1"},{"sid":"WQ2","friendly_name":"q2"}],"meta":{"key":"task_queues","next_page_url":null}}`
	broken := whole[:strings.Index(whole, `{"sid":"WQ2"`)+len(`{"sid":"WQ2"`)]
	for _, mode := range []AuthMode{AuthBasic, AuthCapabilityToken} {
		t.Run(string(mode), func(t *testing.T) {
			srv := newFakeServer(t, func(_ recorded, n int) reply {
				body := whole
				if mode == AuthCapabilityToken {
					body = wrap(whole)
				}
				if n == 1 {
					// The declared length is the whole page's; the connection closes after part of it.
					return reply{header: map[string]string{"Content-Length": fmt.Sprint(len(body))}, body: body[:len(broken)+len(body)-len(whole)]}
				}
				return reply{body: body}
			})
			a := mustAccount(t, testClient(srv, newFakeClock()), tokenCreds(), mode)
			queues, err := a.Workspace(testWS).TaskQueues().List(context.Background(), "")
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, q := range queues {
				got = append(got, q.SID+"/"+q.FriendlyName)
			}
			if diff := cmp.Diff([]string{"WQ1/q1", "WQ2/q2"}, got); diff != "" {
				t.Errorf("records (-want +got):\n%s", diff)
			}
			if n := len(srv.Requests()); n != 2 {
				t.Errorf("sent %d requests, want 2 (the broken page once more)", n)
			}
		})
	}
	t.Run("a page that does not decode", func(t *testing.T) {
		srv := newFakeServer(t, always(200, `{"task_queues":[{"sid":"WQ1"},{"sid":7}],"meta":{"key":"task_queues"}}`))
		a := mustAccount(t, testClient(srv, newFakeClock()), keyCreds(), AuthBasic)
		_, err := a.Workspace(testWS).TaskQueues().List(context.Background(), "")
		var callErr *Error
		if err == nil || errors.As(err, &callErr) {
			t.Fatalf("error = %v, want a decoding error that is not a failed call", err)
		}
		if n := len(srv.Requests()); n != 1 {
			t.Errorf("sent %d requests, want 1", n)
		}
	})
}

// TestListDoesNotHoldAPageWhole: a page is decoded as it arrives. Listing a page of 12 MB whose
// records keep a few bytes each allocates a small part of it, mostly the list of 1,000 queues (a
// buffer for the whole page would be all of it, at least once), in both transports.
func TestListDoesNotHoldAPageWhole(t *testing.T) {
	var page strings.Builder
	page.WriteString(`{"task_queues":[`)
	filler := strings.Repeat("x", 12000) // what a list record carries that the client drops (links, urls)
	for q := range 1000 {
		if q > 0 {
			page.WriteByte(',')
		}
		fmt.Fprintf(&page, `{"sid":"WQ%032d","unread":"%s"}`, q, filler)
	}
	page.WriteString(`],"meta":{"key":"task_queues","next_page_url":null}}`)
	for _, mode := range []AuthMode{AuthBasic, AuthCapabilityToken} {
		t.Run(string(mode), func(t *testing.T) {
			body := page.String()
			if mode == AuthCapabilityToken {
				body = wrap(body)
			}
			srv := newFakeServer(t, always(200, body))
			a := mustAccount(t, testClient(srv, newFakeClock()), tokenCreds(), mode)
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			queues, err := a.Workspace(testWS).TaskQueues().List(context.Background(), "")
			runtime.ReadMemStats(&after)
			if err != nil {
				t.Fatal(err)
			}
			if len(queues) != 1000 {
				t.Fatalf("listed %d queues, want 1000", len(queues))
			}
			if allocated := after.TotalAlloc - before.TotalAlloc; allocated > uint64(len(body))/8 {
				t.Errorf("listing a page of %d bytes allocated %d bytes, want at most an eighth of it", len(body), allocated)
			}
		})
	}
}

// TestDecodePageHandsOverEachRecord: records are handed over one at a time, in order, under the key
// meta names even when meta comes after them; a null or missing array is an empty page; a record
// that does not decode, or a body that ends early, fails the page after the ones before it were
// handed over.
func TestDecodePageHandsOverEachRecord(t *testing.T) {
	type queue struct {
		SID string `json:"sid"`
	}
	cases := []struct {
		name, body, next string
		want             []string
		wantErr          bool
	}{
		{name: "meta after the records", body: `{"task_queues":[{"sid":"WQ1"},{"sid":"WQ2"}],"meta":{"key":"task_queues","next_page_url":" https://x/p2 "}}`,
			next: "https://x/p2", want: []string{"WQ1", "WQ2"}},
		{name: "meta names another key", body: `{"meta":{"key":"queues","next_page_url":null},"task_queues":[{"sid":"WQ9"}],"queues":[{"sid":"WQ3"}]}`,
			want: []string{"WQ3"}},
		{name: "meta after the records names another key", body: `{"queues":[{"sid":"WQ8"}],"links":{"a":[1]},"meta":{"key":"queues","next_page_url":null}}`,
			want: []string{"WQ8"}},
		{name: "meta names another key than the records handed over", body: `{"task_queues":[{"sid":"WQ9"}],"queues":[{"sid":"WQ3"}],"meta":{"key":"queues"}}`,
			want: []string{"WQ9"}, wantErr: true},
		{name: "no meta key: the expected one", body: `{"task_queues":[{"sid":"WQ4"}],"other":{"a":[1,2]}}`, want: []string{"WQ4"}},
		{name: "null records", body: `{"meta":{"key":"task_queues"},"task_queues":null}`},
		{name: "no records", body: `{"meta":{"key":"task_queues"}}`},
		{name: "a record that does not decode", body: `{"task_queues":[{"sid":"WQ5"},{"sid":7}]}`, want: []string{"WQ5"}, wantErr: true},
		{name: "records that are not an array", body: `{"task_queues":{"sid":"WQ6"}}`, wantErr: true},
		{name: "a body that ends early", body: `{"task_queues":[{"sid":"WQ7"}]`, want: []string{"WQ7"}, wantErr: true},
		{name: "not JSON", body: `task_queues`, wantErr: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			next, err := decodePage(json.NewDecoder(strings.NewReader(tc.body)), "task_queues", func(q queue) { got = append(got, q.SID) })
			if (err != nil) != tc.wantErr {
				t.Fatalf("error %v, want one: %v", err, tc.wantErr)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Fatalf("records handed over (-want +got):\n%s", diff)
			}
			if next != tc.next {
				t.Fatalf("next page %q, want %q", next, tc.next)
			}
		})
	}
}

// queueStatisticsPage is one page of 1,000 queues' statistics in a workspace of 99 activities, two
// of them with workers in every queue.
func queueStatisticsPage() string {
	var page strings.Builder
	page.WriteString(`{"task_queues_statistics":[`)
	for q := range 1000 {
		if q > 0 {
			page.WriteByte(',')
		}
		fmt.Fprintf(&page, `{"task_queue_sid":"WQ%032d","cumulative":{"tasks_entered":3},"realtime":{"total_tasks":1,"activity_statistics":[`, q)
		for a := range 99 {
			if a > 0 {
				page.WriteByte(',')
			}
			fmt.Fprintf(&page, `{"sid":"WA%032d","friendly_name":"Activity %d","workers":%d}`, a, a, map[bool]int{true: 4}[a < 2])
		}
		page.WriteString(`]}}`)
	}
	page.WriteString(`],"meta":{"key":"task_queues_statistics","next_page_url":null}}`)
	return page.String()
}

// BenchmarkQueueStatisticsPage decodes queueStatisticsPage keeping of each queue what the statistics
// refresh keeps (the activities with workers): "every activity" decodes them all and then filters,
// "busy activities" passes over the others in the bytes, as the refresh does. held-B is the live heap
// beyond the page itself while the last record is handed over: what decoding holds at its peak, with
// what was kept of the 999 queues before.
func BenchmarkQueueStatisticsPage(b *testing.B) {
	b.Run("every activity", func(b *testing.B) {
		benchmarkQueueStatisticsPage(b, func(s TaskQueueStatistics) TaskQueueStatistics {
			busy := s.RealTime.ActivityStatistics[:0:0]
			for _, a := range s.RealTime.ActivityStatistics {
				if a.Workers > 0 {
					busy = append(busy, a)
				}
			}
			s.RealTime.ActivityStatistics = busy
			return s
		})
	})
	b.Run("busy activities", func(b *testing.B) {
		benchmarkQueueStatisticsPage(b, busyQueueStatistics.statistics)
	})
}

func benchmarkQueueStatisticsPage[T any](b *testing.B, keep func(T) TaskQueueStatistics) {
	body := []byte(queueStatisticsPage())
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	var held uint64
	for b.Loop() {
		kept := map[string]TaskQueueStatistics{}
		before := liveHeap()
		if _, err := decodePage(json.NewDecoder(bytes.NewReader(body)), "task_queues_statistics", func(record T) {
			if len(kept) == 999 {
				held = liveHeap() - before
			}
			s := keep(record)
			kept[s.TaskQueueSID] = s
		}); err != nil {
			b.Fatal(err)
		}
		if len(kept) != 1000 || len(kept[fmt.Sprintf("WQ%032d", 7)].RealTime.ActivityStatistics) != 2 {
			b.Fatalf("kept %d queues", len(kept))
		}
	}
	b.ReportMetric(float64(held), "held-B")
}

// liveHeap is the heap left after a collection.
func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
