package wvdialconf

import (
	"regexp"
	"strconv"
	"strings"
)

var wordKey = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9 _-]{0,39}$`)

// keyForNote shows an unknown key only when it reads like a key: a line
// such as "1234 = x" is more likely a misplaced secret than a setting.
func keyForNote(k string) string {
	if wordKey.MatchString(k) {
		return k
	}
	return "(a key that is not a word)"
}

var nameJunk = regexp.MustCompile(`[^a-z0-9._-]+`)

// profileName makes a zdial profile name of a section name:
// "Dialer Three UK" → "three-uk", [Dialer Defaults] → "defaults".
func profileName(section string) string {
	k := fold(section)
	if k == defaultsSection {
		return DefaultsProfile
	}
	n := nameJunk.ReplaceAllString(strings.TrimPrefix(k, "dialer "), "-")
	n = strings.Trim(n, "-.")
	if len(n) > 64 {
		n = strings.Trim(n[:64], "-.")
	}
	if n == "" {
		n = "profile"
	}
	return n
}

// uniqueName adds -2, -3… to a name already taken.
func uniqueName(n string, taken map[string]bool) string {
	out := n
	for i := 2; taken[out]; i++ {
		out = n + "-" + strconv.Itoa(i)
	}
	taken[out] = true
	return out
}

func nameNote(section, name string) string {
	if fold(section) == defaultsSection {
		return "what `wvdial` with no arguments dialled: profile " + name + " (zdial " + name + "); every profile below holds the defaults it inherits"
	}
	return "profile " + name + " (`wvdial " + show(strings.Join(strings.Fields(section)[1:], " ")) + "` becomes `zdial " + name + "`)"
}

// Import parses a wvdial.conf and converts it: Parse, then Convert.
