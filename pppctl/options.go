package pppctl

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"

	"github.com/zdial/zdial/internal/printable"
)

// Options are the pppd settings a profile controls. The zero value runs
// pppd with `nodetach nopersist` and pppd's own defaults (including those
// in /etc/ppp/options, which on Debian says `auth`: 3G peers do not
// authenticate themselves, so profiles normally set NoAuth).
type Options struct {
	Speed               int    // baud rate for the tty; 0 leaves it unchanged
	NoAuth              bool   // `noauth`: do not require the peer to authenticate
	DefaultRoute        bool   // `defaultroute`
	ReplaceDefaultRoute bool   // `replacedefaultroute` (needs DefaultRoute; privileged)
	UsePeerDNS          bool   // `usepeerdns`
	NoIPDefault         bool   // `noipdefault`: let the peer assign our address
	NoVJ                bool   // `novj`: no Van Jacobson header compression
	Local               bool   // `local`: ignore DCD (for modems that never raise it)
	LCPEchoInterval     int    // `lcp-echo-interval N` seconds; 0 omits it
	LCPEchoFailure      int    // `lcp-echo-failure N`; needs LCPEchoInterval
	User                string // `user NAME` for PAP/CHAP
	Password            Secret // never in argv; see Start
	IPParam             string // `ipparam STRING`, passed to ip-up/ip-down
	LinkName            string // `linkname NAME` (privileged): /run/ppp-NAME.pid
	IfName              string // `ifname NAME`: the interface name (pppd ≥ 2.4.8)

	// For zdial's own far end of a link (the demo's simulated network),
	// never set from a profile: NoLock is `nolock` (the line is a pty pair
	// of zdial's own, not a shared serial device) and MSDNS is `ms-dns
	// ADDR`, the DNS server this pppd offers its peer.
	NoLock bool
	MSDNS  netip.Addr

	// Extra holds further pppd options. Each element is one option with
	// its arguments separated by blanks ("mtu 1400"), or a single word;
	// both forms may be mixed. Only the options AllowedOptions lists are
	// accepted, each argument checked by kind (a number, a name, an
	// address); Validate refuses everything else, in particular any
	// option that names a file, script, device or plugin, or that changes
	// logging, detaching or redialling.
	Extra []string
}

// ErrInvalidOption is wrapped by every *OptionError.
var ErrInvalidOption = errors.New("pppctl: invalid pppd option")

// maxSecret is pppd's MAXSECRETLEN (256) less the terminating NUL.
const maxSecret = 255

// OptionError names a rejected option. It never holds the password or
// the argument of a rejected option, which may be one.
type OptionError struct {
	Option string // the option or Options field
	Reason string
}

func (e *OptionError) Error() string {
	return fmt.Sprintf("pppctl: option %q: %s", e.Option, e.Reason)
}

func (e *OptionError) Unwrap() error { return ErrInvalidOption }

// Validate reports the first problem with o, as an *OptionError.
func (o *Options) Validate() error {
	bad := func(opt, reason string) error { return &OptionError{Option: opt, Reason: reason} }
	switch {
	case o.Speed < 0:
		return bad("Speed", "must not be negative")
	case o.ReplaceDefaultRoute && !o.DefaultRoute:
		return bad("ReplaceDefaultRoute", "needs DefaultRoute")
	case o.LCPEchoInterval < 0 || o.LCPEchoFailure < 0:
		return bad("LCPEchoInterval", "must not be negative")
	case o.LCPEchoFailure > 0 && o.LCPEchoInterval == 0:
		return bad("LCPEchoFailure", "needs a non-zero LCPEchoInterval")
	case o.MSDNS.IsValid() && !o.MSDNS.Is4():
		return bad("MSDNS", "must be an IPv4 address")
	case len(o.Password) > maxSecret:
		return bad("Password", fmt.Sprintf("longer than pppd's limit of %d bytes", maxSecret))
	case strings.ContainsRune(string(o.Password), 0):
		return bad("Password", "contains a NUL byte")
	}
	if strings.ContainsFunc(o.User, printable.IsControl) {
		return bad("User", "contains a control character")
	}
	// The same rules as the options' arguments in Extra.
	for _, f := range []struct {
		name, val string
		kind      argKind
	}{
		{"IPParam", o.IPParam, argName}, {"LinkName", o.LinkName, argName}, {"IfName", o.IfName, argIfName},
	} {
		if f.val != "" && !validArg(f.kind, f.val) {
			return bad(f.name, argReasons[f.kind])
		}
	}
	if _, err := extraWords(o.Extra, o.Password); err != nil {
		return err
	}
	return nil
}
