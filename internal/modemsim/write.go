package modemsim

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// send writes data to the line while holding wlock. check, when not nil,
// runs under s.mu once the lock is held and may veto the write (or change
// state together with it, so no URC slips between CONNECT and data mode).
// It reports whether data was written.
func (s *Sim) send(cancel <-chan struct{}, ln *session, check func() bool, data []byte) bool {
	select {
	case s.wlock <- struct{}{}:
	case <-cancel:
		return false
	case <-s.vanish:
		return false
	}
	defer func() { <-s.wlock }()
	s.mu.Lock()
	ok := !s.vanished() && (check == nil || check())
	f := s.faults
	s.mu.Unlock()
	if !ok || len(data) == 0 {
		return ok
	}
	s.logf("tx %q", mask(string(data)))
	if !f.ByteByByte {
		_, err := ln.rw.Write(data)
		return err == nil
	}
	for i := range data {
		if i > 0 && !s.wait(ln.stop, f.ByteDelay) {
			return false
		}
		if _, err := ln.rw.Write(data[i : i+1]); err != nil {
			return false
		}
	}
	return true
}

// v0codes are the V.250 numeric result codes (ATV0).
var v0codes = map[string]int{"OK": 0, "CONNECT": 1, "RING": 2, "NO CARRIER": 3, "ERROR": 4,
	"NO DIALTONE": 6, "BUSY": 7, "NO ANSWER": 8}

// frameFinal frames a final result code per the current V and Q settings.
func (s *Sim) frameFinal(final string) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.frameLocked(nil, final)
}

// frameLocked frames information lines and a final result: V1 wraps each
// in CR LF; V0 ends text with CR LF and gives result codes as digits + CR.
func (s *Sim) frameLocked(info []string, final string) []byte {
	var b strings.Builder
	for _, l := range info {
		if s.st.verbose {
			b.WriteString("\r\n")
		}
		b.WriteString(l + "\r\n")
	}
	if final == "" || s.st.quiet {
		return []byte(b.String())
	}
	if !s.st.verbose {
		word, _, _ := strings.Cut(final, " ")
		if final == "NO CARRIER" || final == "NO DIALTONE" || final == "NO ANSWER" {
			word = final
		}
		if n, ok := v0codes[word]; ok {
			b.WriteString(strconv.Itoa(n) + "\r")
			return []byte(b.String())
		}
		b.WriteString(final + "\r\n")
		return []byte(b.String())
	}
	b.WriteString("\r\n" + final + "\r\n")
	return []byte(b.String())
}

func frameURC(line string) []byte { return []byte("\r\n" + line + "\r\n") }

// noisy writes noise into the middle of every line of a framed reply (the
// text between line ends), as a noisy line or a confused modem would.
func noisy(framed, noise []byte) []byte {
	if len(noise) == 0 {
		return framed
	}
	out := make([]byte, 0, len(framed)+len(noise)*4)
	for len(framed) > 0 {
		if framed[0] == '\r' || framed[0] == '\n' {
			out = append(out, framed[0])
			framed = framed[1:]
			continue
		}
		n := 0
		for n < len(framed) && framed[n] != '\r' && framed[n] != '\n' {
			n++
		}
		out = append(out, framed[:n/2]...)
		out = append(out, noise...)
		out = append(out, framed[n/2:n]...)
		framed = framed[n:]
	}
	return out
}

// latin1 turns a persona's garbage string into bytes: runes up to U+00FF
// become one byte each, so YAML "\xff" means the byte 0xFF; bytes that are
// not UTF-8 (a Go "\xff") pass through.
func latin1(s string) []byte {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r <= 0xff && n > 1 {
			b = append(b, byte(r))
		} else {
			b = append(b, s[i:i+n]...) // ASCII, a raw byte, or a wider rune as UTF-8
		}
		i += n
	}
	return b
}

func (s *Sim) logf(format string, args ...any) {
	if s.cfg.logf != nil {
		s.cfg.logf(format, args...)
	}
}

// mask hides the secrets of +CPIN= / ^CPIN= lines for logs.
func mask(line string) string {
	u := strings.ToUpper(line)
	for _, k := range []string{"CPIN=", "CLCK=", "CPWD="} {
		if i := strings.Index(u, k); i >= 0 {
			return line[:i+len(k)] + "****"
		}
	}
	return line
}
