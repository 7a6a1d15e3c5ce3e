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
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	"github.com/taskrouter-operator/taskrouter-operator/internal/metrics"
	"github.com/taskrouter-operator/taskrouter-operator/internal/testenv"
)

// ruleFile writes the groups of a PrometheusRule as a Prometheus rule file in dir.
func ruleFile(t *testing.T, rule *unstructured.Unstructured, dir string) string {
	t.Helper()
	spec, ok := rule.Object["spec"]
	if !ok {
		t.Fatalf("PrometheusRule %s has no spec", rule.GetName())
	}
	data, err := yaml.Marshal(spec)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "rules.yaml")
	must(t, os.WriteFile(path, data, 0o644))
	return path
}

func promtool(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command(tool(t, "promtool"), args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("promtool %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// TestAlertRules checks config/prometheus/alerts.yaml with promtool and runs
// its unit tests (config/prometheus/alerts_test.yaml): each alert fires on the
// input series it is meant for, with its labels and annotations, and stays
// quiet on the others. The chart's rendering with changed thresholds must be
// valid too.
func TestAlertRules(t *testing.T) {
	root := testenv.RepoRoot()
	data, err := os.ReadFile(filepath.Join(root, "config", "prometheus", "alerts.yaml"))
	must(t, err)
	dir := t.TempDir()
	ruleFile(t, decodeObjects(t, data)[0], dir)
	tests, err := os.ReadFile(filepath.Join(root, "config", "prometheus", "alerts_test.yaml"))
	must(t, err)
	must(t, os.WriteFile(filepath.Join(dir, "alerts_test.yaml"), tests, 0o644))
	promtool(t, dir, "check", "rules", "rules.yaml")
	promtool(t, dir, "test", "rules", "alerts_test.yaml")

	chartDirOut := t.TempDir()
	rendered := decodeObjects(t, helm(t, "template", "tr", chartDir, "-f", chartDir+"/ci/namespaced-values.yaml"))
	for _, obj := range rendered {
		if obj.GetKind() == "PrometheusRule" {
			ruleFile(t, obj, chartDirOut)
			promtool(t, chartDirOut, "check", "rules", "rules.yaml")
			return
		}
	}
	t.Fatal("the chart with prometheusRule.enabled renders no PrometheusRule")
}

// TestAlertsReadExportedMetrics: every metric an alert reads is one the
// manager registers, its own and the mirrored figures (a histogram's _count,
// _sum and _bucket included), so a renamed metric cannot silence an alert.
func TestAlertsReadExportedMetrics(t *testing.T) {
	exported := map[string]bool{}
	reg := &recorder{}
	m, err := metrics.New(reg)
	must(t, err)
	// The mirrored figures' collector, as the statistics controller registers it.
	must(t, m.AddFigures(metrics.FiguresCollector(func(*metrics.Figures) {})))
	descs := make(chan *prometheus.Desc)
	go func() {
		for _, c := range reg.collectors {
			c.Describe(descs)
		}
		close(descs)
	}()
	families := regexp.MustCompile(`fqName: "([a-z_]+)"`)
	for d := range descs {
		if name := families.FindStringSubmatch(d.String()); name != nil {
			for _, suffix := range []string{"", "_count", "_sum", "_bucket"} {
				exported[name[1]+suffix] = true
			}
		}
	}
	data, err := os.ReadFile(filepath.Join(testenv.RepoRoot(), "config", "prometheus", "alerts.yaml"))
	must(t, err)
	var unknown []string
	for _, name := range regexp.MustCompile(`taskrouter_[a-z_]+`).FindAllString(string(data), -1) {
		if !exported[name] {
			unknown = append(unknown, name)
		}
	}
	sort.Strings(unknown)
	if len(unknown) > 0 || len(exported) == 0 {
		t.Fatalf("alerts read metrics the manager does not export: %v", unknown)
	}
}

// recorder is a Registerer that keeps what is registered, to list the names.
type recorder struct{ collectors []prometheus.Collector }

func (r *recorder) Register(c prometheus.Collector) error {
	r.collectors = append(r.collectors, c)
	return nil
}

func (r *recorder) MustRegister(cs ...prometheus.Collector) {
	r.collectors = append(r.collectors, cs...)
}

func (r *recorder) Unregister(prometheus.Collector) bool { return false }
