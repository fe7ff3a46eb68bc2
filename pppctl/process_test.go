package pppctl

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/zdial/zdial/internal/fakepppd"
	"golang.org/x/sys/unix"
)

// Distinct, greppable secrets: if either shows up anywhere it leaked.
const (
	testPassword = "Pw-s3cr3t-Q7"
	testPIN      = "7391"
)

// A session as pppd 2.4.9 would log it on our line, plus one line that
// carries the password (pppd itself never prints it; this tests the
// second fence).
var sessionLog = []string{
	"Using interface ppp0",
	"Connect: ppp0 <--> {tty}",
	"PAP authentication succeeded",
	"local  IP address 10.11.12.13",
	"remote IP address 10.64.64.64",
	"primary   DNS address 8.8.8.8",
	"secondary DNS address 8.8.4.4",
	`rcvd [PAP AuthReq id=0x1 user="web" password="` + testPassword + `"]`,
}

func fakePluginDir(t *testing.T) string {
	t.Helper()
	d := t.TempDir()
	if err := os.WriteFile(filepath.Join(d, PasswordFDPlugin), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	return d
}

func profile() Options {
	return Options{
		NoAuth: true, DefaultRoute: true, UsePeerDNS: true, NoIPDefault: true,
		LCPEchoInterval: 30, LCPEchoFailure: 4,
		User: "web", Password: testPassword, IfName: "ppp0",
	}
}

// assertNoSecret fails if the password or PIN appears in any string.
func assertNoSecret(t *testing.T, where string, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if strings.Contains(s, testPassword) || strings.Contains(s, testPIN) {
			t.Errorf("secret leaked in %s: %q", where, s)
		}
	}
}

func TestStartHandsOverLineWithPasswordFD(t *testing.T) {
	// The parent's environment holds secrets the child must not inherit.
	t.Setenv("ZDIAL_PASSWORD", testPassword)
	t.Setenv("ZDIAL_PIN", testPIN)
	ctx := watchdog(t)
	h := newHarness(t, fakepppd.Spec{Mode: fakepppd.ModeExit, Exit: 16, Log: sessionLog})
	cfg := h.config(profile())
	cfg.PluginDir = fakePluginDir(t)
	p := h.start(ctx, cfg)
	err := p.Wait(ctx)

	if !errors.Is(err, ErrHangup) {
		t.Fatalf("Wait = %v, want ErrHangup", err)
	}
	rec := h.record()
	if !rec.StdinIsLine {
		t.Errorf("fake pppd's stdin is not the dialed tty: %s", rec.StdinErr)
	}
	want := append(Args(profile()), "logfd", "3",
		"plugin", filepath.Join(cfg.PluginDir, PasswordFDPlugin), "passwordfd", "4")
	if diff := cmp.Diff(want, rec.Args); diff != "" {
		t.Errorf("argv (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(DefaultEnv, rec.Env); diff != "" {
		t.Errorf("child environment (-want +got):\n%s", diff)
	}
	if rec.Via != "passwordfd" || rec.Password != testPassword {
		t.Errorf("password via %q = %q, want passwordfd delivery", rec.Via, rec.Password)
	}

	evs := h.seen()
	var lines []string
	for _, ev := range evs {
		lines = append(lines, ev.Line)
	}
	assertNoSecret(t, "argv", rec.Args...)
	assertNoSecret(t, "child environment", rec.Env...)
	assertNoSecret(t, "log events", lines...)
	assertNoSecret(t, "error", err.Error())
	if !slices.Contains(lines, `rcvd [PAP AuthReq id=0x1 user="web" password="****"]`) {
		t.Errorf("password in a log line was not masked: %q", lines)
	}
	if got := evs[1]; got.Kind != EventConnect || got.Device != h.tty.Name() {
		t.Errorf("second event = %+v, want Connect on %s", got, h.tty.Name())
	}
}

// TestStartPasswordNeverOnDisk pins issue 9 item 10: without the
// passwordfd plugin the password reaches pppd through a pipe it reads as
// an options file, so while pppd runs (when a kill -9 of zdial would
// leave whatever exists behind) no file holds it.
func TestStartPasswordNeverOnDisk(t *testing.T) {
	ctx := watchdog(t)
	h := newHarness(t, fakepppd.Spec{Mode: fakepppd.ModeTerm})
	cfg := h.config(profile()) // no PluginDir: the options-file pipe
	p := h.start(ctx, cfg)
	h.waitReady(ctx)
	// pppd is up: zdial could die now. Nothing in TempDir may hold the
	// password (the old code kept zdial-pppd-*/options there until pppd exited).
	filepath.WalkDir(h.dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			t.Errorf("walk: %v", err)
			return nil
		}
		if strings.HasPrefix(d.Name(), staleDirPrefix) {
			t.Errorf("%s exists while pppd runs", path)
		}
		if !d.Type().IsRegular() { // fake-pppd links to this test binary, which holds it
			return nil
		}
		if b, err := os.ReadFile(path); err == nil && strings.Contains(string(b), testPassword) {
			t.Errorf("%s holds the password while pppd runs", path)
		}
		return nil
	})
	if err := p.Stop(ctx); !errors.Is(err, ErrUserRequest) {
		t.Fatalf("Stop = %v, want ErrUserRequest", err)
	}
	rec := h.record()
	if rec.Via != "file" || rec.Password != testPassword || rec.OptionsFile != "/dev/fd/4" {
		t.Fatalf("password via %q %s = %q, want the options file on fd 4", rec.Via, rec.OptionsFile, rec.Password)
	}
	want := append(Args(profile()), "logfd", "3", "file", "/dev/fd/4")
	if diff := cmp.Diff(want, rec.Args); diff != "" {
		t.Errorf("argv (-want +got):\n%s", diff)
	}
	assertNoSecret(t, "argv", rec.Args...)
	assertNoSecret(t, "child environment", rec.Env...)
}

