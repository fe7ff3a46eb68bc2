package modemsim

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

func TestEchoOnOff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w, _ := pipeWire(t, "zte-mf622")
		if got, want := w.cmd("AT", "OK"), "AT\r\r\nOK\r\n"; got != want {
			t.Errorf("echo on: got %q, want %q", got, want)
		}
		if got, want := w.cmd("ATE0", "OK"), "ATE0\r\r\nOK\r\n"; got != want {
			t.Errorf("ATE0: got %q, want %q", got, want)
		}
		if got, want := w.cmd("AT", "OK"), "\r\nOK\r\n"; got != want {
			t.Errorf("echo off: got %q, want %q", got, want)
		}
		if got, want := w.cmd("ATE1", "OK"), "\r\nOK\r\n"; got != want {
			t.Errorf("ATE1: got %q, want %q", got, want)
		}
		if got, want := w.cmd("at", "OK"), "at\r\r\nOK\r\n"; got != want {
			t.Errorf("echo on again: got %q, want %q", got, want)
		}
	})
}

func TestCMEEModes(t *testing.T) {
	tests := []struct {
		cmee int
		want string
	}{
		{0, "\r\nERROR\r\n"},
		{1, "\r\n+CME ERROR: 10\r\n"},
		{2, "\r\n+CME ERROR: SIM not inserted\r\n"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.cmee), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				w, _ := pipeWire(t, "no-sim")
				w.cmd(fmt.Sprintf("ATE0+CMEE=%d", tt.cmee), "OK")
				w.send("AT+CPIN?\r")
				if got := w.until(tt.want); got != tt.want {
					t.Errorf("got %q, want %q", got, tt.want)
				}
			})
		})
	}
}

func TestPINCounterToPUK(t *testing.T) {
	runSteps(t, mustBuiltin(t, "pin-required"), []step{
		{"AT+CMEE=1", ok()},
		{"AT+CPIN?", ok("+CPIN: SIM PIN")},
		{"AT+ZPINPUK=?", ok("+ZPINPUK: 3,10")},
		{"AT+CIMI", fin("+CME ERROR: 11")},
		{"AT+CCID", ok("+CCID: 8944200012345678901")},
		{"AT+CREG?", ok("+CREG: 0,0")},
		{`AT+CPIN="0000"`, fin("+CME ERROR: 16")},
		{"AT+ZPINPUK=?", ok("+ZPINPUK: 2,10")},
		{`AT+CPIN="1111"`, fin("+CME ERROR: 16")},
		{`AT+CPIN="2222"`, fin("+CME ERROR: 16")},
		{"AT+CPIN?", ok("+CPIN: SIM PUK")},
		{"AT+ZPINPUK=?", ok("+ZPINPUK: 0,10")},
		{`AT+CPIN="1234"`, fin("+CME ERROR: 12")},
		{`AT+CPIN="00000000","4321"`, fin("+CME ERROR: 16")},
		{"AT+ZPINPUK=?", ok("+ZPINPUK: 0,9")},
		{`AT+CPIN="12345678","4321"`, ok()},
		{"AT+CPIN?", ok("+CPIN: READY")},
		{"AT+ZPINPUK=?", ok("+ZPINPUK: 3,10")},
		{`AT+CPIN="4321"`, fin("+CME ERROR: 3")},
		{"AT+CREG?", ok("+CREG: 0,1")},
	})
}

func TestPINAccepted(t *testing.T) {
	p := noURCs(t, "pin-required")
	p.SIM.BusyAfterUnlock = 3 * time.Second
	synctest.Test(t, func(t *testing.T) {
		w, sim := pipeWireP(t, p)
		w.cmd("ATE0+CMEE=1", "OK")
		if got, want := w.cmd(`AT+CPIN="1234"`, "OK"), ok(); got != want {
			t.Fatalf("PIN: got %q, want %q", got, want)
		}
		if got, want := w.cmd("AT+CPIN?", "+CME ERROR: 14"), fin("+CME ERROR: 14"); got != want {
			t.Errorf("just after unlock: got %q, want %q", got, want)
		}
		time.Sleep(3 * time.Second) // fake time: the SIM settles
		if got, want := w.cmd("AT+CPIN?", "OK"), ok("+CPIN: READY"); got != want {
			t.Errorf("after settling: got %q, want %q", got, want)
		}
		if got := sim.Received(); !slices.Equal(got, []string{"ATE0+CMEE=1", `AT+CPIN="1234"`, "AT+CPIN?", "AT+CPIN?"}) {
			t.Errorf("Received() = %q", got)
		}
	})
}

