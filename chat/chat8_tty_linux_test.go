//go:build linux

package chat

import (
	"context"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/zdial/zdial/internal/modemsim"
	"golang.org/x/sys/unix"
)

func TestChat8TTY(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute) // watchdog
	defer cancel()
	pt, err := modemsimOpenPTY(ctx, t)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pt.Close() })
	f, err := os.OpenFile(pt.Path, os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// Make the slave cooked as a login terminal would be, to see chat's
	// settings applied and then restored.
	before, err := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	cooked := *before
	cooked.Lflag |= unix.ECHO | unix.ICANON
	if err := unix.IoctlSetTermios(int(f.Fd()), unix.TCSETS, &cooked); err != nil {
		t.Fatal(err)
	}

	tty, err := OpenChat8TTY(f, f)
	if err != nil {
		t.Fatal(err)
	}
	during, _ := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS)
	if during.Lflag&(unix.ECHO|unix.ICANON) != 0 {
		t.Errorf("lflag %#x: chat(8) turns echo and line editing off", during.Lflag)
	}
	if r := NewRunner(tty); func() bool { _, ok := r.rd.(*deadlineReader); return !ok }() {
		t.Errorf("Chat8TTY is not read with deadlines")
	}
	if code := RunChat8(ctx, Chat8Run{Words: []string{"", "AT", "OK"}}, Chat8Config{TTY: tty}); code != 0 {
		t.Errorf("exit %d", code)
	}
	if err := tty.Close(); err != nil {
		t.Fatal(err)
	}
	after, _ := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS)
	if after.Lflag != cooked.Lflag {
		t.Errorf("lflag %#x after Close, want %#x restored", after.Lflag, cooked.Lflag)
	}
	flags, err := unix.FcntlInt(f.Fd(), unix.F_GETFL, 0)
	if err != nil || flags&unix.O_NONBLOCK != 0 {
		t.Errorf("stdin left non-blocking (flags %#x, %v)", flags, err)
	}
}

func modemsimOpenPTY(ctx context.Context, t *testing.T) (*modemsim.PTY, error) {
	return modemsim.OpenPTY(ctx, persona(t, "zte-mf622", nil))
}
