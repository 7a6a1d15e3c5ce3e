package taskrouter

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParamsEncodeOnlyWhatIsSet(t *testing.T) {
	tests := []struct {
		name string
		p    encoder
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
			_, err := a.UpdateWorkspace(ctx, testWS, WorkspaceParams{Template: Ptr("FIFO")})
			return err
		},
		"default activity on create": func() error {
			_, err := a.CreateWorkspace(ctx, WorkspaceParams{FriendlyName: Ptr("x"), DefaultActivitySID: Ptr(testWA)})
			return err
		},
		"available on update": func() error {
			_, err := w.UpdateActivity(ctx, testWA, ActivityParams{Available: Ptr(true)})
			return err
		},
		"re-evaluate on create": func() error {
			_, err := w.CreateWorkflow(ctx, WorkflowParams{FriendlyName: Ptr("x"), Configuration: Ptr("{}"), ReEvaluateTasks: Ptr(true)})
			return err
		},
		"configuration not JSON": func() error {
			_, err := w.UpdateWorkflow(ctx, testWW, WorkflowParams{Configuration: Ptr("{task_routing")})
			return err
		},
		"attributes not JSON": func() error {
			_, err := w.CreateWorker(ctx, WorkerParams{FriendlyName: Ptr("x"), Attributes: Ptr("skills=en")})
			return err
		},
		"if-match on create": func() error {
			_, err := w.CreateWorker(ctx, WorkerParams{FriendlyName: Ptr("x"), IfMatch: `"1"`})
			return err
		},
		"empty bulk": func() error { _, err := w.BulkTaskQueueRealTimeStatistics(ctx, nil); return err },
		"bulk over 50": func() error {
			_, err := w.BulkTaskQueueRealTimeStatistics(ctx, make([]string, 51))
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

func TestSplitSIDs(t *testing.T) {
	sids := make([]string, 0, 120)
	for i := range 120 {
		sids = append(sids, fmt.Sprintf("WQ%032d", i))
	}
	sids = append(sids, "", sids[0], " ")
	batches := SplitSIDs(sids, MaxBulkQueueSIDs)
	var sizes []int
	for _, b := range batches {
		sizes = append(sizes, len(b))
	}
	if diff := cmp.Diff([]int{50, 50, 20}, sizes); diff != "" {
		t.Errorf("batch sizes (-want +got):\n%s", diff)
	}
	if batches[0][0] != sids[0] || batches[2][19] != sids[119] {
		t.Error("batches do not keep the input order")
	}
	if SplitSIDs(nil, 50) != nil {
		t.Error("no sids gave batches")
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
