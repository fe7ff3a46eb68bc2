package at

import (
	"strings"
)

// lineKind is what a received line is. Every line is exactly one of these.
type lineKind int

const (
	kindInfo  lineKind = iota // information text belonging to the running command
	kindEcho                  // the running command echoed back (ATE1)
	kindFinal                 // a final result code: ends the running command
	kindURC                   // unsolicited: goes to subscribers only
	kindStale                 // information for a command that already timed out: dropped
)

func (k lineKind) String() string {
	return [...]string{"info", "echo", "final", "urc", "stale"}[k]
}

// urcPrefixes are the starts of lines that modems send on their own. A line
// with one of these prefixes is unsolicited unless it is the answer of the
// running command: "+CREG: 0,1" during AT+CREG? is information, the same
// line during AT+CSQ is a URC. Prefixes without a colon match a whole word
// family (+PACSP0, +PACSP1, RING).
var urcPrefixes = []string{
	"+CREG:", "+CGREG:", "+CEREG:", "+C5GREG:",
	"RING", "+CRING:", "+CLIP:", "+CCWA:", "+CMTI:", "+CMT:", "+CDSI:", "+CDS:", "+CBM:",
	"+CUSD:", "+CIEV:", "+CGEV:", "+CTZV:", "+CTZE:", "+CTZEU:", "+PACSP", "+CPIN:",
	"+CSSI:", "+CSSU:",
	// Huawei
	"^RSSI:", "^HRSSILVL:", "^HDRRSSI:", "^BOOT:", "^MODE:", "^DSFLOWRPT:", "^SRVST:",
	"^SIMST:", "^STIN:", "^SMMEMFULL", "^CEND:", "^ORIG:", "^CONF:", "^CONN:", "^NDISSTAT:",
	"^NWTIME:", "^EARST:", "^RFSWITCH:", "^CSNR:", "^HCSQ:", "^LTERSRP:", "^ACTIVEBAND:",
	// ZTE
	"+ZUSIMR:", "+ZPASR:", "+ZDONR:", "+ZEND", "+ZSTR:", "+ZPSTM:", "+ZCPI:",
	// Quectel, Sierra, Telit, Option
	"+QIND:", "+QUSIM:", "+QIURC:", "!PCINFO:", "#QSS:", "_OSIGQ:", "_OWANCALL:",
}

// finalResult is a decoded final result code.
type finalResult struct {
	err     error  // nil for OK and CONNECT
	connect bool   // CONNECT: the modem is now in data mode
	rate    string // text after "CONNECT ", empty if none
}

// parseFinal reports whether line is a V.250 / 27.007 final result code
// (verbose form, ATV1) and what it means.
func parseFinal(line string) (finalResult, bool) {
	s := strings.TrimSpace(line)
	switch s {
	case "OK":
		return finalResult{}, true
	case "ERROR":
		return finalResult{err: ErrError}, true
	case "NO CARRIER":
		return finalResult{err: ErrNoCarrier}, true
	case "BUSY":
		return finalResult{err: ErrBusy}, true
	case "NO ANSWER":
		return finalResult{err: ErrNoAnswer}, true
	case "NO DIALTONE", "NO DIAL TONE":
		return finalResult{err: ErrNoDialtone}, true
	case "CONNECT":
		return finalResult{connect: true}, true
	}
	switch {
	case strings.HasPrefix(s, "CONNECT "):
		return finalResult{connect: true, rate: strings.TrimSpace(s[len("CONNECT "):])}, true
	case strings.HasPrefix(s, "+CME ERROR:"):
		return finalResult{err: parseCME(s[len("+CME ERROR:"):])}, true
	case strings.HasPrefix(s, "+CMS ERROR:"):
		return finalResult{err: parseCMS(s[len("+CMS ERROR:"):])}, true
	}
	return finalResult{}, false
}

