package modemsim

import "time"

type mode int

const (
	modeCommand mode = iota
	modeData         // after CONNECT: bytes are data
	modeOnline       // online command mode: a call is up, escaped with +++
)

// regCommands are the registration commands, in the order their URCs go out.
var regCommands = []string{"+CREG", "+CGREG", "+CEREG"}

// state is the modem's volatile state, guarded by Sim.mu.
type state struct {
	echo, verbose, quiet bool
	cmee                 int
	regN                 map[string]int     // +CREG=n etc.
	lastStat             map[string]RegStat // last stat a URC (or power-on) reported
	copsFormat           int
	curc                 bool // Huawei ^CURC: periodic ^ URCs on
	u2diag               int
	sreg                 map[int]int
	guard                time.Duration // 0: the Sim's default

	sim              SIMState
	pin              string
	pinLeft, pukLeft int
	busyUntil        time.Time
	readyAt          time.Time // when the SIM became ready; zero while locked
	powerOn          time.Time

	pdp map[int]pdpContext

	mode     mode
	gen      int       // bumped by every data-mode read; cancels a pending escape
	plusN    int       // '+' bytes of an escape seen so far
	lastData time.Time // arrival of the last data byte
}

type pdpContext struct {
	typ, apn string
}

func newState(p *Persona) state {
	st := state{
		sim: p.SIM.State, pin: p.SIM.PIN,
		pinLeft: p.SIM.PINAttempts, pukLeft: p.SIM.PUKAttempts,
		curc: true,
		pdp:  map[int]pdpContext{},
	}
	st.reset(p)
	return st
}

// reset is ATZ / AT&F: settings back to the power-on profile.
func (st *state) reset(p *Persona) {
	st.echo, st.verbose, st.quiet = p.Echo, true, false
	st.cmee = p.CMEE
	st.regN = map[string]int{}
	st.copsFormat = 0
	st.sreg = map[int]int{0: 0, 3: 13, 4: 10, 5: 8, 7: 50, 12: 0}
	st.guard = 0
}

// powerUp starts the clocks: registration counts from here.
func (s *Sim) powerUpLocked(now time.Time) {
	s.st.powerOn = now
	if s.st.sim == SIMReady {
		s.st.readyAt = now
	}
	s.st.lastStat = map[string]RegStat{}
	for _, c := range regCommands {
		s.st.lastStat[c] = s.regStatLocked(now)
	}
}

// simErrLocked is the +CME ERROR code a SIM command gets now, or 0.
func (s *Sim) simErrLocked(now time.Time) int {
	switch s.st.sim {
	case SIMAbsent:
		return cmeNoSIM
	case SIMFailure:
		return cmeSIMFailure
	case SIMPIN:
		return cmeSIMPIN
	case SIMPUK:
		return cmeSIMPUK
	}
	if now.Before(s.st.busyUntil) {
		return cmeSIMBusy
	}
	return 0
}

// regStatLocked is the registration state now: nothing without a ready
// SIM, searching until Network.RegisterAfter has passed, then Network.Stat.
func (s *Sim) regStatLocked(now time.Time) RegStat {
	if s.st.sim != SIMReady || s.st.readyAt.IsZero() {
		return RegNone
	}
	if now.Before(s.st.readyAt.Add(s.p.Network.RegisterAfter)) {
		return RegSearching
	}
	return s.p.Network.Stat
}

func registered(st RegStat) bool { return st == RegHome || st == RegRoaming }

// guardLocked is the +++ guard time: S12 when set, else the configured one.
func (s *Sim) guardLocked() time.Duration {
	if s.st.guard > 0 {
		return s.st.guard
	}
	return s.guard
}

func (s *Sim) silentLocked() bool {
	return s.faults.Silent || (s.faults.SilentAfter > 0 && s.answered >= s.faults.SilentAfter)
}
