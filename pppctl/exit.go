package pppctl

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Sentinels for pppd's exit statuses, named and worded after the EXIT
// STATUS section of pppd(8) (values from pppd.h). Wait wraps them in an
// *ExitError, so callers test with errors.Is(err, pppctl.ErrHangup).
var (
	ErrFatal             = errors.New("pppctl: an immediately fatal error occurred")
	ErrOptionError       = errors.New("pppctl: error in the options given")
	ErrNotRoot           = errors.New("pppctl: pppd is not setuid-root and the invoking user is not root")
	ErrNoKernelSupport   = errors.New("pppctl: the kernel does not support PPP")
	ErrUserRequest       = errors.New("pppctl: terminated by a signal (user request)")
	ErrLockFailed        = errors.New("pppctl: the serial port could not be locked")
	ErrOpenFailed        = errors.New("pppctl: the serial port could not be opened")
	ErrConnectFailed     = errors.New("pppctl: the connect script failed")
	ErrPtyCmdFailed      = errors.New("pppctl: the pty command could not be run")
	ErrNegotiationFailed = errors.New("pppctl: PPP negotiation failed")
	ErrPeerAuthFailed    = errors.New("pppctl: the peer failed to authenticate itself")
	ErrIdleTimeout       = errors.New("pppctl: the link was terminated because it was idle")
	ErrConnectTime       = errors.New("pppctl: the connect time limit was reached")
	ErrCallback          = errors.New("pppctl: callback negotiated, an incoming call should arrive")
	ErrPeerDead          = errors.New("pppctl: the peer is not responding to echo requests")
	ErrHangup            = errors.New("pppctl: the link was terminated by the modem hanging up")
	ErrLoopback          = errors.New("pppctl: serial loopback detected")
	ErrInitFailed        = errors.New("pppctl: the init script failed")
	ErrAuthTopeerFailed  = errors.New("pppctl: we failed to authenticate ourselves to the peer")
	ErrTrafficLimit      = errors.New("pppctl: the traffic limit was reached")
	ErrCNIDAuthFailed    = errors.New("pppctl: calling number authentication failed")

	// ErrUnknownStatus is used for statuses above 21 (a newer pppd).
	ErrUnknownStatus = errors.New("pppctl: unknown pppd exit status")
	// ErrSignaled means pppd did not exit but was killed by a signal
	// (for example SIGKILL after Stop's grace period ran out).
	ErrSignaled = errors.New("pppctl: pppd was killed by a signal")
)

// exitErrs is indexed by pppd's exit status; index 0 (EXIT_OK) is nil.
var exitErrs = [...]error{
	nil,
	ErrFatal,
	ErrOptionError,
	ErrNotRoot,
	ErrNoKernelSupport,
	ErrUserRequest,
	ErrLockFailed,
	ErrOpenFailed,
	ErrConnectFailed,
	ErrPtyCmdFailed,
	ErrNegotiationFailed,
	ErrPeerAuthFailed,
	ErrIdleTimeout,
	ErrConnectTime,
	ErrCallback,
	ErrPeerDead,
	ErrHangup,
	ErrLoopback,
	ErrInitFailed,
	ErrAuthTopeerFailed,
	ErrTrafficLimit,
	ErrCNIDAuthFailed,
}

// ExitError reports how pppd ended. Status is pppd's exit status, or -1
// when it was killed by a signal: Signal names it ("SIGKILL"), and
// IgnoredTerm says how long pppd had ignored pppctl's SIGTERM before
// the SIGKILL (0 if it was not asked to stop first). Err is one of the
// sentinels above.
type ExitError struct {
	Status      int
	Signal      string
	IgnoredTerm time.Duration
	Err         error
}

func (e *ExitError) Error() string {
	switch {
	case e.Status < 0 && e.IgnoredTerm > 0:
		return fmt.Sprintf("pppctl: pppd: killed by %s after ignoring SIGTERM for %s", e.Signal, e.IgnoredTerm)
	case e.Status < 0:
		return fmt.Sprintf("pppctl: pppd: killed by %s", e.Signal)
	}
	what := strings.TrimPrefix(e.Err.Error(), "pppctl: ")
	return fmt.Sprintf("pppctl: pppd exit status %d: %s", e.Status, what)
}

func (e *ExitError) Unwrap() error { return e.Err }

// StatusError maps a pppd exit status to its error: nil for 0, an
// *ExitError wrapping the matching sentinel otherwise.
func StatusError(status int) error {
	switch {
	case status == 0:
		return nil
	case status > 0 && status < len(exitErrs):
		return &ExitError{Status: status, Err: exitErrs[status]}
	default:
		return &ExitError{Status: status, Err: ErrUnknownStatus}
	}
}
