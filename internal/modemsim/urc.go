package modemsim

import (
	"strings"
	"time"
)

// schedule sends one of the persona's URCs After the start, then Every
// interval, Count times (0: once without Every, forever with it).
func (s *Sim) schedule(ln *session, u URC) {
	n := u.Count
	if n == 0 && u.Every == 0 {
		n = 1
	}
	t := time.NewTimer(u.After)
	defer t.Stop()
	for i := 0; n == 0 || i < n; i++ {
		select {
		case <-ln.stop:
			return
		case <-t.C:
		}
		s.send(ln.stop, ln, func() bool { return s.urcAllowedLocked(u.Line) }, frameURC(u.Line))
		t.Reset(u.Every)
	}
}

// watchRegistration sends +CREG:/+CGREG:/+CEREG: when the registration
// state changes (SIM unlocked, search finished) and reporting is on.
func (s *Sim) watchRegistration(ln *session) {
	t := time.NewTimer(time.Hour)
	t.Stop()
	defer t.Stop()
	for {
		s.mu.Lock()
		lines, next := s.regURCsLocked(time.Now())
		s.mu.Unlock()
		for _, l := range lines {
			s.send(ln.stop, ln, func() bool { return s.urcAllowedLocked(l) }, frameURC(l))
		}
		var wake <-chan time.Time
		if !next.IsZero() {
			t.Reset(time.Until(next))
			wake = t.C
		}
		select {
		case <-ln.stop:
			return
		case <-s.kick:
		case <-wake:
		}
	}
}

// urcAllowedLocked: URCs wait out data mode (real modems buffer or drop
// them; we drop), a silent modem says nothing, and a pty nobody has open
// drops them as a closed USB serial port does. Huawei's ^CURC=0
// stops the periodic ^ reports.
func (s *Sim) urcAllowedLocked(line string) bool {
	if s.st.mode == modeData || s.silentLocked() || s.detached {
		return false
	}
	if !s.st.curc && s.p.Vendor == VendorHuawei && strings.HasPrefix(line, "^") {
		return false
	}
	return true
}
