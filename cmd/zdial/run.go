package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"github.com/zdial/zdial/internal/profile"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/zdial/zdial/internal/backoff"
	"github.com/zdial/zdial/internal/dialer"
	"github.com/zdial/zdial/internal/health"
	"github.com/zdial/zdial/internal/linkstate"
	"github.com/zdial/zdial/internal/metrics"
	"github.com/zdial/zdial/internal/sdnotify"
	"github.com/zdial/zdial/pppctl"
)

// `zdial run PROFILE` is the supervisor in the foreground (systemd's
// ExecStart, or a person watching); `zdial up` starts the same thing
// detached. It holds the profile's dial lock while it dials, writes the
// link record at each transition and keeps the link up until SIGTERM.

// superviseFlags are run's, up's and ensure's flags: zdial PROFILE's, and
// the supervisor's own.
type superviseFlags struct {
	connectFlags
	metricsFile string
}

func (f *superviseFlags) register(fs *flag.FlagSet) {
	f.connectFlags.register(fs)
	f.paths.registerRunDir(fs)
	fs.StringVar(&f.metricsFile, "metrics-file", "", "keep a Prometheus textfile (node_exporter) for the link here")
}

// check refuses connect's flags that make no sense for a link kept up: a
// dry run ends every dial at once, and would be redialled forever.
func (f *superviseFlags) check(io stdio) bool {
	if f.dryRun {
		fmt.Fprintln(io.err, "zdial: --dry-run dials once: use zdial --dry-run PROFILE")
		return false
	}
	return true
}

// superviseCmd is what run, up and ensure start from: their parsed flags,
// the one PROFILE argument, that profile loaded, and stdio with the error
// stream in --log-format.
type superviseCmd struct {
	superviseFlags
	fs      *flag.FlagSet
	name    string // the PROFILE argument, as given
	profile profile.Profile
	io      stdio
}

// parseSupervise parses a supervise command's arguments; extra adds the
// command's own flags. When ok is false the command returns code at once.
func parseSupervise(cmd, usage string, args []string, io stdio, extra func(*flag.FlagSet)) (c *superviseCmd, code int, ok bool) {
	c = &superviseCmd{fs: newFlagSet(cmd, io.err)}
	c.superviseFlags.register(c.fs)
	if extra != nil {
		extra(c.fs)
	}
	c.fs.Usage = func() {
		fmt.Fprintf(io.err, "usage: zdial %s [flags] PROFILE   %s\n", cmd, usage)
		c.fs.PrintDefaults()
	}
	pos, code, ok := parseArgs(c.fs, args)
	if !ok {
		return nil, code, false
	}
	io.err = c.paths.log.stderr(io.err) // one record a line, in --log-format
	if len(pos) != 1 {
		c.fs.Usage()
		return nil, exitUsage, false
	}
	if !c.check(io) {
		return nil, exitUsage, false
	}
	if c.profile, code = loadProfile(&c.paths, pos[0], io); code != exitOK {
		return nil, code, false
	}
	c.name, c.io = pos[0], io
	return c, exitOK, true
}

// lockFDEnv names the descriptor of the profile's dial lock that `zdial
// up` hands its supervisor: the child shares the lock (flock belongs to
// the open file description), so no second dial can start between the
// parent's check and the child's first dial.
const lockFDEnv = "ZDIAL_DIAL_LOCK_FD"

// lockWait bounds how long a supervisor starting by itself waits for
// another process's dial (an ensure from cron) to finish.
const lockWait = 5 * time.Minute

// metricsRefresh is how often the metrics file's byte counters are
// refreshed while the link is up. Everything else in it changes only at
// transitions, which rewrite it at once; the counters change all the
// time, and Prometheus' rate() over a 5-minute window needs no finer
// samples. It is the only timer running while the link is up, and only
// with --metrics-file.
const metricsRefresh = 60 * time.Second

func runRun(ctx context.Context, args []string, io stdio) int {
	c, code, ok := parseSupervise("run", "keep PROFILE's link up, in the foreground (for systemd)", args, io, nil)
	if !ok {
		return code
	}
	f, prof, io := &c.superviseFlags, c.profile, c.io
	dir := f.linkDir()
	self, err := dir.Identify(os.Getpid())
	if err != nil {
		fmt.Fprintln(io.err, "zdial:", forPeople(err))
		return exitOther
	}
	held, err := takeRunLock(ctx, dir, prof.Name)
	if err != nil {
		fmt.Fprintln(io.err, "zdial:", forPeople(err))
		return exitCode(err)
	}
	if code := claimProfile(ctx, dir, prof.Name, self, io); code != exitOK {
		held()
		return code
	}
	notifier, err := sdnotify.New(os.LookupEnv, os.Getpid())
	if err != nil {
		fmt.Fprintln(io.err, "zdial:", forPeople(err))
		notifier = nil // not fatal: run without systemd notifications
	}
	opts := f.dialerOptions(prof, io)
	rec := &recorder{dir: dir, profile: prof.Name, self: self, sysRoot: f.sysRoot,
		metricsFile: f.metricsFile, notify: notifier, say: func(s string) { opts.Progress(dialer.Event{Note: s}) },
		errOut: func(s string) { fmt.Fprintln(io.err, "zdial:", s) }}
	defer rec.stopTicker()
	if d, ok := notifier.WatchdogInterval(); ok {
		go watchdog(ctx, notifier, d/2)
	}
	first := true
	sup := dialer.Supervisor{
		Dialer:   opts,
		Backoff:  backoff.Policy{Max: prof.Reconnect.MaxBackoff},
		OnChange: rec.change,
		Lock: func(ctx context.Context) (func(), error) {
			if first {
				first = false
				return held, nil
			}
			l, err := dir.Lock(ctx, prof.Name)
			if err != nil {
				return nil, err
			}
			return func() { l.Unlock() }, nil
		},
	}
	err = sup.Run(ctx)
	notifier.Stopping(context.WithoutCancel(ctx))
	if err != nil {
		fmt.Fprintln(io.err, "zdial:", forPeople(err))
	}
	return exitCode(err)
}

