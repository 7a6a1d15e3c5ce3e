package lint

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzLint feeds arbitrary files to Lint: whatever the input, it must
// return findings placed in the file, never panic or hang.
func FuzzLint(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*", "*.yaml"))
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(data))
	}
	f.Add("a: &a [*a]")
	f.Add("apiVersion: taskrouter.operator.dev/v1alpha1\nkind: Worker\nspec: {channels: [{capacity: 99999999999}]}")
	f.Fuzz(func(t *testing.T, data string) {
		report := Lint([]Source{{Name: "f.yaml", Data: []byte(data)}}, Options{})
		lines := strings.Count(data, "\n") + 1
		for _, finding := range report.Findings {
			if finding.File != "f.yaml" || finding.Line < 0 || finding.Line > lines || finding.Message == "" {
				t.Fatalf("finding outside the file or without a message: %+v", finding)
			}
		}
	})
}
