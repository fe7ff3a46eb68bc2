// Package sdnotify tells systemd how a Type=notify service is doing, over the
// datagram socket named by $NOTIFY_SOCKET, without cgo or libsystemd:
//
//	zdial run home  ──"READY=1\nSTATUS=up on ppp0, 10.64.1.7"──▶  $NOTIFY_SOCKET (unixgram)
//	                ──"WATCHDOG=1"──▶                            every WatchdogInterval()/2
//	                ──"STOPPING=1"──▶                            on the way out
//
// Outside systemd (NOTIFY_SOCKET unset) every call is a no-op, so the
// supervisor calls the same code either way. The environment is read once,
// through a lookup function given to New (os.LookupEnv in production), not
// from deep inside: tests pass their own values, and nothing depends on
// process-global state after New.
//
// An address starting with '@' names a socket in Linux's abstract namespace
// (systemd passes those for some containers); Go's net package maps a leading
// '@' to the NUL byte the kernel expects. Other forms (vsock:) are refused
// with ErrUnsupported.
package sdnotify

import (
	"context"
	"errors"
	"fmt"
	"github.com/zdial/zdial/internal/printable"
	"net"
	"strconv"
	"time"
)

// Sentinels.
var (
	ErrUnsupported = errors.New("sdnotify: unsupported NOTIFY_SOCKET address")
	ErrBadEnv      = errors.New("sdnotify: malformed watchdog environment")
)

// MaxStatus bounds a STATUS= text; longer texts are cut.
const MaxStatus = 512

// Notifier sends notifications to the service manager. The zero value and
// a Notifier from an environment without NOTIFY_SOCKET do nothing. It holds
// no open socket, so it needs no Close and is safe for concurrent use.
type Notifier struct {
	addr     *net.UnixAddr // nil: not under a service manager
	watchdog time.Duration // 0: no watchdog for this process
}

// New reads NOTIFY_SOCKET, WATCHDOG_USEC and WATCHDOG_PID through lookup.
// pid is this process's PID (os.Getpid()): a WATCHDOG_PID naming another
// process (a parent that passed its environment on) disables the watchdog
// here, as sd_watchdog_enabled does.
func New(lookup func(string) (string, bool), pid int) (*Notifier, error) {
	n := &Notifier{}
	if sock, ok := lookup("NOTIFY_SOCKET"); ok && sock != "" {
		if sock[0] != '/' && sock[0] != '@' {
			return nil, fmt.Errorf("%w: %q", ErrUnsupported, sock)
		}
		n.addr = &net.UnixAddr{Name: sock, Net: "unixgram"}
	}
	usec, ok := lookup("WATCHDOG_USEC")
	if !ok || usec == "" {
		return n, nil
	}
	u, err := strconv.ParseUint(usec, 10, 63)
	if err != nil || u == 0 || u > uint64(1<<63-1)/uint64(time.Microsecond) {
		return nil, fmt.Errorf("%w: WATCHDOG_USEC=%q", ErrBadEnv, usec)
	}
	if p, ok := lookup("WATCHDOG_PID"); ok && p != "" {
		wp, err := strconv.Atoi(p)
		if err != nil || wp <= 0 {
			return nil, fmt.Errorf("%w: WATCHDOG_PID=%q", ErrBadEnv, p)
		}
		if wp != pid {
			return n, nil
		}
	}
	n.watchdog = time.Duration(u) * time.Microsecond
	return n, nil
}

// Enabled reports whether notifications go anywhere.
func (n *Notifier) Enabled() bool { return n != nil && n.addr != nil }

// WatchdogInterval returns the service's WatchdogSec and true if systemd
// expects WATCHDOG=1 from this process. Send more often than that: half
// the interval is the usual choice.
func (n *Notifier) WatchdogInterval() (time.Duration, bool) {
	if !n.Enabled() || n.watchdog == 0 {
		return 0, false
	}
	return n.watchdog, true
}

// Ready sends READY=1, with a STATUS= line if status is not empty.
func (n *Notifier) Ready(ctx context.Context, status string) error {
	if status == "" {
		return n.send(ctx, "READY=1")
	}
	return n.send(ctx, "READY=1\nSTATUS="+CleanStatus(status))
}

// Status sends STATUS=text: the line systemctl status shows. Control
// characters and invalid UTF-8 are replaced and the text is cut at
// MaxStatus bytes, so text from a modem (an operator name) cannot add
// fields of its own.
func (n *Notifier) Status(ctx context.Context, text string) error {
	return n.send(ctx, "STATUS="+CleanStatus(text))
}

// Stopping sends STOPPING=1.
func (n *Notifier) Stopping(ctx context.Context) error { return n.send(ctx, "STOPPING=1") }

// Watchdog sends WATCHDOG=1. It is sent whenever a socket is set, even
// without WATCHDOG_USEC, as sd_notify does: systemd ignores it then.
func (n *Notifier) Watchdog(ctx context.Context) error { return n.send(ctx, "WATCHDOG=1") }

// CleanStatus makes text safe as one STATUS= field.
func CleanStatus(text string) string {
	return printable.Cut(printable.Strip(text), MaxStatus)
}

// send writes one datagram. A datagram socket whose reader is slow blocks
// the writer once its queue is full; ctx's end interrupts the write so a
// wedged service manager cannot wedge the supervisor.
func (n *Notifier) send(ctx context.Context, msg string) error {
	if !n.Enabled() {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	c, err := net.DialUnix("unixgram", nil, n.addr)
	if err != nil {
		return fmt.Errorf("sdnotify: %w", err)
	}
	defer c.Close()
	// Only ctx's end sets the deadline (not ctx.Deadline() up front), so a
	// timed-out write always finds ctx.Err() set and reports it.
	stop := context.AfterFunc(ctx, func() { c.SetWriteDeadline(time.Unix(1, 0)) })
	defer stop()
	if _, err := c.Write([]byte(msg)); err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("sdnotify: %w", ctx.Err())
		}
		return fmt.Errorf("sdnotify: %w", err)
	}
	return nil
}
