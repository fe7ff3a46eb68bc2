package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/zdial/zdial/internal/backoff"
	"github.com/zdial/zdial/internal/linkstate"
)

// `zdial up PROFILE` starts `zdial run PROFILE` detached (its own session,
// no terminal, output to <run-dir>/PROFILE.log) and returns once the record
// says the link is up, like pppd's updetach; or with the dial's exit code
// once the supervisor has given up; or, at --timeout, with the last dial's
// code while the supervisor keeps trying.
//
//	zdial up home          parent: dial lock ─┬─ fork/exec `zdial run home` (lock handed down, fd 3)
//	                                          └─ wait: shared lock (free once the dial ended) → record

// defaultUpTimeout bounds up's and ensure's wait for the outcome: a dial
// with a mode switch, a slow registration and pppd takes a minute or two.
const defaultUpTimeout = 3 * time.Minute

func runUp(ctx context.Context, args []string, io stdio) int {
	var timeout *time.Duration
	c, code, ok := parseSupervise("up", "start a supervisor for PROFILE; return once the link is up", args, io, func(fs *flag.FlagSet) {
		timeout = fs.Duration("timeout", defaultUpTimeout, "how long to wait for the link to come up")
	})
	if !ok {
		return code
	}
	f, prof, io := &c.superviseFlags, c.profile, c.io
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	dir := f.linkDir()
	lock, err := dir.TryLock(prof.Name)
	if errors.Is(err, linkstate.ErrBusy) {
		return awaitOutcome(ctx, dir, prof.Name, nil, linkstate.Process{}, io)
	}
	if err != nil {
		fmt.Fprintln(io.err, "zdial:", forPeople(err))
		return exitOther
	}
	defer lock.Unlock()
	rec, err := dir.Read(prof.Name)
	if err == nil {
		if supervised(dir, rec) {
			lock.Unlock()
			// Already supervised: up or on its way; wait for it as for any dial.
			return awaitOutcome(ctx, dir, prof.Name, nil, linkstate.Process{}, io)
		}
	}
	return startAndAwait(ctx, dir, prof.Name, childArgs(c.fs, c.name), lock, io)
}

// childArgs are `zdial run`'s arguments for the flags given to up or
// ensure: every flag set, but the waiting command's own.
func childArgs(fs *flag.FlagSet, name string) []string {
	var args []string
	fs.Visit(func(f *flag.Flag) {
		if f.Name != "timeout" {
			args = append(args, "-"+f.Name+"="+f.Value.String())
		}
	})
	return append(args, "--", name)
}

// startAndAwait clears what a dead supervisor left, starts a new one with
// the dial lock handed down, lets go of the lock and waits for the
// outcome.
func startAndAwait(ctx context.Context, dir linkstate.Dir, name string, args []string, lock *linkstate.Lock, io stdio) int {
	if rec, err := dir.Read(name); err == nil {
		if err := stopOrphanPPPD(ctx, dir, rec); err != nil {
			fmt.Fprintln(io.err, "zdial:", forPeople(err))
			return exitOther
		}
		if err := dir.Remove(name); err != nil { // a dead supervisor's: not the new one's outcome
			fmt.Fprintln(io.err, "zdial:", forPeople(err))
			return exitOther
		}
	}
	child, err := startSupervisor(dir, name, args, lock)
	lock.Unlock() // the child holds it now
	if err != nil {
		fmt.Fprintln(io.err, "zdial: starting the supervisor:", err)
		return exitOther
	}
	return awaitOutcome(ctx, dir, name, child, linkstate.Process{}, io)
}

// startSupervisor runs `zdial run ARGS` in a session of its own, with the
// dial lock as fd 3, stdin from /dev/null and its output in
// <run-dir>/NAME.log. The returned channel receives its exit code.
func startSupervisor(dir linkstate.Dir, name string, args []string, lock *linkstate.Lock) (<-chan int, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	logPath := filepath.Join(dir.Path, name+".log")
	logf, err := os.OpenFile(logPath, os.O_WRONLY|os.O_CREATE|os.O_TRUNC|syscall.O_NOFOLLOW, 0o640)
	if err != nil {
		return nil, err
	}
	defer logf.Close()
	null, err := os.Open(os.DevNull)
	if err != nil {
		return nil, err
	}
	defer null.Close()
	cmd := &exec.Cmd{
		Path:        exe,
		Args:        append([]string{os.Args[0], "run"}, args...),
		Env:         append(childEnv(os.Environ()), lockFDEnv+"=3"),
		Stdin:       null,
		Stdout:      logf,
		Stderr:      logf,
		ExtraFiles:  []*os.File{lock.File()},
		SysProcAttr: &syscall.SysProcAttr{Setsid: true},
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	done := make(chan int, 1)
	go func() {
		cmd.Wait() // reaps it if it ends while we wait; after up exits, init does
		done <- cmd.ProcessState.ExitCode()
	}()
	return done, nil
}

// childEnv is the environment for a detached supervisor: ours, without
// systemd's notification variables (the child is not the service's main
// process) or a dial lock descriptor of our own.
func childEnv(env []string) []string {
	var out []string
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", lockFDEnv:
			continue
		}
		out = append(out, kv)
	}
	return out
}

