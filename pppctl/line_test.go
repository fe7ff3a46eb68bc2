package pppctl

import (
	"testing"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"
)

func TestOpenLine(t *testing.T) {
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer ptmx.Close()
	defer tty.Close()
	f, err := OpenLine(tty.Name())
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := checkLine(f); err != nil {
		t.Errorf("checkLine(OpenLine(...)) = %v", err)
	}
	fl, err := unix.FcntlInt(f.Fd(), unix.F_GETFL, 0)
	if err != nil || fl&unix.O_NONBLOCK != 0 {
		t.Errorf("line flags %#x, %v: want blocking", fl, err)
	}
	if _, err := OpenLine(t.TempDir() + "/nope"); err == nil {
		t.Error("OpenLine of a missing path succeeded")
	}
}
