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

package taskrouter

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParamsEncodeOnlyWhatIsSet(t *testing.T) {
	tests := []struct {
		name string
		p    Params
		op   writeOp
		want string
	}{
		{"empty task queue update sends nothing", TaskQueueParams{}, opUpdate, ""},
		{"zero values are sent when set", TaskQueueParams{MaxReservedWorkers: Ptr(0), TargetWorkers: Ptr("")}, opUpdate, "MaxReservedWorkers=0&TargetWorkers="},
		{"activity create", ActivityParams{FriendlyName: Ptr("On Call"), Available: Ptr(true)}, opCreate, "Available=true&FriendlyName=On+Call"},
		{"workflow create", WorkflowParams{FriendlyName: Ptr("wf"), Configuration: Ptr(`{"a":[1,2]}`), TaskReservationTimeout: Ptr(86400)}, opCreate,
			"Configuration=%7B%22a%22%3A%5B1%2C2%5D%7D&FriendlyName=wf&TaskReservationTimeout=86400"},
		{"worker create", WorkerParams{FriendlyName: Ptr("bob"), Attributes: Ptr(`{}`)}, opCreate, "Attributes=%7B%7D&FriendlyName=bob"},
		{"workspace events filter", WorkspaceParams{EventsFilter: []string{"a", "b", "c"}}, opUpdate, "EventsFilter=a%2Cb%2Cc"},
		{"task channel create", TaskChannelParams{FriendlyName: Ptr("Chat"), UniqueName: Ptr("chat"), ChannelOptimizedRouting: Ptr(true)}, opCreate, "ChannelOptimizedRouting=true&FriendlyName=Chat&UniqueName=chat"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := tt.p.encode(tt.op)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, v.Encode()); diff != "" {
				t.Errorf("form (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParamsRejectedBeforeSending(t *testing.T) {
	srv := newFakeServer(t, always(200, `{}`))
	a := mustAccount(t, testClient(srv, newFakeClock()), keyCreds(), AuthBasic)
	w := a.Workspace(testWS)
	ctx := context.Background()
	calls := map[string]func() error{
		"template on update": func() error {
			_, err := a.Workspaces().Update(ctx, testWS, WorkspaceParams{Template: Ptr("FIFO")})
			return err
		},
		"default activity on create": func() error {
			_, err := a.Workspaces().Create(ctx, WorkspaceParams{FriendlyName: Ptr("x"), DefaultActivitySID: Ptr(testWA)})
			return err
		},
		"available on update": func() error {
			_, err := w.Activities().Update(ctx, testWA, ActivityParams{Available: Ptr(true)})
			return err
		},
		"re-evaluate on create": func() error {
			_, err := w.Workflows().Create(ctx, WorkflowParams{FriendlyName: Ptr("x"), Configuration: Ptr("{}"), ReEvaluateTasks: Ptr(true)})
			return err
		},
		"configuration not JSON": func() error {
			_, err := w.Workflows().Update(ctx, testWW, WorkflowParams{Configuration: Ptr("{task_routing")})
			return err
		},
		"attributes not JSON": func() error {
			_, err := w.Workers().Create(ctx, WorkerParams{FriendlyName: Ptr("x"), Attributes: Ptr("skills=en")})
			return err
		},
		"if-match on create": func() error {
			_, err := w.Workers().Create(ctx, WorkerParams{FriendlyName: Ptr("x"), IfMatch: `"1"`})
			return err
		},
		"unique name on a channel update": func() error {
			_, err := w.TaskChannels().Update(ctx, "TC1", TaskChannelParams{UniqueName: Ptr("chat")})
			return err
		},
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			err := call()
			if !errors.Is(err, ErrInvalidRequest) || !IsTerminal(err) {
				t.Errorf("error = %v, want a terminal ErrInvalidRequest", err)
			}
		})
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("sent %d requests, want none", n)
	}
}

func TestEventsFilterList(t *testing.T) {
	got := [][]string{
		(&Workspace{EventsFilter: "task.created, task.canceled,,"}).EventsFilterList(),
		(&Workspace{EventsFilter: " "}).EventsFilterList(),
	}
	if diff := cmp.Diff([][]string{{"task.created", "task.canceled"}, nil}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
