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

package argocdhealth

import (
	"context"
	"fmt"
	"time"

	lua "github.com/yuin/gopher-lua"
)

// Status is what a health check returns: Argo CD's health status and its message.
type Status struct {
	// Status is Healthy, Progressing, Degraded, Suspended, Missing or Unknown.
	Status string `json:"status"`
	// Message explains the status; Argo CD shows it next to the resource.
	Message string `json:"message,omitempty"`
}

// invalidHealthStatus is the message Argo CD gives a script that returns an unknown status.
const invalidHealthStatus = "Lua returned an invalid health status"

// scriptTimeout bounds one evaluation, as Argo CD bounds its Lua VM.
const scriptTimeout = time.Second

// Evaluate runs script with obj (an object decoded from JSON or YAML) as the global obj
// and returns the health status the script reports.
func Evaluate(script string, obj map[string]any) (Status, error) {
	l := lua.NewState(lua.Options{SkipOpenLibs: true})
	defer l.Close()
	for _, lib := range []struct {
		name string
		open lua.LGFunction
	}{
		{lua.LoadLibName, lua.OpenPackage},
		{lua.BaseLibName, lua.OpenBase},
		{lua.TabLibName, lua.OpenTable},
	} {
		if err := l.CallByParam(lua.P{Fn: l.NewFunction(lib.open), NRet: 0, Protect: true}, lua.LString(lib.name)); err != nil {
			return Status{}, fmt.Errorf("open Lua library %q: %w", lib.name, err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), scriptTimeout)
	defer cancel()
	l.SetContext(ctx)
	l.SetGlobal("obj", toLua(l, obj))
	if err := l.DoString(script); err != nil {
		return Status{}, fmt.Errorf("run health script: %w", err)
	}
	result, ok := l.Get(-1).(*lua.LTable)
	if !ok {
		return Status{}, fmt.Errorf("health script returned %s, want a table", l.Get(-1).Type())
	}
	st := Status{Status: stringField(result, "status"), Message: stringField(result, "message")}
	if !valid(st.Status) {
		return Status{Status: "Unknown", Message: invalidHealthStatus}, nil
	}
	return st, nil
}

func valid(status string) bool {
	switch status {
	case "Healthy", "Progressing", "Degraded", "Suspended", "Missing", "Unknown":
		return true
	}
	return false
}

func stringField(t *lua.LTable, key string) string {
	if s, ok := t.RawGetString(key).(lua.LString); ok {
		return string(s)
	}
	return ""
}

// toLua converts a decoded JSON value the way Argo CD's decodeValue does: numbers of
// any Go type become Lua numbers, arrays become sequences, objects become tables.
func toLua(l *lua.LState, value any) lua.LValue {
	switch v := value.(type) {
	case bool:
		return lua.LBool(v)
	case float64:
		return lua.LNumber(v)
	case int64:
		return lua.LNumber(v)
	case int:
		return lua.LNumber(v)
	case string:
		return lua.LString(v)
	case []any:
		arr := l.CreateTable(len(v), 0)
		for _, item := range v {
			arr.Append(toLua(l, item))
		}
		return arr
	case map[string]any:
		tbl := l.CreateTable(0, len(v))
		for key, item := range v {
			tbl.RawSetH(lua.LString(key), toLua(l, item))
		}
		return tbl
	}
	return lua.LNil
}
