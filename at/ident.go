package at

import (
	"context"
	"errors"
	"strings"
)

// Identity is what a modem says about itself and its SIM.
type Identity struct {
	Manufacturer string // +CGMI
	Model        string // +CGMM
	Revision     string // +CGMR
	IMEI         string // +CGSN
	IMSI         string // +CIMI (empty if the SIM is locked or absent)
	ICCID        string // +CCID / ^ICCID / +ICCID / +QCCID / !ICCID / #CCID / +ZGETICCID
}

// ParseIdentLine returns the value of a one-value reply such as +CGMI,
// +CGMM, +CGMR, +CGSN or +CIMI. Vendors answer bare ("ZTE CORPORATION"),
// prefixed ("+CGMI: ZTE CORPORATION", "+GMI: ..."), or quoted
// ("+CGSN: \"356...\""), or with an ATI-style label ("Revision: ...");
// all give the text.
func ParseIdentLine(cmd string, lines []string) (string, error) {
	name := strings.TrimSuffix(strings.ToUpper(stripAT(cmd)), "?")
	alts := []string{name}
	if strings.HasPrefix(name, "+CG") { // +CGMI ↔ +GMI (V.250 spelling)
		alts = append(alts, "+G"+name[3:])
	}
	for _, line := range lines {
		s := strings.TrimSpace(line)
		if s == "" {
			continue
		}
		for _, a := range alts {
			if rest, ok := afterPrefix(s, a); ok {
				s = rest
				break
			}
		}
		// Sierra: "Revision: ..." lines in ATI style answers to +CGMR.
		if label, v, ok := strings.Cut(s, ": "); ok && isLabel(label) {
			s = v
		}
		s = strings.Trim(s, `" `)
		if s != "" {
			return s, nil
		}
	}
	return "", parseErr(cmd, lines)
}

// isLabel reports an ATI-style "Word Word:" label (letters and spaces).
func isLabel(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == ' ') {
			return false
		}
	}
	return true
}

// iccidPrefixes are the answers of the ICCID commands vendors use.
var iccidPrefixes = []string{"+CCID", "^ICCID", "+ICCID", "+QCCID", "!ICCID", "#CCID", "+ZGETICCID", "ICCID"}

// ParseICCID decodes an ICCID reply. Trailing F padding is dropped. A
// +CRSM read of EF_ICCID ("+CRSM: 144,0,\"98941...\"") is nibble-swapped
// on the SIM and is swapped back.
func ParseICCID(lines []string) (string, error) {
	for _, line := range lines {
		s := strings.TrimSpace(line)
		if rest, ok := afterPrefix(s, "+CRSM"); ok {
			ps := splitParams(rest)
			if len(ps) == 3 && ps[0].s == "144" {
				if id := cleanICCID(swapNibbles(ps[2].s)); id != "" {
					return id, nil
				}
			}
			continue
		}
		for _, p := range iccidPrefixes {
			if rest, ok := afterPrefix(s, p); ok {
				s = rest
				break
			}
		}
		if id := cleanICCID(strings.Trim(s, `" `)); id != "" {
			return id, nil
		}
	}
	return "", parseErr("ICCID", lines)
}

func swapNibbles(s string) string {
	b := []byte(s)
	for i := 0; i+1 < len(b); i += 2 {
		b[i], b[i+1] = b[i+1], b[i]
	}
	return string(b)
}

// cleanICCID accepts 18 to 22 digits (F padding trimmed), else returns "".
func cleanICCID(s string) string {
	s = strings.TrimRight(s, "Ff")
	if len(s) < 18 || len(s) > 22 || !isDigits(s) {
		return ""
	}
	return s
}

// ParseATI reads the labelled lines most modems give for ATI
// ("Manufacturer: huawei", "Model: E1750", "Revision: ...", "IMEI: ...").
// Modems that answer unlabelled (Quectel: "Quectel", "EC25",
// "Revision: ...") give manufacturer and model by position.
func ParseATI(lines []string) Identity {
	var id Identity
	var bare []string
	for _, line := range lines {
		s := strings.TrimSpace(line)
		label, v, ok := strings.Cut(s, ":")
		if !ok || !isLabel(label) {
			if s != "" && !strings.HasPrefix(s, "+") {
				bare = append(bare, s)
			}
			continue
		}
		v = strings.TrimSpace(v)
		switch strings.ToLower(label) {
		case "manufacturer":
			id.Manufacturer = v
		case "model":
			id.Model = v
		case "revision", "firmware":
			id.Revision = v
		case "imei":
			id.IMEI = v
		}
	}
	if id.Manufacturer == "" && len(bare) > 0 {
		id.Manufacturer = bare[0]
		bare = bare[1:]
	}
	if id.Model == "" && len(bare) > 0 {
		id.Model = bare[0]
	}
	return id
}

// ReadIdentity asks +CGMI, +CGMM, +CGMR, +CGSN, +CIMI and an ICCID command.
// Fields the modem will not give (IMSI before the PIN, an ICCID command it
// lacks) stay empty; only ctx, hang-up, close and protocol errors, or a
// modem that answers none of the first four, are returned.
func ReadIdentity(ctx context.Context, m *Modem) (Identity, error) {
	var id Identity
	var firstErr error
	fields := []struct {
		cmd string
		dst *string
	}{
		{"+CGMI", &id.Manufacturer}, {"+CGMM", &id.Model}, {"+CGMR", &id.Revision},
		{"+CGSN", &id.IMEI}, {"+CIMI", &id.IMSI},
	}
	for _, f := range fields {
		lines, err := m.Command(ctx, f.cmd)
		if err != nil {
			if !errors.Is(err, ErrError) {
				return id, err
			}
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		if v, err := ParseIdentLine(f.cmd, lines); err == nil {
			*f.dst = v
		}
	}
	for _, q := range []string{"+CCID", "^ICCID?", "+ICCID", "+QCCID", "+CRSM=176,12258,0,0,10"} {
		lines, err := m.Command(ctx, q)
		if err != nil {
			if !errors.Is(err, ErrError) {
				return id, err
			}
			continue
		}
		if v, err := ParseICCID(lines); err == nil {
			id.ICCID = v
			break
		}
	}
	if id.Manufacturer == "" && id.Model == "" && id.Revision == "" && id.IMEI == "" {
		return id, firstErr
	}
	return id, nil
}
