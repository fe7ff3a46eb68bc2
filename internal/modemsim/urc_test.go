package modemsim

import (
	"context"
	"testing"
	"testing/synctest"
	"time"
)

func TestURCSchedule(t *testing.T) {
	p := noURCs(t, "huawei-e1750")
	p.URCs = []URC{
		{Line: "^RSSI:14", After: time.Second, Every: 2 * time.Second, Count: 3},
		{Line: "^BOOT:1,0,0,0,72", After: 4 * time.Second},
	}
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		w, _ := pipeWireP(t, p)
		var at []time.Duration
		for _, want := range []string{"^RSSI:14", "^RSSI:14", "^BOOT:1,0,0,0,72", "^RSSI:14"} {
			if got := w.until(want + "\r\n"); got != "\r\n"+want+"\r\n" {
				t.Errorf("got %q, want %q", got, want)
			}
			at = append(at, time.Since(start))
		}
		if want := []time.Duration{time.Second, 3 * time.Second, 4 * time.Second, 5 * time.Second}; !equalDurations(at, want) {
			t.Errorf("URCs at %v", at)
		}
		w.quiet(time.Minute)
	})
}

func equalDurations(a, b []time.Duration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestURCFloodStopsWithCURC(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w, _ := pipeWire(t, "huawei-e3131")
		w.until("^RSSI:21\r\n")
		w.send("ATE0^CURC=0\r")
		w.until("OK\r\n")
		w.quiet(time.Minute)
	})
}

func TestURCHeldInDataMode(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w, sim := pipeWire(t, "huawei-e1750")
		w.send("ATE0^CURC=0;D*99#\r")
		w.until("CONNECT 7200000\r\n")
		w.send("ATE0^CURC=1\r") // data, not a command
		if err := sim.Unsolicited(context.Background(), "RING"); err != nil {
			t.Fatal(err)
		}
		w.quiet(time.Minute)
	})
}

func TestInterleave(t *testing.T) {
	p := noURCs(t, "huawei-e3131")
	p.Echo = false
	p.Interleave = []Interleave{
		{Command: "+CSQ", Line: "^RSSI:21"},
		{Command: "AT+CPINR", Line: "^MODE:5,7", AfterLines: 1},
	}
	runSteps(t, p, []step{
		{"AT+CSQ", ok("+CSQ: 21,99", "^RSSI:21")},
		{`AT+CPINR="SIM*"`, ok("+CPINR: SIM PIN,3,3", "^MODE:5,7", "+CPINR: SIM PUK,10,10", "+CPINR: SIM PIN2,3,3", "+CPINR: SIM PUK2,10,10")},
		{"AT", ok()},
	})
}

func TestUnsolicited(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w, sim := pipeWireP(t, noURCs(t, "zte-mf622"))
		if err := sim.Unsolicited(t.Context(), "RING"); err != nil {
			t.Fatal(err)
		}
		if got := w.until("RING\r\n"); got != "\r\nRING\r\n" {
			t.Errorf("got %q", got)
		}
	})
}
