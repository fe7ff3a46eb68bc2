package chat

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// renderSteps shows a script's steps one per line, for comparisons.
func renderSteps(s *Script) []string {
	var out []string
	alts := func(as []Alt) string {
		var ss []string
		for _, a := range as {
			ss = append(ss, fmt.Sprintf("%q", a.String()))
		}
		if ss == nil {
			return "''"
		}
		return strings.Join(ss, "|")
	}
	send := func(s Send) string {
		var ss []string
		for _, p := range s.Parts {
			switch {
			case p.Pause > 0:
				ss = append(ss, "pause "+p.Pause.String())
			case p.Break:
				ss = append(ss, "break")
			default:
				ss = append(ss, fmt.Sprintf("%q", p.Data))
			}
		}
		if s.Secret {
			ss = append(ss, "(secret)")
		}
		return strings.Join(ss, " ")
	}
	for _, st := range s.Steps {
		var l string
		switch st.Kind {
		case StepExpect:
			l = "expect " + alts(st.Expect.Alts)
			for _, fb := range st.Expect.Fallbacks {
				l += " else send " + send(fb.Send) + " expect " + alts(fb.Alts)
			}
		case StepSend:
			l = "send " + send(st.Send)
		case StepWaitUntil:
			l = fmt.Sprintf("wait_until %q /%s/", st.WaitUntil.Send.Bytes(), st.WaitUntil.Match)
		case StepSetTimeout, StepSleep:
			l = st.Kind.String() + " " + st.Duration.String()
		case StepEcho, StepHangup:
			l = fmt.Sprintf("%s %v", st.Kind, st.On)
		default:
			l = fmt.Sprintf("%s %q", st.Kind, st.Text)
		}
		out = append(out, l)
	}
	return out
}

func parseChat8File(t *testing.T, name string, opts Chat8Options) *Script {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "chat8", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s, err := ParseChat8(f, name, opts)
	if err != nil {
		t.Fatalf("ParseChat8(%s): %v", name, err)
	}
	return s
}

func TestParseChat8Files(t *testing.T) {
	apn := "three.co.uk"
	for _, tc := range []struct {
		file string
		opts Chat8Options
		want []string
	}{
		{"three-uk", Chat8Options{}, []string{
			`set_timeout 5s`,
			`abort "NO CARRIER"`, `abort "BUSY"`, `abort "NO DIALTONE"`, `abort "ERROR"`, `abort "NO ANSWER"`,
			`report "CONNECT"`,
			`send "AT\r"`,
			`expect "OK" else send "AT\r" expect "OK"`, `send "ATZ\r"`,
			`expect "OK"`, `send "AT+CGDCONT=1,\"IP\",\"three.co.uk\"\r"`,
			`expect "OK"`, `send "ATD*99#\r"`,
			`set_timeout 30s`,
			`expect "CONNECT"`, `send `, // \c: nothing at all is sent
		}},
		{"debian-gprs", Chat8Options{Phone: &apn}, []string{
			`abort "BUSY"`, `abort "VOICE"`, `abort "NO CARRIER"`, `abort "NO DIALTONE"`,
			`abort "NO DIAL TONE"`, `abort "NO ANSWER"`, `abort "DELAYED"`, `abort "ERROR"`,
			`abort "+CGATT: 0"`,
			`send "AT\r"`,
			`set_timeout 12s`,
			`expect "OK"`, `send "ATH\r"`,
			`expect "OK"`, `send "ATE1\r"`,
			`expect "OK"`, `send "AT+CGDCONT=1,\"IP\",\"three.co.uk\",\"\",0,0\r"`,
			`expect "OK"`, `send "ATD*99#\r"`,
			`set_timeout 22s`,
			`expect "CONNECT"`, `send "\r"`,
		}},
		{"callback", Chat8Options{}, []string{
			`echo false`, `abort "NO CARRIER"`, `abort "BUSY"`, `report "CONNECT"`, `set_timeout 5s`,
			`say "Initialising modem ...\n\r"`,
			`send "ATE1\r"`,
			`expect "OK\r\n"`, `send "ATS0=1\r"`,
			`say "Dialling ...\n\r"`, /* Debian's chat ends SAY with a CR */
			`expect "OK"`, `send "ATDT09834657\r"`,
			`set_timeout 1m0s`,
			`expect "CONNECT"`, `send `,
			`set_timeout 30s`,
			`expect "name:" else send break expect "name:"`, `send "callme\r"`,
			`clear_abort "NO CARRIER"`, `hangup false`, `echo true`,
			`expect "word:" else send "\r" expect "word:"`, `send "xvsgsgs\r"`,
			`hangup true`, `clear_report "CONNECT"`,
		}},
		{"quirks", Chat8Options{}, []string{
			`expect "#not" else send "a\r" expect "comment"`, `send "word\r"`, // dashes split expects everywhere
			`expect "a"`, `send "b\r"`,
			`expect "c d"`, `send "e-f-g\r"`, // a send is not split at dashes
			`expect "OK" else send "-AT\r" expect "OK"`, `send "\x03"`,
		}},
	} {
		s := parseChat8File(t, tc.file, tc.opts)
		if diff := cmp.Diff(tc.want, renderSteps(s)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.file, diff)
		}
		if !s.SevenBit {
			t.Errorf("%s: chat(8) scripts match with the top bit cleared", tc.file)
		}
	}
}

