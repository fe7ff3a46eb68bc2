package printable

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestStrip(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Using interface ppp0", "Using interface ppp0"},
		{"", ""},
		{"ünïcödé ok", "ünïcödé ok"},
		{"a\x1b[2Jb", "ab"},                      // erase display
		{"a\x1b[1;31mred\x1b[0m", "ared"},        // colours
		{"a\x1b]0;owned\x07b", "ab"},             // window title, BEL-terminated
		{"a\x1b]0;owned\x1b\\b", "ab"},           // … ST-terminated
		{"a\x1b]8;;http://x\x1b\\link", "alink"}, // hyperlink
		{"a\x1bPq#0;2;0;0;0\x1b\\b", "ab"},       // DCS (sixel)
		{"a\x1b]0;no terminator", "a"},           // swallowed like a terminal would
		{"a\u009b2Jb", "ab"},                     // 8-bit CSI
		{"a\u009d0;x\u009cb", "ab"},              // 8-bit OSC … ST
		{"a\x1bcb", "ab"},                        // RIS, a full reset
		{"a\x1b(0b", "ab"},                       // charset switch
		{"a\x1b", "a"},
		{"a\x07\x08\x00\x7f\x0d\x0ab", "ab"},
		{"a\tb", "a b"},
		{"a\u202eevil\u202cb", "aevilb"}, // bidi override
		{"a\u2028b", "ab"},
		{"a\xffb", "a\ufffdb"},
	} {
		if got := Strip(tc.in); got != tc.want {
			t.Errorf("Strip(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// safeText reports whether s holds nothing a terminal would act on.
func safeText(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsFunc(s, func(r rune) bool {
		return IsControl(r) || isLayoutControl(r)
	})
}

func FuzzStrip(f *testing.F) {
	f.Add("CONNECT 7200\x1b[2J\x1b]0;owned\x07")
	f.Add("a\xffb\u009b2J\u202e")
	f.Fuzz(func(t *testing.T, s string) {
		out := Strip(s)
		if !safeText(out) {
			t.Fatalf("Strip(%q) = %q keeps something a terminal acts on", s, out)
		}
		if Strip(out) != out {
			t.Fatalf("Strip is not idempotent on %q", out)
		}
	})
}