// outcomePoll spaces reads of the record while a supervisor is between
// dials (in back-off no one holds the dial lock to wait on).
var outcomePoll = backoff.Policy{Initial: 20 * time.Millisecond, Max: time.Second}

// awaitOutcome waits until name's link is up (0) or its supervisor has
// given up (the dial's exit code), reading the record each time the dial
// lock is free; ctx bounds the wait. child, if not nil, is the supervisor
// this process started: its exit code is the dial's. A link up with the
// pppd named old does not count (ensure restarted it).
func awaitOutcome(ctx context.Context, dir linkstate.Dir, name string, child <-chan int, old linkstate.Process, io stdio) int {
	poll, _ := backoff.New(outcomePoll)
	var last linkstate.Record
	gaveUp := func(rec linkstate.Record) int {
		code := exitOther
		if rec.ExitCode != nil {
			code = *rec.ExitCode
		}
		if child != nil {
			select {
			case c := <-child:
				code = c
			case <-time.After(10 * time.Second): // it wrote "stopped"; its exit follows at once
			}
		}
		if code == exitOK {
			code = exitOther // it stopped without a link
		}
		if rec.LastError != "" {
			fmt.Fprintf(io.err, "zdial: %s: %s\n", name, rec.LastError)
		} else {
			fmt.Fprintf(io.err, "zdial: %s: the supervisor stopped before the link came up\n", name)
		}
		return code
	}
	for {
		s, err := dir.LockShared(ctx, name)
		if err != nil {
			return notUp(ctx, name, last, io)
		}
		rec, rerr := dir.Read(name)
		s.Unlock()
		if rerr == nil {
			last = rec
			alive, _ := dir.Alive(rec.Supervisor)
			switch {
			case alive && rec.State == linkstate.StateUp && rec.PPPD != old && pppdAlive(dir, rec):
				return exitOK
			case !alive || rec.State == linkstate.StateStopped:
				return gaveUp(rec)
			}
		} else if !errors.Is(rerr, linkstate.ErrNotFound) {
			fmt.Fprintln(io.err, "zdial:", rerr)
			return exitOther
		}
		select {
		case c := <-child:
			// Ended: read its last word once more.
			if rec, err := dir.Read(name); err == nil {
				child = nil
				code := gaveUp(rec)
				if c != exitOK {
					code = c
				}
				return code
			}
			fmt.Fprintf(io.err, "zdial: %s: the supervisor exited with status %d before writing a record\n", name, c)
			return max(c, exitOther)
		default:
		}
		if err := poll.Wait(ctx); err != nil {
			return notUp(ctx, name, last, io)
		}
	}
}

// notUp reports a wait that ran out: the last dial's code, or 1.
func notUp(ctx context.Context, name string, rec linkstate.Record, io stdio) int {
	why := "no record yet"
	if rec.Profile != "" {
		why = "state " + string(rec.State)
		if rec.LastError != "" {
			why += ", last error: " + rec.LastError
		}
	}
	if errors.Is(ctx.Err(), context.Canceled) {
		fmt.Fprintf(io.err, "zdial: %s: interrupted while waiting for the link (%s)\n", name, why)
	} else {
		fmt.Fprintf(io.err, "zdial: %s: not up before the deadline (%s); its supervisor keeps trying\n", name, why)
	}
	if rec.ExitCode != nil && *rec.ExitCode != exitOK {
		return *rec.ExitCode
	}
	return exitOther
}

// pppdAlive: the record's pppd runs (a record written before pppd started
// names none, and a script-only dial has none to check).
func pppdAlive(dir linkstate.Dir, rec linkstate.Record) bool {
	if rec.PPPD.PID == 0 {
		return true
	}
	ok, _ := dir.Alive(rec.PPPD)
	return ok
}
