package main

import (
	"strings"
	"testing"

	"github.com/zdial/zdial/chat"
)

func TestChatScript(t *testing.T) {
	j := job{Commands: []string{"ATZ", `AT+CGDCONT=1,"IP","three.co.uk"`}, Dial: "ATD*99#", Timeout: 7}
	want := `ABORT 'NO CARRIER'
ABORT 'BUSY'
ABORT 'ERROR'
ABORT 'NO DIALTONE'
ABORT 'NO ANSWER'
TIMEOUT 7
'' 'ATZ'
OK 'AT+CGDCONT=1,"IP","three.co.uk"'
OK 'ATD*99#'
CONNECT ''
`
	if got := chatScript(j); got != want {
		t.Errorf("chatScript =\n%s\nwant\n%s", got, want)
	}
}

func TestComgtScript(t *testing.T) {
	j := job{Commands: []string{`AT+CGDCONT=1,"IP","x"`}, Dial: "ATD*99#", Timeout: 5}
	want := `opengt
set com 115200n81
set comecho off
set senddelay 0
set clocal on
send "AT+CGDCONT=1,\"IP\",\"x\"^m"
waitfor 5 "OK","NO CARRIER","BUSY","ERROR","NO DIALTONE","NO ANSWER"
if % != 0 goto fail
send "ATD*99#^m"
waitfor 5 "CONNECT","NO CARRIER","BUSY","ERROR","NO DIALTONE","NO ANSWER"
if % != 0 goto fail
exit 0
:fail
exit 1
`
	if got := comgtScript(j); got != want {
		t.Errorf("comgtScript =\n%s\nwant\n%s", got, want)
	}
}

func TestWvdialConf(t *testing.T) {
	got := wvdialConf(standardJob(), "/dev/pts/7", "/tmp/stub")
	for _, want := range []string{
		"[Dialer Defaults]\n",
		"\nModem = /dev/pts/7\n",
		"\nInit1 = ATZ\n",
		"\nInit2 = ATQ0 V1 E1 S0=0 &C1 &D2 +FCLASS=0\n",
		"\nInit3 = AT+CGDCONT=1,\"IP\",\"three.co.uk\"\n",
		"\nDial Command = ATD\nPhone = *99#\n",
		"\nStupid Mode = 1\n",
		"\nPPPD Path = /tmp/stub\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("wvdial.conf lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "Init4") {
		t.Errorf("wvdial.conf has more init strings than the job:\n%s", got)
	}
}

// The generated scripts must mean the same job to zdial's own parsers:
// four commands, each expecting its result.
func TestScriptsParse(t *testing.T) {
	j := standardJob()
	y, err := chat.ParseScriptYAML(strings.NewReader(zdialYAML(j)), "job.yaml", chat.ScriptVars{})
	if err != nil {
		t.Fatalf("zdial YAML: %v\n%s", err, zdialYAML(j))
	}
	c, err := chat.ParseChat8(strings.NewReader(chatScript(j)), "job.chat", chat.Chat8Options{})
	if err != nil {
		t.Fatalf("chat(8) script: %v\n%s", err, chatScript(j))
	}
	want := append(append([]string(nil), j.Commands...), j.Dial)
	for name, s := range map[string]*chat.Script{"yaml": y, "chat8": c} {
		var sends []string
		for _, st := range s.Steps {
			if b := strings.TrimRight(string(st.Send.Bytes()), "\r"); b != "" {
				sends = append(sends, b)
			}
		}
		if strings.Join(sends, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s script sends %q, want %q", name, sends, want)
		}
	}
}

func TestYAMLQuote(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ATZ", `"ATZ"`},
		{`AT+CGDCONT=1,"IP","a"`, `"AT+CGDCONT=1,\"IP\",\"a\""`},
		{`a\b`, `"a\\b"`},
	}
	for _, tt := range tests {
		if got := yamlQuote(tt.in); got != tt.want {
			t.Errorf("yamlQuote(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}
