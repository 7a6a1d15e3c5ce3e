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
	"net/url"
	"testing"
)

const tr = "https://taskrouter.twilio.com/v1/Workspaces/WS1"

func pol(u, method string, allowed bool) Policy {
	return Policy{URL: u, Method: method, Allow: allowed}
}

func withFilters(p Policy, query, post map[string]any) Policy {
	p.QueryFilter, p.PostFilter = query, post
	return p
}

// allowCase is one Allowed decision to check.
type allowCase struct {
	name     string
	policies []Policy
	method   string
	url      string
	query    url.Values
	form     url.Values
	want     bool
}

func runAllowed(t *testing.T, tests []allowCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Allowed(tt.policies, tt.method, tt.url, tt.query, tt.form); got != tt.want {
				t.Errorf("Allowed(%s %s) = %v, want %v", tt.method, tt.url, got, tt.want)
			}
		})
	}
}

// activityRequired is the helper libraries' ActivityUpdates policy.
var activityRequired = withFilters(pol(tr+"/Workers/WK1", "POST", true), nil, map[string]any{"ActivitySid": map[string]any{"required": true}})

func TestAllowedURLMatching(t *testing.T) {
	runAllowed(t, []allowCase{
		// Literal URLs.
		{"literal matches itself", []Policy{pol(tr, "GET", true)}, "GET", tr, nil, nil, true},
		{"literal ignores trailing slash on request", []Policy{pol(tr, "GET", true)}, "GET", tr + "/", nil, nil, true},
		{"literal ignores trailing slash on policy", []Policy{pol(tr+"/", "GET", true)}, "GET", tr, nil, nil, true},
		{"literal does not match a child", []Policy{pol(tr, "GET", true)}, "GET", tr + "/Activities", nil, nil, false},
		{"literal does not match the parent", []Policy{pol(tr+"/Activities", "GET", true)}, "GET", tr, nil, nil, false},
		{"literal does not match a sibling", []Policy{pol(tr+"/Workers/WK1", "GET", true)}, "GET", tr + "/Workers/WK2", nil, nil, false},
		{"literal does not match a prefix-sharing sid", []Policy{pol(tr+"/Workers/WK1", "GET", true)}, "GET", tr + "/Workers/WK10", nil, nil, false},
		{"path is case-sensitive", []Policy{pol(tr, "GET", true)}, "GET", "https://taskrouter.twilio.com/v1/workspaces/WS1", nil, nil, false},
		{"host and scheme case-insensitive", []Policy{pol(tr, "GET", true)}, "GET", "HTTPS://TaskRouter.Twilio.com/v1/Workspaces/WS1", nil, nil, true},
		{"default port is the same origin", []Policy{pol(tr, "GET", true)}, "GET", "https://taskrouter.twilio.com:443/v1/Workspaces/WS1", nil, nil, true},
		{"other host", []Policy{pol(tr, "GET", true)}, "GET", "https://evil.example.com/v1/Workspaces/WS1", nil, nil, false},
		{"other scheme", []Policy{pol(tr, "GET", true)}, "GET", "http://taskrouter.twilio.com/v1/Workspaces/WS1", nil, nil, false},
		{"other port", []Policy{pol(tr, "GET", true)}, "GET", "https://taskrouter.twilio.com:8443/v1/Workspaces/WS1", nil, nil, false},
		// Query string and method.
		{"query string ignored for URL matching", []Policy{pol(tr+"/Workers", "GET", true)}, "GET", tr + "/Workers?FriendlyName=alice&PageSize=50", nil, nil, true},
		{"query string on the policy ignored", []Policy{pol(tr+"/Workers?PageSize=1", "GET", true)}, "GET", tr + "/Workers", nil, nil, true},
		{"fragment ignored", []Policy{pol(tr, "GET", true)}, "GET", tr + "#x", nil, nil, true},
		{"method must match", []Policy{pol(tr, "GET", true)}, "POST", tr, nil, nil, false},
		{"method case-insensitive", []Policy{pol(tr, "get", true)}, "GET", tr, nil, nil, true},
		// "/*".
		{"/* matches one more segment", []Policy{pol(tr+"/Workers/*", "GET", true)}, "GET", tr + "/Workers/WK1", nil, nil, true},
		{"/* does not match two more", []Policy{pol(tr+"/Workers/*", "GET", true)}, "GET", tr + "/Workers/WK1/Reservations", nil, nil, false},
		{"/* does not match its root", []Policy{pol(tr+"/Workers/*", "GET", true)}, "GET", tr + "/Workers", nil, nil, false},
		// "/**".
		{"/** matches a child", []Policy{pol(tr+"/**", "GET", true)}, "GET", tr + "/Activities", nil, nil, true},
		{"/** matches a deep descendant", []Policy{pol(tr+"/**", "GET", true)}, "GET", tr + "/Workers/WK1/Reservations/WR1", nil, nil, true},
		{"/** does not match its root", []Policy{pol(tr+"/**", "GET", true)}, "GET", tr, nil, nil, false},
		{"/** does not match its root with slash", []Policy{pol(tr+"/**", "GET", true)}, "GET", tr + "/", nil, nil, false},
		{"/** does not match another workspace", []Policy{pol(tr+"/**", "GET", true)}, "GET", "https://taskrouter.twilio.com/v1/Workspaces/WS2/Activities", nil, nil, false},
		{"wildcard in the middle is literal", []Policy{pol("https://taskrouter.twilio.com/v1/Workspaces/*/Activities", "GET", true)}, "GET", tr + "/Activities", nil, nil, false},
		// Paths that could resolve elsewhere.
		{"dot-dot segment refused", []Policy{pol(tr+"/Workers/WK1/**", "GET", true)}, "GET", tr + "/Workers/WK1/../WK2", nil, nil, false},
		{"encoded dot-dot refused", []Policy{pol(tr+"/Workers/WK1/**", "GET", true)}, "GET", tr + "/Workers/WK1/%2e%2e/WK2", nil, nil, false},
		{"encoded slash refused", []Policy{pol(tr+"/Workers/*", "GET", true)}, "GET", tr + "/Workers/WK1%2FReservations", nil, nil, false},
		{"empty segment refused", []Policy{pol(tr+"/**", "GET", true)}, "GET", tr + "//Activities", nil, nil, false},
		{"relative URL refused", []Policy{pol(tr, "GET", true)}, "GET", "/v1/Workspaces/WS1", nil, nil, false},
		{"unparsable URL refused", []Policy{pol(tr, "GET", true)}, "GET", "https://taskrouter.twilio.com/v1/%zz", nil, nil, false},
	})
}

