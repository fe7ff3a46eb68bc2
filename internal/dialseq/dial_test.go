package dialseq

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/zdial/zdial/at"
	"github.com/zdial/zdial/internal/modemsim"
)

// dialOutcome is what one simulated dial left behind.
type dialOutcome struct {
	res      Result
	err      error
	received []string // command lines the simulated modem got
	trace    string   // the at transcript
	events   []Event  // progress reports, in order
	elapsed  time.Duration
}

// pinSends counts the AT+CPIN= commands (PIN entries) the modem received.
func (o dialOutcome) pinSends() int {
	n := 0
	for _, l := range o.received {
		if u := strings.ToUpper(l); strings.Contains(u, "+CPIN=") || strings.Contains(u, "^CPIN=") {
			n++
		}
	}
	return n
}

func (o dialOutcome) kinds() []EventKind {
	var ks []EventKind
	for _, e := range o.events {
		ks = append(ks, e.Kind)
	}
	return ks
}

// simDial runs Dial against a simulator for p on an in-memory line. It must
// run inside a synctest bubble: every timeout, poll and registration delay
// then passes on the fake clock, and the bubble's end proves that no
// goroutine (engine, simulator, timers) was left behind. setup, if set, may
// act on the simulator before the dial starts.
func simDial(t *testing.T, p modemsim.Persona, params Params, setup func(*modemsim.Sim)) dialOutcome {
	t.Helper()
	client, sim := modemsim.Pipe(p)
	var trace bytes.Buffer
	m := at.New(client, at.WithTrace(&trace))
	var out dialOutcome
	params.Progress = func(ev Event) { out.events = append(out.events, ev) }
	if setup != nil {
		setup(sim)
	}
	start := time.Now()
	out.res, out.err = Dial(t.Context(), m, params)
	out.elapsed = time.Since(start)
	if err := m.Close(); err != nil && out.err == nil {
		t.Errorf("closing the modem: %v", err)
	}
	<-sim.Done()
	out.received = sim.Received()
	out.trace = trace.String()
	return out
}

func dialPersona(t *testing.T, name string) modemsim.Persona {
	t.Helper()
	p, err := modemsim.Builtin(name)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestDialPersonas runs the default script against the built-in personas:
// one row per branch of the script.
func TestDialPersonas(t *testing.T) {
	for _, tc := range []struct {
		persona string
		params  Params
		want    []error // each must match errors.Is; empty: success
		stage   Stage
		pinSent int
	}{
		{persona: "zte-mf622", params: Params{APN: "three.co.uk"}},
		{persona: "huawei-e1750", params: Params{APN: "three.co.uk"}},
		{persona: "huawei-e3131", params: Params{APN: "three.co.uk"}},
		{persona: "pin-required", params: Params{APN: "three.co.uk", PIN: "1234"}, pinSent: 1},
		{persona: "pin-required", params: Params{APN: "three.co.uk"},
			want: []error{ErrPINRequired, ErrSIM}, stage: StageSIM},
		{persona: "pin-one-left", params: Params{APN: "three.co.uk", PIN: "1234"},
			want: []error{ErrPINUnsafe, ErrSIM}, stage: StageSIM},
		{persona: "puk-locked", params: Params{APN: "three.co.uk", PIN: "1234"},
			want: []error{ErrPUKRequired, ErrSIM}, stage: StageSIM},
		{persona: "no-sim", params: Params{APN: "three.co.uk", PIN: "1234"},
			want: []error{ErrSIMAbsent, ErrSIM}, stage: StageSIM},
		{persona: "slow-register", params: Params{APN: "three.co.uk"}},
		{persona: "slow-register", params: Params{APN: "three.co.uk", RegisterTimeout: 10 * time.Second},
			want: []error{ErrNotRegistered, ErrRegistration}, stage: StageRegister},
		{persona: "denied", params: Params{APN: "three.co.uk"},
			want: []error{ErrRegistrationDenied, ErrRegistration}, stage: StageRegister},
		{persona: "aux-at", params: Params{APN: "three.co.uk"},
			want: []error{ErrDialFailed, ErrDial, at.ErrError}, stage: StageDial},
		{persona: "diag-silent", params: Params{APN: "three.co.uk"},
			want: []error{ErrModemSilent}, stage: StageWake},
	} {
		t.Run(tc.persona, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				o := simDial(t, dialPersona(t, tc.persona), tc.params, nil)
				if n := o.pinSends(); n != tc.pinSent {
					t.Errorf("AT+CPIN= sent %d times, want %d", n, tc.pinSent)
				}
				if len(tc.want) == 0 {
					if o.err != nil {
						t.Fatalf("Dial: %v\ntranscript:\n%s", o.err, o.trace)
					}
					if o.res.Rate == "" || !slices.Contains(o.kinds(), EventConnect) {
						t.Errorf("Dial = %+v, events %v: want a CONNECT rate and event", o.res, o.kinds())
					}
					return
				}
				for _, w := range tc.want {
					if !errors.Is(o.err, w) {
						t.Errorf("Dial error = %v; want it to match %q", o.err, w)
					}
				}
				var de *Error
				if !errors.As(o.err, &de) || de.Stage != tc.stage {
					t.Errorf("Dial error = %#v; want a *Error in stage %q", o.err, tc.stage)
				}
			})
		})
	}
}

