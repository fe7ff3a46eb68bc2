package dialer_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/zdial/zdial/carriers"
	"github.com/zdial/zdial/internal/fakepppd"
	"github.com/zdial/zdial/internal/profile"
)

// The number dialed follows the configured context: a profile read from a
// config file, resolved and dialed for real against the simulator. The bug
// this pins: with cid 3 and no number, zdial set up context 3 and then
// dialed *99#, which uses context 1.
func TestConnectDialsTheConfiguredContext(t *testing.T) {
	for _, tc := range []struct {
		name, config string
		cgdcont, atd string
	}{
		{"cid 3, no number", "work: {apn: internet, cid: 3}",
			`AT+CGDCONT=3,"IP","internet"`, "ATD*99***3#"},
		{"cid 1, no number", "work: {apn: internet, cid: 1}",
			`AT+CGDCONT=1,"IP","internet"`, "ATD*99#"},
		{"no cid, no number", "work: {apn: internet}",
			`AT+CGDCONT=1,"IP","internet"`, "ATD*99#"},
		{"cid 3, inherited carrier", "work: {inherits: three, cid: 3}",
			`AT+CGDCONT=3,"IP","three.co.uk"`, "ATD*99***3#"},
		{"explicit number wins", `work: {apn: internet, cid: 3, number: "*99***1#"}`,
			`AT+CGDCONT=3,"IP","internet"`, "ATD*99***1#"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := profile.ParseConfig(strings.NewReader("profiles:\n  "+tc.config+"\n"), "cfg.yaml")
			if err != nil {
				t.Fatal(err)
			}
			prof, err := profile.Resolve(cfg, carriers.Builtin(), "work")
			if err != nil {
				t.Fatal(err)
			}
			s := newSession(t, "zte-mf622", fakepppd.Spec{}, func(p *profile.Profile) { *p = prof })
			s.opts.DryRun = true
			if _, err := s.connect(false, nil); err != nil {
				t.Fatalf("Connect = %v", err)
			}
			rx := s.pty.Sim.Received()
			apn := slices.Index(rx, tc.cgdcont)
			atd := slices.IndexFunc(rx, func(l string) bool { return strings.HasPrefix(l, "ATD") })
			if apn < 0 || atd < apn || rx[atd] != tc.atd {
				t.Errorf("the modem received %q; want %s, then %s", rx, tc.cgdcont, tc.atd)
			}
		})
	}
}
