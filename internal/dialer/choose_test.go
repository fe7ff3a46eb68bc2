package dialer

import (
	"context"
	"errors"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	modeswitch "github.com/zdial/zdial/switch"
)

// TestChoosePortTable runs choosePort's order of preference over probe
// results: database role, ^GETPORTMODE, data-port check, and the fallback
// to an AT port when no port passed the check and the database gives no
// roles. Ports absent from answers are silent (their probe times out on the
// bubble's clock). Ports are listed out of interface order on purpose.
func TestChoosePortTable(t *testing.T) {
	port := func(n int, role modeswitch.Role) modeswitch.Port {
		name := "ttyUSB" + string(rune('0'+n))
		return modeswitch.Port{Name: name, Path: "/dev/" + name, Interface: n, Role: role}
	}
	at := ProbeResult{AT: true}
	data := ProbeResult{AT: true, DataPort: true}
	for _, tc := range []struct {
		name    string
		ports   []modeswitch.Port
		answers map[string]ProbeResult
		want    string   // chosen port; "" wants modeswitch.ErrNoPort
		reason  []string // substrings of Choice.Reason, or of the error
	}{
		{name: "database role beats the data-port check",
			ports:   []modeswitch.Port{port(1, modeswitch.RoleAT), port(2, modeswitch.RolePPP), port(0, modeswitch.RoleDiag)},
			answers: map[string]ProbeResult{"/dev/ttyUSB1": data, "/dev/ttyUSB2": at},
			want:    "ttyUSB2", reason: []string{"database role"}},
		{name: "GETPORTMODE beats the data-port check",
			ports: []modeswitch.Port{port(2, modeswitch.RoleNone), port(0, modeswitch.RoleNone)},
			answers: map[string]ProbeResult{"/dev/ttyUSB2": {AT: true, DataPort: true, PortMode: map[string]int{"MDM": 0, "PCUI": 2}},
				"/dev/ttyUSB0": at},
			want: "ttyUSB0", reason: []string{"AT^GETPORTMODE MDM"}},
		{name: "one port passes the data-port check",
			ports:   []modeswitch.Port{port(0, modeswitch.RoleNone), port(1, modeswitch.RoleNone), port(2, modeswitch.RoleNone)},
			answers: map[string]ProbeResult{"/dev/ttyUSB1": at, "/dev/ttyUSB2": data},
			want:    "ttyUSB2", reason: []string{"data-port check"}},
		{name: "several pass the data-port check: lowest interface, and the reason says so",
			ports:   []modeswitch.Port{port(3, modeswitch.RoleNone), port(1, modeswitch.RoleNone), port(2, modeswitch.RoleNone)},
			answers: map[string]ProbeResult{"/dev/ttyUSB3": data, "/dev/ttyUSB1": data, "/dev/ttyUSB2": at},
			want:    "ttyUSB1", reason: []string{"data-port check: ttyUSB1 and ttyUSB3 passed it", "lowest interface, 1"}},
		{name: "exactly one port answers AT: take it",
			ports:   []modeswitch.Port{port(0, modeswitch.RoleNone), port(1, modeswitch.RoleNone), port(2, modeswitch.RoleNone)},
			answers: map[string]ProbeResult{"/dev/ttyUSB1": at},
			want:    "ttyUSB1", reason: []string{"the only port that answers AT", "none passed the data-port check"}},
		{name: "several answer AT, none passes: the lowest AT interface",
			ports:   []modeswitch.Port{port(3, modeswitch.RoleNone), port(0, modeswitch.RoleNone), port(2, modeswitch.RoleNone), port(1, modeswitch.RoleNone)},
			answers: map[string]ProbeResult{"/dev/ttyUSB3": at, "/dev/ttyUSB2": at, "/dev/ttyUSB1": at},
			want:    "ttyUSB1", reason: []string{"first AT port", "ttyUSB1, ttyUSB2 and ttyUSB3 answer AT", "none passed the data-port check", "lowest interface, 1", "usb_modeswitch users"}},
		{name: "database roles and no PPP port answering: no guess",
			ports:   []modeswitch.Port{port(0, modeswitch.RoleDiag), port(1, modeswitch.RoleNone)},
			answers: map[string]ProbeResult{"/dev/ttyUSB1": at},
			reason:  []string{"ttyUSB0 (diag, not probed), ttyUSB1 (AT, not a data port)"}},
		{name: "the database's at port is never the fallback",
			ports:   []modeswitch.Port{port(0, modeswitch.RolePPP), port(1, modeswitch.RoleAT)},
			answers: map[string]ProbeResult{"/dev/ttyUSB1": at},
			reason:  []string{"ttyUSB0 (context deadline exceeded)", "ttyUSB1 (AT, not a data port)"}},
		{name: "nothing answers AT",
			ports:   []modeswitch.Port{port(0, modeswitch.RoleNone), port(1, modeswitch.RoleNone)},
			answers: map[string]ProbeResult{"/dev/ttyUSB1": {}},
			reason:  []string{"ttyUSB0 (context deadline exceeded)", "ttyUSB1 (no AT answer)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				fp := &fakeProber{answers: tc.answers}
				c, err := Discovery{probe: fp.probe, ProbeTimeout: time.Second}.choosePort(context.Background(), tc.ports)
				got := c.Reason
				if tc.want == "" {
					if !errors.Is(err, modeswitch.ErrNoPort) {
						t.Fatalf("chose %s (%s), want modeswitch.ErrNoPort", c.Port.Name, c.Reason)
					}
					got = err.Error()
				} else {
					if err != nil {
						t.Fatal(err)
					}
					if c.Port.Name != tc.want || c.Port.Role != modeswitch.RolePPP {
						t.Errorf("chose %+v (%s), want %s", c.Port, c.Reason, tc.want)
					}
					for _, p := range c.Ports {
						if p.Name == tc.want && p.Role != modeswitch.RolePPP {
							t.Errorf("Ports lists %s as %q, want ppp", p.Name, p.Role)
						}
					}
				}
				for _, s := range tc.reason {
					if !strings.Contains(got, s) {
						t.Errorf("%q lacks %q", got, s)
					}
				}
			})
		})
	}
}

