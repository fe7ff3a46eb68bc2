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

// ReadIdentity asks +CGMI, +CGMM, +CGMR, +CGSN, +CIMI and the ICCID (ReadICCID).
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
	iccid, err := ReadICCID(ctx, m)
	switch {
	case err == nil:
		id.ICCID = iccid
	case !errors.Is(err, ErrNoICCID):
		return id, err
	}
	if id.Manufacturer == "" && id.Model == "" && id.Revision == "" && id.IMEI == "" {
		return id, firstErr
	}
	return id, nil
}
