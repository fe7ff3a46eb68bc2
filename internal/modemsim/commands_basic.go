package modemsim

import (
	"strconv"
	"time"
)

// Basic (V.250) commands: one letter, or & and a letter, then digits.

// flag01 sets the flag sel picks from "0"/"1" ("" means 0, as V.250 says).
func flag01(sel func(*state) *bool) handler {
	return func(s *Sim, c command, r *reply) {
		switch c.args {
		case "", "0":
			*sel(&s.st) = false
		case "1":
			*sel(&s.st) = true
		default:
			r.fail()
		}
	}
}

// accept takes any digits and does nothing (&C, &D, X, L, M, …).
func accept(_ *Sim, _ command, _ *reply) {}

func cmdReset(s *Sim, _ command, _ *reply) { s.st.reset(&s.p) }

func cmdInfo(s *Sim, _ command, r *reply) {
	id := s.p.Identity
	if len(id.ATI) > 0 {
		r.add(id.ATI...)
		return
	}
	r.add("Manufacturer: "+id.Manufacturer, "Model: "+id.Model, "Revision: "+id.Revision,
		"IMEI: "+id.IMEI, "+GCAP: "+id.GCAP)
}

// cmdHangup: ATH ends a call that +++ escaped from; otherwise just OK.
func cmdHangup(s *Sim, _ command, _ *reply) {
	if s.st.mode == modeOnline {
		s.st.mode = modeCommand
	}
}

// cmdOnline: ATO returns to a call that +++ escaped from.
func cmdOnline(s *Sim, _ command, r *reply) {
	if s.st.mode != modeOnline {
		r.final = "NO CARRIER"
		return
	}
	r.final, r.connect = "CONNECT", true
}

// cmdDial: ATD<number> ends as the persona says, but a data call needs a
// ready SIM and registration; without them it is NO CARRIER.
func cmdDial(s *Sim, _ command, r *reply) {
	if s.st.mode != modeCommand {
		r.fail()
		return
	}
	d := s.p.Dial
	res := d.Result
	if res == ResultConnect && (s.simErrLocked(r.now) != 0 || !registered(s.regStatLocked(r.now))) {
		res = ResultNoCarrier
	}
	r.delay = d.Delay
	switch res {
	case ResultConnect:
		r.final, r.connect = "CONNECT", true
		if d.Rate != "" {
			r.final += " " + d.Rate
		}
	case ResultError:
		r.fail()
	default:
		r.final = string(res)
	}
}

// cmdS handles S-registers: Sn? and Sn=v. S12 is the escape guard time in
// fiftieths of a second.
func cmdS(s *Sim, c command, r *reply) {
	n, err := strconv.Atoi(c.name[1:])
	if err != nil || n > 255 {
		r.fail()
		return
	}
	switch c.op {
	case "?":
		v, ok := s.st.sreg[n]
		if n == 12 && v == 0 {
			v, ok = int(s.guardLocked()/(20*time.Millisecond)), true
		}
		if !ok {
			r.fail()
			return
		}
		r.add(leftPad3(v))
	case "=":
		v, err := strconv.Atoi(c.args)
		if err != nil || v < 0 || v > 255 {
			r.fail()
			return
		}
		s.st.sreg[n] = v
		if n == 12 {
			s.st.guard = time.Duration(v) * 20 * time.Millisecond
		}
	default:
		r.fail()
	}
}

func leftPad3(v int) string {
	t := strconv.Itoa(v)
	for len(t) < 3 {
		t = "0" + t
	}
	return t
}

func cmdAnswer(_ *Sim, _ command, r *reply) { r.final = "NO CARRIER" }
