package chat

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestChat8CleanExpect(t *testing.T) {
	phone := "*99#"
	env := chat8Env{phone: &phone}
	for _, tc := range []struct{ in, want string }{
		{`OK`, "OK"},
		{`\r\n`, "\r\n"},
		{`a\sb\tc`, "a b\tc"},
		{`\b`, "\b"},
		{`\\`, `\`},
		{`\c`, "c"}, // only a send's final \c means "no return"
		{`\d\p\K`, "dpK"},
		{`\N`, "N"},
		{`\T`, `\T`},      // expect strings keep \T literally, even with -T
		{`\101\0x`, "Ax"}, // octal; \0 is dropped when expecting
		{`^C^c^@`, "\x03\x03"},
		{`a^`, "a^"},
		{`\q`, ""},
		{`\z`, "z"},
		{`trail\`, "trail"},
		{`$HOME`, "$HOME"}, // no -E
	} {
		got := string(chat8Clean(tc.in, false, env).text)
		if got != tc.want {
			t.Errorf("expect %q: got %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestChat8CleanSend(t *testing.T) {
	phone, phone2 := "*99***1#", "5678"
	env := chat8Env{phone: &phone, phone2: &phone2, getenv: func(n string) (string, bool) {
		if n == "APN" {
			return "three.co.uk", true
		}
		return "", false
	}}
	d := func(s string) SendPart { return SendPart{Data: []byte(s)} }
	for _, tc := range []struct {
		in    string
		want  []SendPart
		quiet bool
	}{
		{`AT`, []SendPart{d("AT\r")}, false},
		{`AT\c`, []SendPart{d("AT")}, false},
		{`A\cT`, []SendPart{d("AcT\r")}, false},
		{``, []SendPart{d("\r")}, false},
		{`ATD\T`, []SendPart{d("ATD*99***1#\r")}, false},
		{`\U`, []SendPart{d("5678\r")}, false},
		{`+++\d\dATH`, []SendPart{d("+++"), {Pause: time.Second}, {Pause: time.Second}, d("ATH\r")}, false},
		{`\p\c`, []SendPart{{Pause: 10 * time.Millisecond}}, false},
		{`\K\c`, []SendPart{{Break: true}}, false},
		{`a\Nb\c`, []SendPart{d("a\x00b")}, false},
		{`\0\c`, []SendPart{d("\x00")}, false},
		{`\\\c`, []SendPart{d(`\`)}, false},
		{`x\`, []SendPart{d("x\\\r")}, false},
		{`^D\c`, []SendPart{d("\x04")}, false},
		{`\qAT+CPIN=1234`, []SendPart{d("AT+CPIN=1234\r")}, true},
		{`AT+CGDCONT=1,"IP","$APN"`, []SendPart{d("AT+CGDCONT=1,\"IP\",\"three.co.uk\"\r")}, false},
		{`$NOPE.$`, []SendPart{d(".\r")}, false},
		{`\$APN`, []SendPart{d("$APN\r")}, false},
	} {
		got := chat8Clean(tc.in, true, env)
		if diff := cmp.Diff(tc.want, got.parts); diff != "" {
			t.Errorf("send %q (-want +got):\n%s", tc.in, diff)
		}
		if got.quiet != tc.quiet {
			t.Errorf("send %q: quiet %v, want %v", tc.in, got.quiet, tc.quiet)
		}
	}
}

func TestChat8CleanSendWithoutPhone(t *testing.T) {
	// chat(8) without -T passes "\T" to its writer, which drops the backslash.
	got := string(chat8Clean(`ATD\T`, true, chat8Env{}).text)
	if got != "ATDT\r" {
		t.Errorf("got %q", got)
	}
}

func TestChat8SplitDash(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"OK", []string{"OK"}},
		{"OK-AT-OK", []string{"OK", "AT", "OK"}},
		{"ogin:--ogin:", []string{"ogin:", "", "ogin:"}},
		{"OK-", []string{"OK"}},
		{"OK--", []string{"OK", ""}},
		{`a\-b-c`, []string{`a\-b`, "c"}},
		{"-AT-OK", []string{"", "AT", "OK"}},
	} {
		if diff := cmp.Diff(tc.want, chat8SplitDash(tc.in)); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tc.in, diff)
		}
	}
}
