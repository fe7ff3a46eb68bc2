package main

import (
	"errors"
	"fmt"
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
	} {
		if got := forPeople(tc.err); got != tc.want {
			t.Errorf("forPeople(%q) = %q, want %q", tc.err, got, tc.want)
		}
	}
}
