package dialer

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"go.bug.st/serial"
	"golang.org/x/sys/unix"
)

// Two ways to open a port. A short AT conversation that ends with closing
// the port (probing, checking a cached port, a vendor command) goes through
// go.bug.st/serial (OpenPort): it configures the line, takes exclusive
// access (TIOCEXCL, so nothing else opens the port mid-probe, and a port
// pppd holds says busy), and its Close interrupts a pending Read. The dial
// line is opened with OpenLine instead, because pppd must inherit it: after
// CONNECT the very same descriptor becomes pppd's standard input, so DTR
// never drops between the dial and PPP, and go.bug.st/serial does not
// expose its descriptor.

// ErrPortInUse means another program has the port open exclusively
// (pppd, minicom, ModemManager all do).
var ErrPortInUse = errors.New("dialer: port in use")

// ErrNoPort is matched by every *NoPortError.
var ErrNoPort = errors.New("dialer: no modem port")

// NoPortError says a port is missing and which serial ports do exist.
type NoPortError struct {
	Port     string
	Existing []string
	Err      error
}

func (e *NoPortError) Error() string {
	msg := fmt.Sprintf("%s: no such device", e.Port)
	if e.Err != nil && !errors.Is(e.Err, fs.ErrNotExist) {
		msg = fmt.Sprintf("%s: %v", e.Port, e.Err)
	}
	if len(e.Existing) == 0 {
		return msg + " (no USB or ACM serial ports exist: is the dongle plugged in and in modem mode? try zdial devices)"
	}
	return msg + " (serial ports present: " + strings.Join(e.Existing, ", ") + ")"
}

func (e *NoPortError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrNoPort) true.
func (e *NoPortError) Is(target error) bool { return target == ErrNoPort }

// PermissionError says the user may not open the port, and how to fix it.
type PermissionError struct {
	Port string
	Err  error
}

func (e *PermissionError) Error() string {
	return fmt.Sprintf("%s: permission denied: add yourself to the dialout group (sudo usermod -aG dialout $USER, then log in again) or run zdial as root", e.Port)
}

func (e *PermissionError) Unwrap() error { return e.Err }

// OpenLine opens a serial device for dialing: raw, 8N1, no echo, modem
// control lines honoured for hang-up (HUPCL) but not waited on (CLOCAL
// while dialing). It never blocks on carrier detect. devRoot lists the
// ports that do exist when path does not.
func OpenLine(path, devRoot string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|unix.O_NOCTTY|unix.O_NONBLOCK, 0)
	if err != nil {
		return nil, openError(path, devRoot, err)
	}
	if err := makeRaw(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("dialer: %s is not a serial port: %w", path, err)
	}
	return f, nil
}

// openError turns a failed open into what the user needs to know: the
// port is missing (and which exist), or they lack the permission.
func openError(path, devRoot string, err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, unix.ENODEV), errors.Is(err, unix.ENXIO):
		return &NoPortError{Port: path, Existing: SerialPorts(devRoot), Err: err}
	case errors.Is(err, fs.ErrPermission):
		return &PermissionError{Port: path, Err: err}
	}
	return fmt.Errorf("dialer: open %s: %w", path, err)
}

// OpenPort opens a serial device for a short AT conversation: raw 8N1 at
// 115200 baud, exclusive, no read timeout (Close ends a blocked Read). The
// caller closes it, normally through at.Modem.Close.
func OpenPort(path, devRoot string) (io.ReadWriteCloser, error) {
	port, err := serial.Open(path, &serial.Mode{BaudRate: 115200})
	if err == nil {
		return port, nil
	}
	var pe *serial.PortError
	if errors.As(err, &pe) {
		switch pe.Code() {
		case serial.PermissionDenied:
			err = fmt.Errorf("%w (%v)", fs.ErrPermission, err)
		case serial.PortBusy:
			return nil, fmt.Errorf("%w: %s is open exclusively in another program (pppd, minicom or ModemManager?)", ErrPortInUse, path)
		case serial.InvalidSerialPort:
			return nil, fmt.Errorf("dialer: %s is not a serial port: %w", path, err)
		}
	}
	return nil, openError(path, devRoot, err)
}

func makeRaw(f *os.File) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var ioErr error
	err = rc.Control(func(fd uintptr) {
		t, err := unix.IoctlGetTermios(int(fd), unix.TCGETS)
		if err != nil {
			ioErr = err
			return
		}
		t.Iflag &^= unix.IGNBRK | unix.BRKINT | unix.PARMRK | unix.ISTRIP | unix.INLCR | unix.IGNCR | unix.ICRNL | unix.IXON | unix.IXOFF
		t.Oflag &^= unix.OPOST
		t.Lflag &^= unix.ECHO | unix.ECHONL | unix.ICANON | unix.ISIG | unix.IEXTEN
		t.Cflag &^= unix.CSIZE | unix.PARENB | unix.CBAUD
		t.Cflag |= unix.CS8 | unix.CREAD | unix.CLOCAL | unix.HUPCL | unix.B115200
		t.Ispeed, t.Ospeed = unix.B115200, unix.B115200
		t.Cc[unix.VMIN], t.Cc[unix.VTIME] = 1, 0
		ioErr = unix.IoctlSetTermios(int(fd), unix.TCSETS, t)
	})
	if err != nil {
		return err
	}
	return ioErr
}

// SerialPorts lists the USB and ACM serial devices under devRoot, so an
// error about a missing port can show what is there instead.
func SerialPorts(devRoot string) []string {
	var out []string
	for _, pat := range []string{"ttyUSB*", "ttyACM*", "ttyHS*"} {
		m, _ := filepath.Glob(filepath.Join(devRoot, pat))
		out = append(out, m...)
	}
	sort.Strings(out)
	return out
}
