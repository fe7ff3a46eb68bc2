package modemsim

import (
	"testing"
	"testing/synctest"
	"time"
)

func TestFaultSilent(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w, sim := pipeWire(t, "diag-silent")
		w.send("AT\r")
		w.quiet(time.Minute)
		w.send("ATI\r")
		w.quiet(time.Minute)
		if got := sim.Received(); len(got) != 2 {
			t.Errorf("Received() = %q; a silent port still receives", got)
		}
	})
}

func TestFaultSilentAfter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w, sim := pipeWireP(t, noURCs(t, "zte-mf622"))
		sim.SetFaults(Faults{SilentAfter: 2})
		w.cmd("AT", "OK")
		w.cmd("AT", "OK")
		w.send("AT\r")
		w.quiet(time.Minute)
		sim.SetFaults(Faults{})
		if got, want := w.cmd("AT", "OK"), "AT\r"+ok(); got != want {
			t.Errorf("after clearing the fault: got %q, want %q", got, want)
		}
	})
}

func TestFaultGarbage(t *testing.T) {
	p := noURCs(t, "zte-mf622")
	p.Echo = false
	p.Faults.Garbage = "\xff\x00~"
	synctest.Test(t, func(t *testing.T) {
		w, _ := pipeWireP(t, p)
		if got, want := w.cmd("AT", "OK"), "\xff\x00~\r\nOK\r\n"; got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	})
}

func TestFaultNoiseInsideAndAfter(t *testing.T) {
	p := noURCs(t, "zte-mf622")
	p.Echo = false
	p.Faults.Garbage = "\xff"
	p.Faults.NoiseInside = "\x00\x13"
	p.Faults.NoiseAfter = "~\x7f"
	synctest.Test(t, func(t *testing.T) {
		w, _ := pipeWireP(t, p)
		want := "\xff\r\n+CSQ:\x00\x13 17,99\r\n\r\nO\x00\x13K\r\n~\x7f"
		w.send("AT+CSQ\r")
		if got := w.until("~\x7f"); got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	})
}

func TestFaultNoiseFromYAML(t *testing.T) {
	p := parseOK(t, "inherit: zte-mf622\nfaults:\n  noise_inside: \"\\x00\"\n  noise_after: \"\\xff\"\n")
	if latin1(p.Faults.NoiseInside) == nil || string(latin1(p.Faults.NoiseInside)) != "\x00" || string(latin1(p.Faults.NoiseAfter)) != "\xff" {
		t.Errorf("noise_inside %q, noise_after %q", p.Faults.NoiseInside, p.Faults.NoiseAfter)
	}
}

func TestFaultGarbageFromYAML(t *testing.T) {
	p := parseOK(t, "inherit: zte-mf622\nfaults:\n  garbage: \"\\xff\\x80\"\n")
	if got, want := []byte(p.Faults.Garbage), []byte("\u00ff\u0080"); string(got) != string(want) {
		t.Fatalf("garbage = %q", got)
	}
	if got := latin1(p.Faults.Garbage); string(got) != "\xff\x80" {
		t.Errorf("latin1 = %q, want the two bytes ff 80", got)
	}
}

func TestFaultByteByByte(t *testing.T) {
	p := noURCs(t, "zte-mf622")
	p.Echo = false
	p.Faults.ByteByByte = true
	p.Faults.ByteDelay = 10 * time.Millisecond
	synctest.Test(t, func(t *testing.T) {
		w, _ := pipeWireP(t, p)
		start := time.Now()
		want := ok("+CSQ: 17,99")
		if got := w.cmd("AT+CSQ", "OK"); got != want {
			t.Errorf("got %q, want %q", got, want)
		}
		if w.reads != len(want) {
			t.Errorf("%d reads for %d bytes", w.reads, len(want))
		}
		if d, want := time.Since(start), time.Duration(len(want)-1)*10*time.Millisecond; d != want {
			t.Errorf("took %v, want %v", d, want)
		}
	})
}

func TestFaultVanishMidCommand(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w, sim := pipeWire(t, "zte-mf622")
		sim.SetFaults(Faults{VanishOn: "+CGDCONT"})
		w.cmd("AT", "OK")
		w.send(`AT+CGDCONT=1,"IP","three.co.uk"` + "\r")
		if got, want := w.until("\r"), `AT+CGDCONT=1,"IP","three.co.uk"`+"\r"; got != want {
			t.Errorf("echo: got %q, want %q", got, want)
		}
		w.closed()
		<-sim.Done()
		if got := sim.Received(); len(got) != 2 {
			t.Errorf("Received() = %q", got)
		}
	})
}

func TestVanish(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w, sim := pipeWire(t, "huawei-e1750")
		w.cmd("AT", "OK")
		sim.Vanish()
		w.closed()
		<-sim.Done()
	})
}

func TestLatency(t *testing.T) {
	p := noURCs(t, "zte-mf622")
	p.Latency = 300 * time.Millisecond
	synctest.Test(t, func(t *testing.T) {
		w, _ := pipeWireP(t, p)
		start := time.Now()
		w.send("AT\r")
		w.until("AT\r") // the echo is immediate
		if d := time.Since(start); d != 0 {
			t.Errorf("echo after %v", d)
		}
		w.until("OK\r\n")
		if d := time.Since(start); d != 300*time.Millisecond {
			t.Errorf("reply after %v, want 300ms", d)
		}
	})
}

// The no-concat persona answers ERROR to a line with ';' between commands,
// while the same commands alone work, and ';' in quotes or a dial string
// is no concatenation.
func TestNoConcatPersona(t *testing.T) {
	runSteps(t, mustBuiltin(t, "no-concat"), []step{
		{"AT+CMEE=1;+CPIN?", fin("ERROR")},
		{"AT+CGREG?;+CREG?", fin("ERROR")},
		{"AT+CMEE=1", ok()},
		{"AT+CPIN?", ok("+CPIN: READY")},
		{"ATE0 V1 +FCLASS=0", ok()},
		{`AT+CGDCONT=1,"IP","a;b"`, ok()},
	})
	runSteps(t, mustBuiltin(t, "zte-mf622"), []step{
		{"AT+CMEE=1;+CPIN?", ok("+CPIN: READY")},
	})
}