func TestPortVerdict(t *testing.T) {
	mdm := map[string]int{"MDM": 0, "DIAG": 1, "PCUI": 2}
	for _, tc := range []struct {
		name      string
		role      modeswitch.Role
		iface     int
		at, data  bool
		pm        map[string]int
		want      bool
		wantInWhy string
	}{
		{"database ppp beats a failed check", modeswitch.RolePPP, 2, true, false, nil, true, "names it the PPP port; the data-port check found no online data state"},
		{"database at beats a passed check", modeswitch.RoleAT, 1, true, true, nil, false, "names it the at port; it passed the data-port check"},
		{"port map MDM", modeswitch.RoleNone, 0, true, false, mdm, true, "puts MDM on interface 0"},
		{"port map elsewhere", modeswitch.RoleNone, 2, true, true, mdm, false, "not this one"},
		{"check alone", modeswitch.RoleNone, 3, true, true, nil, true, "passed the data-port check"},
		{"silent", modeswitch.RolePPP, 2, false, false, nil, false, "no AT answer"},
	} {
		data, why := PortVerdict(tc.role, tc.iface, tc.at, true, tc.data, tc.pm)
		if data != tc.want || !strings.Contains(why, tc.wantInWhy) {
			t.Errorf("%s: %v %q, want %v and %q", tc.name, data, why, tc.want, tc.wantInWhy)
		}
	}
	// A probe cut short before the checks says so rather than what a check found.
	if data, why := PortVerdict(modeswitch.RoleNone, 2, true, false, false, nil); data || why != "the probe was cut short before the data-port check" {
		t.Errorf("unchecked: %v %q", data, why)
	}
}