func TestParseChat8AllTestdata(t *testing.T) {
	files, err := filepath.Glob("testdata/chat8/*")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if filepath.Base(f) == "README" {
			continue
		}
		s := parseChat8File(t, filepath.Base(f), Chat8Options{})
		if len(s.Steps) == 0 {
			t.Errorf("%s: no steps", f)
		}
	}
}

func TestParseChat8Args(t *testing.T) {
	phone := "*99#"
	s, err := ParseChat8Args([]string{"ABORT", "BUSY", "", "AT", "OK-AT-OK", `ATD\T`, "CONNECT"}, Chat8Options{Phone: &phone, Timeout: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{`abort "BUSY"`, `send "AT\r"`, `expect "OK" else send "AT\r" expect "OK"`, `send "ATD*99#\r"`, `expect "CONNECT"`}
	if diff := cmp.Diff(want, renderSteps(s)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if s.Timeout != 3*time.Second {
		t.Errorf("timeout %v", s.Timeout)
	}
}

func TestParseChat8Secrets(t *testing.T) {
	s := parseChat8File(t, "pin", Chat8Options{Secrets: []string{"1234"}})
	var secret []string
	for _, st := range s.Steps {
		if st.Kind == StepSend && st.Send.Secret {
			secret = append(secret, string(st.Send.Bytes()))
		}
	}
	if diff := cmp.Diff([]string{"AT+CPIN=1234\r"}, secret); diff != "" {
		t.Errorf("secret sends (-want +got):\n%s", diff)
	}
}

func TestParseChat8SendFile(t *testing.T) {
	read := func(name string) ([]byte, error) {
		if name == "/etc/ppp/pin" {
			return []byte("AT+CPIN=4321\n"), nil
		}
		return nil, os.ErrNotExist
	}
	s, err := ParseChat8Args([]string{"OK", "@ /etc/ppp/pin", "OK", "BREAK", "OK", "EOT"}, Chat8Options{ReadFile: read})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{`expect "OK"`, `send "AT+CPIN=4321\r"`, `expect "OK"`, `send break`, `expect "OK"`, `send "\x04"`}
	if diff := cmp.Diff(want, renderSteps(s)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	_, err = ParseChat8Args([]string{"OK", "@/nope"}, Chat8Options{ReadFile: read})
	var se *ScriptSyntaxError
	if !errors.As(err, &se) {
		t.Errorf("missing @file: %v, want *ScriptSyntaxError", err)
	}
}

func TestParseChat8Errors(t *testing.T) {
	long := strings.Repeat("x", 50)
	many := strings.Repeat("ABORT x\n", 51)
	for _, tc := range []struct {
		name, src string
		fatal     bool // exit 2 rather than 1
		wantPos   string
	}{
		{"unterminated", "'' AT\nOK 'AT+CGDCONT\n", false, "f:2:4"},
		{"long abort", "ABORT " + long + "\n", false, "f:1:7"},
		{"long expect", strings.Repeat("y", 1025) + " AT\n", false, "f:1:1"},
		{"too many aborts", many, true, "f:51:7"},
	} {
		_, err := ParseChat8(strings.NewReader(tc.src), "f", Chat8Options{})
		var se *ScriptSyntaxError
		var fe *chat8FatalError
		switch {
		case tc.fatal && errors.As(err, &fe):
			if fe.pos.String() != tc.wantPos {
				t.Errorf("%s: at %s, want %s", tc.name, fe.pos, tc.wantPos)
			}
		case !tc.fatal && errors.As(err, &se):
			if se.Pos.String() != tc.wantPos {
				t.Errorf("%s: at %s, want %s", tc.name, se.Pos, tc.wantPos)
			}
		default:
			t.Errorf("%s: err %v", tc.name, err)
		}
	}
}
