package at

import (
	"errors"
	"testing"
)

func TestJoin(t *testing.T) {
	for _, tc := range []struct {
		cmds []string
		want string // "" : ErrNotJoinable
	}{
		{[]string{"ATQ0 V1 E1 S0=0 &C1 &D2 +FCLASS=0", "+CMEE=1", "AT+CPIN?"}, "ATQ0 V1 E1 S0=0 &C1 &D2 +FCLASS=0;+CMEE=1;+CPIN?"},
		{[]string{"+CGREG?", "+CREG?", "+CSQ", "+COPS?", "+CEREG?"}, "AT+CGREG?;+CREG?;+CSQ;+COPS?;+CEREG?"},
		{[]string{"ATE1 V1", "+CMEE=1"}, "ATE1 V1 +CMEE=1"}, // after a basic command: no ';'
		{[]string{"&K3", "", "S7=60"}, "AT&K3 S7=60"},
		{[]string{`+CGDCONT=1,"IP","dz;hz"`, "+CSQ"}, `AT+CGDCONT=1,"IP","dz;hz";+CSQ`},
		{[]string{`+CGDCONT=1,"IP","ZDHAO"`, "+CSQ"}, `AT+CGDCONT=1,"IP","ZDHAO";+CSQ`}, // letters in quotes are no commands
		{[]string{"\\Q3", "+CSQ"}, "AT\\Q3 +CSQ"},
		{[]string{"ATZ", "+CSQ"}, ""},
		{[]string{"AT&F", "+CSQ"}, ""},
		{[]string{"E1 Z", "+CSQ"}, ""},
		{[]string{"+CSQ", "D*99#"}, ""},
		{[]string{"+CSQ", "H"}, ""},
		{[]string{"+CSQ", "O"}, ""},
		{[]string{"+CSQ", "A"}, ""},
		{[]string{`+CGDCONT=1,"IP`, "+CSQ"}, ""}, // an unclosed quote would swallow the rest
		{[]string{"+CSQ\r+CFUN=0"}, ""},
	} {
		got, err := Join(tc.cmds...)
		switch {
		case tc.want == "" && !errors.Is(err, ErrNotJoinable):
			t.Errorf("Join(%q) = %q, %v; want ErrNotJoinable", tc.cmds, got, err)
		case tc.want != "" && (err != nil || got != tc.want):
			t.Errorf("Join(%q) = %q, %v; want %q", tc.cmds, got, err, tc.want)
		}
	}
	if !Joinable("+CMEE=1") || Joinable("ATZ") {
		t.Error("Joinable disagrees with Join")
	}
}
