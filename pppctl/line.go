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

// OpenLine opens a second descriptor on an already-open serial device,
// for callers whose port type does not expose an *os.File (such as
// go.bug.st/serial). Opening again neither resets the line nor drops DTR:
// the modem stays connected as long as one descriptor is open. O_NONBLOCK
// keeps the open from waiting for carrier; it is cleared afterwards
// because pppd expects a blocking tty.
func OpenLine(path string) (*os.File, error) {
	fd, err := unix.Open(path, unix.O_RDWR|unix.O_NOCTTY|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("pppctl: open line %s: %w", path, err)
	}
	if err := unix.SetNonblock(fd, false); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("pppctl: open line %s: %w", path, err)
	}
	return os.NewFile(uintptr(fd), path), nil
}
