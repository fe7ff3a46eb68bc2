package pppctl

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"
)

// argKind says what argument an allowed option takes, and how it is
// checked. There is no kind for a path: no allowed option names a file.
type argKind uint8

const (
	argNone         argKind = iota
	argUint                 // a decimal number 0…999999999, no sign, no leading zero
	argHex                  // asyncmap: 1–8 hex digits, optionally after 0x
	argName                 // 1–128 letters, digits and . _ - @ +
	argIfName               // an interface name: 1–15 letters, digits and . _ -
	argInterfaceIDs         // ipv6: LOCAL,REMOTE in IPv6 notation, either may be empty
)

// argHints are how AllowedOptions shows each kind.
var argHints = [...]string{
	argNone:         "",
	argUint:         "N",
	argHex:          "HEX",
	argName:         "NAME",
	argIfName:       "IFNAME",
	argInterfaceIDs: "LOCAL,REMOTE",
}

// argReasons are the errors for an argument that does not fit its kind.
// They never quote the argument: it might be a secret typed in the wrong
// place.
var argReasons = [...]string{
	argUint:         "needs a decimal number (0 to 999999999, no sign or leading zero)",
	argHex:          "needs a hexadecimal map of at most 8 digits",
	argName:         "needs a name of 1 to 128 letters, digits or . _ - @ +",
	argIfName:       "needs an interface name of 1 to 15 letters, digits or . _ -",
	argInterfaceIDs: "needs LOCAL,REMOTE interface identifiers in IPv6 notation (::1,::2)",
}

// allowed is every pppd option a profile may add through Options.Extra,
// with the kind of its argument. The rule for admission: it tunes the
// link pppctl already runs (framing, compression, negotiation timers,
// addresses, routes, DNS, authentication methods, flow control, names)
// and does none of these: name or read a file, a script, a device or a
// plugin; run a program; change logging, detaching or redialling; take
// a secret. pppd 2.4.9 and 2.5 know them all.
var allowed = map[string]argKind{
	// Link framing and compression.
	"mtu": argUint, "mru": argUint, "asyncmap": argHex,
	"default-asyncmap": argNone, "default-mru": argNone, "receive-all": argNone,
	"noaccomp": argNone, "nopcomp": argNone, "nomagic": argNone,
	"novj": argNone, "novjccomp": argNone, "-vjccomp": argNone, "vj-max-slots": argUint,
	"noccp": argNone, "-ccp": argNone, "nobsdcomp": argNone, "-bsdcomp": argNone,
	"nodeflate": argNone, "-deflate": argNone, "nopredictor1": argNone,
	"nomppe": argNone, "nomppe-40": argNone, "nomppe-128": argNone, "nomppe-stateful": argNone,
	"require-mppe": argNone, "require-mppe-40": argNone, "require-mppe-128": argNone,
	"noendpoint": argNone, "nomp": argNone, "nomultilink": argNone,

	// LCP.
	"lcp-echo-interval": argUint, "lcp-echo-failure": argUint, "lcp-echo-adaptive": argNone,
	"lcp-restart": argUint, "lcp-max-configure": argUint, "lcp-max-failure": argUint,
	"lcp-max-terminate": argUint, "passive": argNone, "silent": argNone,

	// IPCP and IPv6CP: addresses, routes, DNS.
	"noipdefault": argNone, "noremoteip": argNone, "noip": argNone,
	"ipcp-accept-local": argNone, "ipcp-accept-remote": argNone,
	"ipcp-no-address": argNone, "ipcp-no-addresses": argNone,
	"ipcp-restart": argUint, "ipcp-max-configure": argUint, "ipcp-max-failure": argUint,
	"ipcp-max-terminate": argUint,
	"defaultroute":       argNone, "nodefaultroute": argNone, "-defaultroute": argNone,
	"defaultroute-metric": argUint, "replacedefaultroute": argNone, "noreplacedefaultroute": argNone,
	"defaultroute6": argNone, "nodefaultroute6": argNone, "-defaultroute6": argNone,
	"usepeerdns": argNone, "noproxyarp": argNone, "-proxyarp": argNone,
	"+ipv6": argNone, "-ipv6": argNone, "noipv6": argNone, "ipv6": argInterfaceIDs,
	"ipv6cp-accept-local": argNone, "ipv6cp-accept-remote": argNone,
	"ipv6cp-use-ipaddr": argNone, "ipv6cp-use-persistent": argNone,
	"ipv6cp-restart": argUint, "ipv6cp-max-configure": argUint, "ipv6cp-max-failure": argUint,
	"ipv6cp-max-terminate": argUint,

	// Authentication: which methods, names and timers; never a secret
	// or a secrets file. A 3G/4G network does not authenticate itself,
	// so noauth is what the client side needs.
	"noauth": argNone, "name": argName, "remotename": argName, "usehostname": argNone,
	"hide-password": argNone,
	"refuse-pap":    argNone, "refuse-chap": argNone, "refuse-mschap": argNone,
	"refuse-mschap-v2": argNone, "refuse-eap": argNone,
	"require-pap": argNone, "require-chap": argNone, "require-mschap": argNone,
	"require-mschap-v2": argNone, "require-eap": argNone,
	"pap-restart": argUint, "pap-max-authreq": argUint, "pap-timeout": argUint,
	"chap-restart": argUint, "chap-max-challenge": argUint, "chap-interval": argUint,
	"chap-timeout": argUint,

	// The serial line pppctl hands over.
	"crtscts": argNone, "nocrtscts": argNone, "-crtscts": argNone,
	"cdtrcts": argNone, "nocdtrcts": argNone, "xonxoff": argNone,
	"local": argNone, "modem": argNone,

	// The interface and the session.
	"ifname": argIfName, "unit": argUint, "ipparam": argName,
	"idle": argUint, "maxconnect": argUint, "connect-delay": argUint,
	"debug": argNone, "kdebug": argUint,

	// What pppctl sets anyway; harmless repeated.
	"nodetach": argNone, "-detach": argNone, "nopersist": argNone,
}

