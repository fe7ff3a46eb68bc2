package main

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/zdial/zdial/internal/modemsim"
)

// simPort is one simulated modem on a pty, with the time it wrote CONNECT.
type simPort struct {
	*modemsim.PTY

	mu        sync.Mutex // guards the fields below; taken from the Sim's goroutines
	tail      string     // the last bytes written, to find CONNECT split across writes
	connectAt time.Time  // when the Sim started writing "CONNECT"; zero before
}

// startSim serves p on a new pty. The CONNECT timestamp comes from the
// simulator's own log hook, which it calls just before each write: it is
// the modem's clock, not the dialer's report.
func startSim(ctx context.Context, p modemsim.Persona) (*simPort, error) {
	s := &simPort{}
	pty, err := modemsim.OpenPTY(ctx, p, modemsim.WithLogf(s.logf))
	if err != nil {
		return nil, err
	}
	s.PTY = pty
	return s, nil
}

func (s *simPort) logf(format string, args ...any) {
	if !strings.HasPrefix(format, "tx ") || len(args) == 0 {
		return
	}
	data, ok := args[0].(string)
	if !ok {
		return
	}
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.connectAt.IsZero() {
		return
	}
	s.tail += data
	if connectWritten(s.tail) {
		s.connectAt = now
	}
	if len(s.tail) > 64 {
		s.tail = s.tail[len(s.tail)-64:]
	}
}

// connectWritten reports whether the modem's output holds a CONNECT
// result (framed by CR LF, as with V1), not merely an echo of a command.
func connectWritten(out string) bool {
	return strings.Contains(out, "\r\nCONNECT")
}

// connected returns when CONNECT was written, or the zero time.
func (s *simPort) connected() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.connectAt
}

// exchanges counts the command lines the modem received up to and
// including the first dial command: the round trips a dialer spent.
func exchanges(received []string) int {
	n := 0
	for _, l := range received {
		u := strings.ToUpper(strings.TrimSpace(l))
		if !strings.HasPrefix(u, "AT") {
			continue
		}
		n++
		if strings.HasPrefix(u, "ATD") {
			return n
		}
	}
	return n
}

// countPrefix counts received lines whose upper-cased text contains sub.
func countContaining(received []string, sub string) int {
	n := 0
	for _, l := range received {
		if strings.Contains(strings.ToUpper(l), sub) {
			n++
		}
	}
	return n
}

// persona returns the builtin persona name with the reply latency set.
func persona(name string, latency time.Duration) (modemsim.Persona, error) {
	p, err := modemsim.Builtin(name)
	if err != nil {
		return p, err
	}
	p.Latency = latency
	return p, nil
}
