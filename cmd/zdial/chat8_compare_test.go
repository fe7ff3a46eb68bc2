package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/zdial/zdial/chat"
	"github.com/zdial/zdial/internal/modemsim"
)

// realChat is where Debian's ppp package installs chat(8).
const realChat = "/usr/sbin/chat"

// chatOutcome is what a chat run did: its exit status and the commands the
// simulated modem received.
type chatOutcome struct {
	Code     int
	Received []string
}

// syncLine is written after a run so that the test knows when the modem
// has read everything before it: the modem logs it as a command line, or
// hands it to the data hook after CONNECT.
const syncLine = "AT+ZSYNC"

// onPTY runs fn with the slave side of a fresh simulated modem's pty, under
// a watchdog, and returns what the modem received.
func onPTY(t *testing.T, p modemsim.Persona, fn func(ctx context.Context, tty *os.File) int) chatOutcome {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute) // watchdog: never hang
	defer cancel()
	synced := make(chan struct{})
	var once sync.Once
	sawSync := func(s string) {
		if strings.Contains(s, syncLine) {
			once.Do(func() { close(synced) })
		}
	}
	pt, err := modemsim.OpenPTY(ctx, p,
		modemsim.WithLogf(func(format string, args ...any) { sawSync(fmt.Sprintf(format, args...)) }),
		modemsim.WithDataHook(func(b []byte) { sawSync(string(b)) }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pt.Close() })
	tty, err := os.OpenFile(pt.Path, os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer tty.Close()
	code := fn(ctx, tty)
	if _, err := tty.WriteString(syncLine + "\r"); err != nil {
		t.Fatal(err)
	}
	select {
	case <-synced:
	case <-ctx.Done():
		t.Fatalf("watchdog: %v", ctx.Err())
	}
	rx := pt.Sim.Received()
	if n := len(rx); n > 0 && rx[n-1] == syncLine {
		rx = rx[:n-1]
	}
	return chatOutcome{Code: code, Received: rx}
}

// TestChat8AgainstRealChat runs Debian's chat(8) and `zdial chat` with the same
// script against the same simulated modem and compares the outcomes. It
// needs the ppp package (apt-get install ppp); without it the test is
// skipped.
func TestChat8AgainstRealChat(t *testing.T) {
	if _, err := os.Stat(realChat); err != nil {
		t.Skipf("%s not installed (Debian package ppp): %v", realChat, err)
	}
	threeUK, err := filepath.Abs("../../chat/testdata/chat8/three-uk")
	if err != nil {
		t.Fatal(err)
	}
	busy := func(p *modemsim.Persona) { p.Dial.Result = modemsim.ResultBusy }
	noCarrier := func(p *modemsim.Persona) { p.Dial.Result = modemsim.ResultNoCarrier }
	for _, tc := range []struct {
		name    string
		persona string
		change  func(*modemsim.Persona)
		args    []string
		code    int
	}{
		{"success", "zte-mf622", nil, []string{"-f", threeUK}, 0},
		{"timeout", "diag-silent", nil, []string{"-t", "1", "", "AT", "OK"}, 3},
		{"abort 1 no carrier", "zte-mf622", noCarrier, []string{"-f", threeUK}, 4},
		{"abort 2 busy", "zte-mf622", busy, []string{"-f", threeUK}, 5},
		// No sub-expect case: after a timeout chat(8) leaves its tty
		// non-blocking, so whether its sub-expect sees the answer is a race
		// (it exits 3 when the answer is a moment late). RunChat8 waits the
		// full timeout, as chat(8)'s manual says; TestRunSubExpectFallback
		// covers it.
		{"phone", "zte-mf622", nil, []string{"-T", "*99***1#", "ABORT", "ERROR", "", `ATD\T`, "CONNECT"}, 0},
		{"clear abort", "zte-mf622", busy, []string{"ABORT", "NO CARRIER", "ABORT", "BUSY", "CLR_ABORT", "NO CARRIER", "", "ATD*99#", "CONNECT"}, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := testPersona(t, tc.persona, tc.change)
			real := onPTY(t, p, func(ctx context.Context, tty *os.File) int {
				cmd := exec.CommandContext(ctx, realChat, append([]string{"-S"}, tc.args...)...)
				var stderr bytes.Buffer
				cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, &stderr
				cmd.WaitDelay = 5 * time.Second
				err := cmd.Run()
				var ee *exec.ExitError
				switch {
				case err == nil:
					return 0
				case errors.As(err, &ee) && ee.Exited():
					return ee.ExitCode()
				}
				t.Fatalf("chat: %v\n%s", err, stderr.String())
				return -1
			})
			ours := onPTY(t, p, func(ctx context.Context, tty *os.File) int {
				var stderr bytes.Buffer
				return runChat8(ctx, append([]string{"-S"}, tc.args...), chat.Chat8Config{TTY: tty, Stderr: &stderr}, chat8Env{})
			})
			if real.Code != tc.code {
				t.Errorf("real chat exited %d, want %d (the test's expectation is wrong)", real.Code, tc.code)
			}
			if diff := cmp.Diff(real, ours); diff != "" {
				t.Errorf("RunChat8 differs from chat(8) (-chat +ours):\n%s", diff)
			}
		})
	}
}
