package pppctl

import (
	"errors"
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// ErrBadLine means Config.Line cannot be handed to pppd as its tty.
var ErrBadLine = errors.New("pppctl: unusable line")

// checkLine makes sure pppd will take f, on its stdin, as its device
// without opening or locking it anew: pppd (tty.c) uses the terminal on
// stdin when no device is named, and skips locking when that fd is open
// read/write. A write-only or read-only fd would make pppd try to lock
// the port, which zdial's own UUCP lock already holds.
func checkLine(f *os.File) error {
	if f == nil {
		return fmt.Errorf("%w: no line given", ErrBadLine)
	}
	fd := int(f.Fd())
	if _, err := unix.IoctlGetTermios(fd, unix.TCGETS); err != nil {
		return fmt.Errorf("%w: %s is not a terminal: %w", ErrBadLine, f.Name(), err)
	}
	fl, err := unix.FcntlInt(uintptr(fd), unix.F_GETFL, 0)
	if err != nil {
		return fmt.Errorf("%w: %s: %w", ErrBadLine, f.Name(), err)
	}
	if fl&unix.O_ACCMODE != unix.O_RDWR {
		return fmt.Errorf("%w: %s is not open read/write", ErrBadLine, f.Name())
	}
	return nil
}
