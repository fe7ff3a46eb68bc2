package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/zdial/zdial/internal/modemsim"
)

// lockKind is a UUCP lock left on the port before a run.
type lockKind int

const (
	noLock    lockKind = iota
	staleLock          // its PID is not running
	liveLock           // its PID is running (the bench itself)
)

// fault is one row of the fault matrix.
type fault struct {
	name    string
	persona string
	change  func(*modemsim.Persona) // nil: the persona as it is
	pin     string                  // the PIN in zdial's profile
	lock    lockKind
	want    []int  // zdial's exit codes the README documents for it
	again   bool   // run zdial twice with one state directory; judge the second
	pinRule string // "once": at most one AT+CPIN=, nothing after its rejection; "never": none
}

// faults is the matrix of issue 11, item 6.
func faults() []fault {
	urcFlood := func(every time.Duration) func(*modemsim.Persona) {
		return func(p *modemsim.Persona) {
			p.URCs = append(p.URCs, modemsim.URC{Line: "^RSSI:14", After: every, Every: every})
		}
	}
	return []fault{
		{name: "ERROR to AT+CGDCONT", persona: "zte-mf622", want: []int{6}, change: func(p *modemsim.Persona) {
			p.Replies = append(p.Replies, modemsim.Reply{Command: "+CGDCONT=", Result: modemsim.ResultError})
		}},
		{name: "NO CARRIER to ATD", persona: "zte-mf622", want: []int{6}, change: func(p *modemsim.Persona) {
			p.Dial.Result = modemsim.ResultNoCarrier
		}},
		{name: "BUSY to ATD", persona: "zte-mf622", want: []int{6}, change: func(p *modemsim.Persona) {
			p.Dial.Result = modemsim.ResultBusy
		}},
		{name: "port vanishes mid-chat (at AT+CGDCONT)", persona: "zte-mf622", want: []int{3}, change: func(p *modemsim.Persona) {
			p.Faults.VanishOn = "+CGDCONT"
		}},
		{name: "silent modem", persona: "zte-mf622", want: []int{3}, change: func(p *modemsim.Persona) {
			p.Faults.Silent = true
		}},
		{name: "^RSSI flood every 0.5 s", persona: "zte-mf622", want: []int{0}, change: urcFlood(500 * time.Millisecond)},
		{name: "^RSSI flood every 0.2 s", persona: "zte-mf622", want: []int{0}, change: urcFlood(200 * time.Millisecond)},
		{name: "^RSSI flood every 0.05 s", persona: "zte-mf622", want: []int{0}, change: urcFlood(50 * time.Millisecond)},
		{name: "URC between information line and OK", persona: "zte-mf622", want: []int{0}, change: func(p *modemsim.Persona) {
			for _, c := range []string{"+CPIN?", "+CSQ", "+COPS?", "+CREG?", "+CGREG?", "+CEREG?", "+CGDCONT=", "+FCLASS=0"} {
				p.Interleave = append(p.Interleave, modemsim.Interleave{Command: c, Line: "^RSSI:14"})
			}
		}},
		{name: "replies split byte by byte (1 ms apart)", persona: "zte-mf622", want: []int{0}, change: func(p *modemsim.Persona) {
			p.Faults.ByteByByte, p.Faults.ByteDelay = true, time.Millisecond
		}},
		{name: `line noise ("\x00\xff\x13\x8a\x1b" before every reply)`, persona: "zte-mf622", want: []int{0}, change: func(p *modemsim.Persona) {
			p.Faults.Garbage = "\x00\xff\x13\x8a\x1b"
		}},
		{name: "wrong PIN", persona: "pin-required", pin: "0000", want: []int{4}, pinRule: "once"},
		{name: "wrong PIN, second run (same state dir)", persona: "pin-required", pin: "0000", want: []int{4}, again: true, pinRule: "never"},
		{name: "PUK-locked SIM", persona: "puk-locked", pin: "1234", want: []int{4}, pinRule: "never"},
		{name: "no SIM", persona: "no-sim", pin: "1234", want: []int{4}, pinRule: "never"},
		{name: "registration denied", persona: "denied", want: []int{5}},
		{name: "stale lock (dead PID)", persona: "zte-mf622", lock: staleLock, want: []int{0}},
		{name: "live lock (running PID)", persona: "zte-mf622", lock: liveLock, want: []int{8}},
	}
}

