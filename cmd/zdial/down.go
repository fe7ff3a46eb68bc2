package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/zdial/zdial/internal/linkstate"
)

// `zdial down PROFILE` sends the profile's supervisor SIGTERM (through a
// pidfd checked against the record's start time: a reused PID is never
// signalled) and waits until it has hung up and exited. A profile with no
// running supervisor is already down: down says so on stderr and exits 0,
// as `systemctl stop` does for a stopped unit, so an ifdown hook or a
// script can call it without first asking. A pppd that a killed
// supervisor left behind is stopped too.

// defaultDownTimeout covers a hang-up (5 s at most) and pppd's stop.
const defaultDownTimeout = 30 * time.Second

func runDown(ctx context.Context, args []string, io stdio) int {
	fs := newFlagSet("down", io.err)
	var p paths
	p.register(fs)
	p.registerRunDir(fs)
	timeout := fs.Duration("timeout", defaultDownTimeout, "how long to wait for the supervisor to hang up and exit")
	fs.Usage = func() {
		fmt.Fprintln(io.err, "usage: zdial down [flags] PROFILE   hang PROFILE's link up and stop its supervisor")
		fs.PrintDefaults()
	}
	pos, code, ok := parseArgs(fs, args)
	if !ok {
		return code
	}
	io.err = p.log.stderr(io.err) // one record a line, in --log-format
	if len(pos) != 1 {
		fs.Usage()
		return exitUsage
	}
	name := pos[0]
	if err := linkstate.ValidProfile(name); err != nil {
		fmt.Fprintln(io.err, "zdial:", forPeople(err))
		return exitUsage
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	dir := p.linkDir()
	rec, err := dir.Read(name)
	if errors.Is(err, linkstate.ErrNotFound) {
		fmt.Fprintf(io.err, "zdial: %s is not running\n", name)
		return exitOK
	}
	if err != nil {
		fmt.Fprintln(io.err, "zdial:", forPeople(err))
		return exitOther
	}
	err = stopProcess(ctx, dir, rec.Supervisor, false)
	switch {
	case errors.Is(err, errGone):
		if err := stopOrphanPPPD(ctx, dir, rec); err != nil {
			fmt.Fprintln(io.err, "zdial:", forPeople(err))
			return exitOther
		}
		fmt.Fprintf(io.err, "zdial: %s is not running\n", name)
		return exitOK
	case err != nil:
		fmt.Fprintf(io.err, "zdial: %s: supervisor (process %d) did not stop: %v\n", name, rec.Supervisor.PID, err)
		return exitOther
	}
	return exitOK
}