// TestStartSweepsStaleOptionsDirs: the options directories an older
// zdial killed mid-session left in TempDir are removed on the next
// Start, and nothing that merely resembles one.
func TestStartSweepsStaleOptionsDirs(t *testing.T) {
	ctx := watchdog(t)
	h := newHarness(t, fakepppd.Spec{Mode: fakepppd.ModeExit})
	past := time.Now().Add(-2 * staleAge)
	mk := func(name string, dirMode os.FileMode, files ...string) string {
		t.Helper()
		d := filepath.Join(h.dir, name)
		if err := os.Mkdir(d, dirMode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(d, dirMode); err != nil { // past the umask
			t.Fatal(err)
		}
		for _, f := range files {
			if err := os.WriteFile(filepath.Join(d, f), []byte("password \"old\"\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			os.Chtimes(filepath.Join(d, f), past, past)
		}
		os.Chtimes(d, past, past)
		return d
	}
	stale := mk("zdial-pppd-1111", 0o700, "options")
	emptyStale := mk("zdial-pppd-2222", 0o700)
	keep := []string{
		mk("zdial-pppd-3333", 0o755, "options"),          // not 0700
		mk("zdial-pppd-4444", 0o700, "options", "other"), // not only options
		mk("other-5555", 0o700, "options"),               // not our name
	}
	fresh := mk("zdial-pppd-6666", 0o700, "options")
	now := time.Now()
	os.Chtimes(filepath.Join(fresh, "options"), now, now)
	os.Chtimes(fresh, now, now)
	keep = append(keep, fresh) // an older zdial's pppd may be about to read it
	target := mk("elsewhere", 0o700, "options")
	link := filepath.Join(h.dir, "zdial-pppd-7777")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	keep = append(keep, link, filepath.Join(target, "options"))
	if os.Geteuid() == 0 {
		foreign := mk("zdial-pppd-8888", 0o700, "options")
		if err := os.Chown(foreign, 65534, 65534); err != nil {
			t.Fatal(err)
		}
		keep = append(keep, foreign)
	}

	if err := h.start(ctx, h.config(Options{})).Wait(ctx); err != nil {
		t.Fatalf("Wait = %v", err)
	}
	for _, gone := range []string{stale, emptyStale} {
		if _, err := os.Lstat(gone); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("stale %s not removed (lstat: %v)", gone, err)
		}
	}
	for _, k := range keep {
		if _, err := os.Lstat(k); err != nil {
			t.Errorf("%s was removed: %v", k, err)
		}
	}
}

// In a directory others may write to without the sticky bit, names can
// be swapped under the sweep: it touches nothing there.
func TestSweepStaleSkipsUnsafeDir(t *testing.T) {
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	d := filepath.Join(dir, "zdial-pppd-1")
	if err := os.Mkdir(d, 0o700); err != nil {
		t.Fatal(err)
	}
	past := time.Now().Add(-2 * staleAge)
	os.Chtimes(d, past, past)
	sweepStale(dir)
	if _, err := os.Stat(d); err != nil {
		t.Fatalf("swept in a world-writable non-sticky dir: %v", err)
	}
	if err := os.Chmod(dir, 0o777|os.ModeSticky); err != nil {
		t.Fatal(err)
	}
	sweepStale(dir)
	if _, err := os.Stat(d); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("not swept in a sticky dir (stat: %v)", err)
	}
}

func TestQuoteWordRoundTrip(t *testing.T) {
	for _, pw := range []string{
		"plain", `with "quotes"`, `back\slash`, "sp ace", "tab\there", "nl\nline",
		"#hash", "'single'", "ünïcödé", "\x01\x7f", `\101 not octal`,
	} {
		if got := fakepppd.UnquoteWord(quoteWord(pw)); got != pw {
			t.Errorf("unquote(quote(%q)) = %q (quoted %s)", pw, got, quoteWord(pw))
		}
		if strings.ContainsAny(quoteWord(pw), "\n\r") {
			t.Errorf("quoteWord(%q) spans lines", pw)
		}
	}
}

func TestExitStatusesFromProcess(t *testing.T) {
	ctx := watchdog(t)
	for status := 0; status <= 22; status++ {
		h := newHarness(t, fakepppd.Spec{Mode: fakepppd.ModeExit, Exit: status})
		err := h.start(ctx, h.config(Options{})).Wait(ctx)
		if status == 0 {
			if err != nil {
				t.Errorf("status 0: Wait = %v, want nil", err)
			}
			continue
		}
		var ee *ExitError
		if !errors.As(err, &ee) || ee.Status != status {
			t.Errorf("status %d: Wait = %v, want *ExitError with that status", status, err)
			continue
		}
		want := ErrUnknownStatus
		if status < len(exitErrs) {
			want = exitErrs[status]
		}
		if !errors.Is(err, want) {
			t.Errorf("status %d: %v does not match %v", status, err, want)
		}
	}
}

func TestEventsInOrderAndLink(t *testing.T) {
	ctx := watchdog(t)
	log := append(slices.Clone(sessionLog[:7]),
		"LCP terminated by peer", "Connect time 1.5 minutes.",
		"Sent 100 bytes, received 2000 bytes.", "Connection terminated.", "Modem hangup")
	h := newHarness(t, fakepppd.Spec{Mode: fakepppd.ModeExit, Exit: 16, Log: log})
	p := h.start(ctx, h.config(Options{}))
	p.Wait(ctx)
	var kinds []EventKind
	for _, ev := range h.seen() {
		kinds = append(kinds, ev.Kind)
	}
	want := []EventKind{EventInterface, EventConnect, EventAuthSucceeded, EventLocalIP,
		EventRemoteIP, EventPrimaryDNS, EventSecondaryDNS, EventTerminatedByPeer,
		EventConnectTime, EventTraffic, EventConnectionTerminated, EventModemHangup}
	if diff := cmp.Diff(want, kinds); diff != "" {
		t.Errorf("event kinds (-want +got):\n%s", diff)
	}
	l := p.Link()
	if l.Interface != "ppp0" || l.LocalIP.String() != "10.11.12.13" || len(l.DNS) != 2 ||
		l.Up || l.Down != "LCP terminated by peer" || l.Received != 2000 {
		t.Errorf("Link = %+v", l)
	}
}

func TestStopSendsSIGTERM(t *testing.T) {
	ctx := watchdog(t)
	h := newHarness(t, fakepppd.Spec{Mode: fakepppd.ModeTerm, Log: sessionLog[:2]})
	p := h.start(ctx, h.config(Options{}))
	h.waitReady(ctx)
	err := p.Stop(ctx)
	if !errors.Is(err, ErrUserRequest) {
		t.Fatalf("Stop = %v, want ErrUserRequest (pppd's exit 5 on SIGTERM)", err)
	}
	if err2 := p.Wait(ctx); err2 != err {
		t.Errorf("Wait after Stop = %v, want %v", err2, err)
	}
	evs := h.seen()
	if last := evs[len(evs)-1]; last.Kind != EventConnectionTerminated {
		t.Errorf("last event %+v, want Connection terminated", last)
	}
	if !slices.ContainsFunc(evs, func(e Event) bool { return e.Kind == EventTerminating && e.N == 15 }) {
		t.Errorf("no 'Terminating on signal 15' among %+v", evs)
	}
}

func TestStopKillsWhenSIGTERMIsIgnored(t *testing.T) {
	ctx := watchdog(t)
	for _, tc := range []struct {
		name  string
		grace bool // bound by StopGrace rather than by Stop's ctx
	}{{"ctx", false}, {"grace", true}} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, fakepppd.Spec{Mode: fakepppd.ModeIgnoreTerm})
			cfg := h.config(Options{})
			stopCtx := ctx
			if tc.grace {
				cfg.StopGrace = 1 // the bound, not a timing assertion
			} else {
				c, cancel := context.WithCancel(ctx)
				cancel()
				stopCtx = c
			}
			p := h.start(ctx, cfg)
			h.waitReady(ctx)
			err := p.Stop(stopCtx)
			var ee *ExitError
			if !errors.As(err, &ee) || !errors.Is(err, ErrSignaled) || ee.Signal != "SIGKILL" || ee.IgnoredTerm <= 0 {
				t.Fatalf("Stop = %#v, want killed by SIGKILL after SIGTERM", err)
			}
			// Issue 9 item 15: the message read "pppd killed by killed".
			want := "pppctl: pppd: killed by SIGKILL after ignoring SIGTERM for " + ee.IgnoredTerm.String()
			if err.Error() != want {
				t.Errorf("message %q, want %q", err, want)
			}
		})
	}
}