// faultRun is one dialer against one fault.
type faultRun struct {
	dialer    string
	outcome   string
	exit      int
	elapsed   time.Duration // start → exit
	connectAt time.Duration // start → CONNECT, 0 if none
	killed    bool
	check     string // zdial only: "✓" or "✗ why"
}

// runFault runs zdial, chat and wvdial against f, each on a fresh modem.
func runFault(ctx context.Context, e *env, f fault) ([]faultRun, error) {
	var runs []faultRun
	for _, name := range []string{"zdial", "chat", "wvdial"} {
		r, err := runFaultOnce(ctx, e, f, name)
		if err != nil {
			return nil, fmt.Errorf("%s, %s: %w", f.name, name, err)
		}
		runs = append(runs, r)
	}
	return runs, nil
}

func runFaultOnce(ctx context.Context, e *env, f fault, name string) (faultRun, error) {
	dir, err := e.runDir()
	if err != nil {
		return faultRun{}, err
	}
	defer os.RemoveAll(dir)
	config := filepath.Join(dir, "zdial.yaml")
	if err := os.WriteFile(config, []byte(zdialConfig(f.pin)), 0o600); err != nil {
		return faultRun{}, err
	}
	var first []string // what the modem received on zdial's first run (f.again)
	if name == "zdial" && f.again {
		_, rec, err := faultAttempt(ctx, e, f, name, dir, config)
		if err != nil {
			return faultRun{}, err
		}
		first = rec
	}
	r, rec, err := faultAttempt(ctx, e, f, name, dir, config)
	if err != nil {
		return r, err
	}
	if name == "zdial" {
		r.check = judge(f, r, rec, first)
	}
	return r, nil
}

// faultAttempt is one run of dialer name on a fresh modem with f applied.
func faultAttempt(ctx context.Context, e *env, f fault, name, dir, config string) (faultRun, []string, error) {
	p, err := persona(f.persona, 0)
	if err != nil {
		return faultRun{}, nil, err
	}
	if f.change != nil {
		f.change(&p)
	}
	sim, err := startSim(ctx, p)
	if err != nil {
		return faultRun{}, nil, err
	}
	defer sim.Close()
	var c child
	var lockFile string
	switch name {
	case "zdial":
		c = child{argv: zdialConnectArgv(e, config, sim.Path, dir, "--dry-run", "--pppd", e.stub), timeout: e.timeout}
		lockFile = filepath.Join(dir, "lock", "LCK.."+filepath.Base(sim.Path))
	case "chat":
		c, err = chatDialer.child(e, sim.Path, dir)
	case "wvdial":
		c, err = wvdialDialer.child(e, sim.Path, dir)
		lockFile = filepath.Join("/var/lock", "LCK.."+filepath.Base(sim.Path))
	}
	if err != nil {
		return faultRun{}, nil, err
	}
	if f.lock != noLock && lockFile != "" {
		pid, err := lockPID(ctx, f.lock)
		if err != nil {
			return faultRun{}, nil, err
		}
		if err := os.WriteFile(lockFile, fmt.Appendf(nil, "%10d\n", pid), 0o644); err != nil {
			return faultRun{}, nil, err
		}
	}
	if lockFile != "" {
		// Ours, or one the dialer left behind (wvdial aborts after pppd):
		// a dead PID's, or this process's own live one.
		defer clearLock(lockFile, f.lock == liveLock)
	}
	o, err := run(ctx, c, nil)
	if err != nil {
		return faultRun{}, nil, err
	}
	r := faultRun{dialer: name, exit: o.exit, elapsed: o.elapsed(), killed: o.killed}
	if at := sim.connected(); !at.IsZero() {
		r.connectAt = at.Sub(o.start)
	}
	switch {
	case o.killed:
		r.outcome = fmt.Sprintf("hung: killed after %s", c.timeout)
	case r.connectAt > 0:
		r.outcome = "CONNECT"
	default:
		r.outcome = lastLine(o.output)
	}
	return r, sim.Sim.Received(), nil
}

// lockPID is a PID for a lock file: a process that has ended, or this one.
func lockPID(ctx context.Context, k lockKind) (int, error) {
	if k == liveLock {
		return os.Getpid(), nil
	}
	cmd := exec.CommandContext(ctx, "true")
	if err := cmd.Run(); err != nil {
		return 0, err
	}
	return cmd.Process.Pid, nil
}

