package printable

import (
	"strings"
	"unicode/utf8"
)

// pppd's log carries text from the other end of the link (a peer's
// CHAP failure message, an LCP Terminate reason) and from scripts, and
// zdial shows it on terminals and in JSON. Strip makes such text
// inert before it leaves the package.

// Strip returns s with everything a terminal would act on removed:
// escape sequences as a whole (CSI "ESC [ … final", the string
// sequences OSC, DCS, SOS, PM and APC up to their terminator, and
// two-byte escapes), their 8-bit C1 forms, every other C0 and C1 control
// and DEL, and the Unicode controls that reorder or break text (bidi
// overrides and isolates, line and paragraph separators). A tab becomes
// a blank; bytes that are not UTF-8 become U+FFFD. Printable ASCII
// comes back unchanged, without copying.
func Strip(s string) string {
	i := 0
	for i < len(s) && s[i] >= 0x20 && s[i] < 0x7f {
		i++
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		next := i + size
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteRune(utf8.RuneError)
		case r == 0x1b:
			next = skipEscape(s, next)
		case r == 0x9b: // CSI
			next = skipCSI(s, next)
		case r == 0x90 || r == 0x98 || r == 0x9d || r == 0x9e || r == 0x9f: // DCS SOS OSC PM APC
			next = skipString(s, next)
		case r == '\t':
			b.WriteByte(' ')
		case IsControl(r) || isLayoutControl(r):
		default:
			b.WriteString(s[i:next])
		}
		i = next
	}
	return b.String()
}

// skipEscape returns the index after the escape sequence whose ESC ends
// just before j.
func skipEscape(s string, j int) int {
	if j >= len(s) {
		return j
	}
	switch c := s[j]; {
	case c == '[':
		return skipCSI(s, j+1)
	case c == ']' || c == 'P' || c == 'X' || c == '^' || c == '_':
		return skipString(s, j+1)
	case c >= 0x20 && c <= 0x2f: // intermediates, then a final byte
		for j < len(s) && s[j] >= 0x20 && s[j] <= 0x2f {
			j++
		}
		if j < len(s) && s[j] >= 0x30 && s[j] <= 0x7e {
			j++
		}
		return j
	case c >= 0x30 && c <= 0x7e:
		return j + 1
	}
	return j // ESC before a control or non-ASCII: drop the ESC alone
}

// skipCSI returns the index after a control sequence's parameters,
// intermediates and final byte, starting just after "ESC [" at j. A
// byte that cannot occur in one ends it there.
func skipCSI(s string, j int) int {
	for j < len(s) && s[j] >= 0x20 && s[j] <= 0x3f {
		j++
	}
	if j < len(s) && s[j] >= 0x40 && s[j] <= 0x7e {
		j++
	}
	return j
}

// skipString returns the index after a string sequence's terminator (BEL,
// ESC \ or the C1 ST), starting at j; without one, the rest of s.
func skipString(s string, j int) int {
	for ; j < len(s); j++ {
		switch {
		case s[j] == 0x07:
			return j + 1
		case s[j] == 0x1b && j+1 < len(s) && s[j+1] == '\\':
			return j + 2
		case strings.HasPrefix(s[j:], "\u009c"):
			return j + len("\u009c")
		}
	}
	return j
}

// isLayoutControl reports the Unicode format and separator characters
// that change how the text around them is shown: bidi marks, embeddings,
// overrides and isolates, and the line and paragraph separators.
func isLayoutControl(r rune) bool {
	switch {
	case r == 0x061c, r == 0x200e, r == 0x200f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	case r == 0x2028, r == 0x2029:
		return true
	}
	return false
}

// Cut returns s cut to at most n bytes, on a rune boundary.
func Cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// IsControl reports C0 controls, DEL and C1 controls.
func IsControl(r rune) bool { return r < 0x20 || r >= 0x7f && r < 0xa0 }