func (p *paths) linkDir() linkstate.Dir { return linkstate.Dir{Path: p.runDir, ProcRoot: p.procRoot} }

// takeRunLock takes the profile's dial lock: the one `zdial up` handed
// down, or else a fresh wait for it.
func takeRunLock(ctx context.Context, dir linkstate.Dir, name string) (func(), error) {
	if release, ok := inheritedLock(dir, name); ok {
		return release, nil
	}
	ctx, cancel := context.WithTimeout(ctx, lockWait)
	defer cancel()
	l, err := dir.Lock(ctx, name)
	if err != nil {
		return nil, err
	}
	return sync.OnceFunc(func() { l.Unlock() }), nil
}

// inheritedLock adopts the dial lock descriptor named by lockFDEnv, if it
// is this profile's lock file and this process now holds it.
func inheritedLock(dir linkstate.Dir, name string) (func(), bool) {
	v, ok := os.LookupEnv(lockFDEnv)
	if !ok {
		return nil, false
	}
	os.Unsetenv(lockFDEnv) // pppd and connect programs must not see it
	fd, err := strconv.Atoi(v)
	if err != nil || fd < 3 {
		return nil, false
	}
	f := os.NewFile(uintptr(fd), "dial lock")
	if f == nil {
		return nil, false
	}
	if !sameLockFile(f, dir, name) || !holdsLock(f) {
		f.Close()
		return nil, false
	}
	return sync.OnceFunc(func() { f.Close() }), true
}

// claimProfile makes sure no other supervisor runs for name, and clears
// what a dead one left: its record and an orphaned pppd. The caller holds
// the dial lock.
func claimProfile(ctx context.Context, dir linkstate.Dir, name string, self linkstate.Process, io stdio) int {
	old, err := dir.Read(name)
	switch {
	case errors.Is(err, linkstate.ErrNotFound):
		return exitOK
	case err != nil:
		fmt.Fprintln(io.err, "zdial:", forPeople(err))
		return exitOther
	}
	if supervised(dir, old) && old.Supervisor.PID != self.PID {
		fmt.Fprintf(io.err, "zdial: %s is already supervised by process %d (zdial down %s stops it)\n", name, old.Supervisor.PID, name)
		return exitBusy
	}
	if err := stopOrphanPPPD(ctx, dir, old); err != nil {
		fmt.Fprintln(io.err, "zdial:", forPeople(err))
		return exitOther
	}
	return exitOK
}

// watchdog pings systemd's watchdog every interval until ctx is done.
func watchdog(ctx context.Context, n *sdnotify.Notifier, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			n.Watchdog(ctx)
		case <-ctx.Done():
			return
		}
	}
}

// recorder turns the supervisor's transitions into the link record, a
// log line, a systemd notification and the metrics file.
type recorder struct {
	dir         linkstate.Dir
	profile     string
	self        linkstate.Process
	sysRoot     string
	metricsFile string
	notify      *sdnotify.Notifier
	say         func(string) // a progress line
	errOut      func(string) // a problem worth stderr

	// Owned by the supervisor's goroutine:
	ready    bool // READY=1 sent
	lastExit *int // pppd's last exit status, kept across dials

	mu     sync.Mutex // guards last and ticker: the metrics ticker reads last
	last   linkstate.Record
	ticker context.CancelFunc
}

// change is the supervisor's OnChange.
func (r *recorder) change(st dialer.Status) {
	rec := r.record(st)
	if err := r.dir.Write(rec); err != nil {
		r.errOut(err.Error())
	}
	r.mu.Lock()
	update := r.last.State == st.State // more about the same state: no new log line
	r.mu.Unlock()
	if !update {
		r.say(transitionLine(st))
	}
	ctx := context.Background()
	if st.State == linkstate.StateUp && !r.ready {
		r.ready = true
		r.notify.Ready(ctx, statusLine(st))
	} else {
		if err := r.notify.Status(ctx, statusLine(st)); err != nil {
			r.errOut(err.Error())
		}
	}
	r.mu.Lock()
	r.last = rec
	r.mu.Unlock()
	r.writeMetrics()
	if st.State == linkstate.StateUp {
		r.startTicker()
	} else {
		r.stopTicker()
	}
}

