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

// Command supervise runs a program and ties its life to the process that
// started supervise. When that process dies, by any signal including SIGKILL,
// supervise stops the program and everything the program started, so a killed
// `make test` or `make demo` leaves no kube-apiserver, etcd, emulator or manager
// running on a machine other people share.
//
//	supervise [--grace 10s] [--watch-pid PID] -- PROGRAM [ARGS...]
//
// How it holds on (Linux):
//   - it watches its parent (or --watch-pid, e.g. make's pid from a recipe,
//     where the shell in between would outlive make) through a pidfd, and the
//     kernel sends it SIGTERM when its parent dies (PR_SET_PDEATHSIG);
//   - PROGRAM runs in a process group of its own with PR_SET_PDEATHSIG=SIGKILL,
//     so even a SIGKILL of supervise itself takes PROGRAM down;
//   - supervise is a child subreaper: descendants orphaned below it are
//     re-parented to it instead of init, so it can find and stop them.
//
// SIGINT, SIGTERM and SIGHUP are forwarded to PROGRAM's process group. After
// --grace, or when PROGRAM exits, whatever is left below supervise is killed.
// The exit status is PROGRAM's (128+N when a signal N ended it).
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

func main() {
	code, err := run(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "supervise:", err)
	}
	os.Exit(code)
}

func run(args []string) (int, error) {
	fs := flag.NewFlagSet("supervise", flag.ContinueOnError)
	grace := fs.Duration("grace", 10*time.Second, "how long PROGRAM has to stop after SIGTERM before everything left is killed")
	watchPID := fs.Int("watch-pid", 0, "stop when this process exits (default: the parent of supervise)")
	if err := fs.Parse(args); err != nil {
		return 2, err
	}
	if fs.NArg() == 0 {
		return 2, errors.New("no program given: usage supervise [--grace 10s] [--watch-pid PID] -- PROGRAM [ARGS...]")
	}
	if *grace <= 0 {
		return 2, fmt.Errorf("--grace %s: want a positive duration such as 10s", *grace)
	}
	parent := *watchPID
	if parent == 0 {
		parent = os.Getppid()
	}
	// The parent-death signal fires when the thread that forked us exits; set
	// it before anything else, then make sure the parent did not die already.
	if err := unix.Prctl(unix.PR_SET_PDEATHSIG, uintptr(unix.SIGTERM), 0, 0, 0); err != nil {
		return 1, fmt.Errorf("set parent-death signal: %w", err)
	}
	parentGone, err := watchExit(parent)
	if err != nil {
		return 1, err
	}
	if err := unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); err != nil {
		return 1, fmt.Errorf("become child subreaper: %w", err)
	}

	signals := make(chan os.Signal, 4)
	signal.Notify(signals, unix.SIGINT, unix.SIGTERM, unix.SIGHUP)
	family := newFamily()
	child, err := start(fs.Args())
	if err != nil {
		return 127, err
	}
	exited := family.reap(child.Pid)

	select {
	case status := <-exited:
		family.killAll(unix.SIGKILL)
		return exitCode(status), nil
	case <-parentGone:
		stop(child.Pid, unix.SIGTERM)
	case sig := <-signals:
		stop(child.Pid, sig.(syscall.Signal))
	}
	select {
	case status := <-exited:
		family.killAll(unix.SIGKILL)
		return exitCode(status), nil
	case <-time.After(*grace):
		fmt.Fprintf(os.Stderr, "supervise: %s still running %s after SIGTERM: killing it and everything it started\n", fs.Arg(0), *grace)
		family.killAll(unix.SIGKILL)
		return exitCode(<-exited), nil
	}
}

// start runs PROGRAM in a process group of its own that dies with us.
func start(argv []string) (*os.Process, error) {
	path, err := exec.LookPath(argv[0])
	if err != nil {
		return nil, err
	}
	// Pdeathsig belongs to the forking thread: keep this goroutine on its
	// thread for the life of the process so the thread never exits early.
	runtime.LockOSThread()
	return os.StartProcess(path, argv, &os.ProcAttr{
		Files: []*os.File{os.Stdin, os.Stdout, os.Stderr},
		Sys:   &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL},
	})
}

// stop sends sig to PROGRAM's process group (PROGRAM is not reaped yet, so
// the group id cannot have been reused).
func stop(pid int, sig syscall.Signal) {
	_ = unix.Kill(-pid, sig)
	_ = unix.Kill(pid, sig)
}

// watchExit returns a channel closed when pid exits.
func watchExit(pid int) (<-chan struct{}, error) {
	gone := make(chan struct{})
	fd, err := unix.PidfdOpen(pid, 0)
	if errors.Is(err, unix.ESRCH) {
		close(gone)
		return gone, nil
	}
	if err != nil {
		return nil, fmt.Errorf("watch process %d: %w", pid, err)
	}
	go func() {
		defer close(gone)
		defer unix.Close(fd)
		fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
		for {
			if _, err := unix.Poll(fds, -1); err == nil || !errors.Is(err, unix.EINTR) {
				return
			}
		}
	}()
	return gone, nil
}

func exitCode(status unix.WaitStatus) int {
	if status.Signaled() {
		return 128 + int(status.Signal())
	}
	return status.ExitStatus()
}