// A full successful dial reports each stage once, in order, with what the
// modem said, and sends exactly the default script.
func TestDialHappyPath(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		o := simDial(t, dialPersona(t, "zte-mf622"), Params{APN: "three.co.uk"}, nil)
		if o.err != nil {
			t.Fatal(o.err)
		}
		want := Result{Rate: "7200000", Number: "*99#", Operator: "3 UK", AccessTech: "UMTS", SignalDBm: -113 + 2*17}
		if o.res != want {
			t.Errorf("result = %+v\nwant     %+v", o.res, want)
		}
		wantKinds := []EventKind{EventAwake, EventSIMReady, EventRegistered, EventAPNSet, EventConnect}
		if !slices.Equal(o.kinds(), wantKinds) {
			t.Errorf("events = %v, want %v", o.kinds(), wantKinds)
		}
		reg := o.events[2]
		if reg.Operator != "3 UK" || reg.AccessTech != "UMTS" || reg.SignalDBm != -79 || reg.Roaming {
			t.Errorf("registered event = %+v", reg)
		}
		wantCmds := []string{"ATZ", DefaultInit + ";+CMEE=1;+CPIN?",
			"AT+CGREG?;+CREG?;+CSQ;+COPS?;+CEREG?",
			`AT+CGDCONT=1,"IP","three.co.uk"`, "ATD*99#"}
		if !slices.Equal(o.received, wantCmds) {
			t.Errorf("modem received\n%q\nwant\n%q", o.received, wantCmds)
		}
	})
}

// A CID other than 1 is used in +CGDCONT and named in the dial string.
func TestDialCID(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		o := simDial(t, dialPersona(t, "zte-mf622"), Params{APN: "internet", CID: 3, PDPType: "ipv4v6"}, nil)
		if o.err != nil {
			t.Fatal(o.err)
		}
		for _, want := range []string{`AT+CGDCONT=3,"IPV4V6","internet"`, "ATD*99***3#"} {
			if !slices.Contains(o.received, want) {
				t.Errorf("modem did not receive %q; got %q", want, o.received)
			}
		}
	})
}

// The central promise: a wrong PIN is sent once, remembered, and
// never sent to that SIM again — until the configured PIN changes.
func TestDialPINRejectedIsRemembered(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		state := t.TempDir()
		p := dialPersona(t, "pin-required")
		params := Params{APN: "three.co.uk", PIN: "8642", StateDir: state}

		first := simDial(t, p, params, nil)
		if !errors.Is(first.err, ErrPINRejected) || !errors.Is(first.err, ErrSIM) {
			t.Fatalf("first run: %v; want ErrPINRejected", first.err)
		}
		if n := first.pinSends(); n != 1 {
			t.Errorf("first run sent AT+CPIN= %d times, want exactly 1", n)
		}

		// cron, a minute later: same SIM (fresh modem, 2 attempts left), same PIN.
		second := simDial(t, p, params, nil)
		if !errors.Is(second.err, ErrPINUnsafe) {
			t.Fatalf("second run: %v; want ErrPINUnsafe", second.err)
		}
		if n := second.pinSends(); n != 0 {
			t.Errorf("second run sent AT+CPIN= %d times, want 0", n)
		}
		if !strings.Contains(second.err.Error(), state) {
			t.Errorf("refusal %q does not name the state file to remove", second.err)
		}

		// Another SIM in the same modem is not affected.
		other := p
		other.Identity.ICCID = "8944200099999999999"
		if o := simDial(t, other, params, nil); o.pinSends() != 1 {
			t.Errorf("another SIM: AT+CPIN= sent %d times, want 1 (err %v)", o.pinSends(), o.err)
		}

		// The user corrects the PIN: it is sent, accepted, and the record goes.
		params.PIN = "1234"
		fixed := simDial(t, p, params, nil)
		if fixed.err != nil || fixed.pinSends() != 1 || !fixed.res.PINSent {
			t.Fatalf("corrected PIN: err %v, %d sends, result %+v", fixed.err, fixed.pinSends(), fixed.res)
		}
		if rejected, err := pinWasRejected(state, "iccid:"+p.Identity.ICCID, "8642"); err != nil || rejected {
			t.Errorf("after a PIN was accepted the old record remains (%v, %v)", rejected, err)
		}
	})
}

