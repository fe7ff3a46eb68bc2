package modemsim

import (
	"fmt"
	"strconv"
	"time"
)

// Network commands: +CREG/+CGREG/+CEREG (27.007 §7.2, §10.1.20, §10.1.22),
// +COPS (§7.3), +CSQ (§8.5), +CGATT (§10.1.9).

func cmdReg(s *Sim, c command, r *reply) {
	if c.name == "+CEREG" && !s.p.Network.CEREG {
		r.fail()
		return
	}
	switch c.op {
	case "=?":
		r.add(c.name + ": (0-2)")
	case "=":
		n, err := strconv.Atoi(c.args)
		if c.args == "" {
			n, err = 0, nil
		}
		if err != nil || n < 0 || n > 2 {
			r.fail()
			return
		}
		s.st.regN[c.name] = n
	case "?":
		n := s.st.regN[c.name]
		r.add(fmt.Sprintf("%s: %d,%s", c.name, n, s.regFieldsLocked(c.name, n, s.regStatLocked(r.now))))
	default:
		r.fail()
	}
}

// regFieldsLocked formats <stat>[,<lac>,<ci>[,<AcT>]]: location only with
// n=2 and a registration, AcT for +CEREG and where the persona reports it.
func (s *Sim) regFieldsLocked(name string, n int, st RegStat) string {
	out := strconv.Itoa(int(st))
	if n < 2 || !registered(st) {
		return out
	}
	nw := s.p.Network
	out += fmt.Sprintf(",%q,%q", nw.LAC, nw.CI)
	if nw.ReportAct || name == "+CEREG" {
		out += "," + strconv.Itoa(int(nw.Act))
	}
	return out
}

// regURCsLocked returns the +CREG:-style lines due now (a stat changed and
// n ≥ 1) and when the stat will next change (zero: not by itself).
func (s *Sim) regURCsLocked(now time.Time) (lines []string, next time.Time) {
	st := s.regStatLocked(now)
	for _, name := range regCommands {
		if name == "+CEREG" && !s.p.Network.CEREG {
			continue
		}
		if s.st.lastStat[name] == st {
			continue
		}
		s.st.lastStat[name] = st
		if n := s.st.regN[name]; n >= 1 {
			lines = append(lines, name+": "+s.regFieldsLocked(name, n, st))
		}
	}
	if st == RegSearching {
		next = s.st.readyAt.Add(s.p.Network.RegisterAfter)
	}
	return lines, next
}

// cmdCOPS: +COPS? names the operator once registered; +COPS=3,<format>
// picks long (0), short (1) or numeric (2) names; +COPS=0 is automatic mode.
func cmdCOPS(s *Sim, c command, r *reply) {
	nw := s.p.Network
	switch c.op {
	case "?":
		if !registered(s.regStatLocked(r.now)) {
			r.add("+COPS: 0")
			return
		}
		name := nw.Operator
		if s.st.copsFormat == 2 {
			name = nw.Numeric
		}
		r.add(fmt.Sprintf("+COPS: 0,%d,%q,%d", s.st.copsFormat, name, nw.Act))
	case "=?":
		r.add(fmt.Sprintf("+COPS: (2,%q,%q,%q,%d),,(0,1,2,3,4),(0,1,2)", nw.Operator, nw.Operator, nw.Numeric, nw.Act))
	case "=":
		p := params(c.args)
		mode := "0"
		if len(p) > 0 {
			mode = p[0]
		}
		switch mode {
		case "0", "2", "":
		case "3":
			if len(p) < 2 || (p[1] != "0" && p[1] != "1" && p[1] != "2") {
				r.fail()
				return
			}
			s.st.copsFormat = int(p[1][0] - '0')
		case "1", "4":
			if len(p) < 3 || (p[2] != nw.Numeric && p[2] != nw.Operator) {
				r.cme(cmeNoService)
			}
		default:
			r.fail()
		}
	default:
		r.fail()
	}
}

func cmdCSQ(s *Sim, c command, r *reply) {
	switch c.op {
	case "":
		r.add(fmt.Sprintf("+CSQ: %d,%d", s.p.Network.RSSI, s.p.Network.BER))
	case "=?":
		r.add("+CSQ: (0-31,99),(0-7,99)")
	default:
		r.fail()
	}
}

func cmdCGATT(s *Sim, c command, r *reply) {
	switch c.op {
	case "?":
		att := 0
		if registered(s.regStatLocked(r.now)) {
			att = 1
		}
		r.add(fmt.Sprintf("+CGATT: %d", att))
	case "=?":
		r.add("+CGATT: (0,1)")
	case "=":
		if c.args != "0" && c.args != "1" {
			r.fail()
		}
	default:
		r.fail()
	}
}
