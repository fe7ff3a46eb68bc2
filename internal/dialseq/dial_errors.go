package dialseq

import (
	"errors"
	"strings"
)

// Failure classes of the default dial script. Every error Dial returns for a
// SIM problem matches ErrSIM with errors.Is, every registration failure
// ErrRegistration, every failure to set the APN or dial ErrDial — so a caller
// maps a class to an exit code without listing each condition:
//
//	switch {
//	case errors.Is(err, dialseq.ErrSIM):          // exit 4
//	case errors.Is(err, dialseq.ErrRegistration): // exit 5
//	case errors.Is(err, dialseq.ErrDial):         // exit 6
//	}
var (
	ErrSIM          = errors.New("dialseq: SIM problem")
	ErrRegistration = errors.New("dialseq: registration failed")
	ErrDial         = errors.New("dialseq: dial failed")
)

// dialCondition is a sentinel that also belongs to a failure class.
type dialCondition struct {
	msg   string
	class error
}

func (e *dialCondition) Error() string { return e.msg }

// Is makes errors.Is(err, ErrSIM) true for every SIM condition, and so on.
func (e *dialCondition) Is(target error) bool { return target == e.class }

// Conditions the default dial script stops on. Their text says what to do,
// because it is what a user reads.
var (
	// ErrModemSilent: nothing answered AT before the wake deadline — the
	// wrong port (a diagnostics or GPS port), or a modem still booting.
	// It belongs to no class above.
	ErrModemSilent error = &dialCondition{"dialseq: the modem does not answer AT: check that this is the modem's AT port (not a diagnostics or GPS port) and that it has finished starting", nil}

	ErrSIMAbsent   error = &dialCondition{"dialseq: no SIM card: unplug the modem, insert a SIM and try again", ErrSIM}
	ErrPINRequired error = &dialCondition{"dialseq: the SIM is locked with a PIN and none is configured: set pin in the profile, or remove the PIN lock in a phone", ErrSIM}
	ErrPINRejected error = &dialCondition{"dialseq: the SIM rejected the configured PIN: correct pin in the profile; zdial will not send this PIN to this SIM again", ErrSIM}
	// ErrPINUnsafe: zdial refused to spend a PIN attempt — one or no
	// attempt left, an unknown count, or this PIN was rejected by this SIM
	// before. The wrapping error says which.
	ErrPINUnsafe   error = &dialCondition{"dialseq: refusing to send the PIN", ErrSIM}
	ErrPUKRequired error = &dialCondition{"dialseq: the SIM is PUK-locked: unlock it with the PUK (from the carrier) in a phone, then set the new PIN in the profile", ErrSIM}
	ErrSIMFailure  error = &dialCondition{"dialseq: SIM failure: the modem cannot use the SIM; reseat it, or try it in a phone", ErrSIM}
	// ErrSIMLocked: the modem, not the SIM, is locked (PH-SIM PIN, PH-NET
	// PIN…): it is tied to another carrier's SIMs.
	ErrSIMLocked error = &dialCondition{"dialseq: the modem is locked to another SIM or network: it needs an unlock code from the seller or carrier", ErrSIM}
	// ErrSIMNotReady: the SIM stayed busy past the SIM deadline.
	ErrSIMNotReady error = &dialCondition{"dialseq: the SIM did not become ready: unplug the modem for a few seconds and try again; if it recurs, try the SIM in a phone", ErrSIM}

	ErrNotRegistered      error = &dialCondition{"dialseq: not registered with a network before the deadline: check coverage, the antenna, and that the SIM has a data service", ErrRegistration}
	ErrRegistrationDenied error = &dialCondition{"dialseq: the network denied registration: the SIM may be barred, expired or not allowed on this network; ask the carrier", ErrRegistration}

	ErrAPNRejected error = &dialCondition{"dialseq: the modem rejected the APN setting: check apn, pdp type and cid in the profile", ErrDial}
	ErrDialFailed  error = &dialCondition{"dialseq: dial failed", ErrDial}
)

// Stage names a stage of the default dial script.
type Stage string

const (
	StageWake     Stage = "wake"     // ATZ until OK
	StageInit     Stage = "init"     // init strings, +CMEE=1 (and the first +CPIN?)
	StageSIM      Stage = "sim"      // +CPIN?, PIN
	StageRegister Stage = "register" // +CGREG?;+CREG?;+CSQ;+COPS?;+CEREG? until registered
	StageAPN      Stage = "apn"      // +CGDCONT
	StageDial     Stage = "dial"     // ATD
)

// Error is the one wrapper around every error Dial returns: it records
// the stage that failed. Err is a condition above (often wrapped with
// detail), an at error, or a context error.
type Error struct {
	Stage Stage
	Err   error
}

// Error reads "dialseq: <stage>: <what happened>", without repeating the
// package prefix of a wrapped dialseq error.
func (e *Error) Error() string {
	return "dialseq: " + string(e.Stage) + ": " + strings.TrimPrefix(e.Err.Error(), "dialseq: ")
}

func (e *Error) Unwrap() error { return e.Err }
