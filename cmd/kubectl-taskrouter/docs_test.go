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

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// documentedRun is a ```console block of the docs that runs the plugin.
type documentedRun struct {
	where  string
	args   []string
	output string
}

// documentedRuns finds the console blocks starting with "$ kubectl taskrouter".
func documentedRuns(t *testing.T, files ...string) []documentedRun {
	t.Helper()
	var runs []documentedRun
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		blocks := strings.Split(string(data), "```console\n")
		for _, block := range blocks[1:] {
			body, _, _ := strings.Cut(block, "```")
			command, output, _ := strings.Cut(body, "\n")
			if args, ok := strings.CutPrefix(command, "$ kubectl taskrouter "); ok {
				runs = append(runs, documentedRun{where: file + ": " + command, args: shellWords(t, args), output: output})
			}
		}
	}
	return runs
}

// The output the README and docs/plugin.md show is what the plugin prints.
func TestDocumentedOutput(t *testing.T) {
	t.Chdir(filepath.Join("..", ".."))
	runs := documentedRuns(t, "README.md", filepath.Join("docs", "plugin.md"))
	if len(runs) < 4 {
		t.Fatalf("found %d documented runs, want the README's and docs/plugin.md's", len(runs))
	}
	for _, r := range runs {
		want, got := r.output, r.run(t)
		if r.callsTaskRouter() {
			want, got = sameSIDs(want), sameSIDs(got)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: output differs from the docs (-docs +plugin):\n%s", r.where, diff)
		}
	}
}

// documentedBaseURL is the emulator address the docs show; the test puts its own in its place.
const documentedBaseURL = "http://127.0.0.1:8080"

func (r documentedRun) callsTaskRouter() bool { return slices.Contains(r.args, documentedBaseURL) }

// run runs the documented command. One that calls TaskRouter runs against a new emulator holding
// the contact center the docs describe (fixture_test.go), with its credentials in the environment
// and its address in place of the documented one; --dir writes into a temporary directory, named
// in the output as documented.
func (r documentedRun) run(t *testing.T) string {
	if !r.callsTaskRouter() {
		got := runPlugin(t, "", nil, r.args...)
		return got.out + got.errOut
	}
	c := newContactCenter(t)
	args := slices.Clone(r.args)
	replacements := map[string]string{}
	for i, arg := range args {
		switch {
		case arg == documentedBaseURL:
			args[i] = c.url
		case i > 0 && args[i-1] == "--dir":
			args[i] = filepath.Join(t.TempDir(), arg)
			replacements[args[i]] = arg
		}
	}
	got := runPlugin(t, "", c.env(), args...)
	out := got.out + got.errOut
	for tmp, documented := range replacements {
		out = strings.ReplaceAll(out, tmp, documented)
	}
	return out
}

var sid = regexp.MustCompile(`\b(WS|WA|WQ|WW|WK|TC)[0-9a-f]{32}\b`)

// sameSIDs names every SID by its prefix and the order it first appears in, so that the docs'
// SIDs and those of the test's emulator compare equal when they stand for the same objects.
func sameSIDs(text string) string {
	seen := map[string]string{}
	return sid.ReplaceAllStringFunc(text, func(s string) string {
		if _, ok := seen[s]; !ok {
			seen[s] = fmt.Sprintf("%s<%d>", s[:2], len(seen)+1)
		}
		return seen[s]
	})
}

// shellWords splits a command line as a shell would for the docs' commands: words separated by
// spaces, '...' and "..." quoting (a backslash escapes a character inside double quotes).
func shellWords(t *testing.T, line string) []string {
	t.Helper()
	var words []string
	var word strings.Builder
	inWord := false
	var quote rune
	runes := []rune(line)
	for i := 0; i < len(runes); i++ {
		r := runes[i]
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote == '"' && r == '\\' && i+1 < len(runes):
			i++
			word.WriteRune(runes[i])
		case quote != 0:
			word.WriteRune(r)
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == ' ':
			if inWord {
				words = append(words, word.String())
				word.Reset()
				inWord = false
			}
		default:
			word.WriteRune(r)
			inWord = true
		}
	}
	if quote != 0 {
		t.Fatalf("unterminated quote in %q", line)
	}
	if inWord {
		words = append(words, word.String())
	}
	return words
}

func TestShellWords(t *testing.T) {
	tests := []struct {
		line string
		want []string
	}{
		{`lint -f config/samples`, []string{"lint", "-f", "config/samples"}},
		{`export --workspace "Acme Support"  --workers`, []string{"export", "--workspace", "Acme Support", "--workers"}},
		{`preview --task '{"a":"b c"}' --target-workers "x == \"y\""`, []string{"preview", "--task", `{"a":"b c"}`, "--target-workers", `x == "y"`}},
		{`x ''`, []string{"x", ""}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, shellWords(t, tt.line)); diff != "" {
			t.Errorf("shellWords(%q) (-want +got):\n%s", tt.line, diff)
		}
	}
}
