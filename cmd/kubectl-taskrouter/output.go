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
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/pflag"
	"sigs.k8s.io/yaml"
)

// outputFlag is kubectl's -o/--output, limited to the formats a command prints.
type outputFlag struct {
	format  string
	formats []string
}

func (o *outputFlag) bind(fs *pflag.FlagSet, formats ...string) {
	o.formats = formats
	fs.StringVarP(&o.format, "output", "o", formats[0], "output format: "+strings.Join(formats, ", "))
}

func (o *outputFlag) validate() error {
	if !slices.Contains(o.formats, o.format) {
		return usageError(fmt.Errorf("--output %q: want one of %s", o.format, strings.Join(o.formats, ", ")))
	}
	return nil
}

// print writes v as JSON or YAML; other formats are the command's own.
func (o *outputFlag) print(w io.Writer, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // messages quote operators such as ">=": keep them readable
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("render %s: %w", o.format, err)
	}
	data := buf.Bytes()
	if o.format == "yaml" {
		var err error
		if data, err = yaml.JSONToYAML(data); err != nil {
			return fmt.Errorf("render yaml: %w", err)
		}
	}
	_, err := w.Write(data)
	return err
}
