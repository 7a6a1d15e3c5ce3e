// Package e2e holds the tests that exercise what users run: `make demo`, and the
// kustomize install in config/default against a real API server.
package e2e
