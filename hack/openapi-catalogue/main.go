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

// Command openapi-catalogue digests the official TaskRouter v1 OpenAPI spec into
// internal/openapi/catalogue.json: for every path and method the operationId,
// parameters, body parameters and response properties, plus the component
// schemas' property names and enums, with $refs resolved. Descriptions and
// examples are dropped, so only facts are committed, and the output is sorted
// so that regenerating from the same spec gives the same bytes.
//
// Regenerate from the repository root (the spec is vendored in third_party/twilio-oai):
//
//	go run ./hack/openapi-catalogue
//
// The program reuses internal/openapi's types, and that package embeds the
// catalogue, so catalogue.json must exist (any content) for this to build:
// restore it with git if it was deleted.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"github.com/taskrouter-operator/taskrouter-operator/internal/openapi"
)

func main() {
	specPath := flag.String("spec", "third_party/twilio-oai/twilio_taskrouter_v1.json", "path of the TaskRouter v1 OpenAPI spec (JSON)")
	outPath := flag.String("out", "internal/openapi/catalogue.json", "where to write the catalogue")
	flag.Parse()
	if err := run(*specPath, *outPath); err != nil {
		fmt.Fprintln(os.Stderr, "openapi-catalogue:", err)
		os.Exit(1)
	}
}

// run reads the spec at specPath and writes its catalogue to outPath.
func run(specPath, outPath string) error {
	raw, err := os.ReadFile(specPath)
	if err != nil {
		return fmt.Errorf("read spec: %w", err)
	}
	out, err := generate(raw)
	if err != nil {
		return fmt.Errorf("digest %s: %w", specPath, err)
	}
	if err := os.WriteFile(outPath, out, 0o644); err != nil {
		return fmt.Errorf("write catalogue: %w", err)
	}
	return nil
}

// generate turns the spec's bytes into the catalogue's bytes.
func generate(raw []byte) ([]byte, error) {
	var s spec
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, fmt.Errorf("decode spec: %w", err)
	}
	cat, err := s.catalogue()
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", " ")
	// Keep expressions such as "1==1" or "<" readable if they ever appear.
	enc.SetEscapeHTML(false)
	if err := enc.Encode(cat); err != nil {
		return nil, fmt.Errorf("encode catalogue: %w", err)
	}
	// Parsing back proves the file is one internal/openapi can embed.
	if _, err := openapi.Parse(buf.Bytes()); err != nil {
		return nil, fmt.Errorf("catalogue does not parse back: %w", err)
	}
	return buf.Bytes(), nil
}
