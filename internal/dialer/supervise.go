package dialer

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	"github.com/zdial/zdial/internal/backoff"
	"github.com/zdial/zdial/internal/dialseq"
	"github.com/zdial/zdial/internal/linkstate"
	"github.com/zdial/zdial/internal/profile"
	"github.com/zdial/zdial/pppctl"
)

// The supervisor (`zdial run`) keeps a profile's link up by running the
// whole path again whenever it ends:
//
//	dialing ──pppd reports the address──▶ up ──pppd exits──▶ down ──▶ backoff ──▶ dialing …
//	   │                                                                  ▲
//	   └──dial failed (port gone, no network, pppd failed)───────────────┘
//	any state ──SIM/PIN, configuration, pppd cannot run──▶ stopped (Run returns the error)
//	any state ──ctx cancelled (SIGTERM)──▶ hang-up ──▶ stopped (Run returns nil)
//
// Each dial is a fresh Connect: detection, switching and port discovery run
// again, so a dongle that crashed and re-enumerated is found where it now
// is. While the link is up the supervisor's goroutine is blocked on the
// dial's outcome (pppd's Wait) and on ctx: no timer, no polling.

// Supervisor keeps one profile's link up. Run it once.
type Supervisor struct {
	// Dialer dials each time; its Progress, if set, still sees every event.
	Dialer Dialer
	// Backoff spaces the redials (first retry ~1 s, cap from the profile).
	Backoff backoff.Policy
	// Lock, if set, is called before each dial and returns the function
	// that releases what it took. Run releases it as soon as the link is
	// up or the dial has ended, so that whoever waits on it sees the
	// outcome. cmd/zdial passes the profile's dial lock (internal/linkstate).
	Lock func(ctx context.Context) (unlock func(), err error)
	// OnChange is called at each transition, in order, from Run's
	// goroutine. It may block briefly (it writes the record).
	OnChange func(Status)

	// connect is Connect; the loop's tests replace it.
	connect func(context.Context, Dialer) (Result, error)
}

// Status is where the supervised link stands, as OnChange sees it. While
// up, OnChange is called again with State still StateUp (and the same
// Since) when pppd reports more of the link: the IPv4 address after the
// IPv6 one, DNS servers.
type Status struct {
	State linkstate.State
	Since time.Time // when State began
	// What the current or last dial learnt.
	Port       string
	Device     string // the modem's id, "19d2-0001-SERIAL" (Event.Device)
	Operator   string
	AccessTech string
	SignalDBm  int // 0: unknown
	Link       pppctl.Link
	PPPD       int // pppd's PID while it runs, else 0
	// Reconnects counts the dials after the first.
	Reconnects int
	// Err is why the link went down, the last dial failed or the
	// supervisor stopped; it stays set through the next dial and is
	// cleared once a link is up.
	Err error
	// Retry is the wait before the next dial, in StateBackoff.
	Retry time.Duration
}

// Retryable reports whether dialling again can cure err. SIM and PIN
// problems (retrying could lock the SIM), configuration errors and a pppd
// that cannot run at all (missing, not root, options refused, no kernel
// support) cannot be; everything else — no port yet, no network, a
// dropped link — may be.
func Retryable(err error) bool {
	switch Classify(err) {
	case ClassConfig, ClassSIM:
		return false
	}
	for _, e := range []error{ErrNoPPPD, pppctl.ErrOptionError, pppctl.ErrNotRoot, pppctl.ErrNoKernelSupport} {
		if errors.Is(err, e) {
			return false
		}
	}
	return true
}

