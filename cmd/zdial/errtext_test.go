package main

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	modeswitch "github.com/zdial/zdial/switch"
)

func TestForPeople(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{&modeswitch.OpError{Op: "open", Path: "/dev/bus/usb/001/005", Err: errors.New("no such file or directory")},
			"open /dev/bus/usb/001/005: no such file or directory"},
		{fmt.Errorf("dialer: find the dongle: %w", modeswitch.ErrNoDongle), "find the dongle: no mobile broadband dongle found"},
		{errors.New("at: ATD*99#: ERROR"), "at: ATD*99#: ERROR"}, // a command's name, not a package to strip
		{errors.New("dialer: pppctl: pppd exit status 16"), "pppd exit status 16"},
	} {
		if got := forPeople(tc.err); got != tc.want {
			t.Errorf("forPeople(%q) = %q, want %q", tc.err, got, tc.want)
		}
	}
}

// The dial path prints its errors for people too: the port check's error
// comes from the dialer, and its prefix must not reach the terminal.
func TestDialErrorForPeople(t *testing.T) {
	dir := t.TempDir()
	code, _, stderr := zdial(t, append(cfgArgs(t, dir), "--port", "/dev/null", "--dry-run", "three")...)
	if code == exitOK || !strings.Contains(stderr, "zdial: /dev/null is not a serial port") {
		t.Errorf("exit %d, stderr %q: want the port refused, without a package prefix", code, stderr)
	}
}
