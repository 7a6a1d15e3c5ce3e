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
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"time"

	"k8s.io/client-go/tools/leaderelection"
	ctrl "sigs.k8s.io/controller-runtime"
)

// leaderElectionID names the Lease the replicas compete for.
const leaderElectionID = "taskrouter-operator.operator.dev"

// electionFlags decide how replicas hand over: who holds the Lease, how fast
// a standby notices a crashed leader, and how long a stopping leader drains.
type electionFlags struct {
	enabled   bool
	namespace string
	// leaseDuration is how long a standby waits, from the last renewal it
	// saw, before it takes the Lease of a leader that stopped renewing.
	leaseDuration time.Duration
	// renewDeadline is how long the leader keeps failing to renew before it
	// gives up (and exits), so it stops before a standby may take over.
	renewDeadline time.Duration
	// retryPeriod is how often candidates try to acquire and the leader renews.
	retryPeriod time.Duration
	// gracefulShutdown bounds how long a stopping manager waits for its
	// controllers; the Lease is released only after they returned.
	gracefulShutdown time.Duration
}

// The defaults are kubebuilder's (controller-runtime's) for the Lease.
const (
	defaultLeaseDuration = 15 * time.Second
	defaultRenewDeadline = 10 * time.Second
	defaultRetryPeriod   = 2 * time.Second
	// In-flight reconciles see their context cancelled at SIGTERM and return
	// as soon as their TaskRouter call is aborted; this only bounds work that
	// ignores cancellation. It is shorter than controller-runtime's 30s so a
	// stuck shutdown is not slower than a crash (lease duration + retry), and
	// it fits the pod's terminationGracePeriodSeconds with the release.
	defaultGracefulShutdown = 10 * time.Second
)

func (e *electionFlags) bind(fs *flag.FlagSet) {
	fs.BoolVar(&e.enabled, "leader-elect", false, "elect a leader so only one replica reconciles")
	fs.StringVar(&e.namespace, "leader-election-namespace", "", "namespace of the leader-election Lease (default: the manager's own namespace)")
	fs.DurationVar(&e.leaseDuration, "leader-elect-lease-duration", defaultLeaseDuration, "how long a standby waits after the leader's last renewal before it takes over a leader that stopped renewing (a crash); whole seconds")
	fs.DurationVar(&e.renewDeadline, "leader-elect-renew-deadline", defaultRenewDeadline, "how long the leader retries renewing before it gives up leadership and exits; shorter than the lease duration")
	fs.DurationVar(&e.retryPeriod, "leader-elect-retry-period", defaultRetryPeriod, "how often candidates try to acquire the Lease and the leader renews it; at least 1s (candidates wait up to 2.2× between tries)")
	fs.DurationVar(&e.gracefulShutdown, "graceful-shutdown-timeout", defaultGracefulShutdown, "how long a stopping manager waits for its controllers to return before it releases the Lease and exits")
}

// validate applies client-go's rules for the three durations before the
// manager starts, naming the flag to change instead of client-go's field.
func (e electionFlags) validate() error {
	switch {
	case e.leaseDuration < time.Second || e.leaseDuration%time.Second != 0:
		return fmt.Errorf("--leader-elect-lease-duration %s: use a whole number of seconds, at least 1s (the Lease records whole seconds)", e.leaseDuration)
	case e.retryPeriod < time.Second:
		// Standbys compare the Lease's times to the second: faster renewals
		// look unchanged, so a standby could count the lease from up to 1s
		// before the last renewal and take over while the leader still leads.
		return fmt.Errorf("--leader-elect-retry-period %s: use at least 1s (standbys see the leader's renewals to the second)", e.retryPeriod)
	case e.renewDeadline >= e.leaseDuration:
		return fmt.Errorf("--leader-elect-renew-deadline %s must be shorter than --leader-elect-lease-duration %s: a leader that cannot renew must give up before a standby may take over",
			e.renewDeadline, e.leaseDuration)
	case e.renewDeadline <= time.Duration(leaderelection.JitterFactor*float64(e.retryPeriod)):
		return fmt.Errorf("--leader-elect-renew-deadline %s must exceed %.1f × --leader-elect-retry-period %s: lower the retry period or raise the deadline",
			e.renewDeadline, leaderelection.JitterFactor, e.retryPeriod)
	case e.gracefulShutdown <= 0:
		return fmt.Errorf("--graceful-shutdown-timeout %s: use a positive duration such as 10s (without one the Lease would be released while reconciles still run)", e.gracefulShutdown)
	}
	return nil
}

// apply sets the manager's leader election and shutdown options.
//
// LeaderElectionReleaseOnCancel: on SIGTERM the manager stops its controllers
// (waiting up to the graceful-shutdown timeout for in-flight reconciles),
// then clears the Lease's holder, so a standby acquires it at its next retry
// instead of waiting out the lease duration. controller-runtime and client-go
// require that nothing guarded by the Lease runs after the release: every
// controller is a manager runnable stopped before it, and main exits as soon
// as Start returns.
func (e electionFlags) apply(opts *ctrl.Options) {
	opts.LeaderElection = e.enabled
	opts.LeaderElectionID = leaderElectionID
	opts.LeaderElectionNamespace = e.namespace
	opts.LeaderElectionReleaseOnCancel = true
	opts.LeaseDuration = &e.leaseDuration
	opts.RenewDeadline = &e.renewDeadline
	opts.RetryPeriod = &e.retryPeriod
	opts.GracefulShutdownTimeout = &e.gracefulShutdown
}

// candidacy is a runnable the manager starts once its caches have synced,
// right before it starts competing for the Lease. /readyz answers through it:
// a rolling update stops the old leader only when the new pod is Ready, so the
// new pod is by then a candidate that takes the released Lease at its next
// retry, instead of a pod still listing objects while no one leads.
type candidacy struct{ started chan struct{} }

func newCandidacy() candidacy { return candidacy{started: make(chan struct{})} }

// NeedLeaderElection puts it among the runnables every replica starts.
func (c candidacy) NeedLeaderElection() bool { return false }

func (c candidacy) Start(ctx context.Context) error {
	close(c.started)
	<-ctx.Done()
	return nil
}

// ready is the /readyz check.
func (c candidacy) ready(*http.Request) error {
	select {
	case <-c.started:
		return nil
	default:
		return errors.New("caches not synced yet: not competing for the leader Lease")
	}
}