// redial is the answer for options that would make pppd itself redial.
const redial = "pppd must exit when the link ends; to keep a link up run the profile under `zdial run PROFILE`, which redials"

// refused explains, for options a profile might reasonably try, why they
// are not on the allow-list. Any other option gets the generic answer.
var refused = map[string]string{
	"persist":          redial,
	"maxfail":          redial,
	"demand":           redial,
	"holdoff":          "only matters with persist or demand; " + redial,
	"password":         "would put the secret in argv; set the profile's password",
	"passwordfd":       "pppctl passes the password itself; set the profile's password",
	"show-password":    "would log the password",
	"user":             "set the profile's username instead",
	"linkname":         "names a pid file; set the profile's pppd linkname instead",
	"plugin":           "loads code into pppd as root",
	"file":             "reads options from a file",
	"call":             "reads options from a peers file",
	"+ua":              "reads a secrets file",
	"connect":          "runs a program; the line is already dialed",
	"disconnect":       "runs a program; zdial hangs up the modem itself",
	"init":             "runs a program; the line is already initialised",
	"welcome":          "runs a program; the line is already dialed",
	"ip-up-script":     "runs a program as root",
	"ip-down-script":   "runs a program as root",
	"ipv6-up-script":   "runs a program as root",
	"ipv6-down-script": "runs a program as root",
	"pty":              "runs a program; pppd must use the dialed line on its stdin",
	"notty":            "pppd must use the dialed line on its stdin",
	"socket":           "pppd must use the dialed line on its stdin",
	"lock":             "zdial holds the port's lock itself",
	"record":           "writes the line (and PAP secrets) to a file",
	"lcp-rtt-file":     "writes to a file",
	"logfd":            "pppctl reads pppd's log itself",
	"logfile":          "pppctl reads pppd's log itself",
	"nolog":            "pppctl reads pppd's log itself",
	"nologfd":          "pppctl reads pppd's log itself",
	"detach":           "pppd must stay in the foreground to be supervised",
	"updetach":         "pppd must stay in the foreground to be supervised",
	"master_detach":    "pppd must stay in the foreground to be supervised",
	"up_sdnotify":      "zdial talks to systemd itself",
	"dryrun":           "makes pppd exit without bringing the link up",
	"dump":             "pppctl shows the options itself (zdial --dry-run)",
	"set":              "changes the environment of pppd's scripts",
	"unset":            "changes the environment of pppd's scripts",
}

// notAllowed is the answer for any option that is neither allowed nor
// explained in refused.
const notAllowed = "not a pppd option a profile may add: only options that tune the link are accepted (the README's \"pppd options a profile may add\" lists them)"

// AllowedOptions lists the pppd options Options.Extra accepts, sorted,
// each with a placeholder for its argument ("mtu N", "ifname IFNAME"),
// plus the "LOCAL:REMOTE" IPv4 address pair. N is a decimal number, HEX
// up to 8 hex digits, NAME letters, digits and . _ - @ +, IFNAME at most
// 15 letters, digits and . _ -, LOCAL and REMOTE literal addresses (IPv4
// for the pair, IPv6 notation for ipv6), either of which may be empty.
// Everything else is refused, including every option that names a
// file, script, device or plugin, and those that change pppd's logging,
// detaching or redialling (use `zdial run` to keep a link up).
func AllowedOptions() []string {
	out := make([]string, 0, len(allowed)+1)
	for name, kind := range allowed {
		if h := argHints[kind]; h != "" {
			name += " " + h
		}
		out = append(out, name)
	}
	out = append(out, "LOCAL:REMOTE")
	slices.Sort(out)
	return out
}

