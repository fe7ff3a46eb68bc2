package at

import (
	"slices"
	"strings"
)

// Secrets: a command that carries one (a +CPIN= PIN, a Secret() call) is
// shown masked where the engine writes it: the transcript ("> AT+CPIN=****"),
// its echo, and CommandError.Cmd. That is not enough against a modem that
// repeats what it was sent: an echo with a stray byte that no longer
// matches the command, a +CME ERROR whose text quotes the argument, a URC
// or information line carrying it. So the engine also knows the secret
// values themselves and redacts them from everything a modem sends while
// the command runs or still owes its final result: transcript lines and
// notes, information lines, URCs, and the text of every error the command
// returns. The rule: the text of a secret never leaves the engine except
// on the wire it was meant for.

// minSecret is the shortest value redacted on its own. PINs have 4 to 8
// digits, PUKs 8 (27.007 +CPIN, ISO 9564); shorter fields of a secret
// command line are its other parameters ("SC", 1 in AT+CLCK="SC",1,"1234"),
// which are not secret and would garble every line they occur in.
const minSecret = 4

// secretsOf returns the secret values of the command line wire: each masked
// argument span as sent and each of its comma-separated fields without
// quotes, longest first so that redacting the whole span wins.
func secretsOf(wire string, all bool) []string {
	var out []string
	add := func(v string) {
		if len(v) >= minSecret && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	for _, sp := range maskSpans(wire, all) {
		arg := wire[sp[0]:sp[1]]
		add(arg)
		for _, f := range splitParams(arg) {
			add(f.s)
		}
	}
	slices.SortFunc(out, func(a, b string) int { return len(b) - len(a) })
	return out
}

// redact replaces every occurrence of each secret in s with the mask.
func redact(s string, secrets []string) string {
	for _, v := range secrets {
		if strings.Contains(s, v) {
			s = strings.ReplaceAll(s, v, mask)
		}
	}
	return s
}

// redactErr returns err with the secrets taken out of its text. The error
// types that carry modem text are copied with that text redacted, so that
// errors.As finds a clean copy; any other error whose text holds a secret
// is wrapped so that its message is clean (errors.Is still sees through).
func redactErr(err error, secrets []string) error {
	if err == nil || len(secrets) == 0 {
		return err
	}
	switch e := err.(type) {
	case *CMEError:
		return &CMEError{Code: e.Code, Text: redact(e.Text, secrets)}
	case *CMSError:
		return &CMSError{Code: e.Code, Text: redact(e.Text, secrets)}
	case *ProtocolError:
		return &ProtocolError{Line: redact(e.Line, secrets), Reason: redact(e.Reason, secrets)}
	}
	if msg := err.Error(); redact(msg, secrets) != msg {
		return &redactedError{msg: redact(msg, secrets), err: err}
	}
	return err
}

// redactedError is an error whose message had a secret taken out.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }
