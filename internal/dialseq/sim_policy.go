package dialseq

import "fmt"

// pinAttemptsUnknown stands for a PIN attempt count the modem would not tell.
const pinAttemptsUnknown = -1

// pinSendPolicy decides whether the configured PIN may be sent to a SIM that
// asks for one; nil means send it, once. The rules, in order:
//
//   - no PIN configured: ErrPINRequired;
//   - this SIM rejected this very PIN before (recorded in the state dir):
//     ErrPINUnsafe — a retry could only spend another attempt;
//   - attempts unknown: ErrPINUnsafe unless the caller opted in
//     (Params.TrustUnknownPINAttempts), since the attempt might be the last;
//   - one attempt left (or none): ErrPINUnsafe — a wrong PIN now would
//     PUK-lock the SIM, which only a phone and the carrier can undo.
//
// Two or more attempts left: send. A rejection then leaves at least one
// attempt for a human with a phone.
type pinSendPolicy struct {
	pin            string
	attempts       int // pinAttemptsUnknown, or the count the modem reported
	trustUnknown   bool
	rejectedBefore bool
	recordPath     string // the state file, named in the refusal so it can be removed
}

func (p pinSendPolicy) check() error {
	switch {
	case p.pin == "":
		return ErrPINRequired
	case p.rejectedBefore:
		return fmt.Errorf("%w: this SIM rejected this PIN before; correct pin in the profile (or, if the PIN is right after all, remove %s)", ErrPINUnsafe, p.recordPath)
	case p.attempts == pinAttemptsUnknown && !p.trustUnknown:
		return fmt.Errorf("%w: the modem does not say how many PIN attempts are left; unlock the SIM in a phone or allow unknown attempt counts in the profile", ErrPINUnsafe)
	case p.attempts == 1:
		return fmt.Errorf("%w: only 1 PIN attempt left; enter the PIN in a phone, where a mistake can still be seen", ErrPINUnsafe)
	case p.attempts == 0:
		return fmt.Errorf("%w: no PIN attempts left: %w", ErrPINUnsafe, ErrPUKRequired)
	}
	return nil
}
