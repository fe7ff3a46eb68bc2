package chat

import (
	"strings"
)

// matchKind says what a received byte completed.
type matchKind int

const (
	matchNone  matchKind = iota
	matchAlt             // an expected alternative
	matchAbort           // an abort string
)

type matchEvent struct {
	kind  matchKind
	index int    // into the alternatives or the abort list
	text  string // what matched: the text, or the whole line for a regexp
}

// matcher finds expected and abort strings in the bytes of one expect, in
// chat(8)'s order: after each byte, first the expected strings, then the
// abort strings. Regexp alternatives are tried on each complete line.
// It is pure: table-tested without a line.
type matcher struct {
	alts   []Alt
	aborts []string
	win    []byte // bytes since the expect began, the oldest dropped past keep
	keep   int
	line   []byte // the current line, for regexps; at most maxLine bytes
	long   bool   // the current line passed maxLine: no regexp sees it
}

// maxLine bounds the line a matcher keeps for its regexps: a modem that
// sends bytes without ever ending a line must not grow zdial's memory. A
// longer line is no reply any modem gives; it is matched by no regexp
// (text alternatives and abort strings still see its bytes).
const maxLine = 4096

// matchWindow is how much received text a matcher keeps at least: chat(8)
// keeps 1024 bytes.
const matchWindow = 1024

func newMatcher(alts []Alt, aborts []string) *matcher {
	keep := matchWindow
	for _, a := range alts {
		keep = max(keep, len(a.Text))
	}
	for _, a := range aborts {
		keep = max(keep, len(a))
	}
	return &matcher{alts: alts, aborts: aborts, keep: keep}
}

func (m *matcher) feed(c byte) matchEvent {
	m.win = append(m.win, c)
	if len(m.win) > 2*m.keep {
		m.win = m.win[:copy(m.win, m.win[len(m.win)-m.keep:])]
	}
	var line string
	endOfLine := c == '\n' || c == '\r'
	switch {
	case endOfLine:
		if !m.long {
			line = string(m.line)
		}
		m.line, m.long = m.line[:0], false
	case len(m.line) >= maxLine:
		m.line, m.long = m.line[:0], true
	case !m.long:
		m.line = append(m.line, c)
	}
	for i, a := range m.alts {
		switch {
		case a.Regexp != nil:
			if endOfLine && line != "" && a.Regexp.MatchString(line) {
				return matchEvent{matchAlt, i, line}
			}
		case hasSuffix(m.win, a.Text):
			return matchEvent{matchAlt, i, a.Text}
		}
	}
	for i, a := range m.aborts {
		if hasSuffix(m.win, a) {
			return matchEvent{matchAbort, i, a}
		}
	}
	return matchEvent{}
}

func hasSuffix(b []byte, s string) bool {
	return len(b) >= len(s) && string(b[len(b)-len(s):]) == s
}

// visible renders bytes as chat(8) logs them: control characters as ^X,
// DEL as ^?, bytes with the top bit set as M-x.
func visible(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		b.WriteString(visibleByte(s[i]))
	}
	return b.String()
}

func visibleByte(c byte) string {
	meta := ""
	if c&0x80 != 0 {
		meta = "M-"
		c &= 0x7f
	}
	switch {
	case c < 0x20:
		return meta + "^" + string(rune(c+'@'))
	case c == 0x7f:
		return meta + "^?"
	}
	return meta + string(rune(c))
}