func TestAllowedFilters(t *testing.T) {
	runAllowed(t, []allowCase{
		// Filters: literal.
		{"query literal equal", []Policy{withFilters(pol(tr+"/Workers", "GET", true), map[string]any{"FriendlyName": "alice"}, nil)}, "GET", tr + "/Workers", url.Values{"FriendlyName": {"alice"}}, nil, true},
		{"query literal different", []Policy{withFilters(pol(tr+"/Workers", "GET", true), map[string]any{"FriendlyName": "alice"}, nil)}, "GET", tr + "/Workers", url.Values{"FriendlyName": {"bob"}}, nil, false},
		{"query literal absent", []Policy{withFilters(pol(tr+"/Workers", "GET", true), map[string]any{"FriendlyName": "alice"}, nil)}, "GET", tr + "/Workers", nil, nil, false},
		{"query literal read from params, not URL", []Policy{withFilters(pol(tr+"/Workers", "GET", true), map[string]any{"FriendlyName": "alice"}, nil)}, "GET", tr + "/Workers?FriendlyName=alice", nil, nil, false},
		{"repeated param must match every time", []Policy{withFilters(pol(tr+"/Workers", "GET", true), map[string]any{"FriendlyName": "alice"}, nil)}, "GET", tr + "/Workers", url.Values{"FriendlyName": {"alice", "bob"}}, nil, false},
		{"post literal bool", []Policy{withFilters(pol(tr+"/Activities", "POST", true), nil, map[string]any{"Available": true})}, "POST", tr + "/Activities", nil, url.Values{"Available": {"True"}}, true},
		{"post literal bool different", []Policy{withFilters(pol(tr+"/Activities", "POST", true), nil, map[string]any{"Available": true})}, "POST", tr + "/Activities", nil, url.Values{"Available": {"false"}}, false},
		{"post literal number by value", []Policy{withFilters(pol(tr+"/TaskQueues", "POST", true), nil, map[string]any{"MaxReservedWorkers": float64(5)})}, "POST", tr + "/TaskQueues", nil, url.Values{"MaxReservedWorkers": {"5.0"}}, true},
		{"unnamed params unrestricted", []Policy{activityRequired}, "POST", tr + "/Workers/WK1", nil, url.Values{"ActivitySid": {"WA1"}, "Attributes": {"{}"}}, true},
		// Filters: {required, value}.
		{"required present", []Policy{activityRequired}, "POST", tr + "/Workers/WK1", nil, url.Values{"ActivitySid": {"WA1"}}, true},
		{"required absent", []Policy{activityRequired}, "POST", tr + "/Workers/WK1", nil, url.Values{"FriendlyName": {"x"}}, false},
		{"post filter not read from query", []Policy{activityRequired}, "POST", tr + "/Workers/WK1", url.Values{"ActivitySid": {"WA1"}}, nil, false},
		{"required with value, equal", []Policy{withFilters(pol(tr+"/Workers/WK1", "POST", true), nil, map[string]any{"ActivitySid": map[string]any{"required": true, "value": "WA1"}})}, "POST", tr + "/Workers/WK1", nil, url.Values{"ActivitySid": {"WA1"}}, true},
		{"required with value, different", []Policy{withFilters(pol(tr+"/Workers/WK1", "POST", true), nil, map[string]any{"ActivitySid": map[string]any{"required": true, "value": "WA1"}})}, "POST", tr + "/Workers/WK1", nil, url.Values{"ActivitySid": {"WA2"}}, false},
		{"required:false absent", []Policy{withFilters(pol(tr+"/Workers/WK1", "POST", true), nil, map[string]any{"ActivitySid": map[string]any{"required": false, "value": "WA1"}})}, "POST", tr + "/Workers/WK1", nil, nil, true},
		{"required:false present and equal", []Policy{withFilters(pol(tr+"/Workers/WK1", "POST", true), nil, map[string]any{"ActivitySid": map[string]any{"required": false, "value": "WA1"}})}, "POST", tr + "/Workers/WK1", nil, url.Values{"ActivitySid": {"WA1"}}, true},
		{"required:false present and different", []Policy{withFilters(pol(tr+"/Workers/WK1", "POST", true), nil, map[string]any{"ActivitySid": map[string]any{"required": false, "value": "WA1"}})}, "POST", tr + "/Workers/WK1", nil, url.Values{"ActivitySid": {"WA2"}}, false},
		{"required:false without value", []Policy{withFilters(pol(tr+"/Workers/WK1", "POST", true), nil, map[string]any{"ActivitySid": map[string]any{"required": false}})}, "POST", tr + "/Workers/WK1", nil, url.Values{"ActivitySid": {"anything"}}, true},
		{"malformed allow filter grants nothing", []Policy{withFilters(pol(tr+"/Workers/WK1", "POST", true), nil, map[string]any{"ActivitySid": map[string]any{"required": "yes"}})}, "POST", tr + "/Workers/WK1", nil, url.Values{"ActivitySid": {"WA1"}}, false},
		{"malformed deny filter always denies", []Policy{pol(tr+"/Workers/WK1", "POST", true), withFilters(pol(tr+"/Workers/WK1", "POST", false), nil, map[string]any{"ActivitySid": []any{"WA1"}})}, "POST", tr + "/Workers/WK1", nil, url.Values{"ActivitySid": {"WA2"}}, false},
	})
}

