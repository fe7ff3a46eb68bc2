package dialseq

import (
	"errors"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/zdial/zdial/at"
	"github.com/zdial/zdial/internal/modemsim"
)

// The wake stage sends AT once a second while the port drops them (as
// u_serial does until the far side opens ttyGS0), not once per drain
// window, and the dial goes on once one is answered.
func TestDialWakeRetriesEverySecond(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := dialPersona(t, "zte-mf622")
		p.URCs = nil
		p.Faults.Silent = true
		client, sim := modemsim.Pipe(p)
		m := at.New(client)
		defer func() {
			m.Close()
			<-sim.Done()
		}()
		start := time.Now()

		var mu sync.Mutex
		var counts []int // lines the modem had received at 0.5 s, 1.5 s, 2.5 s
		for _, d := range []time.Duration{500 * time.Millisecond, 1500 * time.Millisecond, 2500 * time.Millisecond} {
			time.AfterFunc(d, func() {
				mu.Lock()
				counts = append(counts, len(sim.Received()))
				mu.Unlock()
				if d == 2500*time.Millisecond {
					sim.SetFaults(modemsim.Faults{}) // the far side opens the port
				}
			})
		}
		var awake, connected time.Duration
		params := Params{APN: "three.co.uk", Progress: func(ev Event) {
			switch ev.Kind {
			case EventAwake:
				awake = time.Since(start)
			case EventConnect:
				connected = time.Since(start)
			}
		}}
		if _, err := Dial(t.Context(), m, params); err != nil {
			t.Fatalf("Dial: %v", err)
		}
		mu.Lock()
		defer mu.Unlock()
		if !slices.Equal(counts, []int{1, 2, 3}) {
			t.Errorf("ATs received by 0.5 s, 1.5 s, 2.5 s: %v; want one a second: [1 2 3]", counts)
		}
		if awake != 3*time.Second {
			t.Errorf("awake after %v of fake time, want 3s (the fourth ATZ, the first after the port opened)", awake)
		}
		// After a reset the engine cannot know whether echo is on, and the
		// lost ATZs still owe answers: one AT re-learns the echo, so the
		// init line need not wait out the drain window.
		rx := sim.Received()
		if len(rx) < 6 || !slices.Equal(rx[:6], []string{"ATZ", "ATZ", "ATZ", "ATZ", "AT", DefaultInit + ";+CMEE=1;+CPIN?"}) {
			t.Errorf("received %q; want four ATZs, one AT, then the init line", rx)
		}
		if connected-awake >= at.DefaultDrainWindow {
			t.Errorf("CONNECT %v after the modem woke: the dial waited out the drain window", connected-awake)
		}
	})
}

// A modem that never answers gets one AT a second until the wake deadline.
func TestDialWakeGivesUpAtDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		o := simDial(t, dialPersona(t, "diag-silent"), Params{APN: "three.co.uk"}, nil)
		if !errors.Is(o.err, ErrModemSilent) {
			t.Fatalf("err = %v, want ErrModemSilent", o.err)
		}
		if o.elapsed != DefaultWakeTimeout {
			t.Errorf("gave up after %v of fake time, want the %v wake deadline", o.elapsed, DefaultWakeTimeout)
		}
		want := int(DefaultWakeTimeout / wakeRetry)
		if n := len(o.received); n != want {
			t.Errorf("%d ATs in %v, want %d (one a second): %q", n, DefaultWakeTimeout, want, o.received)
		}
	})
}
