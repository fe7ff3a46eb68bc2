package dialseq

import (
	"context"
	"errors"
	"fmt"
	"github.com/zdial/zdial/internal/printable"
	"strings"
	"time"

	"github.com/zdial/zdial/at"
)

// regQueries are polled in this order: EPS (LTE) first, since an LTE modem
// reports its data registration there, then GPRS, then circuit-switched.
var regQueries = []string{"+CEREG", "+CGREG", "+CREG"}

// register polls the registration status every PollInterval until the modem
// is registered for data (home or roaming), the network denies it, or
// RegisterTimeout passes. Signal and access technology are reported as
// they change; the operator once registered.
func (d *dialRun) register(ctx context.Context) error {
	rctx, cancel := context.WithTimeout(ctx, d.p.RegisterTimeout)
	defer cancel()
	unsupported := map[string]bool{}
	var last Event // what was last reported, to report only changes
	for {
		start := time.Now()
		var ans RegAnswers
		ev := Event{Kind: EventRegistering, Stage: StageRegister, AccessTech: last.AccessTech, SignalDBm: last.SignalDBm}
		denier := ""
		for _, q := range regQueries {
			if unsupported[q] {
				continue
			}
			r, err := dialQuery(rctx, d, func(ctx context.Context, m *at.Modem) (at.Registration, error) {
				return at.ReadRegistration(ctx, m, q)
			})
			if err != nil {
				if rctx.Err() != nil {
					return d.regTimeout(ctx, last)
				}
				if !modemSaid(err) && !isParseErr(err) {
					return err
				}
				// Plain ERROR or "not supported": this modem lacks the
				// command (no LTE, say). Other +CME errors (SIM busy,
				// no network service) may pass: ask again next time.
				var cme *at.CMEError
				if !errors.As(err, &cme) || errors.Is(err, at.ErrNotSupported) {
					unsupported[q] = true
				}
				continue
			}
			switch q {
			case "+CEREG":
				ans.EPS = &r
			case "+CGREG":
				ans.PS = &r
			default:
				ans.CS = &r
			}
			if r.Stat == regDenied && denier == "" {
				denier = "AT" + q + "?"
			}
		}
		if len(unsupported) == len(regQueries) {
			return fmt.Errorf("%w: the modem answers none of AT+CEREG?, AT+CGREG?, AT+CREG?", ErrNotRegistered)
		}
		if sig, err := dialQuery(rctx, d, at.ReadSignal); err == nil && sig.Known {
			ev.SignalDBm = sig.DBm
		} else if err != nil && rctx.Err() != nil {
			return d.regTimeout(ctx, last)
		} else if err != nil && !modemSaid(err) && !isParseErr(err) {
			return err
		}

		v := JudgeRegistration(ans)
		ev.RegStatus = regNoAnswer
		if v.Answered {
			ev.RegStatus = int(v.Status)
		}
		if v.AccessTech != "" {
			ev.AccessTech = v.AccessTech
		}
		switch {
		case v.Denied:
			return fmt.Errorf("%w (%s answered %d: %s)", ErrRegistrationDenied, denier, regDenied, at.RegStat(regDenied))
		case v.Registered:
			return d.registered(rctx, ev)
		}
		if ev != last {
			d.emit(ev)
			last = ev
		}
		if err := sleepUntil(rctx, start.Add(d.p.PollInterval)); err != nil {
			return d.regTimeout(ctx, last)
		}
	}
}

// registered completes the registration stage: operator name and access
// technology from +COPS? (if the modem says), then the event and result.
func (d *dialRun) registered(ctx context.Context, ev Event) error {
	ev.Kind = EventRegistered
	ev.Roaming = ev.RegStatus == regRoaming
	op, err := dialQuery(ctx, d, at.ReadOperator)
	switch {
	case err == nil:
		// The name is the modem's text, shown on terminals and in JSON:
		// nothing in it may act on a terminal. (A format-2 name is MCC+MNC:
		// better than nothing.)
		ev.Operator = printable.Cut(printable.Strip(op.Name), 64)
		if op.AcT != at.AcTUnknown {
			ev.AccessTech = AccessTechName(op.AcT)
		}
	case ctx.Err() == nil && !modemSaid(err) && !isParseErr(err):
		return err
	}
	d.res.Operator, d.res.AccessTech, d.res.SignalDBm, d.res.Roaming = ev.Operator, ev.AccessTech, ev.SignalDBm, ev.Roaming
	d.emit(ev)
	return nil
}

// regTimeout is the error when the registration deadline passed (or ctx
// ended) while polling.
func (d *dialRun) regTimeout(ctx context.Context, last Event) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	var known []string
	if last.Kind != 0 && last.RegStatus != regNoAnswer {
		known = append(known, "last status: "+at.RegStat(last.RegStatus).String())
	}
	if last.SignalDBm != 0 {
		known = append(known, fmt.Sprintf("signal %d dBm", last.SignalDBm))
	}
	if last.AccessTech != "" {
		known = append(known, last.AccessTech)
	}
	detail := fmt.Sprintf("waited %v", d.p.RegisterTimeout)
	if len(known) > 0 {
		detail += "; " + strings.Join(known, ", ")
	}
	return fmt.Errorf("%w (%s)", ErrNotRegistered, detail)
}
