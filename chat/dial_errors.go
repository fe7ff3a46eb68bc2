package chat

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
//	case errors.Is(err, chat.ErrSIM):          // exit 4
//	case errors.Is(err, chat.ErrRegistration): // exit 5
//	case errors.Is(err, chat.ErrDial):         // exit 6
//	}
var (
	ErrSIM          = errors.New("chat: SIM problem")
	ErrRegistration = errors.New("chat: registration failed")
	ErrDial         = errors.New("chat: dial failed")
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
	ErrModemSilent error = &dialCondition{"chat: the modem does not answer AT: check that this is the modem's AT port (not a diagnostics or GPS port) and that it has finished starting", nil}

	ErrSIMAbsent   error = &dialCondition{"chat: no SIM card: unplug the modem, insert a SIM and try again", ErrSIM}
	ErrPINRequired error = &dialCondition{"chat: the SIM is locked with a PIN and none is configured: set pin in the profile, or remove the PIN lock in a phone", ErrSIM}
	ErrPINRejected error = &dialCondition{"chat: the SIM rejected the configured PIN: correct pin in the profile; zdial will not send this PIN to this SIM again", ErrSIM}
	// ErrPINUnsafe: zdial refused to spend a PIN attempt — one or no
	// attempt left, an unknown count, or this PIN was rejected by this SIM
	// before. The wrapping error says which.
	ErrPINUnsafe   error = &dialCondition{"chat: refusing to send the PIN", ErrSIM}
	ErrPUKRequired error = &dialCondition{"chat: the SIM is PUK-locked: unlock it with the PUK (from the carrier) in a phone, then set the new PIN in the profile", ErrSIM}
	ErrSIMFailure  error = &dialCondition{"chat: SIM failure: the modem cannot use the SIM; reseat it, or try it in a phone", ErrSIM}
	// ErrSIMLocked: the modem, not the SIM, is locked (PH-SIM PIN, PH-NET
	// PIN…): it is tied to another carrier's SIMs.
	ErrSIMLocked error = &dialCondition{"chat: the modem is locked to another SIM or network: it needs an unlock code from the seller or carrier", ErrSIM}
	// ErrSIMNotReady: the SIM stayed busy past the SIM deadline.
	ErrSIMNotReady error = &dialCondition{"chat: the SIM did not become ready: unplug the modem for a few seconds and try again; if it recurs, try the SIM in a phone", ErrSIM}

	ErrNotRegistered      error = &dialCondition{"chat: not registered with a network before the deadline: check coverage, the antenna, and that the SIM has a data service", ErrRegistration}
	ErrRegistrationDenied error = &dialCondition{"chat: the network denied registration: the SIM may be barred, expired or not allowed on this network; ask the carrier", ErrRegistration}

	ErrAPNRejected error = &dialCondition{"chat: the modem rejected the APN setting: check apn, pdp type and cid in the profile", ErrDial}
	ErrDialFailed  error = &dialCondition{"chat: dial failed", ErrDial}
)

// DialStage names a stage of the default dial script.
type DialStage string

const (
	StageWake     DialStage = "wake"     // AT until OK
	StageInit     DialStage = "init"     // ATZ, init strings, +CMEE=1
	StageSIM      DialStage = "sim"      // +CPIN?, PIN
	StageRegister DialStage = "register" // +CREG?/+CGREG?/+CEREG? until registered
	StageAPN      DialStage = "apn"      // +CGDCONT
	StageDial     DialStage = "dial"     // ATD
)

// DialError is the one wrapper around every error Dial returns: it records
// the stage that failed. Err is a condition above (often wrapped with
// detail), an at error, or a context error.
type DialError struct {
	Stage DialStage
	Err   error
}

// Error reads "chat: <stage>: <what happened>", without repeating the
// package prefix of a wrapped chat error.
func (e *DialError) Error() string {
	return "chat: " + string(e.Stage) + ": " + strings.TrimPrefix(e.Err.Error(), "chat: ")
}

func (e *DialError) Unwrap() error { return e.Err }
