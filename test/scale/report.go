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

package scale

import (
	"fmt"
	"runtime"
	"strings"
	"time"
)

// row is one line of the table: a figure, its floor or reference measured in
// the same run, their ratio, the goal and whether it is met.
type row struct {
	figure, measured, reference, ratio, goal, verdict string
}

const (
	pass = "pass"
	fail = "FAIL"
	info = "—"
)

func verdict(ok bool) string {
	if ok {
		return pass
	}
	return fail
}

// Table renders the run's parameters and one Markdown table of its figures.
func (r *Results) Table() string {
	var b strings.Builder
	r.writeParameters(&b)
	b.WriteString("\n| figure | measured | floor / reference | ratio | goal | pass/fail |\n|---|---|---|---|---|---|\n")
	for _, rw := range r.rows() {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", rw.figure, rw.measured, rw.reference, rw.ratio, rw.goal, rw.verdict)
	}
	return b.String()
}

func (r *Results) writeParameters(b *strings.Builder) {
	c := r.Config
	counts, _ := c.Shape.Counts(c.N)
	fmt.Fprintf(b, "Scale benchmark, %s, manager %s\n\n", r.Started.Format("2006-01-02 15:04 MST"), r.ManagerVersion)
	fmt.Fprintf(b, "- phases: %s\n", c.Phases)
	fmt.Fprintf(b, "- N=%d: %s (shape %s)\n", c.N, counts, c.Shape)
	simulate := ""
	if c.Simulate {
		simulate = " --simulate"
	}
	fmt.Fprintf(b, "- emulator: --write-rate %g%s --seed %d\n", c.WriteRate, simulate, c.Seed)
	flags := strings.Join(c.ManagerFlags, " ")
	if flags == "" {
		flags = "none"
	}
	memLimit := "unset (Go's default)"
	if c.ManagerMemoryLimit != "" {
		memLimit = c.ManagerMemoryLimit
	}
	fmt.Fprintf(b, "- manager: default flags except the URLs, kubeconfig, ports and plain-HTTP metrics; added flags: %s; GOMEMLIMIT %s; sweep phase: --sync-period %s\n", flags, memLimit, c.SyncPeriod)
	fmt.Fprintf(b, "- statistics phase: N=%d, emulator with and without --simulate, manager --statistics-interval %s, window %s\n", c.StatsN, c.StatisticsInterval, c.StatsWindow)
	fmt.Fprintf(b, "- adoption phase: N=%d; faults phase: N=%d, --faults %s against a fault-free run\n", c.AdoptN, c.FaultsN, c.Faults)
	fmt.Fprintf(b, "- machine: %d cores, load average %s at the start, %s at the end\n", runtime.NumCPU(), r.LoadBefore, r.LoadAfter)
}

func (r *Results) rows() []row {
	var rows []row
	if r.Converge != nil {
		rows = append(rows, convergeRows(*r.Converge)...)
	}
	if r.Steady != nil {
		rows = append(rows, steadyRows(*r.Steady)...)
	}
	if r.Sweep != nil {
		rows = append(rows, sweepRows(*r.Sweep)...)
	}
	if r.Pickup != nil {
		rows = append(rows, pickupRow(*r.Pickup))
	}
	if r.Stats != nil {
		rows = append(rows, statsRow(*r.Stats))
	}
	if r.Adopt != nil {
		rows = append(rows, adoptRow(*r.Adopt))
	}
	if r.Faults != nil {
		rows = append(rows, faultRows(*r.Faults)...)
	}
	if r.Memory != nil {
		rows = append(rows, memoryRows(*r.Memory)...)
	}
	return rows
}

