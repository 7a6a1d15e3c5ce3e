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

package e2e

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// TestChartPassesBaseURLsOnlyWhenSet: the manager treats a base-URL flag given on the command line
// as an override of every credentials Secret's region and edge, so the chart must not pass one by
// default, or no Secret's region would ever be honoured.
func TestChartPassesBaseURLsOnlyWhenSet(t *testing.T) {
	tests := []struct {
		name string
		set  []string
		want []string
	}{
		{"default values", nil, nil},
		{"both set", []string{"--set", "manager.taskRouterBaseURL=http://emulator:8080", "--set", "manager.eventBridgeBaseURL=http://emulator:8080"},
			[]string{"--taskrouter-base-url=http://emulator:8080", "--event-bridge-base-url=http://emulator:8080"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, obj := range decodeObjects(t, helm(t, append([]string{"template", "tr", chartDir}, tt.set...)...)) {
				if obj.GetKind() != "Deployment" {
					continue
				}
				var d appsv1.Deployment
				must(t, runtime.DefaultUnstructuredConverter.FromUnstructured(obj.Object, &d))
				for _, arg := range d.Spec.Template.Spec.Containers[0].Args {
					if strings.Contains(arg, "-base-url") {
						got = append(got, arg)
					}
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("base-URL flags of the manager (-want +got):\n%s", diff)
			}
		})
	}
}
