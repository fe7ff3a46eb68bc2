package dialer

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/zdial/zdial/internal/backoff"
	"github.com/zdial/zdial/internal/dialseq"
	"github.com/zdial/zdial/internal/linkstate"
	"github.com/zdial/zdial/internal/profile"
	"github.com/zdial/zdial/pppctl"
)

// script is a fake dial for the supervisor's loop: each call takes the
// next step. A step may bring the link up for a while before failing.
type step struct {
	upFor time.Duration // > 0: report the link up, stay up this long
	err   error
}

func scripted(steps []step, calls *int) func(context.Context, Dialer) (Result, error) {
	return func(ctx context.Context, d Dialer) (Result, error) {
		i := *calls
		*calls++
		if i >= len(steps) {
			<-ctx.Done() // up until the test stops the supervisor
			return Result{}, nil
		}
		s := steps[i]
		if s.upFor > 0 {
			d.Progress(Event{PPPD: 1000 + i})
			d.Progress(Event{Dial: &dialseq.Event{Kind: dialseq.EventRegistered, Operator: "Three", AccessTech: "LTE", SignalDBm: -71}})
			link := pppctl.Link{Interface: "ppp0", Up: true, LocalIP: netip.MustParseAddr("10.0.0.2")}
			d.Progress(Event{PPP: &pppctl.Event{Kind: pppctl.EventLocalIP}, Link: link})
			select {
			case <-time.After(s.upFor):
			case <-ctx.Done():
				return Result{}, nil
			}
		}
		return Result{Port: "/dev/ttyUSB0"}, s.err
	}
}

var errHangup = &pppctl.ExitError{Status: 16, Err: pppctl.ErrHangup}

// runScripted runs a supervisor over steps until they are used up and
// the link stays up, then stops it; it returns every status seen.
func runScripted(t *testing.T, steps []step, pol backoff.Policy) ([]Status, error, int) {
	t.Helper()
	var (
		calls int
		seen  []Status
		err   error
	)
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		s := &Supervisor{
			Dialer:  Dialer{Profile: profile.Profile{Name: "home"}},
			Backoff: pol,
			connect: scripted(steps, &calls),
		}
		s.OnChange = func(st Status) {
			seen = append(seen, st)
			if calls == len(steps) && st.State == linkstate.StateDialing {
				cancel()
			}
		}
		err = s.Run(ctx)
	})
	return seen, err, calls
}

func waits(seen []Status) []time.Duration {
	var w []time.Duration
	for _, st := range seen {
		if st.State == linkstate.StateBackoff {
			w = append(w, st.Retry)
		}
	}
	return w
}

func TestSupervisorBackoffGrowsAndCaps(t *testing.T) {
	var steps []step
	for range 8 {
		steps = append(steps, step{err: fmt.Errorf("dial: %w", &NoPortError{Port: "/dev/ttyUSB0"})})
	}
	seen, err, _ := runScripted(t, steps, backoff.Policy{Max: 30 * time.Second})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	want := []time.Duration{1 * time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second,
		16 * time.Second, 30 * time.Second, 30 * time.Second, 30 * time.Second}
	if got := waits(seen); !slices.Equal(got, want) {
		t.Errorf("back-off waits %v, want %v", got, want)
	}
	last := seen[len(seen)-1]
	if last.State != linkstate.StateStopped || last.Reconnects != 8 {
		t.Errorf("last status %+v, want stopped after 8 reconnects", last)
	}
}

// A link that stayed up long enough starts the series again; one that
// flapped does not.
func TestSupervisorBackoffResetsAfterStableLink(t *testing.T) {
	steps := []step{
		{err: errHangup},                         // 1 s
		{err: errHangup},                         // 2 s
		{upFor: time.Second, err: errHangup},     // flapped: 4 s
		{upFor: 5 * time.Minute, err: errHangup}, // stable: 1 s again
	}
	seen, err, _ := runScripted(t, steps, backoff.Policy{StableAfter: time.Minute})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, time.Second}
	if got := waits(seen); !slices.Equal(got, want) {
		t.Errorf("back-off waits %v, want %v", got, want)
	}
	var states []linkstate.State
	for _, st := range seen {
		states = append(states, st.State)
	}
	wantStates := []linkstate.State{"dialing", "down", "backoff", "dialing", "down", "backoff",
		"dialing", "up", "down", "backoff", "dialing", "up", "down", "backoff", "dialing", "stopped"}
	if !slices.Equal(states, wantStates) {
		t.Errorf("transitions %v\nwant        %v", states, wantStates)
	}
	for _, st := range seen {
		if st.State == linkstate.StateUp {
			if st.PPPD == 0 || st.Operator != "Three" || st.SignalDBm != -71 || st.Link.LocalIP.String() != "10.0.0.2" || st.Err != nil {
				t.Errorf("up status %+v lacks what the dial learnt", st)
			}
		}
		if st.State == linkstate.StateDown && !errors.Is(st.Err, pppctl.ErrHangup) {
			t.Errorf("down status without its cause: %+v", st)
		}
	}
}