// Without a count the PIN is not sent, unless the profile opts in.
func TestDialUnknownPINAttempts(t *testing.T) {
	p := dialPersona(t, "pin-required")
	p.Vendor = modemsim.VendorGeneric // no +ZPINPUK, no ^CPIN, and no +CPINR
	p.CPINR = false
	for _, trust := range []bool{false, true} {
		synctest.Test(t, func(t *testing.T) {
			o := simDial(t, p, Params{APN: "three.co.uk", PIN: "1234", TrustUnknownPINAttempts: trust}, nil)
			if trust {
				if o.err != nil || o.pinSends() != 1 {
					t.Errorf("trusting unknown counts: err %v, %d sends; want success with 1", o.err, o.pinSends())
				}
				return
			}
			if !errors.Is(o.err, ErrPINUnsafe) || o.pinSends() != 0 {
				t.Errorf("unknown count: err %v, %d sends; want ErrPINUnsafe and none", o.err, o.pinSends())
			}
		})
	}
}

// "SIM busy" after unlocking is waited out, within the SIM deadline.
func TestDialSIMBusyAfterUnlock(t *testing.T) {
	p := dialPersona(t, "pin-required")
	p.SIM.BusyAfterUnlock = 5 * time.Second
	synctest.Test(t, func(t *testing.T) {
		o := simDial(t, p, Params{APN: "three.co.uk", PIN: "1234"}, nil)
		if o.err != nil {
			t.Fatalf("Dial: %v", o.err)
		}
		if !strings.Contains(o.trace, "+CME ERROR: 14") {
			t.Errorf("the modem never said SIM busy; transcript:\n%s", o.trace)
		}
	})
	synctest.Test(t, func(t *testing.T) {
		o := simDial(t, p, Params{APN: "three.co.uk", PIN: "1234", SIMTimeout: 2 * time.Second}, nil)
		if !errors.Is(o.err, ErrSIMNotReady) || o.pinSends() != 1 {
			t.Errorf("busy past the deadline: err %v, %d sends; want ErrSIMNotReady after 1", o.err, o.pinSends())
		}
	})
}

// The PIN appears in no error text and in no transcript line, whether it
// is accepted or rejected; the transcript shows **** instead.
func TestDialPINNeverShown(t *testing.T) {
	for _, tc := range []struct{ simPIN, configured string }{
		{"4711", "4711"}, // accepted
		{"4711", "8642"}, // rejected
	} {
		synctest.Test(t, func(t *testing.T) {
			p := dialPersona(t, "pin-required")
			p.SIM.PIN = tc.simPIN
			id := p.Identity
			for _, s := range []string{id.ICCID, id.IMSI, id.IMEI, id.Revision} {
				if strings.Contains(s, tc.configured) {
					t.Fatalf("test PIN %s occurs in the persona's identity %q", tc.configured, s)
				}
			}
			o := simDial(t, p, Params{APN: "three.co.uk", PIN: tc.configured, StateDir: t.TempDir()}, nil)
			if o.pinSends() != 1 {
				t.Fatalf("AT+CPIN= sent %d times, want 1 (err %v)", o.pinSends(), o.err)
			}
			if strings.Contains(o.trace, tc.configured) {
				t.Errorf("transcript holds the PIN:\n%s", o.trace)
			}
			if !strings.Contains(o.trace, `AT+CPIN=****`) {
				t.Errorf("transcript does not show the masked PIN entry:\n%s", o.trace)
			}
			if o.err != nil && strings.Contains(o.err.Error(), tc.configured) {
				t.Errorf("error holds the PIN: %v", o.err)
			}
		})
	}
}

