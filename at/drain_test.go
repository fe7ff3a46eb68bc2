package at

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/zdial/zdial/internal/modemsim"
)

// quietZTE is the ZTE persona without its scheduled URCs, so that the
// transcript and the timing hold only the commands under test.
func quietZTE(t *testing.T, edit func(*modemsim.Persona)) modemsim.Persona {
	return persona(t, "zte-mf622", func(p *modemsim.Persona) {
		p.URCs = nil
		if edit != nil {
			edit(p)
		}
	})
}

// The drain window runs from when the owing command was abandoned: a
// command that waited in vain does not restart it for the next one.
func TestDrainWindowCountsFromAbandonment(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m, sim, _ := dial(t, quietZTE(t, func(p *modemsim.Persona) { p.Faults.Silent = true }))
		start := time.Now()
		ctx1, cancel1 := context.WithTimeout(t.Context(), time.Second)
		defer cancel1()
		if _, err := m.Command(ctx1, "+CSQ"); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("first command: %v", err)
		}
		// Abandoned at 1 s: the window closes at 1 s + DefaultDrainWindow.
		ctx2, cancel2 := context.WithTimeout(t.Context(), time.Second)
		defer cancel2()
		if _, err := m.Command(ctx2, "+CGMI"); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("second command: %v", err)
		}
		if got := sim.Received(); !slices.Equal(got, []string{"AT+CSQ"}) {
			t.Fatalf("received %q: the second command was sent inside the drain window", got)
		}
		sim.SetFaults(modemsim.Faults{}) // back, having dropped AT+CSQ
		info, err := m.Command(t.Context(), "+CGMM")
		if err != nil || !slices.Equal(info, []string{"MF622"}) {
			t.Fatalf("third command: %q, %v", info, err)
		}
		if d, want := time.Since(start), time.Second+DefaultDrainWindow; d != want {
			t.Errorf("third command answered at %v of fake time, want %v (window from the abandonment)", d, want)
		}
		if got := sim.Received(); !slices.Equal(got, []string{"AT+CSQ", "AT+CGMM"}) {
			t.Errorf("received %q", got)
		}
	})
}

// A wake loop of NoDrain probes sends one AT a second while the port drops
// them (u_serial before the far side opens), and the first answered probe
// ends it. The ATs it abandoned might still be answered (by a modem that
// was only slow), so the next ordinary command must not take such an
// answer for its own: with echo on it goes out at once, gated by its echo;
// without echo it waits out the drain window (here the modem had dropped
// the ATs, so nothing comes).
func TestNoDrainProbeRetriesEverySecond(t *testing.T) {
	for _, tc := range []struct {
		echo bool
		wait time.Duration
	}{
		{echo: true, wait: 0},
		{echo: false, wait: DefaultDrainWindow},
	} {
		synctest.Test(t, func(t *testing.T) {
			var tr bytes.Buffer
			m, sim, _ := dial(t, quietZTE(t, func(p *modemsim.Persona) {
				p.Faults.Silent = true
				p.Echo = tc.echo
			}), WithTrace(&tr))
			start := time.Now()
			time.AfterFunc(2500*time.Millisecond, func() { sim.SetFaults(modemsim.Faults{}) })
			type attempt struct {
				at       time.Duration
				received int
				err      error
			}
			var got []attempt
			for {
				sent := time.Since(start)
				ctx, cancel := context.WithTimeout(t.Context(), time.Second)
				_, err := m.Command(ctx, "", NoDrain())
				cancel()
				got = append(got, attempt{sent, len(sim.Received()), err})
				if err == nil || len(got) == 10 {
					break
				}
			}
			if len(got) != 4 {
				t.Fatalf("echo %v: %d probes, want 4 (three lost, one answered): %+v", tc.echo, len(got), got)
			}
			for i, a := range got {
				if want := time.Duration(i) * time.Second; a.at != want || a.received != i+1 {
					t.Errorf("echo %v: probe %d sent at %v with %d lines received; want %v and %d", tc.echo, i+1, a.at, a.received, want, i+1)
				}
				if i < 3 && !errors.Is(a.err, context.DeadlineExceeded) {
					t.Errorf("echo %v: probe %d: %v, want a timeout", tc.echo, i+1, a.err)
				}
			}
			awake := time.Since(start)
			info, err := m.Command(t.Context(), "+CGMM")
			if err != nil || !slices.Equal(info, []string{"MF622"}) {
				t.Fatalf("echo %v: after the wake: %q, %v\n%s", tc.echo, info, err, tr.String())
			}
			if d := time.Since(start) - awake; d != tc.wait {
				t.Errorf("echo %v: first command after the wake waited %v, want %v", tc.echo, d, tc.wait)
			}
			if got := sim.Received(); !slices.Equal(got, []string{"AT", "AT", "AT", "AT", "AT+CGMM"}) {
				t.Errorf("echo %v: received %q", tc.echo, got)
			}
		})
	}
}

