package pppctl

import (
	"errors"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/creack/pty"
)

// findPPPD returns the real pppd, or skips: it lives in /usr/sbin, which
// an ordinary user's PATH may lack.
func findPPPD(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("pppd"); err == nil {
		return p
	}
	if _, err := os.Stat("/usr/sbin/pppd"); err == nil {
		return "/usr/sbin/pppd"
	}
	t.Skip("no pppd binary (Debian: apt-get install ppp)")
	return ""
}

// TestRealPPPDAcceptsOurArgv runs the real pppd with everything Start
// passes, on a pty as the dialed line. Without a PPP peer (or, as on most
// CI machines, without kernel PPP support) it cannot bring a link up,
// but pppd 2.4.9 (main.c) parses /etc/ppp/options, the command line, any
// `file`, loads plugins and checks that stdin is a tty before it looks for
// the kernel driver: any outcome but exit status 2 proves our argv, the
// options file syntax and the passwordfd plugin arguments are accepted.
// (The consistency checks, check_options and tty_check_options, run after
// the kernel check, so a kernel-less machine cannot exercise them.)
func TestRealPPPDAcceptsOurArgv(t *testing.T) {
	bin := findPPPD(t)
	ctx := watchdog(t)
	version, err := Version(ctx, bin)
	if errors.Is(err, os.ErrPermission) {
		t.Skipf("cannot run %s (not root and not in group dip): %v", bin, err)
	}
	if err != nil {
		t.Fatalf("Version: %v", err)
	}
	opts := profile()
	opts.Speed = 115200
	opts.NoVJ = true
	opts.IPParam = "zdial-test"
	opts.Extra = []string{"mtu 1400"}
	for _, tc := range []struct {
		name, pluginDir string
		password        Secret   // replaces opts.Password when set
		extra           []string // replaces opts.Extra when set
		wantOptionError bool     // the negative control
	}{
		{name: "passwordfd", pluginDir: PluginDir("/usr/lib", version)},
		// Quotes, backslash, blank and '#': pppd must still read one
		// `password` option (TestQuoteWordRoundTrip checks the content
		// against getword's rules; pppd cannot show it to us).
		{name: "options-file", password: testPassword + ` "q" \ #x`},
		// Proves the test can tell: pppd must reject a malformed value.
		// ("mtu 99999" passes our check, a number, but not pppd's range.)
		{name: "control-bad-option", extra: []string{"mtu", "99999"}, wantOptionError: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.pluginDir != "" {
				if _, ok := findPlugin(tc.pluginDir); !ok {
					t.Skipf("no %s in %s", PasswordFDPlugin, tc.pluginDir)
				}
			}
			ptmx, tty, err := pty.Open()
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { ptmx.Close(); tty.Close() })
			var mu sync.Mutex
			var lines []string
			running := make(chan struct{})
			var once sync.Once
			opts := opts
			if tc.extra != nil {
				opts.Extra = tc.extra
			}
			if tc.password != "" {
				opts.Password = tc.password
			}
			p, err := Start(ctx, Config{
				Binary: bin, Line: tty, Options: opts, PluginDir: tc.pluginDir, TempDir: t.TempDir(),
				OnEvent: func(ev Event) {
					mu.Lock()
					lines = append(lines, ev.Line)
					mu.Unlock()
					if ev.Kind == EventConnect {
						once.Do(func() { close(running) })
					}
				},
			})
			if errors.Is(err, os.ErrPermission) {
				// Debian's pppd is mode 4754 root:dip.
				t.Skipf("cannot run %s (not root and not in group dip): %v", bin, err)
			}
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { p.cmd.Process.Kill(); <-p.Done() })
			// With kernel support pppd would now wait for a peer on the
			// pty; it got past option parsing, so stop it.
			select {
			case <-p.Done():
			case <-running:
				p.Stop(ctx)
			case <-ctx.Done():
			}
			err = p.Wait(ctx)
			mu.Lock()
			defer mu.Unlock()
			t.Logf("pppd %s %v: %v", version, Args(opts), err)
			for _, l := range lines {
				t.Logf("pppd log: %s", l)
			}
			if got := errors.Is(err, ErrOptionError); got != tc.wantOptionError {
				t.Fatalf("option error = %v (%v), want %v", got, err, tc.wantOptionError)
			}
			assertNoSecret(t, "pppd log", lines...)
		})
	}
}

// runRealPPPD runs pppd with args on a fresh pty, files as fd 3 on, and
// returns its exit status and output.
func runRealPPPD(t *testing.T, bin string, files []*os.File, args ...string) (int, string) {
	t.Helper()
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer ptmx.Close()
	defer tty.Close()
	cmd := exec.CommandContext(watchdog(t), bin, args...)
	cmd.Stdin, cmd.ExtraFiles = tty, files
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		if errors.Is(err, os.ErrPermission) {
			t.Skipf("cannot run %s (not root and not in group dip): %v", bin, err)
		}
		t.Fatal(err)
	}
	return cmd.ProcessState.ExitCode(), string(out)
}

// TestRealPPPDReadsOptionsFromPipe checks what the password delivery
// without the plugin relies on: pppd's `file /dev/fd/N` reads options
// from an inherited pipe. A bad option in the pipe must make pppd exit 2
// naming the pipe; good content gets pppd past option parsing.
func TestRealPPPDReadsOptionsFromPipe(t *testing.T) {
	bin := findPPPD(t)
	if os.Geteuid() != 0 {
		t.Skip("a setuid pppd run by a user cannot open its own /dev/fd; zdial runs pppd as root")
	}
	pipe := func(content string) *os.File {
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		w.WriteString(content)
		w.Close()
		t.Cleanup(func() { r.Close() })
		return r
	}
	status, out := runRealPPPD(t, bin, []*os.File{pipe("no-such-option\n")}, "nodetach", "noauth", "file", "/dev/fd/3")
	if status != 2 || !strings.Contains(out, "/dev/fd/3") {
		t.Fatalf("bad option in the pipe: status %d, %q; want 2 naming /dev/fd/3", status, out)
	}
	status, out = runRealPPPD(t, bin, []*os.File{pipe("password " + quoteWord(testPassword+` "q" \ #x`) + "\n")},
		"nodetach", "noauth", "file", "/dev/fd/3")
	if status == 2 {
		t.Fatalf("password line in the pipe: option error: %q", out)
	}
	assertNoSecret(t, "pppd output", out)
}

// TestRealPPPDKnowsAllowedOptions: every option the allow-list admits is
// one the installed pppd knows, with an argument of the kind we check.
func TestRealPPPDKnowsAllowedOptions(t *testing.T) {
	bin := findPPPD(t)
	sample := map[string]string{"N": "3", "HEX": "ff", "NAME": "three", "IFNAME": "ppp0", "LOCAL,REMOTE": "::1,::2"}
	for _, entry := range AllowedOptions() {
		name, hint, _ := strings.Cut(entry, " ")
		args := []string{"nodetach", "noauth", name}
		switch {
		case name == "LOCAL:REMOTE":
			args[2] = "10.0.0.1:10.0.0.2"
		case name == "mtu" || name == "mru":
			args = append(args, "1400")
		case hint != "":
			args = append(args, sample[hint])
		}
		if err := (&Options{Extra: args[2:]}).Validate(); err != nil {
			t.Errorf("%s: our own check refuses %q: %v", entry, args[2:], err)
		}
		if status, out := runRealPPPD(t, bin, nil, args...); status == 2 {
			t.Errorf("%s: pppd: %s", entry, strings.TrimSpace(out))
		}
	}
}
