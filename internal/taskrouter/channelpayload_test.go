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
	"encoding/json"
	"testing"
)

// TestChannelPayloadIsPartOfTheResponse: the payload is exactly what decoding the envelope gives,
// wherever it sits and whatever it holds, and it is a part of the response, not a copy.
func TestChannelPayloadIsPartOfTheResponse(t *testing.T) {
	for _, body := range []string{
		`{"event_type":"workspace.statistics","payload":{"task_queues_statistics":[{"sid":"WQ1"}],"meta":{"key":"task_queues_statistics"}}}`,
		`{"payload":{"a":"}]{[\"","b":[1,{"c":null}]},"event_type":"x"}`,
		` { "event_type" : "x" ,
		   "payload" :
		     [ "\\", "\"}" ] } `,
		`{"event_type":"x","payload":null}`,
		`{"payload":"a \"quoted\" string","event_type":"x"}`,
		`{"event_type":"x","payload":42}`,
		`{"event_type":"x","payload":true }`,
		`{"event_type":"x"}`,
		`{}`,
	} {
		var env struct {
			Payload json.RawMessage `json:"payload"`
		}
		if err := json.Unmarshal([]byte(body), &env); err != nil {
			t.Fatalf("%s: %v", body, err)
		}
		data := []byte(body)
		got, err := channelPayload(data)
		if err != nil {
			t.Fatalf("%s: %v", body, err)
		}
		if string(got) != string(env.Payload) {
			t.Fatalf("%s: payload %q, want %q", body, got, env.Payload)
		}
		if len(got) > 0 {
			got[0] ^= 0xff
			aliased := string(data) != body
			got[0] ^= 0xff
			if !aliased {
				t.Fatalf("%s: the payload is a copy, not a part of the response", body)
			}
		}
	}
	for _, bad := range []string{`{"payload":`, `[1]`, `"payload"`, ``} {
		if _, err := channelPayload([]byte(bad)); err == nil {
			t.Fatalf("%q: no error", bad)
		}
	}
}
