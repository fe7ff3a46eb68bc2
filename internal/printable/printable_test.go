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
