package main

import (
	"context"
	"encoding/json"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zdial/zdial/internal/dialer"
	"github.com/zdial/zdial/internal/fakepppd"
	"github.com/zdial/zdial/internal/linkstate"
	"github.com/zdial/zdial/internal/modemsim"
	"github.com/zdial/zdial/pppctl"
	"golang.org/x/sys/unix"
)

// The supervisor's commands through the CLI, against a simulated modem on
// a pty and the fake pppd; `zdial up` re-executes this test binary as
// `zdial run` (TestMain, cliEnv).

// loLog is pppd's log for a link on the loopback interface: ensure's
// health check (the interface is up and holds the link's address) then
// passes on any machine, with no PPP in the kernel.
var loLog = []string{
	"Using interface lo",
	"Connect: lo <--> {tty}",
	"local  IP address 127.0.0.1",
	"remote IP address 10.64.64.64",
	"primary   DNS address 127.0.0.53",
}

// testLink sets up one test's world: a simulated MF622, a fake pppd
// that stays up until SIGTERM, a run directory, and a `zdial down` at the
// end so no supervisor outlives the test.
type testLink struct {
	dir, runDir, port, pppd string
	record                  func() fakepppd.Record
}

func newTestLink(t *testing.T, persona string, spec fakepppd.Spec) *testLink {
	t.Helper()
	t.Setenv(cliEnv, "1")
	s := &testLink{dir: t.TempDir()}
	s.runDir = filepath.Join(s.dir, "run")
	if persona != "" {
		_, s.port = simPort(t, persona, nil)
	}
	spec.TTY = s.port
	if spec.Log == nil {
		spec.Log = loLog
	}
	s.pppd, s.record = fakepppd.Install(t, spec)
	t.Cleanup(func() {
		// Stop a detached supervisor; one that ran in this process has
		// returned already, and its record names this process.
		if r, err := s.linkDir().Read("three"); err == nil && r.Supervisor.PID != os.Getpid() {
			zdial(t, "down", "--run-dir", s.runDir, "three")
		}
	})
	return s
}

// args are the flags that up, run and ensure share, then the command's own.
func (s *testLink) args(t *testing.T, cmd string, more ...string) []string {
	a := append([]string{cmd}, baseArgs(t, s.dir)...)
	a = append(a, "--run-dir", s.runDir, "--port", s.port, "--pppd", s.pppd)
	return append(a, more...)
}

func (s *testLink) linkDir() linkstate.Dir { return linkstate.Dir{Path: s.runDir, ProcRoot: "/proc"} }

