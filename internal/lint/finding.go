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

package lint

import (
	"cmp"
	"fmt"
	"slices"
)

// Severity says whether a finding fails the lint.
type Severity string

const (
	// Error is something the API server, the operator or TaskRouter would refuse.
	Error Severity = "error"
	// Warning is valid but very likely not what the author meant.
	Warning Severity = "warning"
)

// Finding is one problem at one place.
type Finding struct {
	// File is the file as it was named on the command line (or found under a
	// directory named there); "<stdin>" for standard input.
	File string `json:"file"`
	// Line is the 1-based line of the field, or of the offending character
	// inside a multi-line expression.
	Line int `json:"line"`
	// Column is the 1-based column of the offending character, when known.
	Column int `json:"column,omitempty"`
	// Field is the field path, e.g. spec.configuration.taskRouting.filters[0].expression.
	Field string `json:"field,omitempty"`
	// Severity is error or warning.
	Severity Severity `json:"severity"`
	// Message says what is wrong and how to fix it.
	Message string `json:"message"`
	// Position is the 0-based byte offset inside the expression for
	// expression findings (the "at position N" of the message).
	Position *int `json:"position,omitempty"`
	// Object names the object, e.g. "TaskQueue default/billing".
	Object string `json:"object,omitempty"`
}

// String renders the finding as "file:line: field: message", with
// "warning: " before the message of a warning.
func (f Finding) String() string {
	s := f.File
	if f.Line > 0 {
		s += fmt.Sprintf(":%d", f.Line)
	}
	s += ": "
	if f.Field != "" {
		s += f.Field + ": "
	}
	if f.Severity == Warning {
		s += "warning: "
	}
	return s + f.Message
}

// Report is the outcome of linting a set of files.
type Report struct {
	// Findings sorted by file, line and column.
	Findings []Finding `json:"findings"`
	// Errors and Warnings count the findings of each severity.
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	// Files and Objects count what was read: every file, and the TaskRouter objects in them.
	Files   int `json:"files"`
	Objects int `json:"objects"`
}

func newReport(findings []Finding, files, objects int) Report {
	slices.SortStableFunc(findings, func(a, b Finding) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column),
			cmp.Compare(a.Field, b.Field), cmp.Compare(a.Message, b.Message))
	})
	r := Report{Findings: findings, Files: files, Objects: objects}
	if r.Findings == nil {
		r.Findings = []Finding{}
	}
	for _, f := range findings {
		if f.Severity == Error {
			r.Errors++
		} else {
			r.Warnings++
		}
	}
	return r
}
