package chat

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/zdial/zdial/internal/modemsim"
)

func TestChat8Timeout(t *testing.T) {
	for arg, want := range map[string]time.Duration{
		"5": 5 * time.Second, " 7x": 7 * time.Second, "0": chat8NoTimeout, "-3": chat8NoTimeout, "x": chat8NoTimeout,
	} {
		if got := Chat8Timeout(arg); got != want {
			t.Errorf("Chat8Timeout(%q) = %v, want %v", arg, got, want)
		}
	}
}

func TestChat8ExitCode(t *testing.T) {
	for _, tc := range []struct {
		err  error
		code int
	}{
		{nil, 0},
		{&StepError{Err: ErrExpectTimeout}, 3},
		{&StepError{Err: &AbortError{Index: 0}}, 4},
		{&StepError{Err: &AbortError{Index: 6}}, 10},
		{&StepError{Err: ioError("read", io.EOF)}, 2},
		{&ScriptSyntaxError{Msg: "x"}, 1},
		{&chat8FatalError{msg: "too many"}, 2},
		{errors.New("other"), 1},
	} {
		if got := Chat8ExitCode(tc.err); got != tc.code {
			t.Errorf("%v: %d, want %d", tc.err, got, tc.code)
		}
	}
}

func TestRunScriptAsChat8(t *testing.T) {
	for _, tc := range []struct {
		persona string
		change  func(*modemsim.Persona)
		code    int
		stderr  string
	}{
		{"zte-mf622", nil, 0, "chat:  Nov 25 10:00:00 CONNECT 7200000\n"},
		{"pin-required", nil, 0, "waiting for the network\n"},
		{"zte-mf622", func(p *modemsim.Persona) { p.Dial.Result = modemsim.ResultBusy }, 6, ""},
		{"diag-silent", nil, 3, "waking the modem\n"},
		{"puk-locked", nil, 1, ""},
	} {
		t.Run(tc.persona, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				client, _ := modemsim.Pipe(persona(t, tc.persona, tc.change))
				defer client.Close()
				var stderr bytes.Buffer
				var failures []string
				code := RunScriptAsChat8(t.Context(), parseYAMLFile(t, "dial.yaml"), Chat8Config{
					TTY: client, Stderr: &stderr, Secrets: []string{"1234"},
					Syslog: func(l string) { failures = append(failures, l) },
					Now:    func() time.Time { return time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC) },
				})
				if code != tc.code {
					t.Errorf("exit %d, want %d (%q)", code, tc.code, failures)
				}
				if !strings.Contains(stderr.String(), tc.stderr) {
					t.Errorf("stderr %q, want %q in it", stderr.String(), tc.stderr)
				}
				if (code != 0) != (len(failures) > 0) {
					t.Errorf("failures logged: %q", failures)
				}
			})
		})
	}
}