// The modem's refusals name the step and carry the modem's words.
func TestDialModemRefuses(t *testing.T) {
	cgdcontError := dialPersona(t, "zte-mf622")
	cgdcontError.Replies = append(cgdcontError.Replies, modemsim.Reply{Command: "+CGDCONT=", Result: modemsim.ResultError})
	cgdcontCME := dialPersona(t, "zte-mf622")
	cgdcontCME.Replies = append(cgdcontCME.Replies, modemsim.Reply{Command: "+CGDCONT=", CME: 4})
	noCarrier := dialPersona(t, "zte-mf622")
	noCarrier.Dial = modemsim.Dial{Result: modemsim.ResultNoCarrier, Delay: 3 * time.Second}
	busy := dialPersona(t, "zte-mf622")
	busy.Dial = modemsim.Dial{Result: modemsim.ResultBusy}
	noDialtone := dialPersona(t, "zte-mf622")
	noDialtone.Dial = modemsim.Dial{Result: modemsim.ResultNoDialtone}
	for _, tc := range []struct {
		name  string
		p     modemsim.Persona
		stage Stage
		want  []error
		words []string // in the error text
	}{
		{"ERROR on CGDCONT", cgdcontError, StageAPN, []error{ErrAPNRejected, ErrDial, at.ErrError}, []string{"AT+CGDCONT=1", "ERROR"}},
		{"CME on CGDCONT", cgdcontCME, StageAPN, []error{ErrAPNRejected, ErrDial, at.ErrNotSupported}, []string{"+CME ERROR: 4"}},
		{"NO CARRIER", noCarrier, StageDial, []error{ErrDialFailed, ErrDial, at.ErrNoCarrier}, []string{"ATD*99#", "NO CARRIER"}},
		{"BUSY", busy, StageDial, []error{ErrDialFailed, at.ErrBusy}, []string{"ATD*99#", "BUSY"}},
		{"NO DIALTONE", noDialtone, StageDial, []error{ErrDialFailed, at.ErrNoDialtone}, []string{"NO DIALTONE"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				o := simDial(t, tc.p, Params{APN: "three.co.uk"}, nil)
				for _, w := range tc.want {
					if !errors.Is(o.err, w) {
						t.Errorf("err = %v; want it to match %q", o.err, w)
					}
				}
				var de *Error
				if !errors.As(o.err, &de) || de.Stage != tc.stage {
					t.Errorf("err = %v; want stage %q", o.err, tc.stage)
				}
				for _, w := range tc.words {
					if o.err == nil || !strings.Contains(o.err.Error(), w) {
						t.Errorf("error text %q lacks %q", o.err, w)
					}
				}
			})
		})
	}
}

// The device vanishing at any point ends Dial promptly with a hang-up
// error: no hang, nothing left running (the synctest bubble would report a
// goroutine still blocked).
func TestDialDeviceVanishes(t *testing.T) {
	for _, tc := range []struct {
		on    string // the command whose arrival makes the device vanish
		stage Stage
	}{
		{"ATZ", StageWake},
		{"+CMEE=1;+CPIN?", StageInit},
		{"AT+CPIN?", StageSIM},
		{"AT+CCID", StageSIM},
		{"+CEREG?", StageRegister},
		{"+CSQ", StageRegister},
		{"AT+CGDCONT", StageAPN},
		{"ATD", StageDial},
	} {
		t.Run(tc.on, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				p := dialPersona(t, "pin-required")
				p.Faults.VanishOn = tc.on
				params := Params{APN: "three.co.uk", PIN: "1234"}
				o := simDial(t, p, params, nil)
				var de *Error
				if !errors.Is(o.err, at.ErrHangup) || !errors.As(o.err, &de) || de.Stage != tc.stage {
					t.Fatalf("err = %v; want at.ErrHangup in stage %q", o.err, tc.stage)
				}
				if o.elapsed > params.withDefaultsMust(t).CommandTimeout {
					t.Errorf("Dial took %v of fake time after the device vanished", o.elapsed)
				}
			})
		})
	}
	// Vanishing while the script waits between registration polls.
	synctest.Test(t, func(t *testing.T) {
		o := simDial(t, dialPersona(t, "slow-register"), Params{APN: "three.co.uk"}, func(sim *modemsim.Sim) {
			time.AfterFunc(5*time.Second, sim.Vanish)
		})
		if !errors.Is(o.err, at.ErrHangup) {
			t.Fatalf("err = %v; want at.ErrHangup", o.err)
		}
		if o.elapsed > 5*time.Second+DefaultPollInterval {
			t.Errorf("Dial noticed the vanished device only after %v", o.elapsed)
		}
	})
}

func (p Params) withDefaultsMust(t *testing.T) Params {
	t.Helper()
	p, err := p.WithDefaults()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// Cancelling ctx stops Dial in any stage, with the ctx error.
func TestDialCancel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		client, sim := modemsim.Pipe(dialPersona(t, "slow-register"))
		m := at.New(client)
		ctx, cancel := context.WithTimeout(t.Context(), 7*time.Second)
		defer cancel()
		_, err := Dial(ctx, m, Params{APN: "three.co.uk"})
		if !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, ErrRegistration) {
			t.Errorf("err = %v; want the ctx error, not a registration failure", err)
		}
		m.Close()
		<-sim.Done()
	})
}

