package main

import (
	"bytes"
	"io"
	"io/fs"
	"net"
	"os"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/zdial/zdial/chat"
	"github.com/zdial/zdial/internal/modemsim"
)

// The chat(8) command line: its options, parsed here, and the run they
// shape (chat.RunChat8), end to end against the simulator.

// nopCloser is a report file kept in memory.
type nopCloser struct{ *bytes.Buffer }

func (nopCloser) Close() error { return nil }

func TestParseChat8Flags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		ok   bool
		want func(f chat8Flags) bool
	}{
		{[]string{"-v", "-t", "5", "", "AT"}, true, func(f chat8Flags) bool {
			return f.verbose && f.timeout == "5" && len(f.script) == 2
		}},
		{[]string{"-vsS", "-t5", "-T*99#", "-U", "2", "x"}, true, func(f chat8Flags) bool {
			return f.verbose && f.toStderr && !f.toLog && f.timeout == "5" && *f.phone == "*99#" && *f.phone2 == "2"
		}},
		{[]string{"-f", "/etc/chatscripts/gprs"}, true, func(f chat8Flags) bool { return f.file == "/etc/chatscripts/gprs" }},
		{[]string{"-eEV", "--", "-x"}, true, func(f chat8Flags) bool {
			return f.echo && f.env && f.stderrVerbose && f.script[0] == "-x"
		}},
		{[]string{"-t", "0", "OK"}, true, func(f chat8Flags) bool { return f.timeout == "0" }},
		{[]string{"-r"}, true, func(f chat8Flags) bool { return f.reportFile == "" }},
		{[]string{"-"}, true, func(f chat8Flags) bool { return len(f.script) == 1 }},
		{[]string{"-f", "x", "OK"}, false, nil},
		{[]string{"-t"}, false, nil},
		{[]string{"-q"}, false, nil},
	} {
		f, ok := parseChat8Flags(tc.args)
		if ok != tc.ok || (ok && !tc.want(f)) {
			t.Errorf("%q: ok %v, flags %+v", tc.args, ok, f)
		}
	}
}

