package at

import (
	"errors"
	"strings"
)

// Several commands may share one command line (V.250 §5.2.1, 27.007
// §4.0): a basic command may be followed by another without a separator,
// an extended one needs ';' before the next. One line is one round trip,
// and on a modem that answers in tens of milliseconds round trips are what
// a dial costs:
//
//	> ATQ0 V1 E1 S0=0 &C1 &D2 +FCLASS=0;+CMEE=1;+CPIN?
//	< +CPIN: READY
//	< OK
//
// The modem runs the commands in order and stops at the first that fails;
// the line then ends in that command's error, after the information lines
// of the commands before it. Join refuses the commands after which the
// rest of a line is lost or means something else: Z and &F (a reset: "any
// additional commands on the same command line may be ignored"), D (the
// rest of the line is the dial string), A, H and O (they end or start a
// call). Those must go on a line of their own.

// ErrNotJoinable: a command cannot share a line (see Join).
var ErrNotJoinable = errors.New("at: command cannot share a command line")

// Join returns one command line ("AT…") that runs cmds in order, each
// given with or without its "AT" prefix, or ErrNotJoinable (wrapped, naming
// the command) when one of them must go on a line of its own. Empty
// commands are skipped.
func Join(cmds ...string) (string, error) {
	var b strings.Builder
	b.WriteString("AT")
	prevExtended := false
	for _, c := range cmds {
		body := strings.TrimSpace(stripAT(c))
		if body == "" {
			continue
		}
		ext, err := lastIsExtended(body)
		if err != nil {
			return "", err
		}
		if b.Len() > 2 {
			if prevExtended {
				b.WriteByte(';')
			} else {
				b.WriteByte(' ')
			}
		}
		b.WriteString(body)
		prevExtended = ext
	}
	return b.String(), nil
}

// Joinable reports whether cmd may share a command line with others.
func Joinable(cmd string) bool {
	_, err := lastIsExtended(strings.TrimSpace(stripAT(cmd)))
	return err == nil
}

// lastIsExtended checks that body (a command line without "AT") holds no
// command that must be alone, and reports whether its last command is an
// extended one (so the next needs a ';' before it). It reads the line as
// V.250 does: in each ';'-separated part, basic commands up to the first
// extended prefix, which then runs to the ';'.
func lastIsExtended(body string) (bool, error) {
	refuse := func() (bool, error) {
		return false, &CommandError{Cmd: "AT" + body, Err: ErrNotJoinable}
	}
	if strings.ContainsAny(body, "\r\n") {
		return refuse()
	}
	ext := false
	for i := 0; i < len(body); {
		c := body[i]
		switch {
		case c == '"':
			j := strings.IndexByte(body[i+1:], '"')
			if j < 0 {
				return refuse()
			}
			i += j + 2
		case c == ';':
			ext = false
			i++
		case ext, c == ' ':
			i++
		case isExtPrefix(c):
			ext = true
			i++
		case c == '&' && i+1 < len(body):
			if up(body[i+1]) == 'F' {
				return refuse()
			}
			i += 2
			i = skipDigits(body, i)
		case up(c) == 'S':
			i++
			i = skipDigits(body, i)
			switch {
			case strings.HasPrefix(body[i:], "?"):
				i++
			case strings.HasPrefix(body[i:], "="):
				i = skipDigits(body, i+1)
			}
		case up(c) >= 'A' && up(c) <= 'Z' || c == '\\':
			switch up(c) {
			case 'Z', 'D', 'A', 'H', 'O':
				return refuse()
			}
			if c == '\\' {
				i++
			}
			i = skipDigits(body, i+1)
			if strings.HasPrefix(body[i:], "?") {
				i++
			}
		default:
			return refuse()
		}
	}
	return ext, nil
}

func up(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}

func skipDigits(s string, i int) int {
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i
}
