package carriers_test

import (
	"testing"
	"testing/synctest"

	"github.com/zdial/zdial/at"
	"github.com/zdial/zdial/carriers"
	"github.com/zdial/zdial/internal/modemsim"
)

// TestAPNFromSimulatedSIM reads the IMSI with AT+CIMI from simulator
// personas carrying SIMs of different countries and picks the APN from it.
func TestAPNFromSimulatedSIM(t *testing.T) {
	db := carriers.Builtin()
	for _, tc := range []struct {
		persona, carrier, apn, mccmnc string
	}{
		{"sim-gb-three", "three-uk", "three.co.uk", "23420"},
		{"sim-ie-three", "three-ie", "3ireland.ie", "27205"},
		{"sim-de-telekom", "telekom-de", "internet.telekom", "26201"},
		{"sim-it-tim", "tim-it", "ibox.tim.it", "22201"},
		{"sim-us-tmobile", "t-mobile-us", "fast.t-mobile.com", "310260"},
		{"sim-in-jio", "jio-in", "jionet", "405857"},
	} {
		t.Run(tc.persona, func(t *testing.T) {
			p, err := modemsim.Builtin(tc.persona)
			if err != nil {
				t.Fatal(err)
			}
			synctest.Test(t, func(t *testing.T) {
				client, sim := modemsim.Pipe(p)
				m := at.New(client)
				defer func() {
					m.Close()
					<-sim.Done()
				}()
				lines, err := m.Command(t.Context(), "+CIMI")
				if err != nil || len(lines) != 1 {
					t.Fatalf("AT+CIMI = %q, %v", lines, err)
				}
				s, err := db.FromIMSI(lines[0])
				if err != nil {
					t.Fatal(err)
				}
				if s.Carrier.Name != tc.carrier || s.APN.Name != tc.apn || s.MCCMNC() != tc.mccmnc {
					t.Errorf("%s → %s %s (%s), want %s %s (%s)", lines[0], s.Carrier.Name, s.APN.Name, s.MCCMNC(),
						tc.carrier, tc.apn, tc.mccmnc)
				}
				// The network the persona registers on agrees with its SIM.
				if _, err := m.Command(t.Context(), "+COPS=3,2"); err != nil {
					t.Fatal(err)
				}
				op, err := at.ReadOperator(t.Context(), m)
				if err != nil {
					t.Fatal(err)
				}
				if mcc, mnc, ok := op.Numeric(); !ok || mcc+mnc != tc.mccmnc {
					t.Errorf("+COPS numeric %s%s, want %s", mcc, mnc, tc.mccmnc)
				}
				// A shared name follows the SIM.
				c, err := db.Resolve("three", carriers.Hint{MCCMNC: s.MCCMNC()})
				if tc.carrier == "three-ie" && (err != nil || c.Name != "three-ie") {
					t.Errorf("three with this SIM = %s, %v", c.Name, err)
				}
				t.Log(s.Reason)
			})
		})
	}
}
