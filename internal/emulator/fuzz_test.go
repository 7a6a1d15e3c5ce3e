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
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// FuzzHandler sends random methods, paths, forms and JSON through the whole
// handler: bad input must be a 4xx with a Twilio error body, never a 500 or a
// panic. Faults are off. "{ws}", "{q}" and "{wk}" in a path stand for a real
// workspace, queue and worker, so the fuzzer reaches the handlers behind the
// lookups.
func FuzzHandler(f *testing.F) {
	emu := New(Config{})
	admin := emu.Admin()
	ws, err := admin.CreateWorkspace(url.Values{"FriendlyName": {"fuzz"}})
	if err != nil {
		f.Fatal(err)
	}
	queue, err := admin.CreateTaskQueue(ws.SID, url.Values{"FriendlyName": {"fuzz-q"}})
	if err != nil {
		f.Fatal(err)
	}
	worker, err := admin.CreateWorker(ws.SID, url.Values{"FriendlyName": {"fuzz-w"}})
	if err != nil {
		f.Fatal(err)
	}
	seeds := []struct{ method, path, body string }{
		{"GET", "/v1/Workspaces", "PageSize=3&Page=2"},
		{"POST", "/v1/Workspaces", "FriendlyName=x&Template=FIFO"},
		{"POST", "/v1/Workspaces/{ws}", "DefaultActivitySid=WA1&MultiTaskEnabled=TRUE"},
		{"POST", "/v1/Workspaces/{ws}/TaskQueues", "FriendlyName=a&TargetWorkers=languages+HAS+%22en%22&MaxReservedWorkers=3"},
		{"POST", "/v1/Workspaces/{ws}/TaskQueues/{q}", "TargetWorkers=(a==1 OR b IN [1,2]"},
		{"POST", "/v1/Workspaces/{ws}/Workflows", `FriendlyName=w&Configuration={"task_routing":{"filters":[{"expression":"x==1","targets":[{"queue":"{q}","priority":"1"}]}]}}`},
		{"POST", "/v1/Workspaces/{ws}/Workers", `FriendlyName=w&Attributes={"a":[1,{"b":null}]}`},
		{"GET", "/v1/Workspaces/{ws}/Workers", "TargetWorkersExpression=a+==+&TaskQueueSid={q}"},
		{"DELETE", "/v1/Workspaces/{ws}/Activities/x", ""},
		{"GET", "/v1/Workspaces/{ws}/TaskChannels/voice", "PageToken=PA99"},
		{"POST", "/v1/Workspaces/{ws}/TaskChannels", "FriendlyName=Fax&UniqueName=fax&ChannelOptimizedRouting=true"},
		{"DELETE", "/v1/Workspaces/{ws}/TaskChannels/default", ""},
		{"POST", "/v1/Workspaces/{ws}/Workers/{wk}/Channels/chat", "Capacity=3&Available=false"},
		{"GET", "/v1/Workspaces/{ws}/Workers/{wk}/Channels", "PageSize=2"},
		{"GET", "/v1/Workspaces/{ws}/Statistics", "TaskChannel=chat&SplitByWaitTime=5,30"},
		{"POST", "/v1/wschannels/" + DevAccountSID + "/{ws}", `{"url":"http://x/v1/Workspaces/{ws}","method":"GET","params":{"a":[1,true]},"token":"a.b.c"}`},
		{"POST", "/v1/wschannels/x", `[`},
		{"PUT", "/v1/Workspaces//Activities", "%zz"},
	}
	for _, s := range seeds {
		f.Add(s.method, s.path, s.body)
	}
	f.Fuzz(func(t *testing.T, method, path, body string) {
		sids := strings.NewReplacer("{ws}", ws.SID, "{q}", queue.SID, "{wk}", worker.SID)
		path, body = sids.Replace(path), sids.Replace(body)
		u, err := url.Parse("http://emulator.test" + path)
		if err != nil || !strings.HasPrefix(path, "/") || !validMethod(method) {
			return // not an HTTP request a client could send
		}
		req, err := http.NewRequest(method, u.String(), strings.NewReader(body))
		if err != nil {
			return
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if strings.HasPrefix(path, channelPathPrefix) {
			req.Header.Set("Content-Type", "application/json")
		}
		req.SetBasicAuth(DevAccountSID, DevAuthToken)
		if method == http.MethodGet {
			req.URL.RawQuery = body
		}
		rec := httptest.NewRecorder()
		emu.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %s %q: status %d: %s", method, path, body, rec.Code, rec.Body)
		}
		if rec.Code >= 400 {
			var twilio map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &twilio); err != nil || twilio["code"] == nil || twilio["message"] == nil ||
				twilio["more_info"] == nil || twilio["status"] != float64(rec.Code) {
				t.Fatalf("%s %s %q: %d without a Twilio error body: %s", method, path, body, rec.Code, rec.Body)
			}
		}
	})
}

func validMethod(m string) bool {
	if m == "" {
		return false
	}
	for _, r := range m {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}
