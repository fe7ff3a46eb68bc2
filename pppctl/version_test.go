package pppctl

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zdial/zdial/internal/fakepppd"
	"golang.org/x/sys/unix"
)

func TestVersion(t *testing.T) {
	bin, _ := fakepppd.Install(t, fakepppd.Spec{Version: "2.5.1"})
	v, err := Version(watchdog(t), bin)
	if err != nil || v != "2.5.1" {
		t.Fatalf("Version = %q, %v; want 2.5.1", v, err)
	}
}

// TestVersionHangingBinary pins issue 11 item 4: a "pppd" that never
// answers (a wrapper script waiting on something) must not hang zdial.
// Version gives up at its context's deadline with a clear error, and
// leaves nothing running: the script's own child, which holds the
// output pipe, is killed with it.
func TestVersionHangingBinary(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "pppd")
	pids := bin + ".pids"
	script := "#!/bin/sh\nsleep 600 &\necho $! > \"$0.pids\"\nwait\n"
	if err := os.WriteFile(bin, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	// The deadline is what is under test; it only has to leave the
	// script time to start its child.
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
	defer cancel()
	type result struct {
		v   string
		err error
	}
	res := make(chan result, 1)
	go func() {
		v, err := Version(ctx, bin)
		res <- result{v, err}
	}()
	// The watchdog: far past the deadline, far short of the script's 600 s.
	var r result
	select {
	case r = <-res:
	case <-time.After(30 * time.Second):
		t.Fatal("Version still running 28 s past its deadline")
	}

	var nae *NoAnswerError
	if !errors.Is(r.err, ErrNoAnswer) || !errors.Is(r.err, context.DeadlineExceeded) || !errors.As(r.err, &nae) {
		t.Fatalf("Version = %q, %v; want a NoAnswerError", r.v, r.err)
	}
	msg := r.err.Error()
	if !strings.HasPrefix(msg, "pppctl: pppd --version did not answer within ") ||
		!strings.HasSuffix(msg, ": "+bin+"; is it a wrapper script?") || strings.Count(msg, bin) != 1 {
		t.Errorf("message %q", msg)
	}
	if nae.Binary != bin || nae.Timeout <= 0 || nae.Timeout > VersionTimeout {
		t.Errorf("NoAnswerError %+v", nae)
	}
	b, err := os.ReadFile(pids)
	if err != nil {
		t.Fatalf("the script never started its child before the deadline: %v", err)
	}
	child, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	fd, err := unix.PidfdOpen(child, 0)
	if errors.Is(err, unix.ESRCH) {
		return // gone and reaped
	}
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	if !ended(t, fd) {
		unix.Kill(child, unix.SIGKILL)
		t.Error("the script's child (sleep 600) outlived Version")
	}
}
