package pppctl

import (
	"errors"
	"os"
	"os/exec"
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
		{name: "control-bad-option", extra: []string{"mtu", "notanumber"}, wantOptionError: true},
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
