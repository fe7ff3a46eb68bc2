package modemsim

import (
	"context"
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// Sim is one simulated modem. Build it with [New], then Serve one line
// (or use [Pipe] or [OpenPTY], which do both). Its methods are safe for
// concurrent use; the state it keeps (SIM counters, registration, PDP
// contexts) lasts as long as the Sim.
type Sim struct {
	p     Persona // read-only after New
	cfg   config
	guard time.Duration

	started atomic.Bool
	done    chan struct{} // closed when Serve returns
	vanish  chan struct{} // closed by Vanish
	vOnce   sync.Once
	// wlock is a one-slot lock held while writing to the line, so a URC
	// never lands inside a reply. A channel, not a mutex: waiting for it
	// must be cancellable and count as durably blocked under synctest.
	wlock chan struct{}
	kick  chan struct{} // one slot: registration may have changed

	// lineBuf is the command line being typed; owned by the serving goroutine.
	lineBuf []byte
	// beforeInput, when set (OpenPTY), runs before each read is handled,
	// so a client's close and reopen are seen before its new bytes.
	beforeInput func()

	mu       sync.Mutex // guards the fields below; never held across I/O
	line     *session   // the line being served, nil before Serve
	received []string
	faults   Faults
	answered int  // lines answered, for Faults.SilentAfter
	detached bool // DTR is low (SetDTR): URCs are dropped
	calls    int  // calls set up so far (a dial's CONNECT), for the call hook
	st       state

	// callMu serialises the call hook, which is told the calls as
	// reportCall last saw them: reported calls, and whether one was up.
	callMu       sync.Mutex
	reportedCall int
	reportedUp   bool
}

// session is one Serve call: the line and the goroutines serving it.
type session struct {
	rw       io.ReadWriter
	stop     chan struct{} // closed when Serve is ending
	wg       sync.WaitGroup
	stopping bool // guarded by Sim.mu: no new goroutines once set
}

// New builds a simulator for p.
func New(p Persona, opts ...Option) *Sim {
	s := &Sim{
		p:      p.clone(),
		done:   make(chan struct{}),
		vanish: make(chan struct{}),
		wlock:  make(chan struct{}, 1),
		kick:   make(chan struct{}, 1),
		faults: p.Faults,
	}
	for _, o := range opts {
		o(&s.cfg)
	}
	s.guard = s.p.GuardTime
	if s.cfg.guardTime > 0 {
		s.guard = s.cfg.guardTime
	}
	s.st = newState(&s.p)
	return s
}

// Persona returns a copy of the persona the Sim was built from.
func (s *Sim) Persona() Persona { return s.p.clone() }

// Received returns every command line received so far, in order, as sent
// (without the terminating CR), including lines a silent modem ignored.
func (s *Sim) Received() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.received...)
}

// Done is closed when Serve has returned and its goroutines have ended.
func (s *Sim) Done() <-chan struct{} { return s.done }

// InCall reports whether a data call is up (data or online-command mode).
func (s *Sim) InCall() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.mode != modeCommand
}

// SetFaults replaces the current faults; Faults.SilentAfter counts from now.
func (s *Sim) SetFaults(f Faults) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = f
	s.answered = 0
}

// Faults returns the current faults.
func (s *Sim) Faults() Faults {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.faults
}

// Vanish makes the device disappear: the line is closed (if it is an
// io.Closer) and nothing more is read or written. Serve then returns nil.
func (s *Sim) Vanish() {
	s.vOnce.Do(func() { close(s.vanish) })
}

func (s *Sim) vanished() bool {
	select {
	case <-s.vanish:
		return true
	default:
		return false
	}
}

// DropCarrier makes the network hang up a data call: the modem returns to
// command mode and writes NO CARRIER. Without a call it does nothing.
func (s *Sim) DropCarrier() {
	s.mu.Lock()
	if s.st.mode == modeCommand {
		s.mu.Unlock()
		return
	}
	s.st.mode = modeCommand
	s.st.gen++ // cancels a pending +++ escape
	s.goLocked(func(ln *session) {
		s.send(ln.stop, ln, nil, s.frameFinal("NO CARRIER"))
	})
	s.mu.Unlock()
	s.reportCall()
}

// reportCall brings the call hook, if any, up to date with the calls:
// an end for a call that has ended, a start for one set up since (and its
// end too if it is over already). Every change of call state calls it
// after releasing s.mu; callMu keeps the hook's calls in the order of the
// changes, whichever goroutine made them.
func (s *Sim) reportCall() {
	if s.cfg.callHook == nil {
		return
	}
	s.callMu.Lock()
	defer s.callMu.Unlock()
	s.mu.Lock()
	calls, up := s.calls, s.st.mode != modeCommand
	s.mu.Unlock()
	if calls > s.reportedCall {
		if s.reportedUp {
			s.cfg.callHook(false)
		}
		s.reportedCall, s.reportedUp = calls, true
		s.cfg.callHook(true)
	}
	if !up && s.reportedUp {
		s.reportedUp = false
		s.cfg.callHook(false)
	}
}

// SetDTR is the DTE's DTR line, for a port that carries one (a USB
// function that receives SET_CONTROL_LINE_STATE, or a pty whose clients
// are followed). DTR falling is AT&D2, which zdial and most dongles use: a
// call is hung up silently (nobody is listening), the escape state
// forgotten, and the modem is in command mode at once. While DTR is low
// URCs are dropped, as a USB serial driver drops them while no one has the
// port open. A Sim starts with DTR high; SetDTR may be called before Serve.
func (s *Sim) SetDTR(on bool) {
	s.mu.Lock()
	if !on && !s.detached {
		s.st.mode, s.st.plusN = modeCommand, 0
		s.st.gen++ // cancels a pending +++ escape
	}
	s.detached = !on
	s.mu.Unlock()
	s.reportCall()
}

// Unsolicited writes line now as a URC (unless the modem is in data mode,
// silent or gone). It returns when the line is written or ctx is done.
func (s *Sim) Unsolicited(ctx context.Context, line string) error {
	s.mu.Lock()
	ln := s.line
	s.mu.Unlock()
	if ln == nil {
		return nil
	}
	s.send(ctx.Done(), ln, func() bool { return s.urcAllowedLocked(line) }, frameURC(line))
	return ctx.Err()
}

// goLocked runs fn on a goroutine of the current session, if one is being
// served. The caller holds s.mu, so the goroutine starts in the caller's
// synctest bubble and Serve waits for it.
func (s *Sim) goLocked(fn func(ln *session)) {
	ln := s.line
	if ln == nil || ln.stopping {
		return
	}
	ln.wg.Go(func() { fn(ln) })
}

// wait pauses for d unless the session stops or the device vanishes first.
func (s *Sim) wait(stop <-chan struct{}, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-stop:
	case <-s.vanish:
	}
	return false
}
