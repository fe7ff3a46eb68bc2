package chat

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var testVars = ScriptVars{
	Values: map[string]string{"apn": "three.co.uk", "pin": "1234", "number": "*99#"},
	Secret: map[string]bool{"pin": true},
}

func parseYAMLFile(t *testing.T, name string) *Script {
	t.Helper()
	f, err := os.Open("testdata/scripts/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s, err := ParseScriptYAML(f, name, testVars)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestParseScriptYAMLExample(t *testing.T) {
	s := parseYAMLFile(t, "dial.yaml")
	want := []string{
		`abort "NO CARRIER"`, `abort "NO DIALTONE"`, `abort "BUSY"`, `abort "NO ANSWER"`,
		`report "CONNECT"`,
		`say "waking the modem\n"`,
		`expect "OK"`, `expect "OK"`, `expect "OK"`, `expect "OK"`,
		`expect "+CPIN: READY"|"+CPIN: SIM PIN"|"+CPIN: SIM PUK"|"/^\\+CME ERROR: (10|SIM not inserted)$/"`,
		`abort "+CME ERROR:"`,
		`expect "OK"`,
		`say "waiting for the network\n"`,
		`wait_until "AT+CGREG?\r" /^\+CGREG: \d,[15]\b/`,
		`expect "OK"`,
		`expect "OK"`,
		`abort "ERROR"`,
		`expect "CONNECT"`,
	}
	if diff := cmp.Diff(want, renderSteps(s)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if s.Name != "generic-3gpp" || s.Timeout != 5*time.Second {
		t.Errorf("name %q timeout %v", s.Name, s.Timeout)
	}
	wake := s.Steps[6]
	if wake.Expect.Retries != 4 || wake.Expect.Timeout != 2*time.Second || string(wake.Send.Bytes()) != "AT\r" {
		t.Errorf("wake step: %+v", wake)
	}
	if wake.Pos.String() != "dial.yaml:20:5" {
		t.Errorf("wake step at %s", wake.Pos)
	}
	pin := s.Steps[10].Expect.Alts[1].Then
	if !pin.Secret || string(pin.Bytes()) != "AT+CPIN=\"1234\"\r" {
		t.Errorf("PIN send: %+v", pin)
	}
	if fail := s.Steps[10].Expect.Alts[2].Fail; !strings.Contains(fail, "PUK") {
		t.Errorf("PUK alternative fail %q", fail)
	}
	w := s.Steps[14].WaitUntil
	if string(w.Send.Bytes()) != "AT+CGREG?\r" || w.Every != 2*time.Second || w.Timeout != time.Minute ||
		!w.Match.MatchString("+CGREG: 0,5") || w.Match.MatchString("+CGREG: 0,2") || !w.Fail.MatchString("+CGREG: 2,3") {
		t.Errorf("wait_until: %+v", w)
	}
	if got := string(s.Steps[18].Send.Bytes()); got != "ATD*99#\r" {
		t.Errorf("dial send %q", got)
	}
	if diff := cmp.Diff([]string{"1234"}, s.Secrets); diff != "" {
		t.Errorf("secrets: %s", diff)
	}
}

func TestParseScriptYAMLMinimal(t *testing.T) {
	s := parseYAMLFile(t, "minimal.yaml")
	want := []string{`send "AT\r"`, `expect "OK"`, `wait_until "AT+CGREG?\r" /\+CGREG: \d,[15]/`, `expect "CONNECT"`}
	if diff := cmp.Diff(want, renderSteps(s)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if s.Steps[1].Expect.Timeout != 3*time.Second || s.Timeout != 0 {
		t.Errorf("timeouts: step %v script %v", s.Steps[1].Expect.Timeout, s.Timeout)
	}
}

func TestParseScriptYAMLOptions(t *testing.T) {
	src := `
steps:
  - send: "+++"
    cr: false
  - sleep: 1.5
  - echo: on
  - hangup: false
  - set_timeout: 1m
  - send: AT
    expect: {regexp: '^OK$', then: ATH}
    fallback:
      - {send: AT, expect: OK}
`
	s, err := ParseScriptYAML(strings.NewReader(src), "x.yaml", ScriptVars{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{`send "+++"`, `sleep 1.5s`, `echo true`, `hangup false`, `set_timeout 1m0s`,
		`expect "/^OK$/" else send "AT\r" expect "OK"`}
	if diff := cmp.Diff(want, renderSteps(s)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestParseScriptYAMLErrors(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"unknown top", "stepz: []\n", `x.yaml:1:1: stepz: unknown field (known: abort, name,`},
		{"unknown step field", "steps:\n  - send: AT\n    expct: OK\n", `x.yaml:3:5: steps[0].expct: unknown field (known: abort,`},
		{"unknown alt field", "steps:\n  - expect:\n      - {mach: OK}\n", `x.yaml:3:10: steps[0].expect[0].mach: unknown field (known: fail, match,`},
		{"bad duration", "steps:\n  - expect: OK\n    timeout: 3 s\n", `x.yaml:3:14: steps[0].timeout: bad duration "3 s"`},
		{"two things", "steps:\n  - send: AT\n    say: hi\n", `x.yaml:2:5: one step does one thing, this one has send and say`},
		{"empty step", "steps:\n  - {}\n", `x.yaml:2:5: empty step`},
		{"no steps", "name: x\n", `x.yaml: no steps`},
		{"unknown var", "steps:\n  - send: AT+CPIN=${pim}\n", `x.yaml:2:5: unknown variable ${pim}`},
		{"bad regexp", "steps:\n  - expect: {regexp: '('}\n", `x.yaml:2:13: bad regexp`},
		{"wait without match", "steps:\n  - wait_until: {send: AT}\n", `x.yaml:2:17: wait_until needs send and match`},
		{"retries without send", "steps:\n  - expect: OK\n    retries: 2\n", `x.yaml:2:5: retries resend`},
		{"syntax", "steps:\n  - send: [\n", `x.yaml:2: did not find`},
		{"type", "steps:\n  - retries: many\n    send: AT\n    expect: OK\n", `x.yaml:2:14: steps[0].retries: cannot unmarshal`},
		{"empty", "", `x.yaml: empty script`},
	} {
		_, err := ParseScriptYAML(strings.NewReader(tc.src), "x.yaml", testVars)
		var se *ScriptSyntaxError
		if !errors.As(err, &se) {
			t.Errorf("%s: %v, want *ScriptSyntaxError", tc.name, err)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s:\n got %v\nwant %s", tc.name, err, tc.want)
		}
	}
}
