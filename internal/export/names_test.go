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

package export

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/util/validation"
)

func TestDNSLabel(t *testing.T) {
	long := "A very long friendly name that goes on and on well past sixty-three characters in all"
	tests := []struct{ name, want string }{
		{"General Support", "general-support"},
		{"Billing", "billing"},
		{"  Tier 2 -- VIP!  ", "tier-2-vip"},
		{"Español", "espanol"},
		{"Ünïcödé Qüeue", "unicode-queue"},
		{"under_score.dot", "under-score-dot"},
		{"日本語", ""},
		{"---", ""},
		{long, "a-very-long-friendly-name-that-goes-on-and-on-well-past-sixty-t"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := dnsLabel(tt.name)
			if got != tt.want {
				t.Errorf("dnsLabel(%q) = %q, want %q", tt.name, got, tt.want)
			}
			if got != "" {
				if errs := validation.IsDNS1123Label(got); len(errs) > 0 {
					t.Errorf("dnsLabel(%q) = %q is not a DNS-1123 label: %v", tt.name, got, errs)
				}
			}
		})
	}
}

// Names that derive alike are told apart by SID digits; the object already named exactly so keeps
// the bare name; the result does not depend on the order objects come in.
func TestAssignNames(t *testing.T) {
	objects := []remoteObject{
		{"WQ00000000000000000000000000000003", "Support"},
		{"WQ00000000000000000000000000000002", "support"},
		{"WQabcdef00000000000000000000000001", "SUPPORT!"},
		{"WQ00000000000000000000000000000004", "Billing"},
		{"WQ00000000000000000000000000000005", "日本語"},
		{"WQ00000000000000000000000000000006", "中文"},
		{"WQ00000000000000000000000000000007", "support-000000"},
	}
	want := map[string]string{
		"WQ00000000000000000000000000000002": "support",
		"WQabcdef00000000000000000000000001": "support-abcdef",
		"WQ00000000000000000000000000000003": "support-0000000", // support-000000 is another queue's name
		"WQ00000000000000000000000000000004": "billing",
		"WQ00000000000000000000000000000005": "taskqueue-000000",
		"WQ00000000000000000000000000000006": "taskqueue",
		"WQ00000000000000000000000000000007": "support-000000",
	}
	for range 3 {
		got := assignNames(objects, "taskqueue")
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("names (-want +got):\n%s", diff)
		}
		slices.Reverse(objects)
	}
}
