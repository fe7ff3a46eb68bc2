package wvdialconf

import (
	"fmt"
	"strings"
	"time"
)

// Profile is one zdial profile converted from a [Dialer …] section, with
// everything it inherits flattened in. Field names follow zdial's profile
// file (port, apn, pdp_type, cid, number, pin, username, password, init,
// pppd, timeouts); a zero field is left out of the YAML, so zdial's
// default applies.
type Profile struct {
	Name    string // zdial profile name, [a-z0-9._-]
	Section string // the wvdial section, e.g. "Dialer Three UK"
	Line    int    // of its header

	Port     string
	APN      string
	PDPType  string
	CID      int
	Number   string
	PIN      Secret
	Username string
	Password Secret
	Init     []string // nil: zdial's default init string
	PPPD     PPPD
	// DialTimeout is timeouts.dial: how long ATD may wait for CONNECT.
	DialTimeout time.Duration
}

// PPPD is the pppd part of a profile: the pppd options zdial has fields
// for, and the rest as Options.
type PPPD struct {
	Path                string
	DefaultRoute        *bool // nil: zdial's default
	ReplaceDefaultRoute bool
	UsePeerDNS          *bool // nil: zdial's default (on)
	NoVJ                bool
	LCPEchoInterval     int
	LCPEchoFailure      int
	IfName              string
	Options             []string
}

// Note is a remark about one line of the file. Its text never holds a PIN
// or password.
type Note struct {
	Line    int    // 0: about the file or a profile as a whole
	Section string // the section the line is in
	Key     string // the wvdial key, as written
	Text    string
}

func (n Note) String() string {
	var b strings.Builder
	if n.Line > 0 {
		fmt.Fprintf(&b, "line %d ", n.Line)
	}
	if n.Section != "" {
		fmt.Fprintf(&b, "[%s] ", show(n.Section))
	}
	if n.Key != "" {
		fmt.Fprintf(&b, "%s: ", show(n.Key))
	}
	b.WriteString(n.Text)
	return strings.TrimSpace(b.String())
}

// Result is a converted file.
type Result struct {
	Source   string    // the file's name, as given to Parse
	Profiles []Profile // [Dialer Defaults] first, then in file order
	Notes    []Note    // values carried over, with something to know about them
	Unmapped []Note    // what was not carried into any profile, and why
}

// HasSecrets reports whether a profile holds a PIN or password, in which
// case the YAML must be written with mode 0600.
func (r *Result) HasSecrets() bool {
	for _, p := range r.Profiles {
		if p.PIN.IsSet() || p.Password.IsSet() {
			return true
		}
	}
	return false
}

// DefaultsProfile is the name [Dialer Defaults] gets: `wvdial` with no
// arguments dialled it, so `zdial defaults` dials the same.
const DefaultsProfile = "defaults"

const defaultsSection = "dialer defaults"
