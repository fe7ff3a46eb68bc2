package at

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// ErrNoICCID: ReadICCID tried every ICCID command and the modem refused
// them all or answered nothing readable. It wraps the last such answer.
var ErrNoICCID = errors.New("at: modem gave no ICCID")

// iccidQueries are the ICCID commands of the standard and of the vendors we
// meet, most common first; a SIM that still wants its PIN answers them all,
// since EF_ICCID is readable without it. Last, the file itself through
// restricted SIM access (27.007 +CRSM READ BINARY of EF_ICCID, 2FE2).
var iccidQueries = []string{
	"+CCID",      // 27.007-style, ZTE, Sierra, SIMCom, u-blox
	"^ICCID?",    // Huawei
	"+ICCID",     // Telit, Quectel
	"+QCCID",     // Quectel
	"+ZGETICCID", // older ZTE
	"!ICCID?",    // Sierra
	"#CCID",      // Telit
	"+CRSM=176,12258,0,0,10",
}

// ReadICCID asks the modem for its SIM's ICCID, trying the commands of
// iccidQueries until one gives a readable answer. If none does, the error
// matches ErrNoICCID (and the last answer: ErrError, a *CMEError or a
// *ProtocolError). A ctx, hang-up or close error, or garbage on the line,
// stops at once and is returned as it is.
func ReadICCID(ctx context.Context, m *Modem) (string, error) {
	var last error
	for _, q := range iccidQueries {
		lines, err := m.Command(ctx, q)
		if err != nil {
			if !errors.Is(err, ErrError) {
				return "", err
			}
			last = err
			continue
		}
		id, err := ParseICCID(lines)
		if err == nil {
			return id, nil
		}
		last = err
	}
	return "", fmt.Errorf("%w: %w", ErrNoICCID, last)
}

// iccidPrefixes are the answers of the ICCID commands vendors use.
var iccidPrefixes = []string{"+CCID", "^ICCID", "+ICCID", "+QCCID", "!ICCID", "#CCID", "+ZGETICCID", "ICCID"}

// ParseICCID decodes an ICCID reply and returns the ICCID as printed on the
// card (ITU-T E.118: "89", country code, issuer, account, check digit).
//
// On the SIM the ICCID is stored BCD, low nibble first, so a modem that
// prints the stored bytes shows the digits swapped in pairs: 8944… becomes
// 9844…, and a 19-digit ICCID's F padding lands second to last ("…F7").
// Huawei's AT^ICCID? does so (^ICCID: 98…), as does any +CRSM read of
// EF_ICCID; other Huawei firmware (E3372 stick, 21.200.07) prints the
// ICCID unswapped. Every ICCID starts with the telecom prefix 89, so a
// value starting with 98 is swapped and one starting with 89 is not,
// whatever the command; ^ICCID and +CRSM answers that start with neither
// are taken as swapped, as their formats say. Swapping pairs leaves a
// last odd digit where it is, so a firmware that cut the F off still
// decodes. Trailing F padding is then dropped.
//
// Some Chinese operators (China Mobile, Baidu) put hex letters A–F in the
// account part; they are kept, upper case. 18 to 22 characters are accepted.
func ParseICCID(lines []string) (string, error) {
	for _, line := range lines {
		s := strings.TrimSpace(line)
		swapped := false
		if rest, ok := afterPrefix(s, "+CRSM"); ok {
			ps := splitParams(rest)
			if len(ps) != 3 || ps[0].s != "144" {
				continue
			}
			s, swapped = ps[2].s, true
		} else {
			for _, p := range iccidPrefixes {
				if rest, ok := afterPrefix(s, p); ok {
					s, swapped = rest, p == "^ICCID"
					break
				}
			}
		}
		if id := decodeICCID(strings.Trim(s, `" `), swapped); id != "" {
			return id, nil
		}
	}
	return "", parseErr("ICCID", lines)
}

// decodeICCID un-swaps v when it is stored-order (see ParseICCID) and
// returns the cleaned ICCID, or "" if v is not one.
func decodeICCID(v string, swapped bool) string {
	v = strings.ToUpper(v)
	switch {
	case strings.HasPrefix(v, "98"):
		v = swapNibbles(v)
	case strings.HasPrefix(v, "89"):
	case swapped:
		v = swapNibbles(v)
	}
	return cleanICCID(v)
}

// swapNibbles swaps each pair of characters; an odd last one stays.
func swapNibbles(s string) string {
	b := []byte(s)
	for i := 0; i+1 < len(b); i += 2 {
		b[i], b[i+1] = b[i+1], b[i]
	}
	return string(b)
}

// cleanICCID drops trailing F padding and accepts 18 to 22 characters:
// digits, and hex letters after the first six (the issuer part never has
// them). Anything else gives "".
func cleanICCID(s string) string {
	s = strings.TrimRight(s, "F")
	if len(s) < 18 || len(s) > 22 {
		return ""
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || i >= 6 && c >= 'A' && c <= 'F') {
			return ""
		}
	}
	return s
}