// A gated command (echo on, answers owed) is sent at once; what arrives
// before its echo belongs to the timed-out command and is dropped.
func TestGatedCommandDropsAnswersBeforeItsEcho(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var tr bytes.Buffer
		m, sim, _ := dial(t, quietZTE(t, func(p *modemsim.Persona) { p.Latency = 2 * time.Second }), WithTrace(&tr))
		if _, err := m.Command(t.Context(), "+CGMI"); err != nil { // echo seen: echo is on
			t.Fatal(err)
		}
		start := time.Now()
		ctx1, cancel1 := context.WithTimeout(t.Context(), time.Second)
		defer cancel1()
		if _, err := m.Command(ctx1, "+CSQ"); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("+CSQ: %v", err)
		}
		// +CSQ answers at 2 s, while AT+CGMM already waits to be read.
		info, err := m.Command(t.Context(), "+CGMM")
		if err != nil || !slices.Equal(info, []string{"MF622"}) {
			t.Fatalf("got %q, %v; want +CGMM's own answer\n%s", info, err, tr.String())
		}
		if d := time.Since(start); d != 4*time.Second {
			t.Errorf("answered at %v, want 4s", d)
		}
		if got := sim.Received(); !slices.Equal(got, []string{"AT+CGMI", "AT+CSQ", "AT+CGMM"}) {
			t.Errorf("received %q", got)
		}
		for _, note := range []string{
			"# echo is on: sending now",
			"# dropped information of a timed-out command",
			"# dropped the late final result of a timed-out command",
		} {
			if !strings.Contains(tr.String(), note) {
				t.Errorf("transcript lacks %q:\n%s", note, tr.String())
			}
		}
	})
}

// A probe completed by the late answer of an earlier command leaves its own
// answer owed: the next ordinary command must not take that OK for its own.
func TestNoDrainDisplacedAnswerIsDrained(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var tr bytes.Buffer
		m, sim, _ := dial(t, quietZTE(t, func(p *modemsim.Persona) { p.Latency = 2 * time.Second }), WithTrace(&tr))
		start := time.Now()
		ctx1, cancel1 := context.WithTimeout(t.Context(), time.Second)
		defer cancel1()
		if _, err := m.Command(ctx1, "", NoDrain()); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("first probe: %v", err)
		}
		// The modem answers the first probe at 2 s; the second takes that OK.
		if _, err := m.Command(t.Context(), "", NoDrain()); err != nil {
			t.Fatalf("second probe: %v", err)
		}
		if d := time.Since(start); d != 2*time.Second {
			t.Errorf("second probe answered at %v, want 2s (by the first probe's OK)", d)
		}
		info, err := m.Command(t.Context(), "+CGMM")
		if err != nil || !slices.Equal(info, []string{"MF622"}) {
			t.Fatalf("command after the probes got %q, %v; want its own answer\n%s", info, err, tr.String())
		}
		// Sent at 4 s, when the second probe's own OK came; answered 2 s later.
		if d := time.Since(start); d != 6*time.Second {
			t.Errorf("answered at %v, want 6s", d)
		}
		if got := sim.Received(); !slices.Equal(got, []string{"AT", "AT", "AT+CGMM"}) {
			t.Errorf("received %q", got)
		}
		if !strings.Contains(tr.String(), "# dropped the late final result of a timed-out command") {
			t.Errorf("the displaced OK was not drained:\n%s", tr.String())
		}
	})
}

func TestMayStopEcho(t *testing.T) {
	for wire, want := range map[string]bool{
		"AT": false, "ATE1": false, "ATQ0 V1 E1 S0=0 &C1 &D2 +FCLASS=0": false, "AT+CSQ": false,
		"AT+CGDCONT=1,\"IP\",\"E0\"": false, "ATD*99#": false,
		"ATE0": true, "ATE": true, "ATZ": true, "AT&F": true, "ATE0V1": true, "ATQ0 V1 E0 &D2": true,
	} {
		if got := mayStopEcho(wire); got != want {
			t.Errorf("mayStopEcho(%q) = %v, want %v", wire, got, want)
		}
	}
}