func TestPINOneLeft(t *testing.T) {
	runSteps(t, mustBuiltin(t, "pin-one-left"), []step{
		{"AT+ZPINPUK=?", ok("+ZPINPUK: 1,10")},
		{`AT+CPIN="9999"`, fin("ERROR")},
		{"AT+CPIN?", ok("+CPIN: SIM PUK")},
	})
}

func TestRegistrationDelay(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		w, _ := pipeWireP(t, noURCs(t, "slow-register"))
		w.cmd("ATE0", "OK")
		if got, want := w.cmd("AT+CREG=1;+CGREG=2;+CREG?;+CGREG?", "OK"), ok("+CREG: 1,2", "+CGREG: 2,2"); got != want {
			t.Fatalf("searching: got %q, want %q", got, want)
		}
		if got, want := w.cmd("ATD*99#", "NO CARRIER"), fin("NO CARRIER"); got != want {
			t.Errorf("dial while searching: got %q, want %q", got, want)
		}
		got := w.until("+CGREG: 1,\"0D4F\",\"0001A2B3\"\r\n")
		if want := "\r\n+CREG: 1\r\n\r\n+CGREG: 1,\"0D4F\",\"0001A2B3\"\r\n"; got != want {
			t.Errorf("URCs: got %q, want %q", got, want)
		}
		if d := time.Since(start); d != 20*time.Second {
			t.Errorf("registered after %v, want 20s (fake clock)", d)
		}
		if got, want := w.cmd("AT+CREG?", "OK"), ok("+CREG: 1,1"); got != want {
			t.Errorf("registered: got %q, want %q", got, want)
		}
	})
}

func TestDenied(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w, _ := pipeWireP(t, noURCs(t, "denied"))
		w.cmd("ATE0+CREG=2", "OK")
		if got, want := w.until("+CREG: 3\r\n"), "\r\n+CREG: 3\r\n"; got != want {
			t.Errorf("got %q, want %q", got, want)
		}
		if got, want := w.cmd("AT+CREG?", "OK"), ok("+CREG: 2,3"); got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	})
}

func TestDataModeEscape(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var data []byte
		w, sim := pipeWire(t, "zte-mf622", WithDataHook(func(b []byte) { data = append(data, b...) }))
		if got, want := w.cmd("ATD*99#", "CONNECT 7200000"), "ATD*99#\r"+fin("CONNECT 7200000"); got != want {
			t.Fatalf("dial: got %q, want %q", got, want)
		}
		w.send("\x7e\xff\x7d\x23AT\r") // PPP bytes and an AT line: all data now
		w.quiet(time.Second)
		w.send("+++") // a guard time passed in quiet
		w.send("x")   // …but data within the guard time cancels the escape
		w.quiet(time.Second)
		if !sim.InCall() {
			t.Fatal("call dropped")
		}
		w.send("+++")
		start := time.Now()
		if got, want := w.until("OK\r\n"), fin("OK"); got != want {
			t.Errorf("escape: got %q, want %q", got, want)
		}
		if d := time.Since(start); d != 200*time.Millisecond {
			t.Errorf("OK after %v, want the 200ms guard time", d)
		}
		if got, want := string(data), "\x7e\xff\x7d\x23AT\r+++x+++"; got != want {
			t.Errorf("data hook got %q, want %q", got, want)
		}
		if got, want := w.cmd("ATO", "CONNECT"), "ATO\r"+fin("CONNECT"); got != want {
			t.Errorf("ATO: got %q, want %q", got, want)
		}
		time.Sleep(time.Second)
		w.send("+++")
		w.until("OK\r\n")
		if got, want := w.cmd("ATH", "OK"), "ATH\r"+ok(); got != want {
			t.Errorf("ATH: got %q, want %q", got, want)
		}
		if sim.InCall() {
			t.Error("still in a call after ATH")
		}
		if got := sim.Received(); !slices.Equal(got, []string{"ATD*99#", "ATO", "ATH"}) {
			t.Errorf("Received() = %q (data must not be recorded)", got)
		}
	})
}

func TestDropCarrier(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w, sim := pipeWire(t, "zte-mf622")
		w.cmd("ATE0", "OK")
		w.cmd("ATD*99***1#", "CONNECT 7200000")
		sim.DropCarrier()
		if got, want := w.until("NO CARRIER\r\n"), fin("NO CARRIER"); got != want {
			t.Errorf("got %q, want %q", got, want)
		}
		if got, want := w.cmd("AT", "OK"), ok(); got != want {
			t.Errorf("back in command mode: got %q, want %q", got, want)
		}
	})
}

