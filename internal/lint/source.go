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
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Source is one input file.
type Source struct {
	// Name is how findings name the file.
	Name string
	// Data is its content.
	Data []byte
}

// StdinName is the name findings give to standard input.
const StdinName = "<stdin>"

// ReadSources reads what -f names: a file whatever its extension, a directory
// walked recursively for *.yaml and *.yml (skipping hidden directories such
// as .git), and "-" for stdin. A path that cannot be read, or a directory
// without YAML files, is an error: in CI a mistyped path must not pass.
func ReadSources(paths []string, stdin io.Reader) ([]Source, error) {
	if len(paths) == 0 {
		return nil, errors.New("no files given: name files or directories with -f, or - for standard input")
	}
	var sources []Source
	readStdin := false
	for _, path := range paths {
		if path == "-" {
			if readStdin {
				return nil, errors.New("-f - (standard input) is given twice")
			}
			readStdin = true
			data, err := io.ReadAll(stdin)
			if err != nil {
				return nil, fmt.Errorf("read standard input: %w", err)
			}
			sources = append(sources, Source{Name: StdinName, Data: data})
			continue
		}
		found, err := readPath(path)
		if err != nil {
			return nil, err
		}
		sources = append(sources, found...)
	}
	return sources, nil
}

func readPath(path string) ([]Source, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !info.IsDir() {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		return []Source{{Name: path, Data: data}}, nil
	}
	var sources []Source
	err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir() && p != path && strings.HasPrefix(d.Name(), "."):
			return filepath.SkipDir
		case d.IsDir() || !isYAML(d.Name()):
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		sources = append(sources, Source{Name: p, Data: data})
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(sources) == 0 {
		return nil, fmt.Errorf("%s: no *.yaml or *.yml files in this directory or below", path)
	}
	return sources, nil
}

func isYAML(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	return ext == ".yaml" || ext == ".yml"
}
