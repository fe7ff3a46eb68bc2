package modemsim

import (
	"net"
	"strings"
	"testing"
	"time"
)

// wire is the test's end of a simulated line: a goroutine reads everything
// into chunks; until waits for text (on the fake clock under synctest).
type wire struct {
	t      *testing.T
	c      net.Conn
	chunks chan []byte
	buf    string // read, not yet consumed
	reads  int    // Read calls that returned data
	eof    bool
}

func newWire(t *testing.T, c net.Conn) *wire {
	t.Helper()
	w := &wire{t: t, c: c, chunks: make(chan []byte, 1024)}
	go func() {
		defer close(w.chunks)
		for {
			b := make([]byte, 4096)
			n, err := c.Read(b)
			if n > 0 {
				w.chunks <- b[:n]
			}
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() { c.Close() })
	return w
}

// pipeWire starts a builtin persona on a Pipe.
func pipeWire(t *testing.T, name string, opts ...Option) (*wire, *Sim) {
	t.Helper()
	return pipeWireP(t, mustBuiltin(t, name), opts...)
}

func pipeWireP(t *testing.T, p Persona, opts ...Option) (*wire, *Sim) {
	t.Helper()
	c, sim := Pipe(p, opts...)
	return newWire(t, c), sim
}

func mustBuiltin(t *testing.T, name string) Persona {
	t.Helper()
	p, err := Builtin(name)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// noURCs is a builtin persona without its URC schedule, for tests that
// compare exact output across time.
func noURCs(t *testing.T, name string) Persona {
	t.Helper()
	p := mustBuiltin(t, name)
	p.URCs = nil
	return p
}

func (w *wire) send(s string) {
	w.t.Helper()
	if _, err := w.c.Write([]byte(s)); err != nil {
		w.t.Fatalf("write %q: %v", s, err)
	}
}

// until returns everything up to and including want, failing after a
// minute (of fake time, under synctest).
func (w *wire) until(want string) string {
	w.t.Helper()
	timeout := time.After(time.Minute)
	for {
		if i := strings.Index(w.buf, want); i >= 0 {
			out := w.buf[:i+len(want)]
			w.buf = w.buf[i+len(want):]
			return out
		}
		select {
		case b, ok := <-w.chunks:
			if !ok {
				w.eof = true
				w.t.Fatalf("line closed waiting for %q; have %q", want, w.buf)
			}
			w.reads++
			w.buf += string(b)
		case <-timeout:
			w.t.Fatalf("no %q after a minute; have %q", want, w.buf)
		}
	}
}

// quiet asserts nothing arrives for d, and returns what was pending.
func (w *wire) quiet(d time.Duration) {
	w.t.Helper()
	timeout := time.After(d)
	for {
		select {
		case b, ok := <-w.chunks:
			if !ok {
				return
			}
			w.t.Fatalf("unexpected %q", b)
		case <-timeout:
			return
		}
	}
}

// closed waits for the other side to close the line.
func (w *wire) closed() {
	w.t.Helper()
	timeout := time.After(time.Minute)
	for {
		select {
		case _, ok := <-w.chunks:
			if !ok {
				return
			}
		case <-timeout:
			w.t.Fatal("line still open after a minute")
		}
	}
}

// cmd sends line+CR and returns the reply through the final result final.
func (w *wire) cmd(line, final string) string {
	w.t.Helper()
	w.send(line + "\r")
	return w.until(final + "\r\n")
}