func (s *testLink) read(t *testing.T, name string) linkstate.Record {
	t.Helper()
	r, err := s.linkDir().Read(name)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func (s *testLink) alive(p linkstate.Process) bool {
	ok, _ := s.linkDir().Alive(p)
	return ok
}

func TestUpStatusDown(t *testing.T) {
	s := newTestLink(t, "zte-mf622", fakepppd.Spec{Mode: fakepppd.ModeTerm})
	if code, _, stderr := zdial(t, s.args(t, "up", "--dry-run", "three")...); code != exitUsage || !strings.Contains(stderr, "dry-run") {
		t.Errorf("up --dry-run: exit %d, %q", code, stderr)
	}
	code, stdout, stderr := zdial(t, s.args(t, "up", "three")...)
	if code != exitOK {
		t.Fatalf("up: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if stdout != "" || stderr != "" {
		t.Errorf("up is not quiet on success:\n%s%s", stdout, stderr)
	}
	rec := s.read(t, "three")
	if rec.State != linkstate.StateUp || rec.IP.String() != "127.0.0.1" || rec.Interface != "lo" ||
		rec.Port != s.port || rec.Operator == "" || !s.alive(rec.Supervisor) || !s.alive(rec.PPPD) {
		t.Fatalf("record after up: %+v", rec)
	}
	if rec.Supervisor.PID == os.Getpid() {
		t.Fatal("the supervisor is the test process, not a detached child")
	}
	if log, err := os.ReadFile(filepath.Join(s.runDir, "three.log")); err != nil || !strings.Contains(string(log), "link up: lo 127.0.0.1") {
		t.Errorf("supervisor log (%v):\n%s", err, log)
	}

	code, stdout, stderr = zdial(t, "status", "--run-dir", s.runDir, "--json")
	if code != exitOK {
		t.Fatalf("status: exit %d: %s", code, stderr)
	}
	var st []linkStatus
	if err := json.Unmarshal([]byte(stdout), &st); err != nil {
		t.Fatalf("status --json: %v\n%s", err, stdout)
	}
	if len(st) != 1 || st[0].Stale || !st[0].PPPDAlive || st[0].State != linkstate.StateUp ||
		st[0].Supervisor != rec.Supervisor || st[0].PPPD != rec.PPPD || st[0].IP != rec.IP || st[0].RxBytes == nil {
		t.Errorf("status --json = %s\nrecord %+v", stdout, rec)
	}
	code, stdout, _ = zdial(t, "status", "--run-dir", s.runDir, "three")
	if code != exitOK || !strings.Contains(stdout, "three: up for") || !strings.Contains(stdout, "lo 127.0.0.1") {
		t.Errorf("status three: exit %d\n%s", code, stdout)
	}

	code, stdout, stderr = zdial(t, "down", "--run-dir", s.runDir, "three")
	if code != exitOK || stdout != "" || stderr != "" {
		t.Fatalf("down: exit %d\n%s%s", code, stdout, stderr)
	}
	if s.alive(rec.Supervisor) || s.alive(rec.PPPD) {
		t.Errorf("after down: supervisor alive %v, pppd alive %v", s.alive(rec.Supervisor), s.alive(rec.PPPD))
	}
	if after := s.read(t, "three"); after.State != linkstate.StateStopped {
		t.Errorf("record after down: %+v", after)
	}
	code, _, stderr = zdial(t, "down", "--run-dir", s.runDir, "three")
	if code != exitOK || !strings.Contains(stderr, "not running") {
		t.Errorf("down twice: exit %d, %q", code, stderr)
	}
	code, stdout, _ = zdial(t, "status", "--run-dir", s.runDir, "three")
	if code != exitOK || !strings.Contains(stdout, "stopped (stale") {
		t.Errorf("status after down: exit %d\n%s", code, stdout)
	}
}

// kill -9 of the supervisor leaves a record that status marks stale and
// that neither blocks nor confuses the next ensure; kill -9 of pppd makes
// the supervisor redial.
func TestKill9LeavesNoStaleState(t *testing.T) {
	s := newTestLink(t, "zte-mf622", fakepppd.Spec{Mode: fakepppd.ModeTerm})
	if code, _, stderr := zdial(t, s.args(t, "up", "three")...); code != exitOK {
		t.Fatalf("up: exit %d: %s", code, stderr)
	}
	first := s.read(t, "three")

	kill9(t, first.PPPD.PID)
	// The supervisor notices at once (pppd's exit) and redials after ~1 s;
	// ensure waits for that outcome rather than dialling itself.
	code, _, stderr := zdial(t, s.args(t, "ensure", "three")...)
	if code != exitOK {
		t.Fatalf("ensure after kill -9 of pppd: exit %d: %s", code, stderr)
	}
	second := s.read(t, "three")
	if second.Supervisor != first.Supervisor || second.PPPD == first.PPPD || second.Reconnects != 1 || !s.alive(second.PPPD) {
		t.Fatalf("after kill -9 of pppd:\nbefore %+v\nafter  %+v", first, second)
	}

	kill9(t, second.Supervisor.PID)
	code, stdout, _ := zdial(t, "status", "--run-dir", s.runDir, "--json")
	var st []linkStatus
	json.Unmarshal([]byte(stdout), &st)
	if code != exitOK || len(st) != 1 || !st[0].Stale {
		t.Fatalf("status after kill -9 of the supervisor: exit %d\n%s", code, stdout)
	}
	code, _, stderr = zdial(t, s.args(t, "ensure", "three")...)
	if code != exitOK {
		t.Fatalf("ensure after kill -9 of the supervisor: exit %d: %s", code, stderr)
	}
	third := s.read(t, "three")
	if third.Supervisor == second.Supervisor || !s.alive(third.Supervisor) || s.alive(second.PPPD) {
		t.Errorf("after kill -9 of the supervisor and ensure:\nbefore %+v\nafter  %+v", second, third)
	}
}

// kill9 sends pid SIGKILL and waits until it has died.
func kill9(t *testing.T, pid int) {
	t.Helper()
	fd, err := unix.PidfdOpen(pid, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	if err := unix.PidfdSendSignal(fd, unix.SIGKILL, nil, 0); err != nil {
		t.Fatal(err)
	}
	if err := waitExit(t.Context(), fd); err != nil {
		t.Fatal(err)
	}
}

// zdialWatch runs the CLI in-process, calling stop with the output so
// far after each write; the run is cancelled (as SIGTERM does) once stop
// returns true.
func zdialWatch(t *testing.T, stop func(out string) bool, args ...string) (int, string, string) {
	t.Helper()
	wd, cancelWD := context.WithTimeout(context.Background(), time.Minute)
	defer cancelWD()
	ctx, cancel := context.WithCancel(wd)
	defer cancel()
	out := &watchWriter{stop: stop, cancel: cancel}
	var errb lockedBuffer
	code := run(ctx, args, stdio{in: strings.NewReader(""), out: out, err: &errb})
	if wd.Err() != nil {
		t.Fatalf("zdial %q hit the test watchdog\nstdout:\n%s\nstderr:\n%s", args, out.String(), errb.String())
	}
	return code, out.String(), errb.String()
}

type watchWriter struct {
	stop   func(string) bool
	cancel func()
	mu     sync.Mutex
	b      strings.Builder
}

func (w *watchWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	w.b.Write(p)
	s := w.b.String()
	w.mu.Unlock()
	if w.stop(s) {
		w.cancel()
	}
	return len(p), nil
}

func (w *watchWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (w *lockedBuffer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (w *lockedBuffer) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

func countPrefix(cmds []string, prefix string) int {
	n := 0
	for _, c := range cmds {
		if strings.HasPrefix(strings.ToUpper(c), prefix) {
			n++
		}
	}
	return n
}

// pppd exits 16 (the modem hung up): the supervisor redials after ~1 s
// and the link comes back.
func TestRunReconnectsAfterHangup(t *testing.T) {
	s := newTestLink(t, "", fakepppd.Spec{Exit: 16})
	pty, port := simPort(t, "zte-mf622", nil)
	s.port = port
	notes := notifySocket(t)
	prom := filepath.Join(s.dir, "zdial-three.prom")
	code, stdout, stderr := zdialWatch(t, func(out string) bool { return strings.Count(out, "link up:") >= 2 },
		s.args(t, "run", "--metrics-file", prom, "three")...)
	if code != exitOK {
		t.Fatalf("run: exit %d after SIGTERM\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	for _, want := range []string{"link up: lo 127.0.0.1", "link down: pppctl: pppd exit status 16", "redialling in 1s",
		"redialling (reconnect 1)", "stopped"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("run's log lacks %q:\n%s", want, stdout)
		}
	}
	if n := countPrefix(pty.Sim.Received(), "ATD"); n != 2 {
		t.Errorf("%d dials, want 2", n)
	}
	rec := s.read(t, "three")
	if rec.State != linkstate.StateStopped || rec.Reconnects != 1 {
		t.Errorf("record after SIGTERM: %+v", rec)
	}
	got := strings.Join(notes(), "|")
	for _, want := range []string{"READY=1\nSTATUS=up on lo, 127.0.0.1", "STATUS=down, redialling in 1s", "WATCHDOG=1", "STOPPING=1"} {
		if !strings.Contains(got, want) {
			t.Errorf("systemd notifications lack %q: %s", want, got)
		}
	}
	if strings.Count(got, "READY=1") != 1 {
		t.Errorf("READY=1 sent %d times, want once: %s", strings.Count(got, "READY=1"), got)
	}
	m, err := os.ReadFile(prom)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`zdial_link_up{profile="three"} 0`, `zdial_reconnects_total{profile="three"} 1`,
		`zdial_last_exit_code{profile="three"} 16`, `zdial_signal_dbm{profile="three"} -79`} {
		if !strings.Contains(string(m), want) {
			t.Errorf("metrics lack %q:\n%s", want, m)
		}
	}
}

// notifySocket plays systemd's notification socket for the test; the
// returned function gives the datagrams received up to STOPPING=1, the
// last one a supervisor sends.
func notifySocket(t *testing.T) func() []string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "notify")
	c, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	t.Setenv("NOTIFY_SOCKET", path)
	t.Setenv("WATCHDOG_USEC", "200000") // WATCHDOG=1 every 100 ms
	var got []string                    // written by the reader until stopping is closed
	stopping := make(chan struct{})
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := c.Read(buf)
			if err != nil {
				return
			}
			got = append(got, string(buf[:n]))
			if string(buf[:n]) == "STOPPING=1" {
				close(stopping)
				return
			}
		}
	}()
	return func() []string {
		select {
		case <-stopping:
			return got
		case <-time.After(10 * time.Second): // watchdog: a missing STOPPING=1 fails the test, not hangs it
			t.Error("no STOPPING=1")
			return nil
		}
	}
}

