package dialer

import (
	"errors"

	"github.com/zdial/zdial/at"
	"github.com/zdial/zdial/carriers"
	"github.com/zdial/zdial/internal/dialseq"
	"github.com/zdial/zdial/internal/profile"
	"github.com/zdial/zdial/internal/uucplock"
	"github.com/zdial/zdial/pppctl"
	modeswitch "github.com/zdial/zdial/switch"
)

// Class is what kind of failure an error is, for the CLI's exit codes.
type Class int

const (
	ClassOther        Class = iota // anything else
	ClassConfig                    // usage or configuration
	ClassPort                      // no modem port, cannot open it, modem silent or gone
	ClassSIM                       // SIM absent, PIN, PUK
	ClassRegistration              // not registered, denied
	ClassDial                      // APN or dial refused
	ClassPPPD                      // pppd failed or is missing
	ClassBusy                      // port locked by another program
)

// Classify sorts an error from Connect (or any zdial package) into a Class.
func Classify(err error) Class {
	var (
		oe *pppctl.OptionError
		ee *pppctl.ExitError
		pe *PermissionError
	)
	switch {
	case err == nil:
		return ClassOther
	case errors.Is(err, profile.ErrConfig), errors.Is(err, profile.ErrUnknownProfile),
		errors.Is(err, pppctl.ErrInvalidOption), errors.As(err, &oe),
		errors.Is(err, carriers.ErrAmbiguous), errors.Is(err, carriers.ErrUnknown),
		errors.Is(err, ErrUntrustedPPPD):
		return ClassConfig
	case errors.Is(err, uucplock.ErrBusy), errors.Is(err, ErrPortInUse):
		return ClassBusy
	case errors.Is(err, ErrNoPort), errors.As(err, &pe),
		errors.Is(err, dialseq.ErrModemSilent), errors.Is(err, at.ErrHangup), errors.Is(err, ErrNoAnswer):
		return ClassPort
	case errors.Is(err, modeswitch.ErrNoDongle), errors.Is(err, modeswitch.ErrNoPort),
		errors.Is(err, modeswitch.ErrPermission), errors.Is(err, modeswitch.ErrUnknownDevice),
		errors.Is(err, modeswitch.ErrSwitchFailed), errors.Is(err, modeswitch.ErrUnsupportedMethod),
		errors.Is(err, modeswitch.ErrDeviceGone):
		return ClassPort // no device to dial: the dongle is missing, unknown, or would not switch
	case errors.Is(err, dialseq.ErrSIM):
		return ClassSIM
	case errors.Is(err, dialseq.ErrRegistration):
		return ClassRegistration
	case errors.Is(err, dialseq.ErrDial):
		return ClassDial
	case errors.Is(err, ErrNoPPPD), errors.As(err, &ee):
		return ClassPPPD
	}
	return ClassOther
}
