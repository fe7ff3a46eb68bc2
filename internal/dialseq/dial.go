package dialseq

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/zdial/zdial/at"
)

// Dial runs the default dial script: what a profile runs unless it names a
// script of its own. It takes m from a silent or freshly opened port to
// CONNECT, stage by stage, and leaves the line in data mode for pppd
// (m.Leftover holds any bytes that came after CONNECT; m.Release frees
// the line without closing it). On the wire, for a SIM that wants a PIN:
//
//	stage     → sent                        ← typical answer
//	wake      AT                            (nothing: the port drops bytes until open; again every 1 s)
//	          AT                            OK
//	init      ATZ                           OK
//	          ATQ0 V1 E1 S0=0 &C1 &D2 +FCLASS=0  OK
//	          AT+CMEE=1                     OK
//	sim       AT+CPIN?                      +CPIN: SIM PIN
//	          AT+CCID                       +CCID: 8944…   (the SIM's identity, for the PIN memory)
//	          AT+CPINR="SIM*"               +CPINR: SIM PIN,3,3   (or ^CPIN? / +ZPINPUK=?)
//	          AT+CPIN="****"                OK        (only with ≥ 2 attempts left; never twice)
//	          AT+CPIN?                      +CME ERROR: 14   (SIM busy: polled until READY)
//	          AT+CPIN?                      +CPIN: READY
//	register  AT+CEREG? AT+CGREG? AT+CREG?  +CEREG: 0,2 …    (searching: polled every second)
//	          AT+CSQ                        +CSQ: 21,99
//	          AT+CEREG? AT+CGREG? AT+CREG?  +CEREG: 0,1 …    (home; 5 = roaming; 3 = denied: stop)
//	          AT+COPS?                      +COPS: 0,0,"3 UK",7
//	apn       AT+CGDCONT=1,"IP","three.co.uk"  OK
//	dial      ATD*99#                       CONNECT 150000000
//
// Progress (p.Progress) is told as each stage completes. Every error is a
// *Error naming the stage; it matches one of ErrSIM, ErrRegistration or
// ErrDial when it is that class of problem, a condition such as
// ErrPINRejected or ErrNotRegistered, and the at error with the modem's
// words (at.ErrNoCarrier, *at.CMEError) where there was one. The PIN appears
// in no error and, masked as ****, in no transcript.
//
// Dial sends the PIN at most once per call and never to a SIM that rejected
// that same PIN before (p.StateDir), nor with fewer than two attempts left:
// see pinSendPolicy. Dial does not close m.
func Dial(ctx context.Context, m *at.Modem, p Params) (Result, error) {
	p, err := p.WithDefaults()
	if err != nil {
		return Result{}, &Error{Stage: StageInit, Err: err}
	}
	d := &dialRun{m: m, p: p}
	stages := []struct {
		stage Stage
		run   func(context.Context) error
	}{
		{StageWake, d.wake},
		{StageInit, d.initModem},
		{StageSIM, d.sim},
		{StageRegister, d.register},
		{StageAPN, d.setAPN},
		{StageDial, d.dial},
	}
	for _, s := range stages {
		if err := s.run(ctx); err != nil {
			if ctx.Err() != nil && !errors.Is(err, ctx.Err()) {
				err = fmt.Errorf("%w (%w)", ctx.Err(), err)
			}
			return d.res, &Error{Stage: s.stage, Err: err}
		}
	}
	return d.res, nil
}

// dialRun is one run of the default script; it lives on Dial's goroutine.
type dialRun struct {
	m   *at.Modem
	p   Params
	res Result
}

func (d *dialRun) emit(ev Event) {
	if d.p.Progress != nil {
		d.p.Progress(ev)
	}
}

// wakeRetry is how often the wake stage repeats AT. A USB serial gadget
// (u_serial drops what the host writes while the far side has the port
// closed) and many real modems just after power-up lose what arrives before
// they are ready, so the first AT may simply be lost; a retry a second
// later is what a person at a terminal would do.
const wakeRetry = time.Second

// wake is the wake stage: Wake for at most WakeTimeout.
func (d *dialRun) wake(ctx context.Context) error {
	wctx, cancel := context.WithTimeout(ctx, d.p.WakeTimeout)
	defer cancel()
	err := Wake(wctx, d.m)
	switch {
	case err == nil:
		d.emit(Event{Kind: EventAwake, Stage: StageWake})
		return nil
	case ctx.Err() != nil:
		return ctx.Err()
	case isLineGone(err):
		return err
	}
	return fmt.Errorf("%w (nothing but %v in %v)", ErrModemSilent, err, d.p.WakeTimeout)
}

