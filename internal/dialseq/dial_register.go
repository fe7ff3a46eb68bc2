package dialseq

import (
	"context"
	"fmt"
	"github.com/zdial/zdial/internal/printable"
	"slices"
	"strings"
	"time"

	"github.com/zdial/zdial/at"
)

// regQueries are the registration queries: EPS (LTE), GPRS, circuit-switched.
var regQueries = []string{"+CEREG", "+CGREG", "+CREG"}

// pollQueries are asked together on each poll, on one line where the
// modem takes that:
//
//	AT+CGREG?;+CREG?;+CSQ;+COPS?;+CEREG?
//
// +CEREG? goes last: a modem without LTE answers it ERROR, and since every
// query before it has answered by then, the batch knows whose ERROR that
// is (batch.go) and the poll costs no second line. The operator comes in
// the same line, so registering needs no line of its own either.
var pollQueries = []query{
	{"+CGREG?", "+CGREG"}, {"+CREG?", "+CREG"}, {"+CSQ", "+CSQ"}, {"+COPS?", "+COPS"}, {"+CEREG?", "+CEREG"},
}

// register polls registration, signal and operator every PollInterval
// until the modem is registered for data (home or roaming), the network
// denies it, or RegisterTimeout passes. Signal and access technology are
// reported as they change; the operator once registered. A query the
// modem lacks is asked no more, on this modem ever (quirks.go).
func (d *dialRun) register(ctx context.Context) error {
	rctx, cancel := context.WithTimeout(ctx, d.p.RegisterTimeout)
	defer cancel()
	var last Event // what was last reported, to report only changes
	for {
		start := time.Now()
		var qs []query
		for _, q := range pollQueries {
			if !slices.Contains(d.quirks.Unsupported, q.prefix) {
				qs = append(qs, q)
			}
		}
		cimi := -1
		if d.p.FromSIM != nil && !d.imsiAsked {
			// The first poll also reads the IMSI for FromSIM: before a
			// trailing +CEREG?, whose ERROR on a 3G stick must stay last.
			cimi = len(qs)
			if cimi > 0 && qs[cimi-1].prefix == "+CEREG" {
				cimi--
			}
			qs = slices.Insert(qs, cimi, query{"+CIMI", imsiAnswer})
		}
		answers, err := d.batch(rctx, qs)
		if err != nil {
			if rctx.Err() != nil {
				return d.regTimeout(ctx, last)
			}
			return err
		}
		if cimi >= 0 {
			d.imsiAsked = true
			if a := answers[cimi]; a.err == nil && len(a.lines) == 1 {
				d.imsi = a.lines[0]
			}
			answers = slices.Delete(answers, cimi, cimi+1)
			qs = slices.Delete(qs, cimi, cimi+1)
		}
		var ans RegAnswers
		var op *at.Operator
		ev := Event{Kind: EventRegistering, Stage: StageRegister, AccessTech: last.AccessTech, SignalDBm: last.SignalDBm}
		for i, q := range qs {
			a := answers[i]
			switch q.prefix {
			case "+CSQ":
				if sig, err := at.ParseSignal(a.lines); a.err == nil && err == nil && sig.Known {
					ev.SignalDBm = sig.DBm
				} else if a.err != nil && unsupportedQuery(a.err) {
					d.unsupported(q.prefix)
				}
			case "+COPS":
				if o, err := at.ParseOperator(a.lines); a.err == nil && err == nil {
					op = &o
				} else if a.err != nil && unsupportedQuery(a.err) {
					d.unsupported(q.prefix)
				}
			default:
				r, err := regAnswer(a)
				if err != nil {
					if unsupportedQuery(err) {
						d.unsupported(q.prefix)
					}
					continue
				}
				switch q.prefix {
				case "+CEREG":
					ans.EPS = &r
				case "+CGREG":
					ans.PS = &r
				default:
					ans.CS = &r
				}
			}
		}
		if d.lacksAllRegQueries() {
			// Nothing to ask: the record, if any, is wrong, not the modem.
			d.quirks.Unsupported = nil
			_ = d.store.forget()
			return fmt.Errorf("%w: the modem answers none of AT+CEREG?, AT+CGREG?, AT+CREG?", ErrNotRegistered)
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
			return fmt.Errorf("%w (%s answered %d: %s)", ErrRegistrationDenied, denier(ans), regDenied, at.RegStat(regDenied))
		case v.Registered:
			d.registered(ev, op)
			return nil
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

// regAnswer reads one registration query's answer: the read form, which a
// URC of the same name may accompany (as at.ReadRegistration prefers).
func regAnswer(a answer) (at.Registration, error) {
	if a.err != nil {
		return at.Registration{}, a.err
	}
	for i := len(a.lines) - 1; i >= 0; i-- {
		if r, err := at.ParseRegistration(a.lines[i : i+1]); err == nil && r.N >= 0 {
			return r, nil
		}
	}
	return at.ParseRegistration(a.lines)
}

// denier names the query that said denied, EPS first.
func denier(a RegAnswers) string {
	for _, r := range []*at.Registration{a.EPS, a.PS, a.CS} {
		if r != nil && r.Stat == regDenied {
			return "AT" + r.Cmd + "?"
		}
	}
	return "AT+CREG?"
}

// unsupported learns that the modem lacks the query with this prefix:
// for good if it is a registration query, for the run if it is +CSQ or
// +COPS? (their loss costs a display, and some firmware answers them ERROR
// while it searches).
func (d *dialRun) unsupported(prefix string) {
	if !slices.Contains(regQueries, prefix) {
		if !slices.Contains(d.quirks.Unsupported, prefix) {
			d.quirks.Unsupported = append(d.quirks.Unsupported, prefix)
		}
		return
	}
	d.learn(func(q *modemQuirks) bool {
		if slices.Contains(q.Unsupported, prefix) {
			return false
		}
		q.Unsupported = append(q.Unsupported, prefix)
		return true
	})
}

func (d *dialRun) lacksAllRegQueries() bool {
	for _, q := range regQueries {
		if !slices.Contains(d.quirks.Unsupported, q) {
			return false
		}
	}
	return true
}

// registered completes the registration stage: operator name and access
// technology from the poll's +COPS? (if the modem said), then the event and
// result.
func (d *dialRun) registered(ev Event, op *at.Operator) {
	ev.Kind = EventRegistered
	ev.Roaming = ev.RegStatus == regRoaming
	if op != nil {
		// The name is the modem's text, shown on terminals and in JSON:
		// nothing in it may act on a terminal. (A format-2 name is MCC+MNC:
		// better than nothing.)
		ev.Operator = printable.Cut(printable.Strip(op.Name), 64)
		if op.AcT != at.AcTUnknown {
			ev.AccessTech = AccessTechName(op.AcT)
		}
	}
	d.res.Operator, d.res.AccessTech, d.res.SignalDBm, d.res.Roaming = ev.Operator, ev.AccessTech, ev.SignalDBm, ev.Roaming
	d.emit(ev)
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
