package dialseq

import (
	"errors"
	"fmt"
	"testing"

	"github.com/zdial/zdial/at"
)

// Each condition belongs to exactly the class the CLI maps to its exit
// code, through any wrapping Dial adds.
func TestDialErrorClasses(t *testing.T) {
	classes := []error{ErrSIM, ErrRegistration, ErrDial}
	for _, tc := range []struct {
		cond  error
		class error // nil: none
	}{
		{ErrModemSilent, nil},
		{ErrSIMAbsent, ErrSIM},
		{ErrPINRequired, ErrSIM},
		{ErrPINRejected, ErrSIM},
		{ErrPINUnsafe, ErrSIM},
		{ErrPUKRequired, ErrSIM},
		{ErrSIMFailure, ErrSIM},
		{ErrSIMLocked, ErrSIM},
		{ErrSIMNotReady, ErrSIM},
		{ErrNotRegistered, ErrRegistration},
		{ErrRegistrationDenied, ErrRegistration},
		{ErrAPNRejected, ErrDial},
		{ErrDialFailed, ErrDial},
	} {
		err := error(&Error{Stage: StageSIM, Err: fmt.Errorf("%w: detail", tc.cond)})
		if !errors.Is(err, tc.cond) {
			t.Errorf("%v does not match its own condition", err)
		}
		for _, c := range classes {
			if got := errors.Is(err, c); got != (c == tc.class) {
				t.Errorf("errors.Is(%q, %q) = %v", tc.cond, c, got)
			}
		}
	}
}

func TestDialErrorText(t *testing.T) {
	modem := &at.CommandError{Cmd: "ATD*99#", Err: at.ErrNoCarrier}
	err := error(&Error{Stage: StageDial, Err: fmt.Errorf("%w: %w", ErrDialFailed, modem)})
	const want = "dialseq: dial: dial failed: at: ATD*99#: NO CARRIER"
	if err.Error() != want {
		t.Errorf("Error() = %q, want %q", err, want)
	}
	var ce *at.CommandError
	if !errors.As(err, &ce) || !errors.Is(err, at.ErrNoCarrier) {
		t.Errorf("the at error is not reachable through %v", err)
	}
}
