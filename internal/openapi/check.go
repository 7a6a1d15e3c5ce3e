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

package openapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// errorEnvelope lists the properties of TaskRouter's error body. The spec
// documents no error responses; these come from the REST API's published
// error format (NOTES.md), so non-2xx bodies are held to them.
var errorEnvelope = []string{"code", "message", "more_info", "status"}

// CheckRequest returns an error naming each problem with a request: unknown
// path or method, a query or body parameter name the operation does not have
// (exact, case-sensitive), a value outside an enum or a numeric range, a value
// of the wrong type, or a missing required parameter. form holds the body
// parameters: the form-encoded body, or the top-level keys of a JSON body.
// A JSON body whose schema declares no properties (the bulk
// TaskQueues/RealTimeStatistics call) accepts any key.
func (c *Catalogue) CheckRequest(method, path string, query, form url.Values) error {
	op, err := c.lookup(method, path)
	if err != nil {
		return err
	}
	var problems []string
	problems = append(problems, checkParams("query", op.QueryParams, query, false)...)
	switch {
	case op.BodyType == "form":
		problems = append(problems, checkParams("form", op.FormParams, form, false)...)
	case op.BodyType == "json":
		problems = append(problems, checkParams("json body", op.JSONBody, form, len(op.JSONBody) == 0)...)
	case len(form) > 0:
		problems = append(problems, fmt.Sprintf("%s takes no body, got %s", op.OperationID, strings.Join(sortedKeys(form), ", ")))
	}
	return joinProblems(op, problems)
}

// CheckResponse returns an error listing every property the operation's
// response schema for status has that the decoded JSON body lacks; for list
// responses it also checks meta (including that meta.key names the records)
// and every record. A 2xx status the operation does not document is a problem,
// 204 must have an empty body, and other statuses must carry TaskRouter's
// error envelope.
func (c *Catalogue) CheckResponse(method, path string, status int, body []byte) error {
	op, err := c.lookup(method, path)
	if err != nil {
		return err
	}
	if status < 200 || status > 299 {
		return joinProblems(op, checkObject("error body", errorEnvelope, body))
	}
	resp, ok := op.Responses[status]
	if !ok {
		return joinProblems(op, []string{fmt.Sprintf("status %d is not documented (documented: %s)", status, documentedStatuses(op))})
	}
	if status == 204 || len(resp.Properties) == 0 {
		if len(strings.TrimSpace(string(body))) > 0 {
			return joinProblems(op, []string{fmt.Sprintf("status %d must have an empty body", status)})
		}
		return nil
	}
	problems := checkObject("response", resp.Properties, body)
	if resp.ListKey != "" && len(problems) == 0 {
		problems = checkList(resp, body)
	}
	return joinProblems(op, problems)
}

// lookup finds the operation or explains which of path and method is unknown.
func (c *Catalogue) lookup(method, path string) (*Operation, error) {
	if op, ok := c.Operation(method, path); ok {
		return op, nil
	}
	if methods := c.Methods(path); methods != nil {
		return nil, fmt.Errorf("openapi: method %s is not documented for %s (documented: %s)", strings.ToUpper(method), cleanPath(path), strings.Join(methods, ", "))
	}
	return nil, fmt.Errorf("openapi: unknown path %s", cleanPath(path))
}

// checkParams reports unknown names (unless open), missing required ones and bad values.
func checkParams(where string, params []Param, values url.Values, open bool) []string {
	var problems []string
	for _, name := range sortedKeys(values) {
		i := slices.IndexFunc(params, func(p Param) bool { return p.Name == name })
		if i < 0 {
			if !open {
				problems = append(problems, fmt.Sprintf("unknown %s parameter %q", where, name))
			}
			continue
		}
		for _, v := range values[name] {
			if msg := checkValue(params[i], v); msg != "" {
				problems = append(problems, fmt.Sprintf("%s parameter %s: %s", where, name, msg))
			}
		}
	}
	for _, p := range params {
		if _, ok := values[p.Name]; p.Required && !ok {
			problems = append(problems, fmt.Sprintf("missing required %s parameter %s", where, p.Name))
		}
	}
	return problems
}