// extraWords flattens Extra into argv words and checks each option
// against the allow-list and each argument against its kind. Errors
// name the option, never an argument: the argument may be a secret.
func extraWords(extra []string, pw Secret) ([]string, error) {
	var words []string
	for _, e := range extra {
		words = append(words, strings.Fields(e)...)
	}
	secret := pw.Reveal()
	// The rule of maskSecret; w == secret also catches a password that
	// happens to read like Mask.
	leaks := func(w string) bool { return secret != "" && (w == secret || maskSecret(w, secret) != w) }
	leakErr := &OptionError{Option: "Extra", Reason: "contains the password; set Options.Password instead"}
	for i := 0; i < len(words); i++ {
		w := words[i]
		if leaks(w) {
			return nil, leakErr
		}
		kind, ok := allowed[w]
		if !ok {
			if isAddrPair(w) {
				continue
			}
			return nil, unknownOption(w, i)
		}
		if kind == argNone {
			continue
		}
		if i+1 >= len(words) {
			return nil, &OptionError{Option: w, Reason: argReasons[kind]}
		}
		i++
		if leaks(words[i]) {
			return nil, leakErr
		}
		if !validArg(kind, words[i]) {
			return nil, &OptionError{Option: w, Reason: argReasons[kind]}
		}
	}
	return words, nil
}

// unknownOption is the error for word i, which is not an allowed
// option. The word is named only when it looks like an option name: a
// stray argument or a secret typed in the wrong place is not repeated.
func unknownOption(w string, i int) error {
	if why, ok := refused[w]; ok {
		return &OptionError{Option: w, Reason: why}
	}
	if looksLikeOption(w) {
		return &OptionError{Option: w, Reason: notAllowed}
	}
	name := "Extra word " + strconv.Itoa(i+1)
	if strings.ContainsRune(w, '/') || strings.HasPrefix(w, "tty") {
		return &OptionError{Option: name, Reason: "looks like a device or a file: pppd must use the dialed line on its stdin, and no option may name a file"}
	}
	return &OptionError{Option: name, Reason: notAllowed}
}

// looksLikeOption: lower-case letters, digits, - + _, at most 32 bytes,
// starting with a letter, + or -. Every pppd option name has this shape.
func looksLikeOption(w string) bool {
	if w == "" || len(w) > 32 || !(isLower(w[0]) || w[0] == '-' || w[0] == '+') {
		return false
	}
	for i := 0; i < len(w); i++ {
		c := w[i]
		if !isLower(c) && !isDigit(c) && c != '-' && c != '+' && c != '_' {
			return false
		}
	}
	return true
}

func validArg(kind argKind, s string) bool {
	switch kind {
	case argUint:
		if s == "" || len(s) > 9 || s[0] == '0' && len(s) > 1 {
			return false // a leading 0 would make pppd read octal
		}
		return allBytes(s, isDigit)
	case argHex:
		s = strings.TrimPrefix(s, "0x")
		return s != "" && len(s) <= 8 && allBytes(s, isHex)
	case argName:
		return s != "" && len(s) <= 128 && allBytes(s, func(c byte) bool {
			return isAlnum(c) || strings.IndexByte("._-@+", c) >= 0
		})
	case argIfName:
		return s != "" && len(s) <= 15 && allBytes(s, func(c byte) bool {
			return isAlnum(c) || strings.IndexByte("._-", c) >= 0
		})
	case argInterfaceIDs:
		local, remote, ok := strings.Cut(s, ",")
		return ok && (local != "" || remote != "") && ipv6Word(local) && ipv6Word(remote)
	}
	return false
}

// ipv6Word: empty, or a literal IPv6 address without a zone.
func ipv6Word(s string) bool {
	if s == "" {
		return true
	}
	a, err := netip.ParseAddr(s)
	return err == nil && a.Is6() && a.Zone() == ""
}

// isAddrPair reports whether w is pppd's LOCAL:REMOTE address option
// with literal IPv4 addresses (pppd would also resolve host names; we do
// not let it).
func isAddrPair(w string) bool {
	local, remote, ok := strings.Cut(w, ":")
	if !ok || local == "" && remote == "" {
		return false
	}
	for _, s := range []string{local, remote} {
		if s == "" {
			continue
		}
		a, err := netip.ParseAddr(s)
		if err != nil || !a.Is4() {
			return false
		}
	}
	return true
}

func allBytes(s string, ok func(byte) bool) bool {
	for i := 0; i < len(s); i++ {
		if !ok(s[i]) {
			return false
		}
	}
	return true
}

func isLower(c byte) bool { return 'a' <= c && c <= 'z' }
func isDigit(c byte) bool { return '0' <= c && c <= '9' }
func isAlnum(c byte) bool { return isDigit(c) || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isHex(c byte) bool   { return isDigit(c) || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }
