package modemsim

import "time"

// dataInput handles bytes received in data mode. They go to the data
// hook (or nowhere). The escape sequence is "+++" preceded by a guard
// time without data and followed by another; then the modem enters online
// command mode and says OK (V.250 §6.3.x, S2/S12).
func (s *Sim) dataInput(ln *session, now time.Time, data []byte) {
	if s.cfg.dataHook != nil {
		s.cfg.dataHook(data) // before an escape can complete: data first, then OK
	}
	s.mu.Lock()
	guard := s.guardLocked()
	s.st.gen++
	for _, b := range data {
		if b == '+' && s.st.plusN < 3 && (s.st.plusN > 0 || now.Sub(s.st.lastData) >= guard) {
			s.st.plusN++
		} else {
			s.st.plusN = 0
		}
		s.st.lastData = now
	}
	if s.st.plusN == 3 {
		gen := s.st.gen
		s.goLocked(func(ln *session) { s.escape(ln, gen, guard) })
	}
	s.mu.Unlock()
}

// escape completes "+++" if nothing else arrived during the guard time.
func (s *Sim) escape(ln *session, gen int, guard time.Duration) {
	if !s.wait(ln.stop, guard) {
		return
	}
	s.send(ln.stop, ln, func() bool {
		if s.st.gen != gen || s.st.mode != modeData {
			return false
		}
		s.st.mode, s.st.plusN = modeOnline, 0
		return true
	}, s.frameFinal("OK"))
}