// TestCallHook: the hook hears each call set up by a dial, once, before
// the call's first byte, and each call's end — ATH, a DTR drop, the
// network's hang-up — once; the +++ escape and ATO are neither.
func TestCallHook(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var (
			mu    sync.Mutex // the hooks run on the serving goroutine, SetDTR's on ours
			calls []string
			data  []byte
		)
		w, sim := pipeWireP(t, noURCs(t, "zte-mf622"),
			WithCallHook(func(up bool) {
				mu.Lock()
				defer mu.Unlock()
				calls = append(calls, fmt.Sprintf("%v after %d bytes", up, len(data)))
			}),
			WithDataHook(func(b []byte) {
				mu.Lock()
				defer mu.Unlock()
				data = append(data, b...)
			}))
		w.cmd("ATE0", "OK")
		w.cmd("ATD*99#", "CONNECT 7200000")
		w.send("\x7e\x7e")
		time.Sleep(time.Second)
		w.send("+++")
		w.until("OK\r\n")
		w.cmd("ATO", "CONNECT")
		time.Sleep(time.Second)
		w.send("+++")
		w.until("OK\r\n")
		w.cmd("ATH", "OK")
		w.cmd("ATH", "OK") // no call: nothing ends
		w.cmd("ATD*99#", "CONNECT 7200000")
		sim.SetDTR(false)
		sim.SetDTR(false) // already low: nothing ends
		sim.SetDTR(true)
		w.cmd("ATD*99#", "CONNECT 7200000")
		sim.DropCarrier()
		w.until("NO CARRIER\r\n")
		sim.DropCarrier() // no call
		synctest.Wait()
		mu.Lock()
		defer mu.Unlock()
		want := []string{"true after 0 bytes", "false after 8 bytes", "true after 8 bytes", "false after 8 bytes", "true after 8 bytes", "false after 8 bytes"}
		if !slices.Equal(calls, want) {
			t.Errorf("hook heard %q, want %q (both escapes were data)", calls, want)
		}
	})
}

// TestSetDTR: DTR falling (AT&D2) ends a call silently and the modem is in
// command mode at once; while DTR is low URCs are dropped; DTR rising
// brings them back.
func TestSetDTR(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := noURCs(t, "zte-mf622")
		p.URCs = []URC{{Line: "^RSSI:14", After: 10 * time.Second}}
		w, sim := pipeWireP(t, p)
		w.cmd("ATE0", "OK")
		w.cmd("ATD*99#", "CONNECT 7200000")
		sim.SetDTR(false)
		if sim.InCall() {
			t.Fatal("still in a call after DTR dropped")
		}
		w.quiet(time.Minute) // no NO CARRIER, and the URC due at 10 s is dropped
		sim.SetDTR(true)
		if got, want := w.cmd("AT", "OK"), ok(); got != want {
			t.Errorf("after the DTR drop: got %q, want %q", got, want)
		}
		sim.SetDTR(false) // falling again without a call: nothing to hang up
		sim.SetDTR(true)
		if got, want := w.cmd("ATD*99#", "CONNECT 7200000"), fin("CONNECT 7200000"); got != want {
			t.Errorf("second call: got %q, want %q", got, want)
		}
	})
}

func TestDialResults(t *testing.T) {
	for _, res := range []Result{ResultNoCarrier, ResultBusy, ResultError, ResultNoDialtone, ResultNoAnswer} {
		t.Run(string(res), func(t *testing.T) {
			p := noURCs(t, "zte-mf622")
			p.Dial.Result, p.Dial.Delay = res, 5*time.Second
			synctest.Test(t, func(t *testing.T) {
				w, sim := pipeWireP(t, p)
				start := time.Now()
				if got, want := w.cmd("ATD*99#", string(res)), "ATD*99#\r"+fin(string(res)); got != want {
					t.Errorf("got %q, want %q", got, want)
				}
				if d := time.Since(start); d != 5*time.Second {
					t.Errorf("result after %v, want the 5s dial delay", d)
				}
				if sim.InCall() {
					t.Error("in a call")
				}
			})
		})
	}
}

func TestEscapeNeedsLeadingGuard(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w, sim := pipeWireP(t, noURCs(t, "zte-mf622"), WithGuardTime(time.Second))
		w.cmd("ATE0D*99#", "CONNECT 7200000")
		time.Sleep(2 * time.Second)
		w.send("data+++") // no silence before the +++: it is data
		w.quiet(time.Minute)
		w.send("+++") // a minute of silence before, a guard time after
		w.until("\r\nOK\r\n")
		if !sim.InCall() {
			t.Error("the escape hung up the call")
		}
		w.cmd("ATS12?", "OK") // 1 s in fiftieths
		if got, want := w.cmd("ATS12=10;S12?", "OK"), ok("010"); got != want {
			t.Errorf("S12: got %q, want %q", got, want)
		}
	})
}
