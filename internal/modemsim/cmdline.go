package modemsim

import "strings"

// command is one command of an AT command line, as V.250 §5.2 splits it.
// "ATE1 V1 +CREG=2;+CGREG?" holds three: E1, V1, +CREG=2 and +CGREG?.
type command struct {
	name string // upper case: "E", "&C", "S7", "+CREG", "^CPIN", "D"
	op   string // "", "=", "?" or "=?"
	args string // text after op (for basic commands: their digits)
	text string // the whole command, upper case outside quotes
}

// splitLine splits the part of a line after "AT". ok is false on a
// character that starts no command; the modem then answers ERROR.
func splitLine(body string) (cmds []command, ok bool) {
	s := squeeze(body)
	for i := 0; i < len(s); {
		c := s[i]
		start := i
		var cmd command
		switch {
		case c == ';':
			i++
			continue
		case c == 'D':
			cmd = command{name: "D", args: s[i+1:]}
			i = len(s)
		case strings.IndexByte("+^%$", c) >= 0:
			i++
			for i < len(s) && isNameChar(s[i]) {
				i++
			}
			cmd.name = s[start:i]
			i = cmd.op1(s, i)
			j := i
			for j < len(s) && s[j] != ';' {
				if s[j] == '"' {
					j = closingQuote(s, j)
				}
				j++
			}
			cmd.args, i = s[i:min(j, len(s))], j
		case c == 'S':
			i++
			for i < len(s) && isDigit(s[i]) {
				i++
			}
			cmd.name = s[start:i]
			i = cmd.op1(s, i)
			j := i
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			cmd.args, i = s[i:j], j
		case c == '&' && i+1 < len(s) && isLetter(s[i+1]), isLetter(c):
			if c == '&' {
				i++
			}
			i++
			cmd.name = s[start:i]
			j := i
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			cmd.args, i = s[i:j], j
			if i < len(s) && s[i] == '?' {
				cmd.op, i = "?", i+1
			}
		default:
			return nil, false
		}
		cmd.text = s[start:i]
		cmds = append(cmds, cmd)
	}
	return cmds, true
}

// op1 reads "=?", "=" or "?" at s[i] into c.op and returns the index after it.
func (c *command) op1(s string, i int) int {
	switch {
	case strings.HasPrefix(s[i:], "=?"):
		c.op = "=?"
		return i + 2
	case strings.HasPrefix(s[i:], "="), strings.HasPrefix(s[i:], "?"):
		c.op = s[i : i+1]
		return i + 1
	}
	return i
}

// squeeze drops spaces and upper-cases everything outside double quotes.
func squeeze(s string) string {
	var b strings.Builder
	quoted := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == ' ':
			continue
		case c >= 'a' && c <= 'z':
			c -= 'a' - 'A'
		}
		b.WriteByte(c)
	}
	return b.String()
}

// closingQuote returns the index of the quote closing the one at s[i], or len(s)-1.
func closingQuote(s string, i int) int {
	if j := strings.IndexByte(s[i+1:], '"'); j >= 0 {
		return i + 1 + j
	}
	return len(s) - 1
}

// params splits a parameter list at commas outside quotes and unquotes each.
func params(args string) []string {
	if args == "" {
		return nil
	}
	var out []string
	var b strings.Builder
	quoted := false
	for i := 0; i < len(args); i++ {
		switch c := args[i]; {
		case c == '"':
			quoted = !quoted
		case c == ',' && !quoted:
			out = append(out, b.String())
			b.Reset()
		default:
			b.WriteByte(c)
		}
	}
	return append(out, b.String())
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c >= 'A' && c <= 'Z' }
func isNameChar(c byte) bool {
	return isLetter(c) || isDigit(c) || strings.IndexByte("!%-./:_", c) >= 0
}