// TestStopKillsProcessGroup pins issue 9 item 15: pppd runs in its own
// process group, and a pppd that ignores SIGTERM must not leave behind
// a child in that group (here one that ignores SIGTERM too and holds
// the log pipe). After Stop neither may be running.
func TestStopKillsProcessGroup(t *testing.T) {
	ctx := watchdog(t)
	for _, tc := range []struct {
		name string
		stop func(p *Process, cancelStart context.CancelFunc) error
	}{
		// Stop's context ends at once: SIGTERM, then SIGKILL.
		{"stop", func(p *Process, _ context.CancelFunc) error {
			c, cancel := context.WithCancel(ctx)
			cancel()
			return p.Stop(c)
		}},
		// Start's context ends: SIGTERM, SIGKILL after StopGrace.
		{"cancel", func(p *Process, cancelStart context.CancelFunc) error {
			cancelStart()
			return p.Wait(ctx)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, fakepppd.Spec{Mode: fakepppd.ModeIgnoreTermChild})
			cfg := h.config(Options{})
			// A bound, not a timing assertion: long enough that the
			// child, which holds the log pipe, is dead before the drain
			// gives up on it; short enough for the cancel case.
			cfg.StopGrace = 2 * time.Second
			startCtx, cancelStart := context.WithCancel(ctx)
			defer cancelStart()
			p := h.start(startCtx, cfg)
			h.waitReady(ctx)
			child := 0
			for _, ev := range h.seen() {
				if n, ok := strings.CutPrefix(ev.Line, fakepppd.ChildLine); ok {
					child, _ = strconv.Atoi(n)
				}
			}
			if child <= 0 {
				t.Fatalf("no child pid in %+v", h.seen())
			}
			t.Cleanup(func() { syscall.Kill(child, syscall.SIGKILL) })
			// pidfds name the two processes for good, whatever their
			// pids become, and tell when each has ended.
			fds := []int{pidfd(t, p.Pid()), pidfd(t, child)}

			err := tc.stop(p, cancelStart)
			if !errors.Is(err, ErrSignaled) {
				t.Fatalf("stop = %v, want pppd killed", err)
			}
			for i, name := range []string{"pppd", "its child"} {
				if !ended(t, fds[i]) {
					t.Errorf("%s still running after pppd was stopped", name)
				}
			}
		})
	}
}

