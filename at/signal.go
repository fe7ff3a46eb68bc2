package at

import (
	"context"
	"strings"
)

// Signal is the reply to AT+CSQ (27.007 §8.5).
type Signal struct {
	RSSI  int  // 0..31, 100..191 (TD-SCDMA), or 99 = not known
	BER   int  // 0..7 (RXQUAL), or 99 = not known
	DBm   int  // received strength; meaningful only if Known
	Known bool // false for rssi 99 and for values outside the tables
}

// SignalFromRSSI converts a +CSQ (or Huawei ^RSSI) rssi value: 0..31 is
// -113 + 2*rssi dBm (0 meaning -113 or less, 31 meaning -51 or more);
// 100..191 is the TD-SCDMA scale, -216 + rssi dBm; 99 is unknown.
func SignalFromRSSI(rssi, ber int) Signal {
	s := Signal{RSSI: rssi, BER: ber}
	switch {
	case rssi >= 0 && rssi <= 31:
		s.DBm, s.Known = -113+2*rssi, true
	case rssi >= 100 && rssi <= 191:
		s.DBm, s.Known = rssi-216, true
	}
	return s
}

// Percent maps a known 0..31 rssi to 0..100 for display; -1 if unknown.
func (s Signal) Percent() int {
	if !s.Known {
		return -1
	}
	if s.RSSI >= 100 {
		return (s.RSSI - 100) * 100 / 91
	}
	return s.RSSI * 100 / 31
}

// ParseSignal decodes "+CSQ: <rssi>,<ber>". Huawei's unsolicited
// "^RSSI:<rssi>" is accepted too (BER 99).
func ParseSignal(lines []string) (Signal, error) {
	if rest, ok := findPrefixed(lines, "+CSQ"); ok {
		ps := splitParams(rest)
		if len(ps) >= 2 {
			rssi, ok1 := atoi(ps[0])
			ber, ok2 := atoi(ps[1])
			if ok1 && ok2 {
				return SignalFromRSSI(rssi, ber), nil
			}
		}
	}
	if rest, ok := findPrefixed(lines, "^RSSI"); ok {
		if rssi, ok := atoi(param{s: strings.TrimSpace(rest)}); ok {
			return SignalFromRSSI(rssi, 99), nil
		}
	}
	return Signal{}, parseErr("+CSQ", lines)
}

// ReadSignal asks AT+CSQ.
func ReadSignal(ctx context.Context, m *Modem) (Signal, error) {
	lines, err := m.Command(ctx, "+CSQ")
	if err != nil {
		return Signal{}, err
	}
	return ParseSignal(lines)
}
