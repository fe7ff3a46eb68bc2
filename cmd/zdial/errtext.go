package main

import (
	"regexp"
	"strings"
)

// packagePrefix is a zdial package's prefix in an error's text
// ("modeswitch: ", "dialer: "), at the start or after a separator. The
// packages prefix their errors so that a log names the layer; a person
// reading zdial's own output learns nothing from them. Not "at: " or
// "chat: ": there the word may be an AT command's or chat(8)'s name.
var packagePrefix = regexp.MustCompile(`(^|: |; |\n\s*|\()(modeswitch|dialer|dialseq|profile|uucplock|safefile|pppctl|carriers|linkstate|demo): `)

// forPeople is err's text as a person should read it after "zdial: ":
// without package prefixes.
func forPeople(err error) string {
	s := err.Error()
	for {
		t := packagePrefix.ReplaceAllString(s, "$1")
		if t == s {
			return strings.TrimSpace(t)
		}
		s = t
	}
}
