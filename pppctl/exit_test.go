package pppctl

import (
	"errors"
	"strings"
	"testing"
)

func TestStatusError(t *testing.T) {
	want := []error{nil, ErrFatal, ErrOptionError, ErrNotRoot, ErrNoKernelSupport,
		ErrUserRequest, ErrLockFailed, ErrOpenFailed, ErrConnectFailed, ErrPtyCmdFailed,
		ErrNegotiationFailed, ErrPeerAuthFailed, ErrIdleTimeout, ErrConnectTime,
		ErrCallback, ErrPeerDead, ErrHangup, ErrLoopback, ErrInitFailed,
		ErrAuthTopeerFailed, ErrTrafficLimit, ErrCNIDAuthFailed}
	for status, sentinel := range want {
		err := StatusError(status)
		if sentinel == nil {
			if err != nil {
				t.Errorf("StatusError(0) = %v", err)
			}
			continue
		}
		var ee *ExitError
		if !errors.As(err, &ee) || ee.Status != status || !errors.Is(err, sentinel) {
			t.Errorf("StatusError(%d) = %#v, want ExitError wrapping %v", status, err, sentinel)
		}
		for other, s := range want {
			if s != nil && other != status && errors.Is(err, s) {
				t.Errorf("StatusError(%d) also matches status %d", status, other)
			}
		}
		if msg := err.Error(); !strings.HasPrefix(msg, "pppctl: pppd exit status ") {
			t.Errorf("message %q", msg)
		}
	}
	if err := StatusError(42); !errors.Is(err, ErrUnknownStatus) {
		t.Errorf("StatusError(42) = %v", err)
	}
	if got := StatusError(16).Error(); got != "pppctl: pppd exit status 16: the link was terminated by the modem hanging up" {
		t.Errorf("text %q", got)
	}
}