// judge checks zdial's run of f: the documented exit code, no hang, and
// the PIN rule. It returns "✓" or "✗" with the reasons.
func judge(f fault, r faultRun, received, first []string) string {
	var bad []string
	if r.killed {
		bad = append(bad, "hung")
	} else if !slices.Contains(f.want, r.exit) {
		bad = append(bad, fmt.Sprintf("exit %d, README says %s", r.exit, joinInts(f.want)))
	}
	bad = append(bad, pinProblems(f.pinRule, received)...)
	if f.again {
		if n := countContaining(first, "+CPIN="); n > 1 {
			bad = append(bad, fmt.Sprintf("first run sent AT+CPIN= %d times", n))
		}
	}
	if len(bad) == 0 {
		return "✓"
	}
	return "✗ " + strings.Join(bad, "; ")
}

// pinProblems applies a PIN rule to the command lines a modem received.
// "once": at most one AT+CPIN=, and nothing after it once it was rejected
// (a modem in every fault here rejects it); "never": no AT+CPIN= at all.
func pinProblems(rule string, received []string) []string {
	n := countContaining(received, "+CPIN=")
	switch rule {
	case "never":
		if n > 0 {
			return []string{fmt.Sprintf("sent AT+CPIN= %d times", n)}
		}
	case "once":
		if n > 1 {
			return []string{fmt.Sprintf("sent AT+CPIN= %d times", n)}
		}
		for i, l := range received {
			if strings.Contains(strings.ToUpper(l), "+CPIN=") && i+1 < len(received) {
				return []string{fmt.Sprintf("sent %q after the PIN was rejected", received[i+1:])}
			}
		}
	}
	return nil
}

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = fmt.Sprint(n)
	}
	return strings.Join(s, " or ")
}

// faultsDoc runs the matrix and returns docs/faults.md.
func faultsDoc(ctx context.Context, e *env, o options, m machine, log io.Writer) (string, error) {
	var b strings.Builder
	b.WriteString(m.header("zdial fault matrix"))
	fmt.Fprintf(&b, `
Each fault on a fresh simulated modem (internal/modemsim), against zdial
(`+"`zdial --dry-run --port PTY bench`"+`: its full default dial, exit codes as
in the README), chat(8) and wvdial running the bench's 4-command job
(bench.md). Every run has a hard limit of %s. "time" is from process start
to exit (to give up, or to finish after CONNECT). zdial's row is checked:
the exit code the README documents, no hang, and the PIN rules — at most one
AT+CPIN=, nothing sent after the SIM rejects it, none at all to a SIM that
rejected that PIN before (zdial's state directory is kept between the two
runs of that row), to a PUK-locked SIM or to no SIM.

chat and wvdial run a job without SIM or registration checks, so the SIM
faults reach them as NO CARRIER at ATD (the simulator refuses to dial without
a ready SIM and a registration). chat(8) takes no lock (pppd does); wvdial
locks /var/lock/LCK..NAME. wvdial often exits 134 after a CONNECT: when the
stub pppd exits at once, it aborts on an assertion in wvstreams
(WvTaskMan::yield); the CONNECT column is what counts for it.
`, e.timeout)
	t := table{header: []string{"fault", "dialer", "outcome", "exit", "time", "CONNECT at", "zdial check"},
		right: []bool{false, false, false, true, true, true, false}}
	good, bad := 0, 0
	for _, f := range faults() {
		fmt.Fprintf(log, "fault: %s\n", f.name)
		runs, err := runFault(ctx, e, f)
		if err != nil {
			return "", err
		}
		for i, r := range runs {
			name := ""
			if i == 0 {
				name = f.name
			}
			conn := "–"
			if r.connectAt > 0 {
				conn = secs(r.connectAt)
			}
			t.add(name, r.dialer, r.outcome, fmt.Sprint(r.exit), secs(r.elapsed), conn, r.check)
			fmt.Fprintf(log, "  %-7s exit %3d  %s  %s %s\n", r.dialer, r.exit, secs(r.elapsed), r.outcome, r.check)
			if r.check == "✓" {
				good++
			} else if r.check != "" {
				bad++
			}
		}
	}
	fmt.Fprintf(&b, "\nzdial: %d ✓, %d ✗.\n\n", good, bad)
	b.WriteString(t.markdown())
	fmt.Fprint(log, "\n"+t.markdown())
	return b.String(), nil
}