func TestAllowedMostSpecificWins(t *testing.T) {
	runAllowed(t, []allowCase{
		// Most specific wins.
		{"literal deny beats /** allow", []Policy{pol(tr+"/**", "GET", true), pol(tr+"/Workers/WK2", "GET", false)}, "GET", tr + "/Workers/WK2", nil, nil, false},
		{"/** allow elsewhere unaffected by the literal deny", []Policy{pol(tr+"/**", "GET", true), pol(tr+"/Workers/WK2", "GET", false)}, "GET", tr + "/Workers/WK1", nil, nil, true},
		{"literal allow beats /** deny", []Policy{pol(tr+"/**", "GET", false), pol(tr+"/Activities", "GET", true)}, "GET", tr + "/Activities", nil, nil, true},
		{"/* beats /** at the same root", []Policy{pol(tr+"/Workers/**", "GET", false), pol(tr+"/Workers/*", "GET", true)}, "GET", tr + "/Workers/WK1", nil, nil, true},
		{"longer /** prefix beats shorter", []Policy{pol(tr+"/**", "DELETE", true), pol(tr+"/Workers/**", "DELETE", false)}, "DELETE", tr + "/Workers/WK1", nil, nil, false},
		{"deeper /** allow beats shallower /** deny", []Policy{pol(tr+"/Workers/**", "DELETE", false), pol(tr+"/Workers/WK1/**", "DELETE", true)}, "DELETE", tr + "/Workers/WK1/Reservations/WR1", nil, nil, true},
		{"filtered beats unfiltered", []Policy{pol(tr+"/Workers/WK1", "POST", false), activityRequired}, "POST", tr + "/Workers/WK1", nil, url.Values{"ActivitySid": {"WA1"}}, true},
		{"unfiltered decides when filter fails", []Policy{pol(tr+"/Workers/WK1", "POST", false), activityRequired}, "POST", tr + "/Workers/WK1", nil, url.Values{"FriendlyName": {"x"}}, false},
		{"equal specificity: deny wins", []Policy{pol(tr, "GET", true), pol(tr, "GET", false)}, "GET", tr, nil, nil, false},
		{"equal specificity: deny wins in any order", []Policy{pol(tr, "GET", false), pol(tr, "GET", true)}, "GET", tr, nil, nil, false},
		{"explicit deny alone", []Policy{pol(tr, "GET", false)}, "GET", tr, nil, nil, false},
		{"deny of another method does not apply", []Policy{pol(tr, "POST", false), pol(tr, "GET", true)}, "GET", tr, nil, nil, true},
		// No match.
		{"no policies deny", nil, "GET", tr, nil, nil, false},
		{"unparsable policy URL ignored", []Policy{pol("::", "GET", true)}, "GET", tr, nil, nil, false},
	})
}
