package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/netip"
	"os"
	"time"

	"github.com/zdial/zdial/internal/health"
	"github.com/zdial/zdial/internal/linkstate"
	"github.com/zdial/zdial/internal/profile"
)

// `zdial ensure PROFILE` is for cron and hooks: it makes sure the link is
// up and is silent when it is.
//
//	TryLock(profile)   busy: another ensure/up/supervisor is dialing → wait for that outcome, report it
//	  won, record says up, supervisor and pppd alive, ppp0 holds its address,
//	       the profile's check (tcp/dns) passes          → exit 0: no port touched, nothing printed
//	  won, supervisor alive but the link is not up       → wait (--timeout) for its next outcome
//	  won, supervisor alive, up, but the check fails     → end its pppd (it redials); wait for that
//	  won, no live supervisor, last one stopped on a SIM
//	       problem (exit 4) and no config file changed
//	       since                                          → exit 4 at once, nothing sent to the modem
//	  won, no live supervisor                            → start one as up does; its dial's code
//
// The SIM short-circuit: a supervisor stops on a SIM problem (PIN
// rejected, PUK, no SIM) because retrying cannot fix it and could lock the
// SIM; without it every cron run would open the port and ask the SIM
// again. What fixes it is a change by a person: a corrected PIN in the
// config (its modification time is newer than the record), or an explicit
// `zdial up PROFILE` (a new SIM in the same dongle), which always dials.
func runEnsure(ctx context.Context, args []string, io stdio) int {
	var timeout *time.Duration
	c, code, ok := parseSupervise("ensure", "exit 0 if the link is healthy, else bring it up (for cron)", args, io, func(fs *flag.FlagSet) {
		timeout = fs.Duration("timeout", defaultUpTimeout, "how long to wait for a dial's outcome")
	})
	if !ok {
		return code
	}
	f, prof, io := &c.superviseFlags, c.profile, c.io
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	dir := f.linkDir()
	name := prof.Name
	lock, err := dir.TryLock(name)
	if errors.Is(err, linkstate.ErrBusy) {
		return awaitOutcome(ctx, dir, name, nil, linkstate.Process{}, io)
	}
	if err != nil {
		fmt.Fprintln(io.err, "zdial:", forPeople(err))
		return exitOther
	}
	defer lock.Unlock()
	rec, err := dir.Read(name)
	switch {
	case errors.Is(err, linkstate.ErrNotFound):
	case err != nil:
		fmt.Fprintln(io.err, "zdial:", forPeople(err))
		return exitOther
	default:
		if supervised(dir, rec) {
			lock.Unlock()
			return ensureSupervised(ctx, dir, rec, prof, io)
		}
		if rec.ExitCode != nil && *rec.ExitCode == exitSIM && !configChangedSince(&f.paths, rec.Since) {
			fmt.Fprintf(io.err, "zdial: %s: %s (not dialling again until the config changes; zdial up %s retries)\n",
				name, rec.LastError, name)
			return exitSIM
		}
	}
	return startAndAwait(ctx, dir, name, childArgs(c.fs, c.name), lock, io)
}

// ensureSupervised handles a profile whose supervisor runs.
func ensureSupervised(ctx context.Context, dir linkstate.Dir, rec linkstate.Record, prof profile.Profile, io stdio) int {
	if rec.State != linkstate.StateUp {
		// Dialing or between redials: its next outcome is ours.
		return awaitOutcome(ctx, dir, rec.Profile, nil, linkstate.Process{}, io)
	}
	err := linkHealthy(ctx, dir, rec, prof)
	if err == nil {
		return exitOK
	}
	// The supervisor believes in a link that does not work (pppd wedged,
	// the address gone): end pppd; the supervisor sees it exit and redials.
	fmt.Fprintf(io.err, "zdial: %s: %v; restarting the link\n", rec.Profile, err)
	if err := stopProcess(ctx, dir, rec.PPPD, true); err != nil && !errors.Is(err, errGone) {
		fmt.Fprintln(io.err, "zdial:", forPeople(err))
		return exitOther
	}
	return awaitOutcome(ctx, dir, rec.Profile, nil, rec.PPPD, io)
}

// linkHealthy checks an up record: pppd alive, the interface up with the
// link's address, and the profile's connectivity checks through it.
func linkHealthy(ctx context.Context, dir linkstate.Dir, rec linkstate.Record, prof profile.Profile) error {
	if alive, err := dir.Alive(rec.PPPD); err != nil || !alive {
		return fmt.Errorf("pppd (process %d) is gone", rec.PPPD.PID)
	}
	t := health.Target{
		Interface: rec.Interface, Address: rec.IP, TCP: prof.Check.TCP, DNS: prof.Check.DNS,
		// SO_BINDTODEVICE needs root (or CAP_NET_RAW); without it a check
		// could pass over another route, so it is used whenever allowed.
		Bind: os.Geteuid() == 0,
	}
	if len(rec.DNS) > 0 {
		t.Nameserver = netip.AddrPortFrom(rec.DNS[0], 53)
	}
	return health.Checker{}.Check(ctx, t)
}

// supervised reports whether rec's supervisor runs and has not stopped
// (a stopped one is on its way out).
func supervised(dir linkstate.Dir, rec linkstate.Record) bool {
	alive, _ := dir.Alive(rec.Supervisor)
	return alive && rec.State != linkstate.StateStopped
}
