//go:build linux

package chat

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// Chat8TTY is the line of `zdial chat` as pppd's connect program: stdin
// and stdout are the modem. Read and Write use a private non-blocking
// duplicate of stdin's descriptor, which gives the Runner read deadlines —
// so no goroutine is left blocked in Read once the script is done — and
// Close restores what chat(8) restores: the terminal settings and the
// blocking mode of the descriptor pppd shares with us.
type Chat8TTY struct {
	r       *os.File // non-blocking dup of in; pollable, so deadlines work
	w       *os.File
	fd      int           // in's descriptor, for termios
	saved   *unix.Termios // nil when in is not a terminal
	blocked bool          // in was in blocking mode
}

// OpenChat8TTY prepares in/out (os.Stdin, os.Stdout) as chat(8) does: when
// in is a terminal its settings are changed for the script (no echo, no
// line editing, no output processing, parity stripped) until Close.
func OpenChat8TTY(in, out *os.File) (*Chat8TTY, error) {
	raw, err := in.SyscallConn()
	if err != nil {
		return nil, fmt.Errorf("chat: tty: %w", err)
	}
	t := &Chat8TTY{w: out, fd: -1}
	var dupErr error
	var dup int
	if err := raw.Control(func(fd uintptr) {
		t.fd = int(fd)
		flags, err := unix.FcntlInt(fd, unix.F_GETFL, 0)
		if err != nil {
			dupErr = err
			return
		}
		t.blocked = flags&unix.O_NONBLOCK == 0
		if dup, dupErr = unix.FcntlInt(fd, unix.F_DUPFD_CLOEXEC, 0); dupErr != nil {
			return
		}
		dupErr = unix.SetNonblock(dup, true)
	}); err != nil {
		return nil, fmt.Errorf("chat: tty: %w", err)
	}
	if dupErr != nil {
		return nil, fmt.Errorf("chat: tty: %w", dupErr)
	}
	t.r = os.NewFile(uintptr(dup), in.Name())
	if tio, err := unix.IoctlGetTermios(t.fd, unix.TCGETS); err == nil {
		saved := *tio
		t.saved = &saved
		tio.Iflag |= unix.IGNBRK | unix.ISTRIP | unix.IGNPAR
		tio.Oflag = 0
		tio.Lflag = 0
		tio.Cc[unix.VERASE], tio.Cc[unix.VKILL] = 0, 0
		tio.Cc[unix.VMIN], tio.Cc[unix.VTIME] = 1, 0
		if err := unix.IoctlSetTermios(t.fd, unix.TCSETS, tio); err != nil {
			_ = t.r.Close()
			return nil, fmt.Errorf("chat: tty: set terminal parameters: %w", err)
		}
	}
	return t, nil
}

// Read reads the modem (stdin).
func (t *Chat8TTY) Read(b []byte) (int, error) { return t.r.Read(b) }

// Write writes to the modem (stdout).
func (t *Chat8TTY) Write(b []byte) (int, error) { return t.w.Write(b) }

// SetReadDeadline makes the Chat8TTY a deadline-capable line for Runner.
func (t *Chat8TTY) SetReadDeadline(d time.Time) error { return t.r.SetReadDeadline(d) }

// Close restores the terminal settings and blocking mode and closes the
// duplicate; stdin and stdout stay open.
func (t *Chat8TTY) Close() error {
	var errs []error
	if t.saved != nil {
		errs = append(errs, unix.IoctlSetTermios(t.fd, unix.TCSETS, t.saved))
		t.saved = nil
	}
	if t.r != nil {
		if t.blocked {
			if raw, err := t.r.SyscallConn(); err == nil {
				_ = raw.Control(func(fd uintptr) { errs = append(errs, unix.SetNonblock(int(fd), false)) })
			}
		}
		errs = append(errs, t.r.Close())
		t.r = nil
	}
	return errors.Join(errs...)
}

var _ io.ReadWriteCloser = (*Chat8TTY)(nil)
