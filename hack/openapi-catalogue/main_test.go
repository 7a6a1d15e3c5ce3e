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
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/taskrouter-operator/taskrouter-operator/internal/openapi"
)

// specPath is the official spec vendored in the repository (third_party/twilio-oai, with its licence and provenance).
const specPath = "../../third_party/twilio-oai/twilio_taskrouter_v1.json"

const committedCatalogue = "../../internal/openapi/catalogue.json"

func requireSpec(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(specPath); err != nil {
		abs, _ := filepath.Abs(specPath)
		t.Fatalf("the TaskRouter OpenAPI spec is expected at %s (third_party/twilio-oai): %v", abs, err)
	}
}

func TestGenerateIsDeterministic(t *testing.T) {
	requireSpec(t)
	dir := t.TempDir()
	first, second := filepath.Join(dir, "first.json"), filepath.Join(dir, "second.json")
	for _, out := range []string{first, second} {
		if err := run(specPath, out); err != nil {
			t.Fatalf("run: %v", err)
		}
	}
	a, errA := os.ReadFile(first)
	b, errB := os.ReadFile(second)
	if errA != nil || errB != nil {
		t.Fatalf("read outputs: %v, %v", errA, errB)
	}
	if !bytes.Equal(a, b) {
		t.Fatalf("two generations differ (%d vs %d bytes)", len(a), len(b))
	}
}

func TestCommittedCatalogueIsFresh(t *testing.T) {
	requireSpec(t)
	out := filepath.Join(t.TempDir(), "catalogue.json")
	if err := run(specPath, out); err != nil {
		t.Fatalf("run: %v", err)
	}
	fresh, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadFile(committedCatalogue)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(committed), string(fresh)); diff != "" {
		t.Fatalf("internal/openapi/catalogue.json is stale; regenerate it (see the doc comment of hack/openapi-catalogue). Diff (-committed +fresh):\n%s", diff)
	}
}

func TestCommittedCatalogueHoldsNoProse(t *testing.T) {
	committed, err := os.ReadFile(committedCatalogue)
	if err != nil {
		t.Fatal(err)
	}
	for _, word := range []string{`"description":`, `"summary":`, `"example`, "https://"} {
		if strings.Contains(string(committed), word) {
			t.Errorf("catalogue contains %s: only facts may be committed", word)
		}
	}
}

// miniSpec exercises $ref resolution, list detection, array enums and the
// dropping of prose on a spec small enough to read.
const miniSpec = `{
 "components": {"schemas": {
  "thing": {"type": "object", "description": "prose", "properties": {
    "sid": {"type": "string"}, "order": {"$ref": "#/components/schemas/thing_enum_order"}}},
  "thing_enum_order": {"type": "string", "enum": ["FIFO", "LIFO"]}
 }},
 "paths": {"/v1/Things": {
  "description": "prose", "servers": [],
  "get": {"operationId": "ListThing", "description": "prose",
   "parameters": [
    {"name": "PageSize", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000}},
    {"name": "Status", "in": "query", "schema": {"type": "array", "items": {"$ref": "#/components/schemas/thing_enum_order"}}}],
   "responses": {"200": {"content": {"application/json": {"schema": {"type": "object", "properties": {
     "things": {"type": "array", "items": {"$ref": "#/components/schemas/thing"}},
     "meta": {"type": "object", "properties": {"key": {"type": "string"}, "page": {"type": "integer"}}}}}}}}}},
  "post": {"operationId": "CreateThing",
   "requestBody": {"content": {"application/x-www-form-urlencoded": {"schema": {"type": "object",
     "required": ["Name"], "properties": {"Name": {"type": "string"}, "Order": {"$ref": "#/components/schemas/thing_enum_order"},
     "Callback": {"type": "string", "format": "uri"}}}}}},
   "responses": {"201": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/thing"}}}}}}
 }}
}`

func TestGenerateDigestsMiniSpec(t *testing.T) {
	out, err := generate([]byte(miniSpec))
	if err != nil {
		t.Fatalf("generate: %v", err)
	}
	cat, err := openapi.Parse(out)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	one, thousand := 1.0, 1000.0
	want := &openapi.Catalogue{
		Operations: []*openapi.Operation{
			{Method: "GET", PathTemplate: "/v1/Things", OperationID: "ListThing",
				QueryParams: []openapi.Param{
					{Name: "PageSize", Type: "integer", Min: &one, Max: &thousand},
					{Name: "Status", Type: "array", ItemType: "string", Enum: []string{"FIFO", "LIFO"}},
				},
				Responses: map[int]openapi.Response{200: {
					Properties: []string{"meta", "things"}, ListKey: "things",
					MetaProperties: []string{"key", "page"}, ItemProperties: []string{"order", "sid"},
				}}},
			{Method: "POST", PathTemplate: "/v1/Things", OperationID: "CreateThing", BodyType: "form",
				FormParams: []openapi.Param{
					{Name: "Callback", Type: "string", Format: "uri"},
					{Name: "Name", Type: "string", Required: true},
					{Name: "Order", Type: "string", Enum: []string{"FIFO", "LIFO"}},
				},
				Responses: map[int]openapi.Response{201: {Properties: []string{"order", "sid"}}}},
		},
		Schemas: map[string]openapi.Schema{
			"thing":            {Type: "object", Properties: []string{"order", "sid"}, PropertyEnums: map[string][]string{"order": {"FIFO", "LIFO"}}},
			"thing_enum_order": {Type: "string", Enum: []string{"FIFO", "LIFO"}},
		},
	}
	if diff := cmp.Diff(want, cat, cmpopts.IgnoreUnexported(openapi.Catalogue{})); diff != "" {
		t.Fatalf("catalogue (-want +got):\n%s", diff)
	}
	if strings.Contains(string(out), "prose") {
		t.Errorf("catalogue kept a description: %s", out)
	}
}

func TestGenerateRejectsBrokenSpecs(t *testing.T) {
	tests := []struct {
		name, spec, wantErr string
	}{
		{"not JSON", `{`, "decode spec"},
		{"dangling $ref", `{"paths": {"/v1/X": {"get": {"operationId": "FetchX", "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/missing"}}}}}}}}}`, "names no component schema"},
		{"missing operationId", `{"paths": {"/v1/X": {"get": {"responses": {}}}}}`, "no operationId"},
		{"cyclic $ref", `{"components": {"schemas": {"a": {"$ref": "#/components/schemas/a"}}}, "paths": {"/v1/X": {"get": {"operationId": "FetchX", "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/a"}}}}}}}}}`, "$ref chain"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := generate([]byte(tt.spec))
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("generate error = %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}
