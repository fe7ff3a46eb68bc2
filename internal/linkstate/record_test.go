package linkstate

import (
	"errors"
	"net/netip"
	"strings"
	"testing"
)

func TestValidProfile(t *testing.T) {
	for _, ok := range []string{"home", "three", "van-2", "o2_de", "a.b", "x@y", strings.Repeat("p", 64)} {
		if err := ValidProfile(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, bad := range []string{"", ".", "..", "../etc", "a/b", ".hidden", "-v", "two words", "tab\t", "nl\n",
		"caf\xc3\xa9", "del\x7f", strings.Repeat("p", 65)} {
		if err := ValidProfile(bad); !errors.Is(err, ErrBadProfile) {
			t.Errorf("%q accepted: %v", bad, err)
		}
	}
}

func TestRecordCheck(t *testing.T) {
	good := func() Record {
		return Record{Profile: "home", State: StateUp, Supervisor: Process{PID: 10, Start: 5}, Interface: "ppp0"}
	}
	tests := []struct {
		name   string
		change func(*Record)
		err    error
	}{
		{"good", func(*Record) {}, nil},
		{"bad profile", func(r *Record) { r.Profile = "../x" }, ErrBadProfile},
		{"unknown state", func(r *Record) { r.State = "sleeping" }, ErrCorrupt},
		{"no supervisor", func(r *Record) { r.Supervisor.PID = 0 }, ErrCorrupt},
		{"negative pppd", func(r *Record) { r.PPPD.PID = -1 }, ErrCorrupt},
		{"negative reconnects", func(r *Record) { r.Reconnects = -1 }, ErrCorrupt},
		{"interface path", func(r *Record) { r.Interface = "../../etc" }, ErrCorrupt},
		{"too many DNS", func(r *Record) { r.DNS = make([]netip.Addr, 9) }, ErrCorrupt},
	}
	for _, tt := range tests {
		r := good()
		tt.change(&r)
		err := r.check()
		if (tt.err == nil) != (err == nil) || !errors.Is(err, tt.err) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.err)
		}
	}
}

func TestCleanText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Vodafone.de", "Vodafone.de"},
		{"\x1b]0;pwned\x07Op", "Op"},
		{"line\nbreak", "linebreak"},
		{"bad\xffutf8", "bad\ufffdutf8"},
		{"c1\u009b2Jcsi", "c1csi"},
		{"Telefónica", "Telefónica"},
		{strings.Repeat("é", 200), strings.Repeat("é", 128)},
	}
	for _, tt := range tests {
		if got := cleanText(tt.in); got != tt.want {
			t.Errorf("cleanText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