// Wake sends AT until the modem answers OK or ctx ends, and returns the
// last AT's error if it never did: the one wake of zdial, for the dial and
// for probing ports. Any answer at all — even ERROR — proves something is
// listening, but only OK proves it will take commands. After an ERROR the
// next AT goes out at once (noise left on the line, a half-sent command or
// bytes from an earlier program, spoils one AT, not two); after silence,
// one a second (see wakeRetry).
//
// The ATs go out with at.NoDrain: an AT that got no answer leaves the
// engine owing its final result, and an ordinary command would first wait
// up to the drain window for it, so no second AT would go out for 3 s. A
// late OK from an earlier AT answering a later one is harmless here — any
// OK means the modem is alive — and the engine still makes sure the next
// command gets its own answer, not one of those OKs: with echo on (as after
// power-up) it goes out at once and whatever precedes its echo is dropped;
// without echo it waits out the drain window. With echo, ATZ follows the
// first OK at once; the whole wake costs about a second more than the port
// took to open.
func Wake(ctx context.Context, m *at.Modem) error {
	var last error
	retried := false
	deadline, hasDeadline := ctx.Deadline()
	for {
		start := time.Now()
		// The retry timer and the deadline can fall due at the same
		// instant; the clock, not whichever goroutine runs first, decides.
		if hasDeadline && !start.Before(deadline) {
			break
		}
		actx, acancel := context.WithTimeout(ctx, wakeRetry)
		_, err := m.Command(actx, "", at.NoDrain())
		acancel()
		if err == nil {
			return nil
		}
		last = err
		if isLineGone(err) || ctx.Err() != nil {
			break
		}
		if errors.Is(err, at.ErrError) && !retried {
			retried = true
			continue
		}
		if err := sleepUntil(ctx, start.Add(wakeRetry)); err != nil {
			break
		}
	}
	if last == nil {
		return ctx.Err()
	}
	return last
}

// initModem resets the modem and applies the init strings, then asks for
// numeric +CME ERROR codes. A modem too old for +CMEE still works: its
// errors are then a bare ERROR.
func (d *dialRun) initModem(ctx context.Context) error {
	if _, err := d.cmd(ctx, "Z"); err != nil {
		return err
	}
	for _, s := range d.p.Init {
		if strings.TrimSpace(s) == "" {
			continue
		}
		if _, err := d.cmd(ctx, s); err != nil {
			return err
		}
	}
	if _, err := d.cmd(ctx, "+CMEE=1"); err != nil && !modemSaid(err) {
		return err
	}
	return nil
}

// setAPN defines the PDP context. With no APN configured the modem's stored
// context (or, on LTE, the network's default bearer) is used as it is.
func (d *dialRun) setAPN(ctx context.Context) error {
	if d.p.APN == "" {
		return nil
	}
	cmd := fmt.Sprintf(`+CGDCONT=%d,"%s","%s"`, d.p.CID, d.p.PDPType, d.p.APN)
	if _, err := d.cmd(ctx, cmd); err != nil {
		if modemSaid(err) {
			return fmt.Errorf("%w: %w", ErrAPNRejected, err)
		}
		return err
	}
	d.emit(Event{Kind: EventAPNSet, Stage: StageAPN, APN: d.p.APN, PDPType: d.p.PDPType, CID: d.p.CID})
	return nil
}

// dial sends ATD<number> and waits up to DialTimeout for CONNECT.
func (d *dialRun) dial(ctx context.Context) error {
	dctx, cancel := context.WithTimeout(ctx, d.p.DialTimeout)
	defer cancel()
	d.res.Number = d.p.Number
	rate, err := d.m.Dial(dctx, "D"+d.p.Number)
	switch {
	case err == nil:
	case ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("%w: ATD%s: no answer within %v: %w", ErrDialFailed, d.p.Number, d.p.DialTimeout, err)
	case modemSaid(err):
		return fmt.Errorf("%w: %w", ErrDialFailed, err)
	default:
		return err
	}
	rate = connectRate(rate)
	d.res.Rate = rate
	d.emit(Event{Kind: EventConnect, Stage: StageDial, Rate: rate})
	return nil
}

// connectRate keeps the leading digits of what followed CONNECT ("7200000",
// "115200/V42" → "115200"): the rate is shown on terminals and in JSON, and
// the rest of the line is whatever the modem chose to send.
func connectRate(s string) string {
	s = strings.TrimSpace(s)
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return s[:n]
}

// cmd runs one command under CommandTimeout.
func (d *dialRun) cmd(ctx context.Context, cmd string, opts ...at.CallOption) ([]string, error) {
	cctx, cancel := context.WithTimeout(ctx, d.p.CommandTimeout)
	defer cancel()
	lines, err := d.m.Command(cctx, cmd, opts...)
	return lines, d.timeoutErr(ctx, err)
}

// dialQuery runs one at.Read* helper under CommandTimeout.
func dialQuery[T any](ctx context.Context, d *dialRun, read func(context.Context, *at.Modem) (T, error)) (T, error) {
	cctx, cancel := context.WithTimeout(ctx, d.p.CommandTimeout)
	defer cancel()
	v, err := read(cctx, d.m)
	return v, d.timeoutErr(ctx, err)
}

// timeoutErr says "no answer within" for a command that ran out of its own
// time, as opposed to the caller's ctx ending.
func (d *dialRun) timeoutErr(ctx context.Context, err error) error {
	if err != nil && ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("dialseq: no answer within %v: %w", d.p.CommandTimeout, err)
	}
	return err
}

// modemSaid reports an error that is the modem's own answer (ERROR,
// +CME ERROR, NO CARRIER, BUSY…), as opposed to the line failing, a
// timeout, or garbage on the wire.
func modemSaid(err error) bool {
	for _, e := range []error{at.ErrError, at.ErrNoCarrier, at.ErrBusy, at.ErrNoAnswer, at.ErrNoDialtone} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// isLineGone reports that no further command can succeed on m.
func isLineGone(err error) bool {
	return errors.Is(err, at.ErrHangup) || errors.Is(err, at.ErrClosed) || errors.Is(err, at.ErrDataMode)
}

// sleepUntil waits until t or until ctx ends (then returns ctx.Err()). A
// timer, not time.Sleep, so a cancelled dial stops at once and synctest
// tests advance fake time.
func sleepUntil(ctx context.Context, t time.Time) error {
	d := time.Until(t)
	if d <= 0 {
		return ctx.Err()
	}
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-tm.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