func pidfd(t *testing.T, pid int) int {
	t.Helper()
	fd, err := unix.PidfdOpen(pid, 0)
	if err != nil {
		t.Fatalf("pidfd_open %d: %v", pid, err)
	}
	t.Cleanup(func() { unix.Close(fd) })
	return fd
}

// ended reports whether the process behind a pidfd has exited (become a
// zombie or been reaped). A SIGKILL just sent may take a moment to land,
// so it waits up to ten seconds: a bound, far above that moment, and
// reached only when the process really survived.
func ended(t *testing.T, fd int) bool {
	t.Helper()
	for {
		n, err := unix.Poll([]unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}, 10_000)
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			t.Fatalf("poll pidfd: %v", err)
		}
		return n == 1
	}
}

func TestContextCancelStops(t *testing.T) {
	ctx := watchdog(t)
	h := newHarness(t, fakepppd.Spec{Mode: fakepppd.ModeTerm})
	runCtx, cancel := context.WithCancel(ctx)
	p := h.start(runCtx, h.config(Options{}))
	h.waitReady(ctx)
	cancel()
	if err := p.Wait(ctx); !errors.Is(err, ErrUserRequest) {
		t.Fatalf("Wait after cancel = %v, want ErrUserRequest", err)
	}
}

func TestWaitHonoursItsContext(t *testing.T) {
	ctx := watchdog(t)
	h := newHarness(t, fakepppd.Spec{Mode: fakepppd.ModeTerm})
	p := h.start(ctx, h.config(Options{}))
	h.waitReady(ctx)
	c, cancel := context.WithCancel(ctx)
	cancel()
	if err := p.Wait(c); !errors.Is(err, context.Canceled) {
		t.Fatalf("Wait(cancelled) = %v, want context.Canceled", err)
	}
	if err := p.Stop(ctx); !errors.Is(err, ErrUserRequest) {
		t.Fatalf("Stop = %v", err)
	}
}