// While registering, the script reports what it learns; a slow network
// shows "searching" first.
func TestDialRegistrationProgress(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		o := simDial(t, dialPersona(t, "slow-register"), Params{APN: "three.co.uk"}, nil)
		if o.err != nil {
			t.Fatal(o.err)
		}
		var searching, registered bool
		for _, ev := range o.events {
			switch ev.Kind {
			case EventRegistering:
				searching = searching || ev.RegStatus == regSearching
				if registered {
					t.Errorf("registering event after registered: %+v", ev)
				}
			case EventRegistered:
				registered = true
			}
		}
		if !searching || !registered {
			t.Errorf("events %+v: want searching, then registered", o.events)
		}
		polls := 0
		for _, c := range o.received {
			if strings.Contains(c, "+CGREG?") {
				polls++
			}
		}
		// register_after 20 s, polled every second: about 20 polls, not
		// hundreds (a busy loop) and not one (no polling).
		if polls < 15 || polls > 25 {
			t.Errorf("registration polled %d times in ~20 s", polls)
		}
	})
}

// URC floods (Huawei: ^RSSI, ^BOOT, ^MODE, ^DSFLOWRPT every few seconds)
// run through the whole script, including a slow registration.
func TestDialURCFlood(t *testing.T) {
	p := dialPersona(t, "huawei-e1750")
	p.SIM.State = modemsim.SIMPIN
	p.SIM.BusyAfterUnlock = 2 * time.Second
	p.Network.RegisterAfter = 15 * time.Second
	for i := range p.URCs {
		p.URCs[i].Every /= 10 // ten times the usual flood
	}
	synctest.Test(t, func(t *testing.T) {
		o := simDial(t, p, Params{APN: "three.co.uk", PIN: "1234"}, nil)
		if o.err != nil {
			t.Fatalf("Dial: %v", o.err)
		}
		if n := strings.Count(o.trace, "^RSSI"); n < 20 {
			t.Errorf("only %d ^RSSI lines in the transcript: not a flood", n)
		}
		if o.res.Operator != "3 UK" || o.res.Rate != "7200000" {
			t.Errorf("result = %+v", o.res)
		}
	})
}

// A port that drops bytes until it is opened (u_serial, a modem still
// booting) is woken by repeating AT.
func TestDialWakeRetries(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := dialPersona(t, "zte-mf622")
		p.Faults.Silent = true
		o := simDial(t, p, Params{APN: "three.co.uk"}, func(sim *modemsim.Sim) {
			time.AfterFunc(2500*time.Millisecond, func() { sim.SetFaults(modemsim.Faults{}) })
		})
		if o.err != nil {
			t.Fatalf("Dial: %v\n%s", o.err, o.trace)
		}
		ats := 0
		for _, c := range o.received {
			if c == "ATZ" {
				ats++
			}
		}
		if ats < 2 {
			t.Errorf("AT sent %d times; want retries", ats)
		}
	})
}

func TestDialParamsInvalid(t *testing.T) {
	for _, p := range []Params{
		{PDPType: "PPP"},
		{CID: 300},
		{APN: `a"b`},
		{Number: "*99#\rATH"},
		{PIN: "12\"34"},
	} {
		_, err := p.WithDefaults()
		if err == nil {
			t.Errorf("WithDefaults(%+v) accepted it", p)
			continue
		}
		if p.PIN != "" && strings.Contains(err.Error(), p.PIN) {
			t.Errorf("error holds the PIN: %v", err)
		}
	}
}

// Denied ends the wait at once, not at the registration deadline.
func TestDialDeniedStopsAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := dialPersona(t, "denied") // denied 2 s after power-on
		o := simDial(t, p, Params{APN: "three.co.uk"}, nil)
		if !errors.Is(o.err, ErrRegistrationDenied) {
			t.Fatalf("err = %v", o.err)
		}
		if limit := p.Network.RegisterAfter + DefaultPollInterval; o.elapsed > limit {
			t.Errorf("denied noticed after %v of fake time; want within %v", o.elapsed, limit)
		}
	})
}

func TestDialRoaming(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := dialPersona(t, "zte-mf622")
		p.Network.Stat = modemsim.RegRoaming
		p.Network.Act = 7
		p.Network.CEREG = true
		o := simDial(t, p, Params{APN: "three.co.uk"}, nil)
		if o.err != nil {
			t.Fatal(o.err)
		}
		if !o.res.Roaming || o.res.AccessTech != "LTE" {
			t.Errorf("result = %+v; want roaming on LTE", o.res)
		}
	})
}
