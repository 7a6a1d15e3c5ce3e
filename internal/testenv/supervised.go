package testenv

import (
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

// supervisedBinaries writes, in a new directory, one script per control-plane
// program that runs it under supervise, and returns the directory.
func supervisedBinaries(assets string) (string, error) {
	sup, err := supervisor()
	if err != nil {
		return "", err
	}
	dir, err := os.MkdirTemp("", "taskrouter-controlplane-")
	if err != nil {
		return "", fmt.Errorf("create directory for the supervised control plane: %w", err)
	}
	for _, program := range []string{"kube-apiserver", "etcd"} {
		// exec keeps the pid: envtest signals the pid it started, which is supervise.
		script := fmt.Sprintf("#!/bin/sh\nexec %s -- %s \"$@\"\n", shellQuote(sup), shellQuote(filepath.Join(assets, program)))
		if err := os.WriteFile(filepath.Join(dir, program), []byte(script), 0o755); err != nil {
			_ = os.RemoveAll(dir)
			return "", fmt.Errorf("write supervised %s: %w", program, err)
		}
	}
	return dir, nil
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
