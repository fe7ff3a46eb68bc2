package wvdialconf

import (
	"github.com/zdial/zdial/internal/printable"
	"regexp"
	"strconv"
	"strings"
)

// An init string is sent by wvdial as written: "AT", then basic commands
// (Z, E1, &C1…) and extended ones (+CGDCONT=…), the extended ones ended by
// ';'. Only the parts zdial has fields for are pulled out; the rest is kept
// as the user wrote it, since zdial's init strings take the same form ("AT"
// prefix optional).

// initPart is one command of an init string.
type initPart struct {
	text     string // as written, spaces trimmed
	extended bool   // starts with a V.250 extended prefix such as '+' or '^'
}

// pdpContext is what an AT+CGDCONT init string defines.
type pdpContext struct {
	cid       int
	pdpType   string // upper case
	apn       string
	extraArgs bool // PDP address, compression…: zdial sets none of them
}

// initVerdict is what to do with one command.
type initVerdict int

const (
	initKeep      initVerdict = iota
	initCGDCONT               // parsed into ctx
	initPIN                   // parsed into pin
	initBadCPIN               // a +CPIN zdial cannot map (PUK form, malformed): dropped
	initCPINQuery             // AT+CPIN?: zdial checks the SIM itself
	initSIMSecret             // +CLCK, +CPWD…: would send a SIM password on every dial
)

var (
	resetOnly = regexp.MustCompile(`^(Z0?|&F0?)+$`)
	pinDigits = regexp.MustCompile(`^[0-9]{4,8}$`)
	// Commands that carry a SIM password as an argument.
	simSecretCmds = []string{"+CLCK", "+CPWD", "+CPIN2", "^CPIN", "+CPUK"}
)

// splitInit splits an init string into its commands. The "AT" is
// optional, as it is in zdial's init strings: "+CPIN=1234" is a PIN too.
func splitInit(s string) []initPart {
	var parts []initPart
	body := strings.TrimSpace(s)
	if len(body) >= 2 && strings.EqualFold(body[:2], "AT") {
		body = body[2:]
	}
	var cur strings.Builder
	inQuote := false
	flush := func() {
		t := strings.TrimSpace(cur.String())
		cur.Reset()
		if t != "" {
			parts = append(parts, initPart{text: t, extended: isExtPrefix(t[0])})
		}
	}
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case c == '"':
			inQuote = !inQuote
			cur.WriteByte(c)
		case c == ';' && !inQuote:
			flush()
		case isExtPrefix(c) && !inQuote && startsBasic(cur.String()):
			// Basic commands followed by an extended one: "ATE0+CPIN=1234".
			flush()
			cur.WriteByte(c)
		default:
			cur.WriteByte(c)
		}
	}
	flush()
	return parts
}

// isExtPrefix reports the first byte of an extended command: '+' in V.250,
// '^' for Huawei's own.
func isExtPrefix(c byte) bool { return c == '+' || c == '^' }

// startsBasic reports collected text that is a basic command (E0, &C1…).
func startsBasic(s string) bool {
	t := strings.TrimSpace(s)
	return t != "" && !isExtPrefix(t[0])
}

// joinInit rebuilds an init string from the commands that stay.
func joinInit(parts []initPart) string {
	var b strings.Builder
	b.WriteString("AT")
	for i, p := range parts {
		if i > 0 && parts[i-1].extended {
			b.WriteByte(';')
		}
		b.WriteString(p.text)
	}
	return b.String()
}

// isResetOnly reports an init string that only resets the modem (ATZ,
// AT&F): zdial sends ATZ itself before the init strings.
func isResetOnly(parts []initPart) bool {
	if len(parts) == 0 {
		return false
	}
	for _, p := range parts {
		compact := strings.ToUpper(strings.Join(strings.Fields(p.text), ""))
		if p.extended || !resetOnly.MatchString(compact) {
			return false
		}
	}
	return true
}

// classify says what one command is; for +CGDCONT and +CPIN it returns the
// parsed values.
func classify(p initPart) (v initVerdict, ctx pdpContext, pin string) {
	up := strings.ToUpper(p.text)
	for _, c := range simSecretCmds {
		if strings.Contains(up, c) {
			return initSIMSecret, ctx, ""
		}
	}
	switch {
	case strings.HasPrefix(up, "+CPIN"):
		rest := strings.TrimSpace(p.text[len("+CPIN"):])
		if strings.HasPrefix(rest, "?") {
			return initCPINQuery, ctx, ""
		}
		if !strings.HasPrefix(rest, "=") {
			return initBadCPIN, ctx, ""
		}
		args := splitArgs(rest[1:])
		if len(args) != 1 {
			return initBadCPIN, ctx, "" // PUK,new PIN: never sent on every dial
		}
		pin := unquote(args[0])
		if !pinDigits.MatchString(pin) {
			return initBadCPIN, ctx, ""
		}
		return initPIN, ctx, pin
	case strings.HasPrefix(up, "+CGDCONT="):
		args := splitArgs(p.text[len("+CGDCONT="):])
		if len(args) < 3 {
			return initKeep, ctx, ""
		}
		cid, err := strconv.Atoi(strings.TrimSpace(args[0]))
		if err != nil || cid < 1 || cid > 255 {
			return initKeep, ctx, ""
		}
		ctx = pdpContext{cid: cid, pdpType: strings.ToUpper(unquote(args[1])), apn: unquote(args[2])}
		switch ctx.pdpType {
		case "IP", "IPV6", "IPV4V6":
		default:
			return initKeep, pdpContext{}, "" // PPP, X.25…: zdial cannot set it, so the modem still must
		}
		if !printableASCII(ctx.apn) || strings.ContainsAny(ctx.apn, "\" ") {
			return initKeep, pdpContext{}, ""
		}
		for _, a := range args[3:] {
			if a := unquote(a); a != "" && a != "0" {
				ctx.extraArgs = true
			}
		}
		return initCGDCONT, ctx, ""
	}
	return initKeep, ctx, ""
}

// splitArgs splits a command's arguments on commas outside quotes.
func splitArgs(s string) []string {
	var args []string
	var cur strings.Builder
	inQuote := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			inQuote = !inQuote
			cur.WriteByte(c)
		case c == ',' && !inQuote:
			args = append(args, strings.TrimSpace(cur.String()))
			cur.Reset()
		default:
			cur.WriteByte(c)
		}
	}
	return append(args, strings.TrimSpace(cur.String()))
}

func unquote(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return s[1 : len(s)-1]
	}
	return s
}

func printableASCII(s string) bool { return printable.Wire(s) == nil }

// show makes text from the file safe to show on a terminal.
func show(s string) string { return printable.Strip(s) }
