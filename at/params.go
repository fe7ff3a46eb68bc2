package at

import (
	"strconv"
	"strings"
)

// param is one comma-separated parameter of a response line.
type param struct {
	s      string // trimmed, quotes removed
	quoted bool
}

// splitParams splits "a,\"b,c\",d" into parameters, honouring double quotes
// (operator names may contain commas) and trimming spaces around each.
func splitParams(s string) []param {
	var ps []param
	for {
		s = strings.TrimLeft(s, " ")
		var p param
		if strings.HasPrefix(s, `"`) {
			end := strings.IndexByte(s[1:], '"')
			if end < 0 {
				p = param{s: s[1:], quoted: true}
				s = ""
			} else {
				p = param{s: s[1 : 1+end], quoted: true}
				s = s[2+end:]
			}
			if i := strings.IndexByte(s, ','); i >= 0 {
				s = s[i:]
			} else {
				s = ""
			}
		} else {
			i := strings.IndexByte(s, ',')
			if i < 0 {
				i = len(s)
			}
			p = param{s: strings.TrimSpace(s[:i])}
			s = s[i:]
		}
		ps = append(ps, p)
		if s == "" {
			return ps
		}
		s = s[1:] // the comma
	}
}

// afterPrefix returns the text after "prefix:" in line, prefix compared
// without regard to case; ok is false if line does not start with it.
func afterPrefix(line, prefix string) (string, bool) {
	line = strings.TrimSpace(line)
	if len(line) < len(prefix) || !strings.EqualFold(line[:len(prefix)], prefix) {
		return "", false
	}
	rest := line[len(prefix):]
	if !strings.HasPrefix(rest, ":") {
		return "", false
	}
	return strings.TrimSpace(rest[1:]), true
}

// findPrefixed returns the rest of the last line that starts with prefix:.
// The last, because a URC of the same name can precede the answer.
func findPrefixed(lines []string, prefix string) (string, bool) {
	for i := len(lines) - 1; i >= 0; i-- {
		if rest, ok := afterPrefix(lines[i], prefix); ok {
			return rest, true
		}
	}
	return "", false
}

func atoi(p param) (int, bool) {
	n, err := strconv.Atoi(p.s)
	return n, err == nil
}

// parseErr is the error the Parse* functions return for text they cannot read.
func parseErr(what string, lines []string) error {
	line := strings.Join(lines, " | ")
	return &ProtocolError{Line: line, Reason: "cannot parse " + what}
}
