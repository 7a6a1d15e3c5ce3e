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
	"bytes"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// TestOfficialRecipeToken builds a capability token the way the official helper
// libraries do (twilio-python TaskQueueCapabilityToken: HS256 over the claims
// of NOTES.md, policies against https://taskrouter.twilio.com and the
// event-bridge channel), without this project's minter, and checks the channel
// honours exactly what its policies say.
func TestOfficialRecipeToken(t *testing.T) {
	h := newHarness(t, Config{})
	ws := h.workspace("official")
	queue := h.mustCreate("/v1/Workspaces/"+ws+"/TaskQueues", vals("FriendlyName", "q")).str("sid")
	sibling := h.mustCreate("/v1/Workspaces/"+ws+"/TaskQueues", vals("FriendlyName", "sibling")).str("sid")
	account := h.emu.cfg.AccountSID
	const trBase, ebBase = "https://taskrouter.twilio.com/v1", "https://event-bridge.twilio.com/v1/wschannels"
	queueURL := trBase + "/Workspaces/" + ws + "/TaskQueues/" + queue
	policy := func(url, method string) map[string]any {
		return map[string]any{"url": url, "method": method, "query_filter": map[string]any{}, "post_filter": map[string]any{}, "allow": true}
	}
	claims := jwt.MapClaims{
		"iss": account, "exp": h.clock.Now().Add(time.Hour).Unix(), "version": "v1", "friendly_name": queue,
		"account_sid": account, "channel": queue, "workspace_sid": ws, "taskqueue_sid": queue,
		"policies": []any{
			policy(ebBase+"/"+account+"/"+queue, "GET"),
			policy(ebBase+"/"+account+"/"+queue, "POST"),
			policy(queueURL, "GET"),       // the queue itself
			policy(queueURL+"/**", "GET"), // FetchSubresources
			policy(queueURL, "POST"),      // Updates
		},
	}
	token, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString([]byte(h.emu.cfg.AuthToken))
	if err != nil {
		t.Fatal(err)
	}
	call := func(method, url string, params map[string]any) int {
		body, _ := json.Marshal(map[string]any{"url": url, "method": method, "params": params, "token": token})
		req, err := http.NewRequest(http.MethodPost, h.srv.URL+"/v1/wschannels/"+account+"/"+queue, bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		return h.send(req).status
	}
	cases := []struct {
		name, method, url string
		params            map[string]any
		want              int
	}{
		{"fetch the queue", "GET", queueURL, nil, 200},
		{"fetch its statistics", "GET", queueURL + "/Statistics", nil, 200},
		{"update the queue", "POST", queueURL, map[string]any{"FriendlyName": "renamed"}, 200},
		{"delete the queue (no Delete capability)", "DELETE", queueURL, nil, 403},
		{"fetch a sibling queue", "GET", trBase + "/Workspaces/" + ws + "/TaskQueues/" + sibling, nil, 403},
		{"list workers", "GET", trBase + "/Workspaces/" + ws + "/Workers", nil, 403},
	}
	for _, tc := range cases {
		if got := call(tc.method, tc.url, tc.params); got != tc.want {
			t.Errorf("%s: status %d, want %d", tc.name, got, tc.want)
		}
	}
	if q, _ := h.emu.Admin().TaskQueue(ws, queue); q.FriendlyName != "renamed" {
		t.Errorf("allowed update did not apply: friendly name %q", q.FriendlyName)
	}
}
