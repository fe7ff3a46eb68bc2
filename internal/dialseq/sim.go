package dialseq

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"time"

	"github.com/zdial/zdial/at"
)

// sim makes sure the SIM is ready, unlocking it with the configured PIN
// when that is safe (see pinSendPolicy).
func (d *dialRun) sim(ctx context.Context) error {
	st, err := d.readSIM(ctx)
	if err != nil {
		return err
	}
	if st.NeedsPIN() {
		if err := d.unlock(ctx); err != nil {
			return err
		}
		if st, err = d.readSIM(ctx); err != nil {
			return err
		}
		if st.NeedsPIN() {
			// OK to +CPIN= but still asking: do not try again.
			return fmt.Errorf("%w: the modem accepted the PIN but the SIM still asks for it", ErrSIMFailure)
		}
	}
	if err := simStateErr(st); err != nil {
		return err
	}
	d.emit(Event{Kind: EventSIMReady, Stage: StageSIM, PINSent: d.res.PINSent})
	return nil
}

// simStateErr maps a +CPIN? answer other than SIM PIN to a condition.
func simStateErr(st at.SIMState) error {
	switch {
	case st.Ready():
		return nil
	case st == at.SIMNotInserted:
		return ErrSIMAbsent
	case st.NeedsPUK():
		return ErrPUKRequired
	case st.NeedsPIN():
		return ErrPINRequired
	case st == at.SIMPHSIMPIN || st == at.SIMPHFSIMPIN || st == at.SIMPHFSIMPUK ||
		st == at.SIMPHNetPIN || st == at.SIMPHNetPUK:
		return fmt.Errorf("%w (+CPIN: %s)", ErrSIMLocked, st)
	}
	return fmt.Errorf("%w: the SIM waits for %q, which zdial cannot give", ErrSIMFailure, string(st))
}

// readSIM asks +CPIN?, polling while the SIM is busy (+CME ERROR: 14) —
// just after power-up or unlocking — for at most SIMTimeout. Modem errors
// that describe the SIM become states or conditions.
func (d *dialRun) readSIM(ctx context.Context) (at.SIMState, error) {
	sctx, cancel := context.WithTimeout(ctx, d.p.SIMTimeout)
	defer cancel()
	var busy error // the last "SIM busy" answer
	for {
		var st at.SIMState
		var err error
		if a := d.cpin; a != nil {
			d.cpin = nil // the init line's answer serves once
			st, err = at.SIMAnswer(a.lines, a.err)
		} else {
			st, err = dialQuery(sctx, d, at.ReadSIMState)
		}
		switch {
		case errors.Is(err, at.ErrSIMBusy):
			busy = err
		case busy != nil && sctx.Err() != nil && ctx.Err() == nil:
			// The deadline passed during a poll, not between polls.
		default:
			return st, simAnswerErr(err)
		}
		if sctx.Err() == nil {
			err = sleepUntil(sctx, time.Now().Add(d.p.PollInterval))
		}
		if sctx.Err() != nil {
			if ctx.Err() != nil {
				return "", ctx.Err()
			}
			return "", fmt.Errorf("%w: still busy after %v (%w)", ErrSIMNotReady, d.p.SIMTimeout, busy)
		}
	}
}

// simAnswerErr turns a +CME ERROR about the SIM into a condition; other
// errors pass unchanged.
func simAnswerErr(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, at.ErrSIMNotInserted):
		return fmt.Errorf("%w (%w)", ErrSIMAbsent, err)
	case errors.Is(err, at.ErrSIMPUKRequired):
		return fmt.Errorf("%w (%w)", ErrPUKRequired, err)
	case errors.Is(err, at.ErrPHSIMPINRequired):
		return fmt.Errorf("%w (%w)", ErrSIMLocked, err)
	case errors.Is(err, at.ErrSIMFailure), errors.Is(err, at.ErrSIMWrong):
		return fmt.Errorf("%w (%w)", ErrSIMFailure, err)
	}
	return err
}

// unlock sends the configured PIN, once, if the policy allows. A rejection
// is remembered in the state dir before it is reported.
func (d *dialRun) unlock(ctx context.Context) error {
	if d.p.PIN == "" {
		return ErrPINRequired
	}
	id, err := d.simIdentity(ctx)
	if err != nil {
		return err
	}
	attempts := pinAttemptsUnknown
	counts, err := dialQuery(ctx, d, at.ReadPINCounts)
	switch {
	case err == nil:
		attempts = counts.PIN
	case !modemSaid(err) && !isParseErr(err):
		return err
	}
	rejected, err := pinWasRejected(d.p.StateDir, id, d.p.PIN)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrPINUnsafe, err)
	}
	policy := pinSendPolicy{
		pin:            d.p.PIN,
		attempts:       attempts,
		trustUnknown:   d.p.TrustUnknownPINAttempts,
		rejectedBefore: rejected,
		recordPath:     pinRecordPath(d.p.StateDir, id),
	}
	if err := policy.check(); err != nil {
		return err
	}

	d.res.PINSent = true
	_, err = d.cmd(ctx, `+CPIN="`+d.p.PIN+`"`, at.Secret())
	if err == nil {
		// A record of an older, wrong PIN must not outlive a PIN that
		// works; failing to remove it only costs a refusal later.
		_ = forgetRejectedPIN(d.p.StateDir, id)
		return nil
	}
	if !modemSaid(err) {
		// Timeout or hang-up: the outcome is unknown. Not remembered
		// (the attempt count guards the next run), not retried.
		return err
	}
	rerr := fmt.Errorf("%w (%d attempts were left; the modem said: %w)", ErrPINRejected, attempts, err)
	if attempts == pinAttemptsUnknown {
		rerr = fmt.Errorf("%w (the modem said: %w)", ErrPINRejected, err)
	}
	if werr := rememberRejectedPIN(d.p.StateDir, id, d.p.PIN, time.Now(), rand.Reader); werr != nil {
		return fmt.Errorf("%w; zdial could not record this, so a later run may send it again: %v", rerr, werr)
	}
	return rerr
}

// simIdentity names the SIM for the PIN memory: its ICCID (at.ReadICCID,
// which knows the vendors' commands and Huawei's swapped digits), else its
// IMSI, else "" (all unidentified SIMs then share one record, which errs on
// the side of not sending). Only line failures are errors.
func (d *dialRun) simIdentity(ctx context.Context) (string, error) {
	id, err := dialQuery(ctx, d, at.ReadICCID)
	switch {
	case err == nil:
		return "iccid:" + id, nil
	case !errors.Is(err, at.ErrNoICCID):
		return "", err
	}
	lines, err := d.cmd(ctx, "+CIMI")
	if err != nil {
		if modemSaid(err) {
			return "", nil
		}
		return "", err
	}
	if imsi, err := at.ParseIdentLine("+CIMI", lines); err == nil {
		return "imsi:" + imsi, nil
	}
	return "", nil
}

// isParseErr reports an answer the at parsers could not read.
func isParseErr(err error) bool {
	var pe *at.ProtocolError
	return errors.As(err, &pe)
}
