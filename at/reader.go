package at

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"
)

// readLoop is the reader goroutine: it alone calls rw.Read.
func (m *Modem) readLoop() {
	defer m.wg.Done()
	defer close(m.readerDone)
	var f framer
	buf := make([]byte, 4096)
	for {
		n, err := m.rw.Read(buf)
		if n > 0 && m.consume(&f, buf[:n]) {
			return // CONNECT: data mode, stop reading
		}
		if err != nil {
			m.stop(err)
			return
		}
		// (0, nil) is a serial read timeout: no data yet, read again.
	}
}

// consume frames and routes p. It returns true when a CONNECT put the line
// in data mode; the rest of p is then kept as leftover.
func (m *Modem) consume(f *framer, p []byte) bool {
	for len(p) > 0 {
		line, n, long, ok := f.next(p)
		p = p[n:]
		if !ok {
			break
		}
		if m.route(line, long) {
			if f.lastCR && len(p) > 0 && p[0] == '\n' {
				p = p[1:] // the LF of the CONNECT line's CR LF
			}
			m.mu.Lock()
			m.leftover = append([]byte(nil), p...)
			m.mu.Unlock()
			return true
		}
	}
	m.checkPrompt(f)
	return false
}

// checkPrompt takes an unterminated "> " as the prompt of a command that
// sent with Body. Other unterminated text waits for its line end.
func (m *Modem) checkPrompt(f *framer) {
	if n := len(f.pending); n == 0 || n > 2 || f.pending[0] != '>' || (n == 2 && f.pending[1] != ' ') {
		return
	}
	part := f.partial()
	m.mu.Lock()
	c := m.active
	want := c != nil && c.wantPrompt
	if want {
		c.wantPrompt = false
	}
	m.mu.Unlock()
	if !want {
		return
	}
	f.takePartial()
	m.tr.line('<', part)
	c.prompt <- struct{}{}
}

// route classifies one line and delivers it to exactly one place. It
// returns true when the line was a CONNECT final result.
func (m *Modem) route(line string, long bool) (connect bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	kind := classify(line, &m.cs, m.cfg.urcs)
	c := m.active
	early := m.gateLocked(time.Now()) // before a gated command's echo: see drain.go

	if m.tr != nil {
		shown := c.displayEcho(kind, line)
		m.tr.line('<', shown)
	}

	switch kind {
	case kindEcho:
		m.cs.echoSeen = true
		m.ungateLocked()
	case kindURC:
		m.urcq = append(m.urcq, line)
		select {
		case m.urcReady <- struct{}{}:
		default:
		}
	case kindInfo:
		if early {
			m.tr.note("dropped information of a timed-out command")
			break
		}
		if long || hasControl(line) {
			if c.protoErr == nil {
				c.protoErr = &ProtocolError{Line: line, Reason: lineProblem(long)}
			}
			break
		}
		c.info = append(c.info, line)
	case kindStale:
		m.tr.note("dropped information of a timed-out command")
	case kindFinal:
		fin, _ := parseFinal(line)
		switch {
		case early && !fin.connect && m.settleLocked():
			m.tr.note("dropped the late final result of a timed-out command")
			return false
		case c != nil:
			m.finishLocked(c, time.Now())
			c.done <- callResult{info: c.info, fin: fin}
		case m.settleLocked():
			m.tr.note("dropped the late final result of a timed-out command")
		default:
			m.tr.note("dropped a final result with no command running")
		}
		if fin.connect {
			m.err = ErrDataMode
			m.rate = fin.rate
			if c == nil {
				m.tr.note("late CONNECT: the line is in data mode")
			}
			return true
		}
	}
	return false
}

// displayEcho is line as the transcript shows it: the echo of a Secret()
// call is masked like the call itself, anything else by maskLine.
func (c *call) displayEcho(kind lineKind, line string) string {
	if kind == kindEcho && c != nil {
		return c.display
	}
	return maskLine(line, false)
}

func lineProblem(long bool) string {
	if long {
		return "line longer than 4096 bytes"
	}
	return "control bytes in line"
}

// hasControl reports bytes that never occur in AT text (tab aside).
func hasControl(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 0x20 && c != '\t') || c == 0x7f {
			return true
		}
	}
	return false
}

// stop records why reading ended and fails the running command with it.
// A Read error after our own Close is ErrClosed; any other is a hang-up.
func (m *Modem) stop(readErr error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var err error
	switch {
	case m.closing:
		err = ErrClosed
	case errors.Is(readErr, io.EOF):
		err = ErrHangup
	default:
		err = fmt.Errorf("%w (%v)", ErrHangup, readErr)
	}
	m.err = err
	if m.closing {
		m.tr.noteAt(slog.LevelDebug, "reader stopped: "+err.Error())
	} else {
		m.tr.note("reader stopped: " + err.Error())
	}
	if c := m.active; c != nil {
		m.active = nil
		m.cs = callState{}
		c.done <- callResult{info: c.info, err: err}
	}
	m.clearStaleLocked()
	m.cs = callState{}
}
