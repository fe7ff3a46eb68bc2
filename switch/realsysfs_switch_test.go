package modeswitch_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/zdial/zdial/internal/sysfstest"
	. "github.com/zdial/zdial/switch"
	"github.com/zdial/zdial/switch/switchtest"
)

// A dongle found in modem mode with option bound goes straight through
// Switch: no transfer, no new_id, and its ttys and their nodes are ready at
// the first look (waitFor checks before it waits, so no event is needed).
func TestRealSysfsSwitchAlreadyModem(t *testing.T) {
	roots := sysfstest.Tree(t, LabCapture, "modem-bound")
	h := &Host{Sysfs: roots.Sys, Dev: roots.Dev, Events: make(switchtest.Events)}
	dongles, err := h.Dongles(MustBuiltin(t))
	if err != nil || len(dongles) != 1 {
		t.Fatalf("Dongles = %v, %v", DongleNames(dongles), err)
	}
	res, err := h.Switch(t.Context(), dongles[0])
	if err != nil {
		t.Fatal(err)
	}
	if res.Method != "" || res.Bound || len(res.Sent) != 0 {
		t.Errorf("Switch = %+v, want nothing sent", res)
	}
	if diff := cmp.Diff([]TTY{{"ttyUSB0", 0, "option"}, {"ttyUSB1", 1, "option"}, {"ttyUSB2", 2, "option"}}, res.Device.TTYs()); diff != "" {
		t.Errorf("TTYs (-want +got):\n%s", diff)
	}
}
