package hooks

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/zdial/zdial/pppctl"
)

// ErrInvalid is wrapped by every *InvalidError.
var ErrInvalid = errors.New("hooks: invalid value")

// InvalidError names a value that cannot go into a generated file.
type InvalidError struct {
	Field, Value, Reason string
}

func (e *InvalidError) Error() string {
	return fmt.Sprintf("hooks: %s %q: %s", e.Field, e.Value, e.Reason)
}

func (e *InvalidError) Unwrap() error { return ErrInvalid }

// Peer is what a peers file says.
type Peer struct {
	Profile string // the profile: the file's name and zdial chat's argument
	Zdial   string // absolute path of the zdial that pppd runs
	Config  string // absolute path of the config file, if not zdial's default
	Port    string // the modem's tty, absolute
	// Options are the profile's pppd options (dialer.PPPOptions). The
	// password is never written: pppd reads it from pap-secrets or
	// chap-secrets.
	Options pppctl.Options
}

// PeerFile returns the peers file for p.
func PeerFile(p Peer) (string, error) {
	if err := ValidProfileName(p.Profile); err != nil {
		return "", err
	}
	for _, f := range []struct{ name, val string }{{"zdial path", p.Zdial}, {"config path", p.Config}, {"port", p.Port}} {
		if f.val == "" && f.name == "config path" {
			continue
		}
		if err := plainPath(f.name, f.val); err != nil {
			return "", err
		}
	}
	o := p.Options
	o.Password = "" // never in the file, whatever the caller passed
	if err := o.Validate(); err != nil {
		return "", err
	}
	connect := p.Zdial + " chat"
	if p.Config != "" {
		connect += " --config " + p.Config
	}
	connect += " " + p.Profile

	var b strings.Builder
	fmt.Fprintf(&b, `# pppd options for the zdial profile %[1]s, written by "zdial peer %[1]s".
# Regenerate it after changing the profile rather than editing it.
#
#   pon %[1]s   |   pppd call %[1]s   |   ifupdown: iface ppp0 inet ppp + provider %[1]s
#
# pppd opens the port and runs "zdial chat %[1]s" on it: zdial wakes the
# modem, unlocks the SIM (the PIN stays in zdial's config), registers, sets
# the APN and dials, then pppd takes the line.
#
# No password or PIN is kept in this file. If the carrier wants a PAP/CHAP
# password, pppd reads it from /etc/ppp/pap-secrets and /etc/ppp/chap-secrets
# (root only, mode 0600), one line per user:
#   "username" * "password"
`, p.Profile)
	b.WriteString(p.Port + "\n")
	fmt.Fprintf(&b, "connect %s\n", quote(connect))
	b.WriteString("lock\n")
	extra := o.Extra
	o.Extra = nil
	for _, line := range optionLines(pppctl.Args(o)) {
		b.WriteString(line + "\n")
	}
	for _, opt := range extra { // one option and its arguments per element
		words := strings.Fields(opt)
		for i, w := range words {
			words[i] = quote(w)
		}
		b.WriteString(strings.Join(words, " ") + "\n")
	}
	return b.String(), nil
}

// optionLines groups pppd's argv into one option per line, leaving out
// what only a zdial-supervised pppd wants: nodetach (pon and ifupdown
// expect pppd to detach) and nopersist.
func optionLines(args []string) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch a {
		case "nodetach", "nopersist":
			continue
		case "lcp-echo-interval", "lcp-echo-failure", "user", "ipparam", "linkname", "ifname":
			if i+1 < len(args) {
				out = append(out, a+" "+quote(args[i+1]))
				i++
				continue
			}
		}
		out = append(out, a)
	}
	return out
}

// quote renders a word for a pppd options file: as it is when it holds
// no blank, quote, backslash or comment sign, otherwise in double quotes
// with backslash escapes (pppd's options parser reads both).
func quote(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\"'\\#") {
		return s
	}
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	return `"` + r.Replace(s) + `"`
}

// ValidProfileName accepts the profile names that can name a file in
// /etc/ppp/peers and a word on a shell command line: letters, digits,
// '.', '_' and '-', not starting with '.' or '-'.
func ValidProfileName(name string) error {
	if name == "" || name[0] == '.' || name[0] == '-' || len(name) > 64 || strings.IndexFunc(name, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-')
	}) >= 0 {
		return &InvalidError{Field: "profile name", Value: name, Reason: "use letters, digits, '.', '_' and '-' (not first) for a profile that pppd or systemd starts"}
	}
	return nil
}

// plainPath accepts an absolute, clean path that the shell reads as one
// word with no expansion.
func plainPath(field, p string) error {
	switch {
	case p == "":
		return &InvalidError{Field: field, Value: p, Reason: "missing"}
	case !filepath.IsAbs(p) || filepath.Clean(p) != p:
		return &InvalidError{Field: field, Value: p, Reason: "must be an absolute, clean path"}
	case strings.IndexFunc(p, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/._+-:@,=", r))
	}) >= 0:
		return &InvalidError{Field: field, Value: p, Reason: "holds a character the shell or pppd would read specially"}
	}
	return nil
}