func TestSupervisorStopsOnPermanentErrors(t *testing.T) {
	for _, err := range []error{
		&dialseq.Error{Stage: "sim", Err: dialseq.ErrPINRejected},
		&profile.ConfigError{File: "x", Err: errors.New("bad")},
		ErrNoPPPD,
		&pppctl.ExitError{Status: 2, Err: pppctl.ErrOptionError},
	} {
		t.Run(err.Error(), func(t *testing.T) {
			seen, got, calls := runScripted(t, []step{{err: errHangup}, {err: err}}, backoff.Policy{})
			if !errors.Is(got, err) {
				t.Fatalf("Run returned %v, want %v", got, err)
			}
			if calls != 2 {
				t.Errorf("%d dials, want 2: no redial after %v", calls, err)
			}
			if last := seen[len(seen)-1]; last.State != linkstate.StateStopped || !errors.Is(last.Err, err) {
				t.Errorf("last status %+v", last)
			}
		})
	}
}

// Lock is taken before each dial and released once the link is up, not
// when the link ends: a waiter sees the outcome as soon as there is one.
func TestSupervisorLockReleasedWhenUp(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		var calls, held int
		var log []string
		s := &Supervisor{
			Dialer:  Dialer{Profile: profile.Profile{Name: "home"}},
			connect: scripted([]step{{upFor: time.Hour, err: errHangup}}, &calls),
			Lock: func(context.Context) (func(), error) {
				held++
				log = append(log, "lock")
				return func() { held--; log = append(log, "unlock") }, nil
			},
			OnChange: func(st Status) {
				log = append(log, string(st.State))
				if calls == 1 && st.State == linkstate.StateDialing {
					cancel()
				}
			},
		}
		if err := s.Run(ctx); err != nil {
			t.Fatal(err)
		}
		want := []string{"dialing", "lock", "up", "unlock", "down", "backoff", "dialing", "lock", "unlock", "stopped"}
		if !slices.Equal(log, want) || held != 0 {
			t.Errorf("sequence %v (held %d)\nwant     %v", log, held, want)
		}
	})
}

// A link reported up by IPv6CP first is reported again, still up, when
// its IPv4 address arrives.
func TestSupervisorReportsAddressesAfterUp(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		var seen []Status
		s := &Supervisor{
			Dialer: Dialer{Profile: profile.Profile{Name: "home"}},
			connect: func(ctx context.Context, d Dialer) (Result, error) {
				ll := pppctl.Link{Interface: "ppp0", Up: true, LocalLL: netip.MustParseAddr("fe80::1")}
				d.Progress(Event{PPP: &pppctl.Event{Kind: pppctl.EventLocalLL}, Link: ll})
				time.Sleep(time.Second)
				v4 := ll
				v4.LocalIP = netip.MustParseAddr("10.0.0.2")
				d.Progress(Event{PPP: &pppctl.Event{Kind: pppctl.EventLocalIP}, Link: v4})
				time.Sleep(time.Second)
				cancel()
				<-ctx.Done()
				return Result{}, nil
			},
			OnChange: func(st Status) { seen = append(seen, st) },
		}
		if err := s.Run(ctx); err != nil {
			t.Fatal(err)
		}
		var ups []Status
		for _, st := range seen {
			if st.State == linkstate.StateUp {
				ups = append(ups, st)
			}
		}
		if len(ups) != 2 || ups[0].Link.LocalIP.IsValid() || ups[1].Link.LocalIP.String() != "10.0.0.2" || !ups[0].Since.Equal(ups[1].Since) {
			t.Errorf("up reports: %+v", ups)
		}
	})
}

// The port a dial opened (a detected one, say) and its modem's id are in
// the status while the link is up, not only once the dial has ended.
func TestSupervisorReportsPortWhileUp(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		var up []Status
		s := &Supervisor{
			Dialer: Dialer{Profile: profile.Profile{Name: "home"}},
			connect: func(ctx context.Context, d Dialer) (Result, error) {
				d.Progress(Event{Note: "opened /dev/ttyUSB2", Port: "/dev/ttyUSB2", Device: "19d2-0001-P671A2"})
				d.Progress(Event{PPP: &pppctl.Event{Kind: pppctl.EventLocalIP},
					Link: pppctl.Link{Interface: "ppp0", Up: true, LocalIP: netip.MustParseAddr("10.0.0.2")}})
				time.Sleep(time.Second)
				cancel()
				<-ctx.Done()
				return Result{Port: "/dev/ttyUSB2"}, nil
			},
			OnChange: func(st Status) {
				if st.State == linkstate.StateUp {
					up = append(up, st)
				}
			},
		}
		if err := s.Run(ctx); err != nil {
			t.Fatal(err)
		}
		if len(up) == 0 || up[0].Port != "/dev/ttyUSB2" || up[0].Device != "19d2-0001-P671A2" {
			t.Errorf("up reports: %+v; want the port and the modem", up)
		}
	})
}

func TestSupervisorBadBackoffIsAConfigError(t *testing.T) {
	calls := 0
	s := &Supervisor{
		Dialer:  Dialer{Profile: profile.Profile{Name: "home"}},
		Backoff: backoff.Policy{Max: 100 * time.Millisecond}, // below the first wait
		connect: scripted(nil, &calls),
	}
	err := s.Run(t.Context())
	if Classify(err) != ClassConfig || calls != 0 {
		t.Errorf("Run = %v (class %v) after %d dials, want a configuration error and no dial", err, Classify(err), calls)
	}
}
