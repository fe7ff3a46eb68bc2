package printable

import (
	"errors"
	"strings"
	"testing"
)

func TestWire(t *testing.T) {
	tests := []struct {
		in  string
		pos int // -1: accepted
	}{
		{"three.co.uk", -1},
		{"*99***3#", -1},
		{`AT+CGDCONT=1,"IP","x"`, -1},
		{"", -1},
		{"inter\bnet", 5},
		{"1234\x1a", 4},
		{"a\x1b[2J", 1},
		{"\x00", 0},
		{"del\x7f", 3},
		{"caf\xc3\xa9", 3},
		{"apn\r\nATH", 3},
	}
	for _, tt := range tests {
		err := Wire(tt.in)
		if tt.pos < 0 {
			if err != nil {
				t.Errorf("Wire(%q) = %v, want nil", tt.in, err)
			}
			continue
		}
		var e *Error
		if !errors.As(err, &e) || !errors.Is(err, ErrNotPrintable) {
			t.Errorf("Wire(%q) = %v, want *Error", tt.in, err)
			continue
		}
		if e.Pos != tt.pos {
			t.Errorf("Wire(%q) blames byte %d, want %d", tt.in, e.Pos, tt.pos)
		}
	}
}

func TestWireErrorHidesValue(t *testing.T) {
	err := Wire("12\b34")
	if strings.Contains(err.Error(), "12") || strings.Contains(err.Error(), "34") {
		t.Errorf("error shows the value: %v", err)
	}
}

func TestShow(t *testing.T) {
	tests := []struct{ in, want string }{
		{"CONNECT 7200", "CONNECT 7200"},
		{"CONNECT 7200\x1b[2J\x1b]0;owned\x07", `CONNECT 7200\x1b[2J\x1b]0;owned\x07`},
		{"3 UK\tLTE", "3 UK\tLTE"},
		{"Télécom", "Télécom"},
		{"a\xffb", `a\xffb`},
		{"csi\u009b2J", `csi\u009b2J`},
		{"line\r\nnext", `line\x0d\x0anext`},
		{"del\x7f", `del\x7f`},
	}
	for _, tt := range tests {
		if got := Show(tt.in); got != tt.want {
			t.Errorf("Show(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzShow(f *testing.F) {
	f.Add("CONNECT 7200\x1b[2J")
	f.Add("a\xffb\u009b")
	f.Fuzz(func(t *testing.T, s string) {
		out := Show(s)
		for _, r := range out {
			if r < 0x20 && r != '\t' || r == 0x7f || (r >= 0x80 && r < 0xa0) {
				t.Fatalf("Show(%q) = %q keeps control rune %U", s, out, r)
			}
		}
		if Wire(s) == nil && out != s {
			t.Fatalf("Show changed wire-clean %q to %q", s, out)
		}
	})
}