func TestStartRefuses(t *testing.T) {
	ctx := watchdog(t)
	h := newHarness(t, fakepppd.Spec{Mode: fakepppd.ModeExit})
	notTTY, err := os.CreateTemp(t.TempDir(), "file")
	if err != nil {
		t.Fatal(err)
	}
	defer notTTY.Close()
	readOnly, err := os.Open(h.tty.Name())
	if err != nil {
		t.Fatal(err)
	}
	defer readOnly.Close()

	for _, tc := range []struct {
		name string
		edit func(*Config)
		want error
	}{
		{"no line", func(c *Config) { c.Line = nil }, ErrBadLine},
		{"not a tty", func(c *Config) { c.Line = notTTY }, ErrBadLine},
		{"read-only tty", func(c *Config) { c.Line = readOnly }, ErrBadLine},
		{"password in env", func(c *Config) { c.Env = []string{"X=" + testPassword} }, ErrSecretInEnv},
		{"bad extra", func(c *Config) { c.Options.Extra = []string{"password " + testPassword} }, ErrInvalidOption},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := h.config(profile())
			tc.edit(&cfg)
			p, err := Start(ctx, cfg)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Start = %v, %v; want %v", p, err, tc.want)
			}
			assertNoSecret(t, "error", err.Error())
		})
	}
	if ents, _ := filepath.Glob(filepath.Join(h.dir, "zdial-pppd-*")); len(ents) > 0 {
		t.Errorf("refused starts left options dirs behind: %v", ents)
	}
}
