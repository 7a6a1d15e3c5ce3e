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
	"fmt"
	"slices"
	"strings"

	"github.com/taskrouter-operator/taskrouter-operator/internal/capability"
)

// twilioRegion is one Twilio Region and the public Edge Locations through which its REST API is reached.
type twilioRegion struct {
	name  string
	edges []string
	// taskRouter says whether Twilio offers TaskRouter in the region; a region without it is named in
	// the error, so a user who picked it learns why rather than meeting a DNS failure.
	taskRouter bool
}

// twilioRegions is the one table of Regions and Edge Locations. Sources (Twilio docs, 2026):
//   - global-infrastructure/understanding-edge-locations: the host is
//     {product}.{edge}.{region}.twilio.com; US1 may be reached through any public edge (ashburn,
//     dublin, frankfurt, sao-paulo, singapore, sydney, tokyo, umatilla).
//   - twilio-cli/general-usage/regional: a regional (non-US1) profile pairs au1 with sydney, ie1 with
//     dublin and jp1 with tokyo, and needs both --region and --edge.
//   - global-infrastructure/regional-product-and-feature-availability and
//     global-infrastructure/taskrouter-with-twilio-regions: TaskRouter is offered in US1 and (public
//     beta) IE1 only.
//
// The private Interconnect edges (ashburn-ix, ...) and "roaming" are left out: a user of those
// points --taskrouter-base-url and --event-bridge-base-url at the host their contract names.
var twilioRegions = []twilioRegion{
	{name: "ie1", edges: []string{"dublin"}, taskRouter: true},
	{name: "us1", edges: []string{"ashburn", "dublin", "frankfurt", "sao-paulo", "singapore", "sydney", "tokyo", "umatilla"}, taskRouter: true},
	{name: "au1", edges: []string{"sydney"}},
	{name: "jp1", edges: []string{"tokyo"}},
}

// regionalTaskRouterURL is TaskRouter's REST base in a region through an edge (documented).
func regionalTaskRouterURL(region, edge string) string {
	return "https://taskrouter." + edge + "." + region + ".twilio.com"
}

// regionalEventBridgeURL is the event-bridge base of a region (assumed: Twilio documents no regional
// event-bridge host; TaskRouter.js derives it from the region alone, event-bridge.{region}.twilio.com,
// and keeps the global host for us1, so the tokens the operator mints match what a browser using
// TaskRouter.js with the same region calls). The edge is unused; it is a parameter so that a
// documented {edge}.{region} form is a one-line change.
func regionalEventBridgeURL(region, _ string) string {
	if region == "us1" {
		return capability.DefaultEventBridgeBaseURL
	}
	return "https://event-bridge." + region + ".twilio.com"
}

// RegionKeys name the region and edge settings the way the user wrote them (Secret keys, environment
// variables), so an error says exactly what to change.
type RegionKeys struct {
	Region, Edge string
}

// SecretRegionKeys are the keys of the credentials Secret (API.md).
var SecretRegionKeys = RegionKeys{Region: "region", Edge: "edge"}

// normaliseLocation trims and lower-cases a region or edge: host names are case-insensitive, and a
// Secret written from a file often ends in a newline.
func normaliseLocation(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// CheckRegion says whether region and edge, as a user gave them, name a pair whose hosts serve
// TaskRouter. Both empty is Twilio's default (US1 through the global hosts). The error names the key
// to change, in the caller's terms, and lists the values that would be valid.
func CheckRegion(region, edge string, keys RegionKeys) error {
	region, edge = normaliseLocation(region), normaliseLocation(edge)
	switch {
	case region == "" && edge == "":
		return nil
	case region == "":
		return fmt.Errorf("%s %q is set but %s is not: set %s to %s",
			keys.Edge, edge, keys.Region, keys.Region, orList(regionsThrough(edge, validRegions())))
	}
	r, known := lookupRegion(region)
	switch {
	case !known:
		return fmt.Errorf("%s %q is not a Twilio Region: set %s to %s",
			keys.Region, region, keys.Region, orList(validRegions()))
	case !r.taskRouter:
		return fmt.Errorf("%s %q: Twilio does not offer TaskRouter in that Region: set %s to %s",
			keys.Region, region, keys.Region, orList(validRegions()))
	case edge == "":
		return fmt.Errorf("%s %q is set but %s is not: set %s to %s",
			keys.Region, region, keys.Edge, keys.Edge, orList(r.edges))
	case !slices.Contains(r.edges, edge):
		return fmt.Errorf("%s %q does not reach %s %q: set %s to %s",
			keys.Edge, edge, keys.Region, region, keys.Edge, orList(r.edges))
	}
	return nil
}

func lookupRegion(name string) (twilioRegion, bool) {
	for _, r := range twilioRegions {
		if r.name == name {
			return r, true
		}
	}
	return twilioRegion{}, false
}

// validRegions are the regions that serve TaskRouter, in the table's order.
func validRegions() []string {
	var out []string
	for _, r := range twilioRegions {
		if r.taskRouter {
			out = append(out, r.name)
		}
	}
	return out
}

// regionsThrough are the names among regions reached through edge; all of them when the edge is unknown.
func regionsThrough(edge string, regions []string) []string {
	var out []string
	for _, name := range regions {
		if r, _ := lookupRegion(name); slices.Contains(r.edges, edge) {
			out = append(out, name)
		}
	}
	if len(out) == 0 {
		return regions
	}
	return out
}

// orList writes values as "a", "a or b", "a, b or c".
func orList(values []string) string {
	if len(values) <= 1 {
		return strings.Join(values, "")
	}
	return strings.Join(values[:len(values)-1], ", ") + " or " + values[len(values)-1]
}

// regionalURLs are the hosts of a checked region and edge, or the zero URLs (the defaults) for none.
func regionalURLs(region, edge string) capability.URLs {
	region, edge = normaliseLocation(region), normaliseLocation(edge)
	if region == "" {
		return capability.URLs{}
	}
	return capability.URLs{TaskRouter: regionalTaskRouterURL(region, edge), EventBridge: regionalEventBridgeURL(region, edge)}
}
