package modemsim

import (
	"fmt"
	"strings"
)

// SIM commands: +CPIN (27.007 §8.3), +CPINR (§8.65), ZTE +ZPINPUK, Huawei ^CPIN.

func cmdCPIN(s *Sim, c command, r *reply) {
	switch c.op {
	case "?":
		if code := s.simErrLocked(r.now); code == cmeNoSIM || code == cmeSIMFailure || code == cmeSIMBusy {
			r.cme(code)
			return
		}
		r.add("+CPIN: " + s.pinCodeLocked())
	case "=?":
	case "=":
		s.enterPINLocked(params(c.args), r)
	default:
		r.fail()
	}
}

// pinCodeLocked is the <code> of +CPIN?: what the SIM waits for.
func (s *Sim) pinCodeLocked() string {
	switch s.st.sim {
	case SIMPIN:
		return "SIM PIN"
	case SIMPUK:
		return "SIM PUK"
	}
	return "READY"
}

// enterPINLocked handles +CPIN="pin" and +CPIN="puk","newpin". A wrong PIN
// costs an attempt and the last one locks the SIM to its PUK; a wrong PUK
// costs an attempt and the last one kills the SIM.
func (s *Sim) enterPINLocked(p []string, r *reply) {
	if len(p) < 1 || len(p) > 2 {
		r.fail()
		return
	}
	switch s.st.sim {
	case SIMAbsent:
		r.cme(cmeNoSIM)
	case SIMFailure:
		r.cme(cmeSIMFailure)
	case SIMReady:
		r.cme(cmeNotAllowed)
	case SIMPIN:
		if len(p) != 1 {
			r.cme(cmeNotAllowed)
			return
		}
		if p[0] == s.st.pin {
			s.unlockLocked(r)
			return
		}
		if s.st.pinLeft--; s.st.pinLeft <= 0 {
			s.st.pinLeft, s.st.sim = 0, SIMPUK
		}
		r.cme(cmeWrongPIN)
	case SIMPUK:
		if len(p) != 2 {
			r.cme(cmeSIMPUK)
			return
		}
		if !isDigits(p[1], 4, 8) {
			r.cme(cmeWrongPIN)
			return
		}
		if p[0] == s.p.SIM.PUK {
			s.st.pin = p[1]
			s.unlockLocked(r)
			return
		}
		if s.st.pukLeft--; s.st.pukLeft <= 0 {
			s.st.pukLeft, s.st.sim = 0, SIMFailure
		}
		r.cme(cmeWrongPIN)
	}
}

func (s *Sim) unlockLocked(r *reply) {
	s.st.sim = SIMReady
	s.st.pinLeft, s.st.pukLeft = maxPIN, maxPUK
	s.st.readyAt = r.now
	s.st.busyUntil = r.now.Add(s.p.SIM.BusyAfterUnlock)
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// cmdCPINR lists remaining attempts: +CPINR: <code>,<retries>,<default retries>.
// AT+CPINR="SIM PIN" (or a "SIM*" wildcard) selects.
func cmdCPINR(s *Sim, c command, r *reply) {
	if !s.p.CPINR {
		r.fail()
		return
	}
	if c.op == "=?" {
		return
	}
	if c.op != "" && c.op != "=" {
		r.fail()
		return
	}
	if code := s.simPresentErrLocked(r); code != 0 {
		r.cme(code)
		return
	}
	sel := ""
	if p := params(c.args); len(p) > 0 {
		sel = strings.ToUpper(p[0])
	}
	rows := []struct {
		code       string
		left, max_ int
	}{
		{"SIM PIN", s.st.pinLeft, maxPIN}, {"SIM PUK", s.st.pukLeft, maxPUK},
		{"SIM PIN2", maxPIN, maxPIN}, {"SIM PUK2", maxPUK, maxPUK},
	}
	for _, row := range rows {
		prefix, wild := strings.CutSuffix(sel, "*")
		if sel == "" || row.code == sel || (wild && strings.HasPrefix(row.code, prefix)) {
			r.add(fmt.Sprintf("+CPINR: %s,%d,%d", row.code, row.left, row.max_))
		}
	}
}

// cmdZPINPUK: ZTE's AT+ZPINPUK=? → +ZPINPUK: <pin left>,<puk left>.
func cmdZPINPUK(s *Sim, c command, r *reply) {
	if c.op != "=?" && c.op != "?" {
		r.fail()
		return
	}
	if s.st.sim == SIMAbsent {
		r.cme(cmeNoSIM)
		return
	}
	r.add(fmt.Sprintf("+ZPINPUK: %d,%d", s.st.pinLeft, s.st.pukLeft))
}

// cmdHuaweiCPIN: AT^CPIN? → ^CPIN: <code>,[<times>],<puk>,<pin>,<puk2>,<pin2>,
// where <times> is what the current code has left (empty when READY).
func cmdHuaweiCPIN(s *Sim, c command, r *reply) {
	switch c.op {
	case "=":
		s.enterPINLocked(params(c.args), r)
		return
	case "=?":
		return
	case "?":
	default:
		r.fail()
		return
	}
	if code := s.simErrLocked(r.now); code == cmeNoSIM || code == cmeSIMFailure || code == cmeSIMBusy {
		r.cme(code)
		return
	}
	times := ""
	switch s.st.sim {
	case SIMPIN:
		times = fmt.Sprint(s.st.pinLeft)
	case SIMPUK:
		times = fmt.Sprint(s.st.pukLeft)
	}
	r.add(fmt.Sprintf("^CPIN: %s,%s,%d,%d,%d,%d", s.pinCodeLocked(), times, s.st.pukLeft, s.st.pinLeft, maxPUK, maxPIN))
}
