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

package testenv

import (
	"crypto/sha256"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// envtest starts kube-apiserver and etcd in process groups of their own and
// has no hook for parent-death signals, so a test binary or a demo killed
// with SIGKILL (or by go test's -timeout) would leave them running. Each is
// started through hack/supervise instead, which stops it when the process
// that started it dies, however it dies.

// supervisor returns bin/supervise, building it when it is missing (make test
// and make demo build it first; this covers a bare `go test`).
func supervisor() (string, error) {
	bin := filepath.Join(RepoRoot(), "bin", "supervise")
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	// Test binaries of several packages may get here at once: build to a name
	// of our own and rename, so none runs a half-written file.
	tmp := fmt.Sprintf("%s.%d.tmp", bin, os.Getpid())
	cmd := exec.Command("go", "build", "-o", tmp, "./hack/supervise")
	cmd.Dir = RepoRoot()
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("build %s (run `make supervisor`): %w\n%s", bin, err, out)
	}
	if err := os.Rename(tmp, bin); err != nil {
		return "", fmt.Errorf("install %s: %w", bin, err)
	}
	return bin, nil
}

// supervisedBinaries writes one script per control-plane program that runs it
// under supervise and returns their directory. The directory is under bin/,
// one per assets directory, and reused: a test binary killed before Stop
// leaves nothing in /tmp.
func supervisedBinaries(assets string) (string, error) {
	sup, err := supervisor()
	if err != nil {
		return "", err
	}
	dir := filepath.Join(RepoRoot(), "bin", "supervised", fmt.Sprintf("%x", sha256.Sum256([]byte(assets)))[:12])
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("create directory for the supervised control plane: %w", err)
	}
	for _, program := range []string{"kube-apiserver", "etcd"} {
		// exec keeps the pid: envtest signals the pid it started, which is supervise.
		script := fmt.Sprintf("#!/bin/sh\nexec %s -- %s \"$@\"\n", shellQuote(sup), shellQuote(filepath.Join(assets, program)))
		// Other test binaries may be starting one now: write aside and rename.
		tmp := filepath.Join(dir, fmt.Sprintf(".%s.%d", program, os.Getpid()))
		if err := os.WriteFile(tmp, []byte(script), 0o755); err != nil {
			return "", fmt.Errorf("write supervised %s: %w", program, err)
		}
		if err := os.Rename(tmp, filepath.Join(dir, program)); err != nil {
			return "", fmt.Errorf("install supervised %s: %w", program, err)
		}
	}
	return dir, nil
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
