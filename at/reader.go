package at

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
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
		fr, n, ok := f.next(p)
		p = p[n:]
		if !ok {
			break
		}
		if m.routeFrame(fr) {
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

// routeFrame shows a frame's noise in the transcript and routes what is
// worth keeping of it (noise.go). It returns true on CONNECT.
func (m *Modem) routeFrame(fr frame) (connect bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	lines, n := salvage(fr, &m.cs, m.cfg.urcs)
	if m.tr != nil {
		switch {
		case fr.long > 0:
			m.tr.dropped("noise", "noise: a line of "+strconv.Itoa(fr.long)+" bytes, longer than "+
				strconv.Itoa(maxLine)+", dropped")
		case fr.corrupted():
			msg := "noise: 1 byte "
			if fr.noise > 1 {
				msg = "noise: " + strconv.Itoa(fr.noise) + " bytes "
			}
			msg += strconv.Quote(fr.sample)
			if fr.noise > len(fr.sample) {
				msg += "..."
			}
			switch {
			case n > 0 || fr.text == "":
			case m.hidingLocked():
				// Junk is shown, but not text that may hold part of a
				// secret, which redaction would not recognise.
				msg += " with " + strconv.Itoa(len(fr.text)) + " bytes of text, dropped"
			default:
				msg += " with text " + quoteShort(m.shownLocked(fr.text)) + ", dropped"
			}
			m.tr.dropped("noise", msg)
		}
	}
	for _, line := range lines[:n] {
		if m.routeLocked(line) {
			return true
		}
	}
	return false
}

// shownLocked is line as the transcript may show it: secret commands'
// arguments masked, secrets of the running or owing commands redacted.
func (m *Modem) shownLocked(line string) string {
	return m.redactLocked(maskLine(line, false))
}

// hidingLocked reports whether a command with secrets runs or owes its answer.
func (m *Modem) hidingLocked() bool {
	return m.active != nil && len(m.active.secrets) > 0 || len(m.owedSecret) > 0
}

// redactLocked takes the secrets of the running command and of the
// commands that still owe results out of s.
func (m *Modem) redactLocked(s string) string {
	if c := m.active; c != nil {
		s = redact(s, c.secrets)
	}
	return redact(s, m.owedSecret)
}

// routeLocked classifies one line and delivers it to exactly one place. It
// returns true when the line was a CONNECT final result.
func (m *Modem) routeLocked(line string) (connect bool) {
	kind := classify(line, &m.cs, m.cfg.urcs)
	c := m.active
	early := m.gateLocked(time.Now()) // before a gated command's echo: see drain.go

	switch kind {
	case kindEcho:
		if m.cs.echoSeen {
			m.tr.dropped("echo", "repeated echo dropped: "+c.display)
			break
		}
		m.tr.line('<', c.display)
		m.cs.echoSeen = true
		m.ungateLocked()
	case kindURC:
		line = m.redactLocked(line)
		if m.tr != nil {
			m.tr.line('<', maskLine(line, false))
		}
		m.queueURCLocked(line)
	case kindInfo:
		if early {
			m.droppedStaleLocked(line)
			break
		}
		if m.tr != nil {
			m.tr.line('<', m.shownLocked(line))
		}
		if len(c.info) >= m.cfg.maxLines || c.infoBytes+len(line) > m.cfg.maxBytes {
			m.overflowLocked(c)
			break
		}
		c.info = append(c.info, redact(line, c.secrets))
		c.infoBytes += len(line)
	case kindStale:
		m.droppedStaleLocked(line)
	case kindFinal:
		if m.tr != nil {
			m.tr.line('<', m.shownLocked(line))
		}
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

func (m *Modem) droppedStaleLocked(line string) {
	if m.tr != nil {
		m.tr.dropped("stale", "dropped information of a timed-out command: "+m.shownLocked(line))
	}
}

// overflowLocked fails c, whose answer passed the response limit, at once
// rather than at its final result, which a flooding modem may never send.
// c is then treated like a timed-out command: it owes its final result,
// and the rest of its answer is drained (drain.go).
func (m *Modem) overflowLocked(c *call) {
	m.tr.note(fmt.Sprintf("response too large (over %d lines or %d bytes): the command fails, the rest of its answer is dropped",
		m.cfg.maxLines, m.cfg.maxBytes))
	m.active = nil
	m.cs = callState{}
	m.oweLocked(time.Now(), c)
	c.info = nil
	c.done <- callResult{err: fmt.Errorf("%w (over %d lines or %d bytes)", ErrResponseTooLarge, m.cfg.maxLines, m.cfg.maxBytes)}
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