// The dongle vanishes (its port is gone) and comes back as a new device:
// the supervisor keeps redialling with growing waits and finds it again.
func TestRunRedialsWhenDeviceReturns(t *testing.T) {
	s := newTestLink(t, "", fakepppd.Spec{Exit: 16})
	_, first := simPort(t, "zte-mf622", nil)
	s.port = filepath.Join(s.dir, "ttyUSB0") // a udev-style name for whichever device is plugged in
	if err := os.Symlink(first, s.port); err != nil {
		t.Fatal(err)
	}
	var second *modemsim.PTY
	var unplugged, replugged bool
	code, stdout, stderr := zdialWatch(t, func(out string) bool {
		if !unplugged && strings.Contains(out, "link down") {
			unplugged = true
			os.Remove(s.port)
		}
		if !replugged && strings.Contains(out, "redialling in 2s") {
			replugged = true
			var p string
			second, p = simPort(t, "zte-mf622", nil)
			os.Symlink(p, s.port)
		}
		return strings.Count(out, "link up:") >= 2
	}, s.args(t, "run", "three")...)
	if code != exitOK {
		t.Fatalf("run: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "ttyUSB0: no such device") || !strings.Contains(stdout, "redialling in 2s") {
		t.Errorf("no failed dial on the missing port:\n%s", stdout)
	}
	if second == nil || countPrefix(second.Sim.Received(), "ATD") != 1 {
		t.Errorf("the returned device was not dialed")
	}
	if rec := s.read(t, "three"); rec.Reconnects != 2 {
		t.Errorf("record: %+v, want 2 reconnects", rec)
	}
}

// A PIN the SIM rejected stops the supervisor at once: no redial, no
// second PIN; ensure then fails fast with exit 4 without asking the modem
// anything, until the config changes (and even then the PIN memory
// refuses to send the same PIN).
func TestRunStopsOnRejectedPIN(t *testing.T) {
	s := newTestLink(t, "", fakepppd.Spec{Mode: fakepppd.ModeTerm})
	pty, port := simPort(t, "pin-required", nil)
	s.port = port
	cfg := filepath.Join(s.dir, "zdial.yaml")
	os.WriteFile(cfg, []byte("profiles:\n  home: {inherits: three, pin: \"9999\"}\n"), 0o600)
	code, stdout, stderr := zdialWatch(t, func(string) bool { return false }, s.args(t, "run", "home")...)
	if code != exitSIM || !strings.Contains(stdout, "stopped: retrying cannot fix this") {
		t.Fatalf("run: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitSIM, stdout, stderr)
	}
	if n := countPrefix(pty.Sim.Received(), "AT+CPIN="); n != 1 {
		t.Errorf("AT+CPIN= sent %d times, want 1", n)
	}
	rec := s.read(t, "home")
	if rec.State != linkstate.StateStopped || rec.ExitCode == nil || *rec.ExitCode != exitSIM || strings.Contains(rec.LastError, "9999") {
		t.Errorf("record: %+v", rec)
	}
	before := len(pty.Sim.Received())
	for range 3 {
		code, _, stderr = zdial(t, s.args(t, "ensure", "home")...)
		if code != exitSIM || !strings.Contains(stderr, "not dialling again") {
			t.Errorf("ensure: exit %d, %q", code, stderr)
		}
	}
	if rx := pty.Sim.Received(); len(rx) != before {
		t.Errorf("ensure talked to the modem: %q", rx[before:])
	}
	// A changed config is tried again; the PIN memory still refuses 9999.
	future := time.Now().Add(time.Hour)
	os.Chtimes(cfg, future, future)
	code, _, stderr = zdial(t, s.args(t, "ensure", "home")...)
	if code != exitSIM || strings.Contains(stderr, "not dialling again") {
		t.Errorf("ensure after a config change: exit %d, %q", code, stderr)
	}
	if n := countPrefix(pty.Sim.Received(), "AT+CPIN="); n != 1 {
		t.Errorf("AT+CPIN= sent %d times in all, want 1", n)
	}
}

// 50 `zdial ensure` processes at once: one dial, one pppd, every one
// reports the outcome (0); a later ensure on the healthy link is silent
// and sends the modem nothing.
func TestEnsureBurstDialsOnce(t *testing.T) {
	s := newTestLink(t, "", fakepppd.Spec{Mode: fakepppd.ModeTerm})
	pty, port := simPort(t, "zte-mf622", nil)
	s.port = port
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	const n = 50
	cmds := make([]*exec.Cmd, n)
	outs := make([]*lockedBuffer, n)
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	for i := range cmds {
		outs[i] = &lockedBuffer{}
		cmds[i] = exec.CommandContext(ctx, exe, s.args(t, "ensure", "three")...)
		cmds[i].Stdout, cmds[i].Stderr = outs[i], outs[i]
	}
	for _, c := range cmds {
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
	}
	for i, c := range cmds {
		if err := c.Wait(); err != nil {
			t.Errorf("ensure %d: %v\n%s", i, err, outs[i].String())
		}
	}
	if ctx.Err() != nil {
		t.Fatal("the burst hit the test watchdog")
	}
	if n := countPrefix(pty.Sim.Received(), "ATD"); n != 1 {
		t.Errorf("%d dials, want 1", n)
	}
	rec := s.read(t, "three")
	if rec.State != linkstate.StateUp || !s.alive(rec.PPPD) || rec.Reconnects != 0 {
		t.Errorf("record after the burst: %+v", rec)
	}
	before := len(pty.Sim.Received())
	code, stdout, stderr := zdial(t, s.args(t, "ensure", "three")...)
	if code != exitOK || stdout != "" || stderr != "" {
		t.Errorf("ensure on a healthy link: exit %d, %q %q", code, stdout, stderr)
	}
	if rx := pty.Sim.Received(); len(rx) != before {
		t.Errorf("ensure on a healthy link talked to the modem: %q", rx[before:])
	}
}

// up returns the dial's exit code when the supervisor gives up before
// the link is up, and leaves no supervisor behind.
func TestUpReturnsTheDialsCode(t *testing.T) {
	s := newTestLink(t, "", fakepppd.Spec{Mode: fakepppd.ModeTerm})
	_, port := simPort(t, "no-sim", nil)
	s.port = port
	code, stdout, stderr := zdial(t, s.args(t, "up", "three")...)
	if code != exitSIM || !strings.Contains(stderr, "SIM") {
		t.Fatalf("up: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitSIM, stdout, stderr)
	}
	rec := s.read(t, "three")
	if rec.State != linkstate.StateStopped || s.alive(rec.Supervisor) {
		t.Errorf("record after up gave up: %+v (supervisor alive %v)", rec, s.alive(rec.Supervisor))
	}
}

func TestTransitionLineShowsAnAddressItHas(t *testing.T) {
	ll := netip.MustParseAddr("fe80::1")
	for _, tc := range []struct {
		link pppctl.Link
		want string
	}{
		{pppctl.Link{Interface: "ppp0", LocalLL: ll}, "link up: ppp0 fe80::1"},
		{pppctl.Link{Interface: "ppp0", LocalLL: ll, LocalIP: netip.MustParseAddr("10.0.0.2")}, "link up: ppp0 10.0.0.2"},
		{pppctl.Link{Interface: "ppp0"}, "link up: ppp0"},
	} {
		if got := transitionLine(dialer.Status{State: linkstate.StateUp, Link: tc.link}); got != tc.want {
			t.Errorf("transitionLine(%+v) = %q, want %q", tc.link, got, tc.want)
		}
	}
}