// callState is what the router needs to know about the running command.
type callState struct {
	active   bool     // a command is waiting for its final result
	echo     string   // the command line as sent, e.g. "AT+CSQ"
	echoSeen bool     // its echo already arrived
	names    []string // response prefixes of the command, e.g. "+CSQ"
	stale    bool     // no command, but a timed-out one still owes a final result
	gated    bool     // results are owed: until its echo, a final result is not this command's
}

// classify decides what line is. The rule, in order:
//
//  1. A final result code ends the running command (or, with none running,
//     the timed-out one that still owes it; with neither it is an orphan
//     and is classed final so that it is dropped, not handed to subscribers).
//  2. The command line itself is its echo; a modem that echoes it again
//     (some do, while a dial waits) sends repeats, which are dropped.
//  3. A line with a known unsolicited prefix (urcPrefixes, plus extra) that
//     is not the running command's own prefix is a URC.
//  4. With a command running, anything else is its information; with a
//     timed-out command owing a reply, it is that command's stale
//     information; with nothing running, it is unsolicited.
func classify(line string, st *callState, extra []string) lineKind {
	if _, ok := parseFinal(line); ok {
		if !st.active && !st.stale && isUnsolicitedFinal(line) {
			return kindURC
		}
		return kindFinal
	}
	if isEcho(line, st) {
		return kindEcho // the router drops a repeat: see routeLocked
	}
	if !st.active && !st.stale {
		return kindURC
	}
	if hasURCPrefix(line, extra) && !(st.active && ownsLine(line, st.names)) {
		return kindURC
	}
	if st.active {
		return kindInfo
	}
	return kindStale
}

// isUnsolicitedFinal: with no command running, NO CARRIER (a call dropped)
// and BUSY are events worth telling subscribers; OK and ERROR are orphans.
func isUnsolicitedFinal(line string) bool {
	s := strings.TrimSpace(line)
	return s == "NO CARRIER" || s == "BUSY" || s == "NO ANSWER"
}

// urcByFirst indexes urcPrefixes by first byte, so a line is compared with
// a handful of prefixes rather than all of them.
var urcByFirst = func() map[byte][]string {
	m := map[byte][]string{}
	for _, p := range urcPrefixes {
		m[p[0]] = append(m[p[0]], p)
	}
	return m
}()

func hasURCPrefix(line string, extra []string) bool {
	if line == "" {
		return false
	}
	for _, p := range urcByFirst[line[0]] {
		if strings.HasPrefix(line, p) {
			return true
		}
	}
	for _, p := range extra {
		if strings.HasPrefix(line, p) {
			return true
		}
	}
	return false
}

// ownsLine reports whether line starts with one of the command's response
// prefixes followed by ':' (or ends there).
func ownsLine(line string, names []string) bool {
	for _, n := range names {
		if len(line) >= len(n) && strings.EqualFold(line[:len(n)], n) &&
			(len(line) == len(n) || line[len(n)] == ':') {
			return true
		}
	}
	return false
}

// commandNames returns the response prefixes of an AT command line:
// "AT+CREG?" → ["+CREG"], "AT+CREG?;+CGREG?" → ["+CREG", "+CGREG"],
// "AT^SYSINFO" → ["^SYSINFO"]. Basic commands (ATI, ATD…) have none.
func commandNames(cmdline string) []string {
	s := cmdline
	if len(s) >= 2 && strings.EqualFold(s[:2], "AT") {
		s = s[2:]
	}
	var names []string
	for _, part := range strings.Split(s, ";") {
		part = strings.TrimSpace(part)
		if len(part) < 2 || !isExtPrefix(part[0]) {
			continue
		}
		end := strings.IndexAny(part, "=?")
		if end < 0 {
			end = len(part)
		}
		names = append(names, strings.ToUpper(part[:end]))
	}
	return names
}

// isExtPrefix reports whether c starts an extended command name: '+' for
// standard ones, '^', '%', '$', '!', '#', '*', '_' and '&' for vendor ones.
func isExtPrefix(c byte) bool {
	return strings.IndexByte("+^%$!#*_", c) >= 0
}
