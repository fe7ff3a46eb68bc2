package modemsim

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func parseOK(t *testing.T, yaml string) Persona {
	t.Helper()
	p, err := ParsePersona(strings.NewReader(yaml), "test")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestBuiltins(t *testing.T) {
	names := BuiltinNames()
	for _, want := range []string{"zte-mf622", "huawei-e1750", "huawei-e3131", "pin-required", "pin-one-left",
		"puk-locked", "no-sim", "slow-register", "denied", "aux-at", "diag-silent"} {
		if !slices.Contains(names, want) {
			t.Errorf("no builtin %q in %q", want, names)
		}
	}
	for _, n := range names {
		p, err := Builtin(n)
		if err != nil {
			t.Errorf("%s: %v", n, err)
			continue
		}
		if p.Name != n {
			t.Errorf("%s: name %q", n, p.Name)
		}
		if p.Description == "" {
			t.Errorf("%s: no description", n)
		}
	}
}

func TestBuiltinIsACopy(t *testing.T) {
	a := mustBuiltin(t, "huawei-e1750")
	a.URCs[0].Line = "changed"
	a.Replies[0].Lines[0] = "changed"
	b := mustBuiltin(t, "huawei-e1750")
	if b.URCs[0].Line == "changed" || b.Replies[0].Lines[0] == "changed" {
		t.Error("Builtin shares state between calls")
	}
}

func TestInherit(t *testing.T) {
	p := mustBuiltin(t, "pin-one-left")
	if p.SIM.State != SIMPIN || p.SIM.PINAttempts != 1 || p.SIM.PIN != "1234" {
		t.Errorf("SIM = %+v", p.SIM)
	}
	if p.Identity.Model != "MF622" || p.Vendor != VendorZTE || p.Dial.Rate != "7200000" {
		t.Errorf("not inherited from zte-mf622: %+v", p)
	}
	s := mustBuiltin(t, "slow-register")
	if s.Network.RegisterAfter != 20*time.Second || s.Network.Operator != "3 UK" {
		t.Errorf("network = %+v", s.Network)
	}
	if d := mustBuiltin(t, "diag-silent"); len(d.URCs) != 0 || !d.Faults.Silent {
		t.Errorf("diag-silent: urcs %v faults %+v", d.URCs, d.Faults)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		yaml string
		want []string // substrings of the error
	}{
		{"name: x\nechoo: true\n", []string{"persona test", "line 2", "echoo"}},
		{"sim:\n  state: locked\n", []string{"line 2", `sim state "locked"`, "known:"}},
		{"network:\n  act: 5G\n", []string{"line 2", "access technology"}},
		{"dial:\n  result: connect\n", []string{"line 2", "result"}},
		{"vendor: nokia\n", []string{"line 1", "vendor"}},
		{"inherit: nosuch\n", []string{"inherit", "unknown persona"}},
		{"sim:\n  pin: 12a4\n", []string{"sim.pin"}},
		{"cmee: 3\nnetwork:\n  rssi: 40\n", []string{"cmee", "network.rssi"}},
		{"latency: soon\n", []string{"line 1"}},
		{"urcs:\n  - every: 1s\n", []string{"urcs[0]: line is empty"}},
	}
	for _, tt := range tests {
		_, err := ParsePersona(strings.NewReader(tt.yaml), "test")
		if err == nil {
			t.Errorf("%q: no error", tt.yaml)
			continue
		}
		var pe *PersonaError
		if !errors.As(err, &pe) {
			t.Errorf("%q: %T is not a *PersonaError", tt.yaml, err)
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%q: error %q lacks %q", tt.yaml, err, w)
			}
		}
	}
	if _, err := Builtin("nosuch"); !errors.Is(err, ErrUnknownPersona) {
		t.Errorf("Builtin(nosuch) = %v", err)
	}
}

func TestParseDefaults(t *testing.T) {
	p := parseOK(t, "")
	if !p.Echo || p.SIM.State != SIMReady || p.Network.Stat != RegHome || p.Dial.Result != ResultConnect || p.Name != "test" {
		t.Errorf("defaults: %+v", p)
	}
	p = parseOK(t, "network:\n  stat: 5\n  act: E-UTRAN\n  cereg: true\n")
	if p.Network.Stat != RegRoaming || p.Network.Act != 7 || !p.Network.CEREG {
		t.Errorf("network: %+v", p.Network)
	}
}

func TestSplitLine(t *testing.T) {
	tests := []struct {
		body string
		want []string // name|op|args
	}{
		{"", nil},
		{"Q0 V1 E1 S0=0 &C1 &D2 +FCLASS=0", []string{"Q||0", "V||1", "E||1", "S0|=|0", "&C||1", "&D||2", "+FCLASS|=|0"}},
		{"+cmee=1;+creg?;+CGREG=?", []string{"+CMEE|=|1", "+CREG|?|", "+CGREG|=?|"}},
		{`+CGDCONT=1,"IP","Three.co.uk;x"`, []string{`+CGDCONT|=|1,"IP","Three.co.uk;x"`}},
		{"d*99***1#", []string{"D||*99***1#"}},
		{"E0+CMEE=2;D*99#", []string{"E||0", "+CMEE|=|2", "D||*99#"}},
		{"^CURC=0;^CPIN?", []string{"^CURC|=|0", "^CPIN|?|"}},
		{"S12?", []string{"S12|?|"}},
		{"Z", []string{"Z||"}},
	}
	for _, tt := range tests {
		cmds, ok := splitLine(tt.body)
		if !ok {
			t.Errorf("%q: not ok", tt.body)
			continue
		}
		var got []string
		for _, c := range cmds {
			got = append(got, c.name+"|"+c.op+"|"+c.args)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%q: got %q, want %q", tt.body, got, tt.want)
		}
	}
	for _, bad := range []string{"#", "+CSQ;!", "&"} {
		if _, ok := splitLine(bad); ok {
			t.Errorf("%q: ok", bad)
		}
	}
}

func TestParams(t *testing.T) {
	got := params(`1,"IP","a,b",,x`)
	if want := []string{"1", "IP", "a,b", "", "x"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestMask(t *testing.T) {
	for in, want := range map[string]string{
		`AT+CPIN="1234"`:            "AT+CPIN=****",
		`at+cpin="12345678","0000"`: "at+cpin=****",
		`AT^CPIN="1234"`:            "AT^CPIN=****",
		"AT+CPIN?":                  "AT+CPIN?",
		`AT+CGDCONT=1,"IP","apn"`:   `AT+CGDCONT=1,"IP","apn"`,
	} {
		if got := mask(in); got != want {
			t.Errorf("mask(%q) = %q, want %q", in, got, want)
		}
	}
}
