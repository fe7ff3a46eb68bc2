package pppctl

import (
	"strings"
)

// refused lists the pppd options Extra may not contain, and why. Some
// would put or expose the password (argv is world-readable in
// /proc/PID/cmdline); the rest fight what Start sets up: pppd runs in the
// foreground on the already-dialed line on its stdin, logging to our pipe,
// and exits when the link ends.
var refused = map[string]string{
	"password":      "would put the secret in argv; set Options.Password",
	"passwordfd":    "pppctl passes the password itself; set Options.Password",
	"show-password": "would log the password",
	"plugin":        "pppctl manages plugins (passwordfd)",
	"file":          "an options file may name a device or a connect script",
	"call":          "a peers file may name a device or a connect script",
	"connect":       "the line is already dialed",
	"disconnect":    "zdial hangs up the modem itself",
	"init":          "the line is already initialised",
	"welcome":       "the line is already dialed",
	"pty":           "pppd must use the dialed line on its stdin",
	"notty":         "pppd must use the dialed line on its stdin",
	"socket":        "pppd must use the dialed line on its stdin",
	"record":        "would copy the line (and PAP secrets) to a file",
	"logfd":         "pppctl reads pppd's log itself",
	"logfile":       "pppctl reads pppd's log itself",
	"nolog":         "pppctl reads pppd's log itself",
	"detach":        "pppd must stay in the foreground to be supervised",
	"updetach":      "pppd must stay in the foreground to be supervised",
	"persist":       "zdial decides about redialling",
	"demand":        "zdial decides about redialling",
}

// takesArg lists pppd options that consume the next word, so that an
// argument is not mistaken for an option ("ipparam file" is fine).
var takesArg = map[string]bool{
	"asyncmap": true, "mtu": true, "mru": true, "mrru": true, "user": true,
	"remotename": true, "name": true, "ipparam": true, "linkname": true,
	"ifname": true, "unit": true, "domain": true, "netmask": true,
	"ms-dns": true, "ms-wins": true, "escape": true, "idle": true,
	"maxconnect": true, "maxfail": true, "holdoff": true, "connect-delay": true,
	"lcp-echo-interval": true, "lcp-echo-failure": true, "lcp-restart": true,
	"lcp-max-configure": true, "lcp-max-failure": true, "lcp-max-terminate": true,
	"ipcp-restart": true, "ipcp-max-configure": true, "ipcp-max-failure": true,
	"ipcp-max-terminate": true, "ipv6cp-restart": true,
	"ipv6cp-max-configure": true, "ipv6cp-max-failure": true,
	"ipv6cp-max-terminate": true, "pap-restart": true, "pap-max-authreq": true,
	"pap-timeout": true, "chap-restart": true, "chap-max-challenge": true,
	"chap-interval": true, "kdebug": true, "deflate": true, "bsdcomp": true,
	"vj-max-slots": true, "remotenumber": true, "active-filter": true,
	"pass-filter": true, "ipv6": true, "set": true, "unset": true, "+ua": true,
	"ip-up-script": true, "ip-down-script": true, "ipv6-up-script": true,
	"ipv6-down-script": true, "lcp-rtt-file": true,
}

// extraWords flattens Extra into argv words and rejects what must not
// reach pppd. Errors name the option, never an argument: the argument of
// `password` is the secret.
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
		if why, ok := refused[w]; ok {
			return nil, &OptionError{Option: w, Reason: why}
		}
		if strings.HasPrefix(w, "/") || strings.HasPrefix(w, "tty") {
			return nil, &OptionError{Option: w, Reason: "a device name: pppd must use the dialed line on its stdin"}
		}
		if takesArg[w] {
			if i+1 >= len(words) {
				return nil, &OptionError{Option: w, Reason: "needs an argument"}
			}
			i++
			if leaks(words[i]) {
				return nil, leakErr
			}
		}
	}
	return words, nil
}
