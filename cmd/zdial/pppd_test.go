package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zdial/zdial/internal/fakepppd"
	"github.com/zdial/zdial/internal/uucplock"
	"golang.org/x/sys/unix"
)

// The pppd stage of zdial PROFILE, through run, against a simulated modem
// on a pty and a fake pppd (internal/fakepppd) given with --pppd.

// upLog is what pppd logs for a link that comes up.
var upLog = []string{
	"Using interface ppp0",
	"Connect: ppp0 <--> {tty}",
	"local  IP address 10.11.12.13",
	"remote IP address 10.64.64.64",
	"primary   DNS address 8.8.8.8",
	"secondary DNS address 8.8.4.4",
}

// hangUpWriter collects output and calls hangUp once the output holds
// want: the test's stand-in for the user pressing Ctrl-C when the link is
// up. It is written to from the dialer's goroutines.
type hangUpWriter struct {
	want   string
	hangUp func()

	mu   sync.Mutex
	b    bytes.Buffer
	done bool
}

func (w *hangUpWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	n, err := w.b.Write(p)
	fire := !w.done && strings.Contains(w.b.String(), w.want)
	w.done = w.done || fire
	w.mu.Unlock()
	if fire {
		w.hangUp()
	}
	return n, err
}

func (w *hangUpWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// zdialUntil runs the CLI like zdial does, cancelling its context (as
// SIGINT does) once stdout shows until; "" never cancels.
func zdialUntil(t *testing.T, until string, args ...string) (int, string, string) {
	t.Helper()
	wd, stop := context.WithTimeout(context.Background(), time.Minute)
	defer stop()
	ctx, cancel := context.WithCancel(wd)
	defer cancel()
	out := &hangUpWriter{want: until, hangUp: cancel}
	if until == "" {
		out.done = true
	}
	var errb bytes.Buffer
	code := run(ctx, args, stdio{in: strings.NewReader(""), out: out, err: &errb})
	if wd.Err() != nil {
		t.Fatalf("zdial %q hit the test watchdog\nstdout:\n%s\nstderr:\n%s", args, out, errb.String())
	}
	return code, out.String(), errb.String()
}

func TestPPPDUpThenHangUp(t *testing.T) {
	dir := t.TempDir()
	pty, port := simPort(t, "zte-mf622", nil)
	bin, record := fakepppd.Install(t, fakepppd.Spec{TTY: port, Mode: fakepppd.ModeTerm, Log: upLog})
	// Hold the port open, so that zdial closing it (DTR dropping) does not
	// end the call by itself: only zdial's +++ and ATH can.
	hold, err := os.OpenFile(port, os.O_RDWR|unix.O_NOCTTY|unix.O_NONBLOCK, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer hold.Close()
	code, stdout, stderr := zdialUntil(t, "ppp0 up", append(baseArgs(t, dir), "--port", port, "--pppd", bin, "three")...)
	if code != exitOK {
		t.Fatalf("exit %d, want %d after a hang-up\nstdout:\n%s\nstderr:\n%s", code, exitOK, stdout, stderr)
	}
	for _, want := range []string{"SIM ready", "APN three.co.uk", "CONNECT 7200000",
		"ppp0 up 10.11.12.13", "DNS 8.8.8.8", "DNS 8.8.4.4"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	if up, dns := strings.Index(stdout, "ppp0 up"), strings.Index(stdout, "DNS 8.8.8.8"); up < 0 || dns < up ||
		strings.Index(stdout, "CONNECT") > up {
		t.Errorf("progress out of order:\n%s", stdout)
	}
	if rec := record(); !rec.StdinIsLine {
		t.Errorf("pppd's stdin is not the dialed port %s: %s", port, rec.StdinErr)
	}
	if pty.Sim.InCall() {
		t.Errorf("the modem is still in a call; it received %q", pty.Sim.Received())
	}
	if stderr != "" {
		t.Errorf("stderr after a clean hang-up: %s", stderr)
	}
}

func TestPPPDExitStatus(t *testing.T) {
	dir := t.TempDir()
	_, port := simPort(t, "zte-mf622", nil)
	bin, _ := fakepppd.Install(t, fakepppd.Spec{TTY: port, Exit: 10, Log: []string{
		"Using interface ppp0", "Connect: ppp0 <--> {tty}", "LCP: timeout sending Config-Requests",
	}})
	code, stdout, stderr := zdialUntil(t, "", append(baseArgs(t, dir), "--port", port, "--pppd", bin, "three")...)
	if code != exitPPPD {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitPPPD, stdout, stderr)
	}
	if !strings.Contains(stderr, "exit status 10") || !strings.Contains(stderr, "negotiation failed") {
		t.Errorf("stderr %q does not give pppd's status and its meaning", stderr)
	}
}

func TestPPPDMissing(t *testing.T) {
	dir := t.TempDir()
	pty, port := simPort(t, "zte-mf622", nil)
	code, _, stderr := zdialUntil(t, "", append(baseArgs(t, dir), "--port", port, "--pppd", "/nonexistent/pppd", "three")...)
	if code != exitPPPD {
		t.Fatalf("exit %d, want %d: %s", code, exitPPPD, stderr)
	}
	if !strings.Contains(stderr, "apt-get install ppp") || !strings.Contains(stderr, "--pppd") {
		t.Errorf("stderr %q lacks the install hint", stderr)
	}
	if rx := pty.Sim.Received(); len(rx) > 0 {
		t.Errorf("zdial dialed although it has no pppd to hand the line to: %q", rx)
	}
	if _, err := os.Stat(filepath.Join(dir, uucplock.FileName(port))); err == nil {
		t.Error("lock file left behind")
	}
}