// Run dials and redials until ctx is done (then it hangs up and returns
// nil) or a dial fails in a way retrying cannot fix (then it returns that
// error, after an OnChange with StateStopped).
func (s *Supervisor) Run(ctx context.Context) error {
	b, err := backoff.New(s.Backoff)
	if err != nil { // the cap comes from the profile (reconnect.max_backoff)
		return &profile.ConfigError{File: "profile " + s.Dialer.Profile.Name, Err: err}
	}
	connect := s.connect
	if connect == nil {
		connect = Connect
	}
	st := Status{Port: s.Dialer.Port}
	if st.Port == "" {
		st.Port = s.Dialer.Profile.Port
	}
	set := func(state linkstate.State) {
		st.State, st.Since = state, time.Now()
		if s.OnChange != nil {
			s.OnChange(st)
		}
	}
	stop := func(err error) error {
		st.PPPD, st.Link.Up, st.Retry = 0, false, 0
		if err != nil {
			st.Err = err
		}
		set(linkstate.StateStopped)
		return err
	}
	for dials := 0; ; dials++ {
		if dials > 0 {
			st.Reconnects++
		}
		st.Link, st.PPPD, st.Retry = pppctl.Link{}, 0, 0
		set(linkstate.StateDialing)
		unlock := func() {}
		if s.Lock != nil {
			u, err := s.Lock(ctx)
			if err == nil {
				unlock = sync.OnceFunc(u)
			}
			if ctx.Err() != nil {
				unlock()
				return stop(nil)
			}
			if err != nil {
				return stop(err)
			}
		}
		upFor, err := s.once(ctx, connect, &st, set, unlock)
		unlock()
		if ctx.Err() != nil {
			return stop(nil)
		}
		if err != nil && !Retryable(err) {
			return stop(err)
		}
		st.Err, st.PPPD, st.Link.Up = err, 0, false
		if upFor > 0 {
			b.LinkLasted(upFor)
		}
		set(linkstate.StateDown)
		st.Retry = b.Next()
		set(linkstate.StateBackoff)
		t := time.NewTimer(st.Retry)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return stop(nil)
		}
	}
}

// once runs one Connect, reporting pppd's start and the link coming up as
// they happen. It returns how long the link was up (0 if it never was).
func (s *Supervisor) once(ctx context.Context, connect func(context.Context, Dialer) (Result, error),
	st *Status, set func(linkstate.State), unlock func()) (time.Duration, error) {
	// Progress runs on the dialer's goroutines and must not block: it
	// folds each event into ev (under mu) and pokes the one-slot changed.
	var (
		mu      sync.Mutex
		ev      Status
		changed = make(chan struct{}, 1)
	)
	d := s.Dialer
	user := d.Progress
	d.Progress = func(e Event) {
		if user != nil {
			user(e)
		}
		mu.Lock()
		switch {
		case e.Dial != nil && e.Dial.Kind == dialseq.EventRegistered:
			ev.Operator, ev.AccessTech, ev.SignalDBm = e.Dial.Operator, e.Dial.AccessTech, e.Dial.SignalDBm
		case e.PPP != nil:
			ev.Link = e.Link
		case e.PPPD != 0:
			ev.PPPD = e.PPPD
		case e.Port != "":
			ev.Port, ev.Device = e.Port, e.Device
		}
		mu.Unlock()
		select {
		case changed <- struct{}{}:
		default:
		}
	}
	type outcome struct {
		res Result
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		res, err := connect(ctx, d)
		done <- outcome{res, err}
	}()
	var upAt time.Time
	apply := func() {
		mu.Lock()
		cur := ev
		mu.Unlock()
		st.PPPD = cur.PPPD
		if cur.Port != "" {
			st.Port, st.Device = cur.Port, cur.Device
		}
		st.Operator, st.AccessTech, st.SignalDBm = cur.Operator, cur.AccessTech, cur.SignalDBm
		moreLink := !upAt.IsZero() && cur.Link.Up && !sameLink(st.Link, cur.Link)
		st.Link = cur.Link
		switch {
		case cur.Link.Up && upAt.IsZero():
			upAt = time.Now()
			st.Err = nil
			set(linkstate.StateUp)
			unlock()
		case moreLink && s.OnChange != nil:
			// IPCP after IPv6CP, a second DNS server: still up, since
			// the same time, with more to say.
			s.OnChange(*st)
		}
	}
	for {
		select {
		case <-changed:
			apply()
		case o := <-done:
			apply() // events that came with the end: a link up for an instant still counts
			if o.res.Port != "" {
				st.Port = o.res.Port
			}
			if upAt.IsZero() {
				return 0, o.err
			}
			return max(time.Since(upAt), time.Nanosecond), o.err
		}
	}
}

// sameLink reports whether a and b hold the same addresses.
func sameLink(a, b pppctl.Link) bool {
	return a.Interface == b.Interface && a.LocalIP == b.LocalIP && a.RemoteIP == b.RemoteIP &&
		a.LocalLL == b.LocalLL && slices.Equal(a.DNS, b.DNS)
}
