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
//	wake      ATZ                           (nothing: the port drops bytes until open; again every 1 s)
//	          ATZ                           OK
//	init      ATQ0 V1 E1 S0=0 &C1 &D2 +FCLASS=0;+CMEE=1;+CPIN?
//	                                        +CPIN: SIM PIN, OK
//	sim       AT+CCID                       +CCID: 8944…   (the SIM's identity, for the PIN memory)
//	          AT+CPINR="SIM*"               +CPINR: SIM PIN,3,3   (or ^CPIN? / +ZPINPUK=?)
//	          AT+CPIN="****"                OK        (alone on its line; only with ≥ 2 attempts left; never twice)
//	          AT+CPIN?                      +CME ERROR: 14   (SIM busy: polled until READY)
//	          AT+CPIN?                      +CPIN: READY
//	register  AT+CGREG?;+CREG?;+CSQ;+COPS?;+CEREG?
//	                                        +CGREG: 0,2 … ERROR  (searching; polled every second;
//	                                                       the ERROR is +CEREG's: a 3G stick, learnt)
//	          AT+CGREG?;+CREG?;+CSQ;+COPS?  +CGREG: 0,1, +CREG: 0,1, +CSQ: 21,99, +COPS: 0,0,"3 UK",2, OK
//	apn       AT+CGDCONT=1,"IP","three.co.uk"  OK
//	dial      ATD*99#                       CONNECT 150000000
//
// A modem that answers ERROR to a line of several commands, each of which
// works alone, gets one command per line from then on (batch.go).
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
	d := &dialRun{m: m, p: p, store: newQuirkStore(p.StateDir, p.ModemID)}
	d.quirks = d.store.load()
	stages := []struct {
		stage Stage
		run   func(context.Context) error
	}{
		{StageWake, d.wake},
		{StageInit, d.initModem},
		{StageSIM, d.sim},
		{StageRegister, d.register},
		{StageRegister, d.fromSIM},
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
	m      *at.Modem
	p      Params
	res    Result
	store  quirkStore
	quirks modemQuirks // what is known of the modem: loaded, then learnt (batch.go)
	cpin   *answer     // the +CPIN? answer that came with the init line, for the SIM stage
	// imsi is what +CIMI answered on the first registration poll, for
	// Params.FromSIM; imsiAsked says it was asked there (dial_network.go).
	imsi      string
	imsiAsked bool
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
	err := wake(wctx, d.m, "Z")
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
func Wake(ctx context.Context, m *at.Modem) error { return wake(ctx, m, "") }

// wake is Wake with probe as the command: the dial wakes the modem with
// ATZ, which every dialer sends first anyway (chat scripts, wvdial), so
// waking costs no round trip of its own. A reset must be alone on its
// line (at.Join), and repeating it while the port drops bytes is harmless.
//
// A reset may turn echo off (a stored profile with E0), so after an ATZ
// the engine no longer knows whether echo is on, and a command sent while
// an earlier, unanswered probe still owes its answer would wait out the
// drain window (3 s) rather than be gated on its echo (at/drain.go). So
// when an ATZ probe went unanswered before one was answered, one bare AT
// probe follows: its echo tells the engine, and the dial goes on at once.
func wake(ctx context.Context, m *at.Modem, probe string) error {
	unanswered, err := wakeLoop(ctx, m, probe)
	if err == nil && probe != "" && unanswered {
		actx, acancel := context.WithTimeout(ctx, wakeRetry)
		_, aerr := m.Command(actx, "", at.NoDrain())
		acancel()
		if isLineGone(aerr) {
			return aerr
		}
	}
	return err
}

// wakeLoop sends probe until the modem answers OK; unanswered says whether
// a probe before that got no answer at all (so the engine still owes it).
func wakeLoop(ctx context.Context, m *at.Modem, probe string) (unanswered bool, _ error) {
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
		_, err := m.Command(actx, probe, at.NoDrain())
		acancel()
		if err == nil {
			return unanswered, nil
		}
		last = err
		if isLineGone(err) || ctx.Err() != nil {
			break
		}
		if errors.Is(err, at.ErrError) && !retried {
			retried = true
			continue
		}
		unanswered = unanswered || errors.Is(err, context.DeadlineExceeded)
		if err := sleepUntil(ctx, start.Add(wakeRetry)); err != nil {
			break
		}
	}
	if last == nil {
		return unanswered, ctx.Err()
	}
	return unanswered, last
}

// initModem applies the init strings, asks for numeric +CME ERROR codes
// and asks the SIM's state, on one line where the modem takes that (the
// reset went out as the wake probe):
//
//	ATQ0 V1 E1 S0=0 &C1 &D2 +FCLASS=0;+CMEE=1;+CPIN?
//
// A modem too old for +CMEE still works: its errors are then a bare ERROR.
// The +CPIN? answer is the SIM stage's first.
func (d *dialRun) initModem(ctx context.Context) error {
	var qs []query
	for _, s := range d.p.Init {
		if strings.TrimSpace(s) != "" {
			qs = append(qs, query{cmd: s})
		}
	}
	qs = append(qs, query{cmd: "+CMEE=1"}, query{cmd: "+CPIN?", prefix: "+CPIN"})
	ans, err := d.batch(ctx, qs)
	if err != nil {
		return err
	}
	for _, a := range ans[:len(ans)-2] {
		if a.err != nil {
			return a.err
		}
	}
	d.cpin = &ans[len(ans)-1]
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
