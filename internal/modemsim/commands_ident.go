package modemsim

// Identity commands (27.007 §5, V.250 §6.1).

// ident answers an execute-only command with one line; "=?" gets OK.
func ident(line func(*Identity) string) handler {
	return func(s *Sim, c command, r *reply) {
		switch c.op {
		case "":
			r.add(line(&s.p.Identity))
		case "=?":
		default:
			r.fail()
		}
	}
}

var (
	cmdCGMI = ident(func(id *Identity) string { return id.Manufacturer })
	cmdCGMM = ident(func(id *Identity) string { return id.Model })
	cmdCGMR = ident(func(id *Identity) string { return id.Revision })
	cmdCGSN = ident(func(id *Identity) string { return id.IMEI })
	cmdGCAP = ident(func(id *Identity) string { return "+GCAP: " + id.GCAP })
)

// cmdCIMI needs an unlocked SIM.
func cmdCIMI(s *Sim, c command, r *reply) {
	if c.op == "=?" {
		return
	}
	if code := s.simErrLocked(r.now); code != 0 {
		r.cme(code)
		return
	}
	r.add(s.p.Identity.IMSI)
}

// cmdCCID reads the ICCID, which needs a SIM but not its PIN.
func cmdCCID(s *Sim, c command, r *reply) {
	if c.op == "=?" {
		return
	}
	if code := s.simPresentErrLocked(r); code != 0 {
		r.cme(code)
		return
	}
	r.add("+CCID: " + s.p.Identity.ICCID)
}

// simPresentErrLocked is the error for commands that need only a SIM in the slot.
func (s *Sim) simPresentErrLocked(r *reply) int {
	switch code := s.simErrLocked(r.now); code {
	case cmeSIMPIN, cmeSIMPUK:
		return 0
	default:
		return code
	}
}

// cmdHuaweiICCID answers AT^ICCID? the Huawei way: the ICCID's digits
// swapped in pairs, as stored on the card (BCD, low nibble first).
func cmdHuaweiICCID(s *Sim, c command, r *reply) {
	if c.op == "=?" {
		return
	}
	if c.op != "?" {
		r.fail()
		return
	}
	if code := s.simPresentErrLocked(r); code != 0 {
		r.cme(code)
		return
	}
	r.add("^ICCID: " + swapNibbles(s.p.Identity.ICCID))
}

func swapNibbles(d string) string {
	b := []byte(d)
	if len(b)%2 == 1 {
		b = append(b, 'F')
	}
	for i := 0; i+1 < len(b); i += 2 {
		b[i], b[i+1] = b[i+1], b[i]
	}
	return string(b)
}
