package carriers

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// normName is how names are compared: lower case, runs of spaces and
// underscores as one '-' ("Three UK" → "three-uk").
func normName(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		if r == ' ' || r == '_' || r == '\t' || r == '-' {
			dash = true
			continue
		}
		if dash && b.Len() > 0 {
			b.WriteByte('-')
		}
		dash = false
		b.WriteRune(r)
	}
	return b.String()
}

// checkName accepts what normName produces from something printable.
func checkName(s string) error {
	switch {
	case s == "":
		return errEmptyName
	case s != normName(s):
		return errNameForm
	case !printable(s, 64):
		return errNameForm
	}
	return nil
}

type checkError string

func (e checkError) Error() string { return string(e) }

const (
	errEmptyName = checkError("empty name")
	errNameForm  = checkError("want lower case without spaces, at most 64 characters")
)

func isCountry(s string) bool {
	return len(s) == 2 && 'A' <= s[0] && s[0] <= 'Z' && 'A' <= s[1] && s[1] <= 'Z'
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// isMCCMNC: 3 digits of MCC, 2 or 3 of MNC.
func isMCCMNC(s string) bool { return (len(s) == 5 || len(s) == 6) && isDigits(s) }

func isDialNumber(s string) bool {
	if len(s) > 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= '0' && c <= '9' || c == '*' || c == '#') {
			return false
		}
	}
	return s != ""
}

// isAPN: an APN reaches the modem inside AT+CGDCONT's quotes, so only the
// characters 3GPP TS 23.003 allows in its labels (plus '_', which carriers
// use).
func isAPN(s string) bool {
	if s == "" || len(s) > 100 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// isCredential: usernames and passwords go into pppd's options and chap
// or pap secrets, so printable ASCII only, no quotes, no backslashes, no
// spaces; empty is fine.
func isCredential(s string) bool {
	if len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c >= 0x7f || c == '"' || c == '\'' || c == '\\' {
			return false
		}
	}
	return true
}

// printable: valid UTF-8, at most max bytes, no control characters and no
// bidirectional overrides (names reach terminals; U+202E could make one
// entry read as another).
func printable(s string, max int) bool {
	if len(s) > max || !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) || r == utf8.RuneError || isBidiControl(r) {
			return false
		}
	}
	return true
}

func isBidiControl(r rune) bool {
	return r == 0x200E || r == 0x200F || r == 0x061C || 0x202A <= r && r <= 0x202E || 0x2066 <= r && r <= 0x2069
}
