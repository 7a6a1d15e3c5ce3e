package main

import (
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
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("render %s: %w", o.format, err)
	}
	if o.format == "yaml" {
		if data, err = yaml.JSONToYAML(data); err != nil {
			return fmt.Errorf("render yaml: %w", err)
		}
	} else {
		data = append(data, '\n')
	}
	_, err = w.Write(data)
	return err
}
