package wvdialconf

import (
	"strings"
	"testing"
)

// initOutcome converts a [Dialer Defaults] with one Init3 and reports what
// became of it.
func initOutcome(t *testing.T, init string) (Profile, *Result) {
	t.Helper()
	r := convertString(t, "[Dialer Defaults]\nInit3 = "+init+"\n")
	return r.Profiles[0], r
}

func TestInitStrings(t *testing.T) {
	for _, c := range []struct {
		init         string
		apn, pdp     string
		cid          int
		pin          string
		kept         []string
		unmappedSays string
	}{
		{init: `AT+CGDCONT=1,"IP","three.co.uk"`, apn: "three.co.uk", pdp: "IP", cid: 1},
		{init: `at+cgdcont=3,"ipv4v6","mobile.example","",0,0`, apn: "mobile.example", pdp: "IPV4V6", cid: 3},
		{init: `AT+CGDCONT=1,IP,internet`, apn: "internet", pdp: "IP", cid: 1},
		{init: `AT+CGDCONT=1,"IP","web.example","10.0.0.1"`, apn: "web.example", pdp: "IP", cid: 1},
		{init: `AT+CGDCONT=1,"PPP","x"`, kept: []string{`AT+CGDCONT=1,"PPP","x"`}},
		{init: `AT+CGDCONT=0,"IP","x"`, kept: []string{`AT+CGDCONT=0,"IP","x"`}},
		{init: `AT+CGDCONT?`, kept: []string{`AT+CGDCONT?`}},
		{init: `AT+CPIN=1234`, pin: "1234"},
		{init: `AT+CPIN="87654321"`, pin: "87654321"},
		{init: `AT+CPIN=123`, unmappedSays: "cannot map"},
		{init: `AT+CPIN="12345678","2468"`, unmappedSays: "cannot map"},
		{init: `AT+CPIN?`, unmappedSays: "checks the SIM itself"},
		{init: `AT+CLCK="SC",0,"1234"`, unmappedSays: "SIM lock or password"},
		{init: `AT+CPWD="SC","1234","4321"`, unmappedSays: "SIM lock or password"},
		{init: `ATZ`, unmappedSays: "resets the modem"},
		{init: `AT&F`, unmappedSays: "resets the modem"},
		{init: `at z`, unmappedSays: "resets the modem"},
		{init: `AT&F E0 V1`, kept: []string{"AT&F E0 V1"}},
		{init: `ATE0+CPIN="4321";+CGDCONT=1,"IP","internet"`, pin: "4321", apn: "internet", pdp: "IP", cid: 1, kept: []string{"ATE0"}},
		{init: `AT+CPIN=4321;+CGREG=2;^CURC=0`, pin: "4321", kept: []string{"AT+CGREG=2;^CURC=0"}},
		{init: `AT+CGDCONT=1,"IP","a";+CPIN=1111`, pin: "1111", apn: "a", pdp: "IP", cid: 1},
		{init: `ATZ+CPIN=1111`, pin: "1111", unmappedSays: "resets the modem"},
		{init: `S7=45`, kept: []string{"S7=45"}},
		{init: `+CPIN=2468`, pin: "2468"},
		{init: `+CGDCONT=1,"IP","no.at.prefix"`, apn: "no.at.prefix", pdp: "IP", cid: 1},
		{init: "AT\tE1", unmappedSays: "not printable ASCII"},
	} {
		t.Run(c.init, func(t *testing.T) {
			p, r := initOutcome(t, c.init)
			if p.APN != c.apn || p.PDPType != c.pdp || p.CID != c.cid || p.PIN.Reveal() != c.pin {
				t.Errorf("apn %q pdp %q cid %d pin set %v; want %q %q %d pin %q", p.APN, p.PDPType, p.CID, p.PIN.IsSet(), c.apn, c.pdp, c.cid, c.pin)
			}
			if strings.Join(p.Init, "|") != strings.Join(c.kept, "|") {
				t.Errorf("init %q, want %q", p.Init, c.kept)
			}
			var un []string
			for _, n := range r.Unmapped {
				un = append(un, n.String())
			}
			if c.unmappedSays != "" && !strings.Contains(strings.Join(un, "\n"), c.unmappedSays) {
				t.Errorf("not mapped: %q; want a note saying %q", un, c.unmappedSays)
			}
			all := strings.Join(un, "\n")
			for _, n := range r.Notes {
				all += "\n" + n.String()
			}
			for _, secret := range []string{"1234", "4321", "2468", "87654321", "1111", "12345678"} {
				if strings.Contains(c.init, secret) && strings.Contains(all, secret) {
					t.Errorf("a note quotes %q:\n%s", secret, all)
				}
			}
		})
	}
}
