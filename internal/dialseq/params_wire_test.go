package dialseq

import (
	"errors"
	"strings"
	"testing"

	"github.com/zdial/zdial/internal/printable"
)

// Issue 9 item 12: control bytes in the APN, number, PIN or an init
// string never reach the wire; the error names the byte, never the value.
func TestParamsRefuseControlBytes(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    Params
	}{
		{"backspace in the APN", Params{APN: "internet\b\b\b\b\b\b\b\bATH"}},
		{"Ctrl-Z in the APN", Params{APN: "apn\x1a"}},
		{"ESC in the number", Params{APN: "a", Number: "*99#\x1b"}},
		{"NUL in the number", Params{APN: "a", Number: "*99\x00#"}},
		{"backspace in the PIN", Params{APN: "a", PIN: "12\b34"}},
		{"CR in an init string", Params{APN: "a", Init: []string{"ATZ\rAT+CFUN=0"}}},
		{"non-ASCII in the APN", Params{APN: "intérnet"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.p.Validate()
			if !errors.Is(err, printable.ErrNotPrintable) {
				t.Fatalf("Validate() = %v, want ErrNotPrintable", err)
			}
			if tc.p.PIN != "" && (strings.Contains(err.Error(), "12") || strings.Contains(err.Error(), "34")) {
				t.Errorf("error shows the PIN: %v", err)
			}
		})
	}
	good := Params{APN: "three.co.uk", Number: "*99***3#", PIN: "1234", Init: []string{"ATQ0 V1 E1 S0=0 &C1 &D2 +FCLASS=0"}}
	if err := good.Validate(); err != nil {
		t.Errorf("Validate(good) = %v", err)
	}
}

func TestConnectRate(t *testing.T) {
	for in, want := range map[string]string{
		"7200000":                     "7200000",
		" 150000000":                  "150000000",
		"115200/V42":                  "115200",
		"":                            "",
		"7200\x1b[2J\x1b]0;owned\x07": "7200",
		"\x1b[2J":                     "",
	} {
		if got := connectRate(in); got != want {
			t.Errorf("connectRate(%q) = %q, want %q", in, got, want)
		}
	}
}