func convergeRows(c Converge) []row {
	n := c.Counts.Total()
	floor := c.Floor()
	first := row{
		figure:    fmt.Sprintf("converge N=%d", n),
		measured:  seconds(c.Duration),
		reference: fmt.Sprintf("floor %s (%d writes / %g per s)", seconds(floor), c.WritesNeeded, c.WriteRate),
		ratio:     fmt.Sprintf("%.1f x floor", c.Duration.Seconds()/floor.Seconds()),
		goal:      "<= 1.2 x floor + 30 s",
		verdict:   verdict(c.Duration <= time.Duration(1.2*float64(floor))+30*time.Second),
	}
	if floor == 0 {
		first.reference, first.ratio = "no write limit: floor 0", info
	}
	needed := float64(c.WritesNeeded) / float64(n)
	return []row{first, {
		figure:    "requests per object while converging",
		measured:  fmt.Sprintf("%.2f (%.0f requests)", c.RequestsPerObject(), c.Requests),
		reference: fmt.Sprintf("%.3f (writes needed / N)", needed),
		ratio:     fmt.Sprintf("%.1f x", c.RequestsPerObject()/needed),
		goal:      "<= 1.5",
		verdict:   verdict(c.RequestsPerObject() <= 1.5),
	}, {
		figure:    "TaskRouter writes while converging",
		measured:  fmt.Sprintf("%.0f done, %.0f refused (429 or error)", c.Writes, c.WriteAttempts-c.Writes),
		reference: fmt.Sprintf("%d needed", c.WritesNeeded),
		ratio:     fmt.Sprintf("%.2f x", c.Writes/float64(c.WritesNeeded)),
		goal:      "(information)",
		verdict:   info,
	}}
}

func steadyRows(s Steady) []row {
	when := fmt.Sprintf("%s, %s after converging", s.Window, seconds(s.Settled))
	if !s.Quiet {
		when += ", never quiet"
	}
	return []row{{
		figure:    fmt.Sprintf("steady state (no traffic, %s): TaskRouter writes", when),
		measured:  fmt.Sprintf("%.0f", s.TaskRouterWrites),
		reference: "0", ratio: info, goal: "0 (keep)",
		verdict: verdict(s.TaskRouterWrites == 0),
	}, {
		figure:    fmt.Sprintf("steady state (no traffic, %s): status writes", when),
		measured:  fmt.Sprintf("%.0f", s.StatusWrites),
		reference: "0", ratio: info, goal: "0 (keep)",
		verdict: verdict(s.StatusWrites == 0),
	}}
}

func sweepRows(s Sweep) []row {
	perObject := s.Requests / float64(s.Objects)
	over := "over the sweep's reconciles"
	if !s.PerObject {
		over = "over one sync period"
	}
	rows := []row{{
		figure:    fmt.Sprintf("drift sweep: requests / N (N=%d, --sync-period %s)", s.Objects, s.Period),
		measured:  fmt.Sprintf("%.3f (%.0f requests %s)", perObject, s.Requests, over),
		reference: "goal 0.01 (1% of N)",
		ratio:     fmt.Sprintf("%.0f x goal", perObject/0.01),
		goal:      "<= 0.01 at N=5,000",
		verdict:   verdict(perObject <= 0.01),
	}}
	duration := row{figure: "drift sweep: duration (first to last drift reconcile)", reference: fmt.Sprintf("sync period %s", s.Period),
		goal: "<= sync period", measured: "not measurable: the sweep does not reconcile each object", ratio: info, verdict: info}
	if s.PerObject {
		duration.measured, duration.ratio = seconds(s.Duration), fmt.Sprintf("%.2f x period", s.Duration.Seconds()/s.Period.Seconds())
		duration.verdict = verdict(s.Duration <= s.Period)
	}
	return append(rows, duration, row{
		figure:    "Kubernetes: Secret GETs per object in a sweep",
		measured:  fmt.Sprintf("%.2f (%.0f GETs)", s.SecretGets/float64(s.Objects), s.SecretGets),
		reference: "0", ratio: info, goal: "0 (served from the cache)",
		verdict: verdict(s.SecretGets == 0),
	}, row{
		figure:    "restart: first pass over every object",
		measured:  fmt.Sprintf("%s, %.2f requests / object", seconds(s.Resync), s.ResyncRequests/float64(s.Objects)),
		reference: info, ratio: info, goal: "(information)", verdict: info,
	})
}

func pickupRow(p Pickup) row {
	idle := p95(p.Idle)
	r := row{figure: fmt.Sprintf("new object picked up, p95 of %d, idle", len(p.Idle)), measured: seconds(idle),
		reference: info, ratio: info, goal: "(information)", verdict: info}
	if len(p.DuringSweep) > 0 {
		during := p95(p.DuringSweep)
		r = row{
			figure:    fmt.Sprintf("new object picked up during a sweep, p95 of %d", len(p.DuringSweep)),
			measured:  seconds(during),
			reference: fmt.Sprintf("idle p95 %s", seconds(idle)),
			ratio:     fmt.Sprintf("%.1f x idle", during.Seconds()/idle.Seconds()),
			goal:      "<= 5 s",
			verdict:   verdict(during <= 5*time.Second),
		}
	}
	return r
}

