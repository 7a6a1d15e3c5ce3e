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
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/taskrouter-operator/taskrouter-operator/internal/openapi"
)

// spec is the subset of an OpenAPI 3 document the catalogue needs.
type spec struct {
	Paths      map[string]map[string]json.RawMessage `json:"paths"`
	Components struct {
		Schemas map[string]*schema `json:"schemas"`
	} `json:"components"`
}

type schema struct {
	Ref        string             `json:"$ref"`
	Type       string             `json:"type"`
	Format     string             `json:"format"`
	Enum       []any              `json:"enum"`
	Properties map[string]*schema `json:"properties"`
	Items      *schema            `json:"items"`
	Required   []string           `json:"required"`
	Minimum    *float64           `json:"minimum"`
	Maximum    *float64           `json:"maximum"`
}

type operation struct {
	OperationID string      `json:"operationId"`
	Parameters  []parameter `json:"parameters"`
	RequestBody *struct {
		Content map[string]struct {
			Schema *schema `json:"schema"`
		} `json:"content"`
	} `json:"requestBody"`
	Responses map[string]struct {
		Content map[string]struct {
			Schema *schema `json:"schema"`
		} `json:"content"`
	} `json:"responses"`
}

type parameter struct {
	Name     string  `json:"name"`
	In       string  `json:"in"`
	Required bool    `json:"required"`
	Schema   *schema `json:"schema"`
}

const (
	refPrefix   = "#/components/schemas/"
	formContent = "application/x-www-form-urlencoded"
	jsonContent = "application/json"
)

// httpMethods are the path item keys that are operations; the rest (servers,
// description, x-twilio) are not.
var httpMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// catalogue builds the sorted digest of the whole spec.
func (s *spec) catalogue() (*openapi.Catalogue, error) {
	cat := &openapi.Catalogue{Schemas: map[string]openapi.Schema{}}
	paths := make([]string, 0, len(s.Paths))
	for p := range s.Paths {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, path := range paths {
		for _, method := range httpMethods {
			raw, ok := s.Paths[path][method]
			if !ok {
				continue
			}
			var op operation
			if err := json.Unmarshal(raw, &op); err != nil {
				return nil, fmt.Errorf("decode %s %s: %w", method, path, err)
			}
			digest, err := s.operation(strings.ToUpper(method), path, &op)
			if err != nil {
				return nil, fmt.Errorf("%s %s: %w", strings.ToUpper(method), path, err)
			}
			cat.Operations = append(cat.Operations, digest)
		}
	}
	sort.SliceStable(cat.Operations, func(i, j int) bool {
		a, b := cat.Operations[i], cat.Operations[j]
		return a.PathTemplate < b.PathTemplate || (a.PathTemplate == b.PathTemplate && a.Method < b.Method)
	})
	for name := range s.Components.Schemas {
		digest, err := s.schemaDigest(name)
		if err != nil {
			return nil, fmt.Errorf("schema %s: %w", name, err)
		}
		cat.Schemas[name] = digest
	}
	return cat, nil
}

// operation digests one operation: parameters by location, body, responses.
func (s *spec) operation(method, path string, op *operation) (*openapi.Operation, error) {
	if op.OperationID == "" {
		return nil, fmt.Errorf("no operationId")
	}
	out := &openapi.Operation{Method: method, PathTemplate: path, OperationID: op.OperationID, Responses: map[int]openapi.Response{}}
	for _, p := range op.Parameters {
		param, err := s.param(p.Name, p.Schema, p.Required)
		if err != nil {
			return nil, fmt.Errorf("parameter %s: %w", p.Name, err)
		}
		switch p.In {
		case "path":
			out.PathParams = append(out.PathParams, p.Name)
		case "query":
			out.QueryParams = append(out.QueryParams, param)
		case "header":
			out.HeaderParams = append(out.HeaderParams, param)
		default:
			return nil, fmt.Errorf("parameter %s: unsupported location %q", p.Name, p.In)
		}
	}
	sortParams(out.QueryParams)
	sortParams(out.HeaderParams)
	if err := s.body(out, op); err != nil {
		return nil, err
	}
	for code, r := range op.Responses {
		status, err := strconv.Atoi(code)
		if err != nil {
			return nil, fmt.Errorf("response code %q: %w", code, err)
		}
		resp, err := s.response(r.Content[jsonContent].Schema)
		if err != nil {
			return nil, fmt.Errorf("response %d: %w", status, err)
		}
		out.Responses[status] = resp
	}
	return out, nil
}

// body digests the request body, preferring the form encoding TaskRouter uses.
func (s *spec) body(out *openapi.Operation, op *operation) error {
	if op.RequestBody == nil {
		return nil
	}
	for _, ct := range []string{formContent, jsonContent} {
		c, ok := op.RequestBody.Content[ct]
		if !ok {
			continue
		}
		params, err := s.objectParams(c.Schema)
		if err != nil {
			return fmt.Errorf("%s body: %w", ct, err)
		}
		if ct == formContent {
			out.BodyType, out.FormParams = "form", params
		} else {
			out.BodyType, out.JSONBody = "json", params
		}
		return nil
	}
	return fmt.Errorf("request body has no %s or %s content", formContent, jsonContent)
}

// objectParams turns an object schema's properties into sorted parameters.
func (s *spec) objectParams(sc *schema) ([]openapi.Param, error) {
	sc, err := s.resolve(sc)
	if err != nil || sc == nil {
		return nil, err
	}
	var params []openapi.Param
	for name, prop := range sc.Properties {
		p, err := s.param(name, prop, contains(sc.Required, name))
		if err != nil {
			return nil, fmt.Errorf("property %s: %w", name, err)
		}
		params = append(params, p)
	}
	sortParams(params)
	return params, nil
}

// param digests one parameter's schema; for arrays the enum is the items'.
func (s *spec) param(name string, sc *schema, required bool) (openapi.Param, error) {
	sc, err := s.resolve(sc)
	if err != nil {
		return openapi.Param{}, err
	}
	p := openapi.Param{Name: name, Required: required}
	if sc == nil {
		return p, nil
	}
	p.Type, p.Format, p.Min, p.Max = sc.Type, sc.Format, sc.Minimum, sc.Maximum
	enumSource := sc
	if sc.Type == "array" && sc.Items != nil {
		items, err := s.resolve(sc.Items)
		if err != nil {
			return openapi.Param{}, fmt.Errorf("items: %w", err)
		}
		p.ItemType, enumSource = items.Type, items
	}
	p.Enum, err = enumStrings(enumSource.Enum)
	return p, err
}
