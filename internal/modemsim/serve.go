package modemsim

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"time"
)

// maxLine is the longest command line kept; longer lines are cut.
const maxLine = 1024

// Serve answers AT commands on rw until ctx is done (it returns ctx.Err()),
// the other side closes the line or the Sim vanishes (nil), or — with
// WithExitOnConnect — CONNECT has been written (nil; ErrNoConnect if the
// line ended first). On ctx or Vanish it closes rw if rw is an io.Closer;
// otherwise it returns once a blocked Read returns. All its goroutines
// have ended when it returns. A Sim serves one line, once.
func (s *Sim) Serve(ctx context.Context, rw io.ReadWriter) error {
	ln, err := s.begin(rw)
	if err != nil {
		return err
	}
	return s.serve(ctx, ln)
}

// begin claims the Sim for rw and powers it up; Pipe and OpenPTY call it
// before returning, so the Sim is live (Unsolicited, DropCarrier) at once.
func (s *Sim) begin(rw io.ReadWriter) (*session, error) {
	if !s.started.CompareAndSwap(false, true) {
		return nil, ErrServed
	}
	ln := &session{rw: rw, stop: make(chan struct{})}
	s.mu.Lock()
	s.line = ln
	s.powerUpLocked(time.Now())
	s.mu.Unlock()
	return ln, nil
}

// serve runs the line begun by begin until it ends; see Serve.
func (s *Sim) serve(ctx context.Context, ln *session) error {
	defer close(s.done)
	ln.wg.Go(func() { s.watch(ctx, ln) })
	ln.wg.Go(func() { s.watchRegistration(ln) })
	for _, u := range s.p.URCs {
		ln.wg.Go(func() { s.schedule(ln, u) })
	}

	err := s.readLoop(ctx, ln)

	s.mu.Lock()
	ln.stopping = true
	s.mu.Unlock()
	close(ln.stop)
	ln.wg.Wait()
	return err
}

// watch closes the line when ctx is done or the device vanishes, which
// ends a Read blocked in readLoop.
func (s *Sim) watch(ctx context.Context, ln *session) {
	select {
	case <-ctx.Done():
	case <-s.vanish:
	case <-ln.stop:
		return
	}
	if c, ok := ln.rw.(io.Closer); ok {
		c.Close()
	}
}

func (s *Sim) readLoop(ctx context.Context, ln *session) error {
	buf := make([]byte, 512)
	for {
		n, err := ln.rw.Read(buf)
		if n > 0 && !s.vanished() && ctx.Err() == nil {
			if s.beforeInput != nil {
				s.beforeInput()
			}
			if s.input(ctx, ln, buf[:n]) {
				return nil
			}
		}
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case s.vanished():
			return nil
		case err == nil:
		case errors.Is(err, io.EOF), errors.Is(err, io.ErrClosedPipe), errors.Is(err, net.ErrClosed), errors.Is(err, os.ErrClosed):
			if s.cfg.exitOnConnect {
				return ErrNoConnect
			}
			return nil
		default:
			return fmt.Errorf("modemsim: read: %w", err)
		}
	}
}

// input handles one read. It reports true when Serve should return
// (WithExitOnConnect, after CONNECT).
func (s *Sim) input(ctx context.Context, ln *session, data []byte) bool {
	now := time.Now()
	for len(data) > 0 {
		s.mu.Lock()
		m := s.st.mode
		s.mu.Unlock()
		if m == modeData {
			s.dataInput(ln, now, data)
			return false
		}
		n := len(data)
		if i := strings.IndexAny(string(data), "\r\n"); i >= 0 {
			n = i + 1
		}
		chunk := data[:n]
		data = data[n:]
		if line, ok := s.typed(ln, chunk); ok {
			if s.execute(ctx, ln, line) {
				return true
			}
		}
	}
	return false
}

// typed echoes chunk (when echo is on) and adds it to the line being
// typed; ok when it ends a line. CR ends a line; a lone LF does too, so a
// person on a cooked terminal is understood; backspace deletes.
func (s *Sim) typed(ln *session, chunk []byte) (line string, ok bool) {
	s.mu.Lock()
	echo := s.st.echo && !s.silentLocked()
	echoNoise := latin1(s.faults.EchoNoise)
	s.mu.Unlock()
	if echo {
		s.send(ln.stop, ln, nil, noisyEcho(chunk, echoNoise))
	}
	for _, b := range chunk {
		switch b {
		case '\r', '\n':
			if b == '\n' && len(s.lineBuf) == 0 {
				continue
			}
			line, ok = string(s.lineBuf), true
			s.lineBuf = s.lineBuf[:0]
		case 0x08, 0x7f:
			if len(s.lineBuf) > 0 {
				s.lineBuf = s.lineBuf[:len(s.lineBuf)-1]
			}
		default:
			if len(s.lineBuf) < maxLine {
				s.lineBuf = append(s.lineBuf, b)
			}
		}
	}
	return line, ok
}

// execute runs one command line and writes the reply after the latency.
// It reports true when Serve should return after CONNECT.
func (s *Sim) execute(ctx context.Context, ln *session, line string) bool {
	s.logf("rx %q", mask(line))
	s.mu.Lock()
	s.received = append(s.received, line)
	silent := s.silentLocked()
	s.answered++
	v := s.faults.VanishOn
	garbage := latin1(s.faults.Garbage)
	inside, after := latin1(s.faults.NoiseInside), latin1(s.faults.NoiseAfter)
	s.mu.Unlock()
	if v != "" && strings.Contains(strings.ToUpper(line), strings.ToUpper(v)) {
		s.Vanish()
		return false
	}
	i := strings.Index(strings.ToUpper(line), "AT")
	if silent || i < 0 {
		return false // not a command line: a modem ignores it
	}
	r := s.run(line[i+2:], time.Now())
	if !s.wait(ctx.Done(), s.p.Latency+r.delay) {
		return false
	}
	s.mu.Lock()
	out := append(garbage, noisy(s.frameLocked(r.info, r.final), inside)...)
	out = append(out, after...)
	s.mu.Unlock()
	s.send(ln.stop, ln, func() bool {
		if r.connect {
			if s.st.mode == modeCommand {
				s.calls++
			}
			s.st.mode, s.st.plusN, s.st.lastData = modeData, 0, time.Now()
		}
		return true
	}, out)
	s.reportCall() // a dial's CONNECT, or ATH
	return r.connect && s.cfg.exitOnConnect
}

// noisyEcho puts noise before every CR of an echoed chunk: a modem whose
// echo of a command line carries a stray byte (issue: the PIN echo).
func noisyEcho(chunk, noise []byte) []byte {
	if len(noise) == 0 {
		return chunk
	}
	var out []byte
	for _, b := range chunk {
		if b == '\r' {
			out = append(out, noise...)
		}
		out = append(out, b)
	}
	return out
}