func statsRow(s Stats) row {
	live, quiet := s.PerMinute(s.Live), s.PerMinute(s.Quiet)
	return row{
		figure:    fmt.Sprintf("configuration requests under live statistics (N=%d, --statistics-interval %s)", s.N, s.Interval),
		measured:  fmt.Sprintf("%.0f /min = %.2f per object per min (statistics: %.0f /min)", live, live/float64(s.N), s.PerMinute(s.LiveStatistics)),
		reference: fmt.Sprintf("without traffic %.0f /min", quiet),
		ratio:     ratio(live, quiet),
		goal:      "no growth with traffic: <= 1.2 x quiet + 1 /min",
		verdict:   verdict(live <= 1.2*quiet+1),
	}
}

func adoptRow(a Adopt) row {
	return row{
		figure:    fmt.Sprintf("adopting %d existing matching objects: TaskRouter writes", a.Converge.Counts.Total()),
		measured:  fmt.Sprintf("%.0f (%.2f requests / object)", a.Converge.WriteAttempts, a.Converge.RequestsPerObject()),
		reference: "0", ratio: info, goal: "0",
		verdict: verdict(a.Converge.WriteAttempts == 0),
	}
}

func faultRows(f Faults) []row {
	floor := 1 / (1 - f.Share)
	n := f.Faulted.Counts.Total()
	perSuccess := f.Faulted.RequestsPerSuccess()
	return []row{{
		figure:    fmt.Sprintf("--faults %s (N=%d): requests per success", f.Spec, n),
		measured:  fmt.Sprintf("%.2f", perSuccess),
		reference: fmt.Sprintf("floor %.2f = 1 / (1 - %g)", floor, f.Share),
		ratio:     fmt.Sprintf("%.2f x floor", perSuccess/floor),
		goal:      "<= 1.5 (keep)",
		verdict:   verdict(perSuccess <= 1.5),
	}, {
		figure:    fmt.Sprintf("--faults %s (N=%d): converge time", f.Spec, n),
		measured:  seconds(f.Faulted.Duration),
		reference: fmt.Sprintf("fault-free %s", seconds(f.Clean.Duration)),
		ratio:     fmt.Sprintf("%.2f x fault-free", f.Faulted.Duration.Seconds()/f.Clean.Duration.Seconds()),
		goal:      "<= 2 x (keep)",
		verdict:   verdict(f.Faulted.Duration <= 2*f.Clean.Duration),
	}, {
		figure:    fmt.Sprintf("--faults %s (N=%d): duplicate remote objects", f.Spec, n),
		measured:  fmt.Sprintf("%d", f.Duplicates),
		reference: fmt.Sprintf("fault-free %d", f.CleanDups),
		ratio:     info, goal: "0 (keep)",
		verdict: verdict(f.Duplicates == 0),
	}}
}

func memoryRows(m Memory) []row {
	at := row{
		figure: fmt.Sprintf("manager memory (RSS) at N=%d, /metrics scraped every %s", m.N, scrapeEvery),
		measured: fmt.Sprintf("%s (%s anonymous, %s binary; peak %s; %d series)", mebibytes(m.AtN), mebibytes(m.AtNAnon),
			mebibytes(m.AtNFile), mebibytes(m.Peak), m.Series),
		reference: fmt.Sprintf("idle %s", mebibytes(m.Idle)),
		ratio:     fmt.Sprintf("%.1f x idle", float64(m.AtN)/float64(m.Idle)),
		goal:      "<= 128 MiB at 10,000",
		verdict:   "— (judged at N >= 10,000)",
	}
	if m.N >= 10000 {
		at.verdict = verdict(m.AtN <= 128<<20)
	}
	return []row{at}
}

func seconds(d time.Duration) string {
	if d < 10*time.Second {
		return fmt.Sprintf("%.2f s", d.Seconds())
	}
	return fmt.Sprintf("%.0f s", d.Seconds())
}

func mebibytes(b int64) string { return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20)) }

func ratio(a, b float64) string {
	if b == 0 {
		return info
	}
	return fmt.Sprintf("%.1f x", a/b)
}