func TestRunChat8(t *testing.T) {
	files := map[string][]byte{
		"/etc/chatscripts/three-uk": mustRead(t, "../../chat/testdata/chat8/three-uk"),
		"/etc/chatscripts/bad":      []byte("'' 'AT\n"),
	}
	readFile := func(name string) ([]byte, error) {
		if b, ok := files[name]; ok {
			return b, nil
		}
		return nil, fs.ErrNotExist
	}
	for _, tc := range []struct {
		name    string
		args    []string
		change  func(*modemsim.Persona)
		code    int
		stderr  string // a substring
		report  string
		noInput bool // the modem received nothing
	}{
		{name: "file", args: []string{"-f", "/etc/chatscripts/three-uk"}, code: 0},
		{name: "report file", args: []string{"-r", "/var/log/chat.report", "-f", "/etc/chatscripts/three-uk"}, report: "chat:  Nov 25 10:00:00 CONNECT 7200000\n"},
		{name: "report to stderr", args: []string{"REPORT", "CONNECT", "", "ATD*99#", "CONNECT", ""}, stderr: "chat:  Nov 25 10:00:00 CONNECT 7200000\n"},
		{name: "phone", args: []string{"-T", "*99***1#", "ABORT", "ERROR", "", `ATD\T`, "CONNECT"}},
		{name: "usage", args: []string{"-x"}, code: 1, stderr: "Usage: chat", noInput: true},
		{name: "missing file", args: []string{"-s", "-f", "/nope"}, code: 1, stderr: "/nope -- open failed", noInput: true},
		{name: "bad file", args: []string{"-f", "/etc/chatscripts/bad"}, code: 1, noInput: true},
		{name: "busy", args: []string{"-f", "/etc/chatscripts/three-uk"}, change: func(p *modemsim.Persona) { p.Dial.Result = modemsim.ResultBusy }, code: 5},
		{name: "failure logged with -s", args: []string{"-s", "ABORT", "BUSY", "", "ATD*99#", "CONNECT"}, change: func(p *modemsim.Persona) { p.Dial.Result = modemsim.ResultBusy }, code: 4, stderr: "Failed (BUSY)"},
		{name: "verbose to stderr", args: []string{"-v", "-s", "", "AT", "OK"}, stderr: "send (AT^M)"},
		{name: "timeout", args: []string{"-t", "3", "", "AT", "NEVER"}, code: 3},
		{name: "echo", args: []string{"-e", "", "ATI", "OK"}, stderr: "Model: MF622\n"},
		{name: "say", args: []string{"SAY", `dialling\n\c`, "", "AT"}, stderr: "dialling\n"},
		{name: "env", args: []string{"-E", "", "AT+CGDCONT=1,\"IP\",\"$APN\"", "OK"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				p := testPersona(t, "zte-mf622", tc.change)
				client, sim := modemsim.Pipe(p)
				defer client.Close()
				var stderr, report bytes.Buffer
				now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
				code := runChat8(t.Context(), tc.args, chat.Chat8Config{
					TTY: client, Stderr: &stderr,
					OpenReport: func(name string) (io.WriteCloser, error) {
						if name != "/var/log/chat.report" {
							return nil, fs.ErrPermission
						}
						return nopCloser{&report}, nil
					},
					Now: func() time.Time { return now },
				}, chat8Env{
					readFile: readFile,
					getenv:   func(n string) (string, bool) { return "three.co.uk", n == "APN" },
				})
				settle(client)
				if code != tc.code {
					t.Errorf("exit %d, want %d; stderr:\n%s", code, tc.code, stderr.String())
				}
				if !strings.Contains(stderr.String(), tc.stderr) {
					t.Errorf("stderr %q, want %q in it", stderr.String(), tc.stderr)
				}
				if report.String() != tc.report {
					t.Errorf("report %q, want %q", report.String(), tc.report)
				}
				if got := len(sim.Received()) == 0; got != tc.noInput {
					t.Errorf("modem received %q", sim.Received())
				}
				switch tc.name {
				case "phone":
					if rx := sim.Received(); rx[0] != "ATD*99***1#" {
						t.Errorf("dialled %q", rx[0])
					}
				case "env":
					if rx := sim.Received(); rx[0] != `AT+CGDCONT=1,"IP","three.co.uk"` {
						t.Errorf("sent %q", rx[0])
					}
				}
			})
		})
	}
}

func TestRunChat8SecretsNeverLogged(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		client, sim := modemsim.Pipe(testPersona(t, "pin-required", nil))
		defer client.Close()
		var stderr bytes.Buffer
		var syslog []string
		code := runChat8(t.Context(), []string{"-v", "-s", "-e", "", "AT+CPIN=1234", "OK", "AT+CPIN?", "READY"}, chat.Chat8Config{
			TTY: client, Stderr: &stderr, Secrets: []string{"1234"},
			Syslog: func(l string) { syslog = append(syslog, l) },
		}, chat8Env{})
		if code != 0 {
			t.Fatalf("exit %d:\n%s", code, stderr.String())
		}
		if sim.Received()[0] != "AT+CPIN=1234" {
			t.Fatalf("received %q", sim.Received())
		}
		all := stderr.String() + strings.Join(syslog, "\n")
		if strings.Contains(all, "1234") {
			t.Errorf("PIN in the output:\n%s", all)
		}
		if !strings.Contains(all, "send (****)") {
			t.Errorf("no masked send in:\n%s", all)
		}
	})
}

// settle lets the modem take in the last line: a net.Pipe has no buffer,
// so its echo must be read before it records the command. The reader ends
// when the test closes client.
func settle(client net.Conn) {
	go func() { _, _ = io.Copy(io.Discard, client) }()
	synctest.Wait()
}

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
