package carriers

import (
	"errors"
	"strings"
	"testing"
)

func TestFromIMSI(t *testing.T) {
	db := Builtin()
	for _, tc := range []struct {
		imsi, mcc, mnc, carrier, apn, reason string
	}{
		{"234201234567890", "234", "20", "three-uk", "three.co.uk", "IMSI 23420… → MCC 234 MNC 20 → Three UK (three.co.uk)"},
		{"272051234567890", "272", "05", "three-ie", "3ireland.ie", "IMSI 27205… → MCC 272 MNC 05 → Three Ireland (3ireland.ie)"},
		{"262011234567890", "262", "01", "telekom-de", "internet.telekom", ""},
		{"222011234567890", "222", "01", "tim-it", "ibox.tim.it", ""},
		{"310260123456789", "310", "260", "t-mobile-us", "fast.t-mobile.com", "IMSI 310260… → MCC 310 MNC 260 → T-Mobile US (fast.t-mobile.com)"},
		{"405857123456789", "405", "857", "jio-in", "jionet", ""},
		{"404451234567890", "404", "45", "airtel-in", "airtelgprs.com", ""},
		{"732101123456789", "732", "101", "claro-co", "internet.comcel.com.co", ""},
		{"234101234567890", "234", "10", "o2-uk", "mobile.o2.co.uk",
			"IMSI 23410… → MCC 234 MNC 10 → O2 UK (mobile.o2.co.uk); also on this network: giffgaff, tesco-mobile-uk"},
	} {
		s, err := db.FromIMSI(tc.imsi)
		if err != nil {
			t.Errorf("FromIMSI(%s): %v", tc.imsi, err)
			continue
		}
		if s.MCC != tc.mcc || s.MNC != tc.mnc || s.Carrier.Name != tc.carrier || s.APN.Name != tc.apn {
			t.Errorf("FromIMSI(%s) = %s/%s %s %s, want %s/%s %s %s", tc.imsi, s.MCC, s.MNC, s.Carrier.Name, s.APN.Name,
				tc.mcc, tc.mnc, tc.carrier, tc.apn)
		}
		if tc.reason != "" && s.Reason != tc.reason {
			t.Errorf("FromIMSI(%s) reason %q, want %q", tc.imsi, s.Reason, tc.reason)
		}
		if strings.Contains(s.Reason, tc.imsi[6:]) {
			t.Errorf("reason %q shows the subscriber part of the IMSI", s.Reason)
		}
	}
}

func TestFromIMSIErrors(t *testing.T) {
	db := Builtin()
	for _, tc := range []struct {
		imsi string
		want error
	}{
		{"", ErrBadIMSI},
		{"23420", ErrBadIMSI},
		{"2342012345678901", ErrBadIMSI},
		{"23420123456789", ErrBadIMSI},
		{"23420123456789x", ErrBadIMSI},
		{"+CIMI: 2342012", ErrBadIMSI},
		{" 234201234567890", ErrBadIMSI},
		{"999991234567890", ErrUnknownNetwork},
	} {
		_, err := db.FromIMSI(tc.imsi)
		if !errors.Is(err, tc.want) {
			t.Errorf("FromIMSI(%q) = %v, want %v", tc.imsi, err, tc.want)
		}
	}
	_, err := db.FromIMSI("999991234567890")
	var ue *UnknownNetworkError
	if !errors.As(err, &ue) || strings.Join(ue.Tried, ",") != "99999,999991" {
		t.Errorf("err = %v, want both codes tried", err)
	}
	if !strings.Contains(err.Error(), "99999 or 999991") {
		t.Errorf("err = %v", err)
	}
}

// TestSplitIMSI: the database decides the MNC length; the MCC only where
// the database knows neither.
func TestSplitIMSI(t *testing.T) {
	db, err := Parse(strings.NewReader(`
a: {apn: a, mccmnc: ["40585"]}
b: {apn: b, mccmnc: ["405857"]}
c: {apn: c, mccmnc: ["234123"]}
d: {apn: d, mccmnc: ["23412"]}
`))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ imsi, mnc string }{
		{"405857000000000", "857"}, // 405 is a 3-digit MCC and 405857 is known
		{"405851000000000", "85"},  // only the 2-digit code is known
		{"405999000000000", "999"}, // neither: the MCC's usual length
		{"234123000000000", "12"},  // both known: 234 usually has 2 digits
		{"234990000000000", "99"},
		{"310410000000000", "410"},
	} {
		_, mnc, err := db.SplitIMSI(tc.imsi)
		if err != nil || mnc != tc.mnc {
			t.Errorf("SplitIMSI(%s) = %s, %v; want %s", tc.imsi, mnc, err, tc.mnc)
		}
	}
}