func (r *recorder) record(st dialer.Status) linkstate.Record {
	rec := linkstate.Record{
		Profile: r.profile, State: st.State, Supervisor: r.self, Port: st.Port, Device: st.Device,
		Interface: st.Link.Interface, IP: st.Link.LocalIP, Peer: st.Link.RemoteIP, DNS: st.Link.DNS,
		Operator: st.Operator, AccessTech: st.AccessTech, Since: st.Since, Reconnects: st.Reconnects,
	}
	if st.SignalDBm != 0 {
		s := st.SignalDBm
		rec.SignalDBm = &s
	}
	if st.PPPD != 0 {
		if p, err := r.dir.Identify(st.PPPD); err == nil {
			rec.PPPD = p
		}
	}
	if st.Err != nil {
		rec.LastError = forPeople(st.Err)
		code := exitCode(st.Err)
		rec.ExitCode = &code
		var ee *pppctl.ExitError
		if errors.As(st.Err, &ee) && ee.Status >= 0 {
			s := ee.Status
			r.lastExit = &s
		}
	}
	rec.LastExit = r.lastExit
	return rec
}

// transitionLine is the log line for a transition, with its cause.
func transitionLine(st dialer.Status) string {
	switch st.State {
	case linkstate.StateDialing:
		if st.Reconnects > 0 {
			return fmt.Sprintf("redialling (reconnect %d)", st.Reconnects)
		}
		return "dialing"
	case linkstate.StateUp:
		return strings.TrimSpace("link up: " + ifname(st.Link.Interface) + " " + linkAddr(st.Link))
	case linkstate.StateDown:
		if st.Err != nil {
			return "link down: " + st.Err.Error()
		}
		return "link down"
	case linkstate.StateBackoff:
		return fmt.Sprintf("redialling in %s", st.Retry.Round(time.Millisecond))
	case linkstate.StateStopped:
		if st.Err != nil && !dialer.Retryable(st.Err) {
			return "stopped: retrying cannot fix this: " + st.Err.Error()
		}
		return "stopped"
	}
	return string(st.State)
}

// statusLine is systemd's STATUS= for st.
func statusLine(st dialer.Status) string {
	switch st.State {
	case linkstate.StateUp:
		s := "up on " + ifname(st.Link.Interface)
		if a := linkAddr(st.Link); a != "" {
			s += ", " + a
		}
		if st.Operator != "" {
			s += fmt.Sprintf(" (%s %s)", st.Operator, st.AccessTech)
		}
		return s
	case linkstate.StateBackoff:
		return fmt.Sprintf("down, redialling in %s: %v", st.Retry.Round(time.Millisecond), st.Err)
	}
	return transitionLine(st)
}

func (r *recorder) writeMetrics() {
	if r.metricsFile == "" {
		return
	}
	r.mu.Lock()
	rec := r.last
	r.mu.Unlock()
	l := metrics.Link{Profile: rec.Profile, Up: rec.State == linkstate.StateUp, Tech: rec.AccessTech,
		Reconnects: uint64(rec.Reconnects)}
	if rec.SignalDBm != nil {
		l.HasSignal, l.SignalDBm = true, float64(*rec.SignalDBm)
	}
	if rec.LastExit != nil {
		l.HasExitCode, l.LastExitCode = true, *rec.LastExit
	}
	if l.Up && rec.Interface != "" {
		if c, err := health.ReadCounters(r.sysRoot, rec.Interface); err == nil {
			l.HasCounters, l.RxBytes, l.TxBytes = true, c.RxBytes, c.TxBytes
		}
	}
	if err := metrics.WriteFile(r.metricsFile, []metrics.Link{l}); err != nil {
		r.errOut(err.Error())
	}
}

func (r *recorder) startTicker() {
	if r.metricsFile == "" {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ticker != nil {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	r.ticker = cancel
	go func() {
		t := time.NewTicker(metricsRefresh)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				r.writeMetrics()
			case <-ctx.Done():
				return
			}
		}
	}()
}

func (r *recorder) stopTicker() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ticker != nil {
		r.ticker()
		r.ticker = nil
	}
}

// configChangedSince reports whether any of the profile's config files
// was modified after t.
func configChangedSince(p *paths, t time.Time) bool {
	for _, f := range p.configFiles() {
		if fi, err := os.Stat(f.Path); err == nil && fi.ModTime().After(t) {
			return true
		}
	}
	return false
}

// linkAddr is the link's address to show: IPv4's, else the IPv6 link-local
// one (IPv6CP may finish first), else "".
func linkAddr(l pppctl.Link) string {
	switch {
	case l.LocalIP.IsValid():
		return l.LocalIP.String()
	case l.LocalLL.IsValid():
		return l.LocalLL.String()
	}
	return ""
}