// checkValue returns what is wrong with one value of a parameter, or "".
func checkValue(p Param, v string) string {
	typ := p.Type
	if typ == "array" {
		typ = p.ItemType
	}
	if len(p.Enum) > 0 && !slices.Contains(p.Enum, v) {
		return fmt.Sprintf("value %q is not one of %s", v, strings.Join(p.Enum, ", "))
	}
	switch typ {
	case "integer", "number":
		n, err := strconv.ParseFloat(v, 64)
		if err != nil || (typ == "integer" && n != float64(int64(n))) {
			return fmt.Sprintf("value %q is not a%s %s", v, article(typ), typ)
		}
		if p.Min != nil && n < *p.Min {
			return fmt.Sprintf("value %s is below the minimum %s", v, formatFloat(*p.Min))
		}
		if p.Max != nil && n > *p.Max {
			return fmt.Sprintf("value %s is above the maximum %s", v, formatFloat(*p.Max))
		}
	case "boolean":
		if v != "true" && v != "false" {
			return fmt.Sprintf("value %q is not true or false", v)
		}
	}
	return ""
}

// checkObject decodes body as a JSON object and lists the wanted properties it lacks.
func checkObject(what string, want []string, body []byte) []string {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(body, &obj); err != nil {
		return []string{fmt.Sprintf("%s is not a JSON object: %v", what, err)}
	}
	return missing(what, want, obj)
}

func missing(what string, want []string, obj map[string]json.RawMessage) []string {
	var lacks []string
	for _, name := range want {
		if _, ok := obj[name]; !ok {
			lacks = append(lacks, name)
		}
	}
	if len(lacks) == 0 {
		return nil
	}
	return []string{fmt.Sprintf("%s lacks %s", what, strings.Join(lacks, ", "))}
}

// checkList checks a list response's meta object and each record.
func checkList(resp Response, body []byte) []string {
	// checkObject has already proved body is an object holding both properties.
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil {
		return []string{fmt.Sprintf("response is not a JSON object: %v", err)}
	}
	var meta map[string]json.RawMessage
	if err := json.Unmarshal(raw["meta"], &meta); err != nil || meta == nil {
		return []string{"response meta is not a JSON object"}
	}
	var records []map[string]json.RawMessage
	if err := json.Unmarshal(raw[resp.ListKey], &records); err != nil || records == nil {
		return []string{fmt.Sprintf("response %s is not a JSON array of objects", resp.ListKey)}
	}
	problems := missing("meta", resp.MetaProperties, meta)
	var key string
	if k, ok := meta["key"]; ok && (json.Unmarshal(k, &key) != nil || key != resp.ListKey) {
		problems = append(problems, fmt.Sprintf("meta.key is %s, want %q", string(k), resp.ListKey))
	}
	for i, rec := range records {
		problems = append(problems, missing(fmt.Sprintf("%s[%d]", resp.ListKey, i), resp.ItemProperties, rec)...)
	}
	return problems
}

func joinProblems(op *Operation, problems []string) error {
	if len(problems) == 0 {
		return nil
	}
	errs := make([]error, len(problems))
	for i, p := range problems {
		errs[i] = fmt.Errorf("openapi: %s %s (%s): %s", op.Method, op.PathTemplate, op.OperationID, p)
	}
	return errors.Join(errs...)
}

func documentedStatuses(op *Operation) string {
	codes := make([]int, 0, len(op.Responses))
	for code := range op.Responses {
		codes = append(codes, code)
	}
	sort.Ints(codes)
	parts := make([]string, len(codes))
	for i, code := range codes {
		parts[i] = strconv.Itoa(code)
	}
	return strings.Join(parts, ", ")
}

func sortedKeys(values url.Values) []string {
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func article(typ string) string {
	if typ == "integer" {
		return "n"
	}
	return ""
}

func formatFloat(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
