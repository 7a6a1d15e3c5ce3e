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

package capability

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"
)

func FuzzAllowed(f *testing.F) {
	seeds := []struct{ policies, method, url, query, form string }{
		{`[{"url":"` + tr + `/**","method":"GET","query_filter":{},"post_filter":{},"allow":true}]`, "GET", tr + "/Activities", "", ""},
		{`[{"url":"` + tr + `/Workers/*","method":"POST","post_filter":{"ActivitySid":{"required":true,"value":"WA1"}},"allow":true}]`, "POST", tr + "/Workers/WK1", "", "ActivitySid=WA1"},
		{`[{"url":"` + tr + `","method":"GET","query_filter":{"Minutes":15},"allow":true},{"url":"` + tr + `","method":"GET","allow":false}]`, "GET", tr + "?Minutes=15", "Minutes=15", ""},
		{`[{"url":"` + tr + `/**","method":"DELETE","post_filter":{"X":[1,2]},"allow":false}]`, "DELETE", tr + "/Workers/WK1/../WK2", "", "X=1&X=2"},
		{`not json`, "GET", "https://[::1]:443/v1/%2e%2e", "a=%zz", ";"},
		{`[{"url":"https://h/*","method":"get","query_filter":{"a":{"required":false}},"allow":true}]`, "GET", "HTTPS://H:443/x/", "a=1", ""},
	}
	for _, s := range seeds {
		f.Add(s.policies, s.method, s.url, s.query, s.form)
	}
	f.Fuzz(func(t *testing.T, policiesJSON, method, rawURL, rawQuery, rawForm string) {
		var policies []Policy
		if err := json.Unmarshal([]byte(policiesJSON), &policies); err != nil {
			policies = []Policy{{URL: policiesJSON, Method: method, Allow: true}}
		}
		query, _ := url.ParseQuery(rawQuery)
		form, _ := url.ParseQuery(rawForm)
		got := Allowed(policies, method, rawURL, query, form)

		if got && !slices.ContainsFunc(policies, func(p Policy) bool { return p.Allow }) {
			t.Fatalf("allowed without any allow policy")
		}
		reversed := slices.Clone(policies)
		slices.Reverse(reversed)
		if again := Allowed(reversed, method, rawURL, query, form); again != got {
			t.Fatalf("decision depends on policy order: %v then %v", got, again)
		}
		denyAll := slices.Clone(policies)
		for i := range denyAll {
			denyAll[i].Allow = false
		}
		if Allowed(denyAll, method, rawURL, query, form) {
			t.Fatalf("allowed by deny-only policies")
		}
	})
}

func FuzzVerify(f *testing.F) {
	valid := validToken(f)
	parts := strings.Split(valid, ".")
	f.Add(valid)
	f.Add(parts[0] + "." + parts[1] + ".")
	f.Add(base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none"}`)) + "." + parts[1] + ".")
	f.Add(parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(`{"iss":"`+testAccount+`","exp":1e30}`)) + "." + parts[2])
	f.Add("")
	f.Add("..")
	f.Add("a.b.c")
	f.Add(valid + "=")
	f.Fuzz(func(t *testing.T, token string) {
		claims, err := Verify(token, testAccount, testAuthToken, testNow)
		if err != nil {
			kinds := 0
			for _, kind := range []error{ErrMalformed, ErrSignature, ErrExpired, ErrWrongAccount} {
				if errors.Is(err, kind) {
					kinds++
				}
			}
			if kinds != 1 {
				t.Fatalf("error %v matches %d kinds, want exactly 1", err, kinds)
			}
			if claims != nil {
				t.Fatalf("claims returned with an error")
			}
			return
		}
		// Accepted: it must carry an HS256 signature by the key, recomputed independently.
		segs := strings.Split(token, ".")
		if len(segs) != 3 {
			t.Fatalf("accepted a token with %d segments", len(segs))
		}
		mac := hmac.New(sha256.New, []byte(testAuthToken))
		mac.Write([]byte(segs[0] + "." + segs[1]))
		if want := base64.RawURLEncoding.EncodeToString(mac.Sum(nil)); segs[2] != want {
			t.Fatalf("accepted a token not signed with the key")
		}
		header, err := base64.RawURLEncoding.DecodeString(segs[0])
		if err != nil {
			t.Fatalf("accepted an undecodable header: %v", err)
		}
		var h map[string]any
		if err := json.Unmarshal(header, &h); err != nil || h["alg"] != jwt.SigningMethodHS256.Alg() {
			t.Fatalf("accepted header %s", header)
		}
		if claims.AccountSID != testAccount || claims.Issuer != testAccount || claims.Version != "v1" {
			t.Fatalf("accepted claims of account %q issuer %q version %q", claims.AccountSID, claims.Issuer, claims.Version)
		}
	})
}
