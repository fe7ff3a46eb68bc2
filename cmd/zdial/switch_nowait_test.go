package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zdial/zdial/internal/sysfstest"
)

// The udev rule's second run: a modem-mode MF622 that no serial driver has.
// zdial switch --no-wait writes its ID to option's new_id and exits at once
// with no ttys yet. With --wait 1h, a run that waited would hit the test's
// watchdog instead of returning.
func TestSwitchNoWaitBindsAndExits(t *testing.T) {
	sys := filepath.Join(t.TempDir(), "sys")
	sysfstest.Copy(t, fakeSysfs("mf622-modem-unbound"), sys)
	args := append([]string{"switch", "--no-wait", "--wait", "1h", "1-2"}, sysfsArgs(t, sys, t.TempDir())...)
	code, out, stderr := zdial(t, args...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(filepath.Join(sys, "bus/usb-serial/drivers/option1/new_id"))
	if err != nil || string(b) != "19d2 0001 ff" {
		t.Errorf("new_id = %q (%v), want \"19d2 0001 ff\"", b, err)
	}
	for _, want := range []string{`write "19d2 0001 ff" to bus/usb-serial/drivers/option1/new_id`, "not waiting (--no-wait)"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}

	// The run for a modem that option already serves changes nothing.
	sys2 := filepath.Join(t.TempDir(), "sys")
	sysfstest.Copy(t, fakeSysfs("mf622-modem-option"), sys2)
	code, out, stderr = zdial(t, append([]string{"switch", "--no-wait", "1-2"}, sysfsArgs(t, sys2, t.TempDir())...)...)
	if code != exitOK || !strings.Contains(out, "nothing to do") {
		t.Errorf("bound modem: exit %d, out %q, stderr %q", code, out, stderr)
	}

	if code, _, _ := zdial(t, append([]string{"switch", "--no-wait", "--permanent"}, sysfsArgs(t, sys2, t.TempDir())...)...); code != exitUsage {
		t.Errorf("--no-wait --permanent: exit %d, want %d", code, exitUsage)
	}
}

// A sysfs with no bus/usb at all (no USB controller, or --sysfs pointing at
// the wrong place): devices and switch say there are no USB devices, exit 3.
func TestNoUSBDevices(t *testing.T) {
	sys := t.TempDir()
	for _, cmd := range [][]string{{"devices"}, {"devices", "--json"}, {"switch"}, {"switch", "--no-wait", "1-2"}} {
		code, out, stderr := zdial(t, append(cmd, sysfsArgs(t, sys, t.TempDir())...)...)
		if code != exitPort {
			t.Errorf("%q: exit %d, want %d", cmd, code, exitPort)
		}
		if !strings.Contains(stderr, "no USB devices at all") || !strings.Contains(stderr, "no mobile broadband dongle found") {
			t.Errorf("%q: stderr %q, want it to say there are no USB devices", cmd, stderr)
		}
		if len(cmd) == 2 && cmd[1] == "--json" {
			var list []any
			if err := json.Unmarshal([]byte(out), &list); err != nil || len(list) != 0 {
				t.Errorf("devices --json: %q, want []", out)
			}
		}
	}
}
