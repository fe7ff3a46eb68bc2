package at

import (
	"context"
	"strconv"
	"strings"
)

// RegStat is <stat> of +CREG/+CGREG/+CEREG (27.007 §7.2, §10.1.20, §10.1.22).
type RegStat int

const (
	RegNotSearching        RegStat = 0
	RegHome                RegStat = 1
	RegSearching           RegStat = 2
	RegDenied              RegStat = 3
	RegUnknown             RegStat = 4
	RegRoaming             RegStat = 5
	RegHomeSMSOnly         RegStat = 6
	RegRoamingSMSOnly      RegStat = 7
	RegEmergencyOnly       RegStat = 8
	RegHomeCSFBNotPref     RegStat = 9
	RegRoamingCSFBNotPref  RegStat = 10
	RegEmergencyBearerOnly RegStat = 11
)

var regStatNames = [...]string{
	"not registered", "registered (home)", "searching", "registration denied", "unknown",
	"registered (roaming)", "registered for SMS only (home)", "registered for SMS only (roaming)",
	"emergency services only", "registered (home, CSFB not preferred)",
	"registered (roaming, CSFB not preferred)", "attached for emergency bearer services only",
}

func (s RegStat) String() string {
	if s >= 0 && int(s) < len(regStatNames) {
		return regStatNames[s]
	}
	return "stat " + strconv.Itoa(int(s))
}

// Registered reports a stat under which data can flow.
func (s RegStat) Registered() bool {
	switch s {
	case RegHome, RegRoaming, RegHomeSMSOnly, RegRoamingSMSOnly, RegHomeCSFBNotPref, RegRoamingCSFBNotPref:
		return true
	}
	return false
}

// Roaming reports a registration on a visited network.
func (s RegStat) Roaming() bool {
	return s == RegRoaming || s == RegRoamingSMSOnly || s == RegRoamingCSFBNotPref
}

// AcT is the access technology of +CREG/+COPS (27.007 §7.3 <AcT>);
// AcTUnknown when the modem did not say.
type AcT int

const AcTUnknown AcT = -1

var actNames = [...]string{
	"GSM", "GSM Compact", "UTRAN", "EDGE", "HSDPA", "HSUPA", "HSPA", "E-UTRAN",
	"EC-GSM-IoT", "E-UTRAN (NB-S1)", "E-UTRA-5GCN", "NR-5GCN", "NG-RAN", "EN-DC",
}

func (a AcT) String() string {
	if a >= 0 && int(a) < len(actNames) {
		return actNames[a]
	}
	if a == AcTUnknown {
		return "unknown"
	}
	return "AcT " + strconv.Itoa(int(a))
}

// Registration is one +CREG/+CGREG/+CEREG line, either the answer to the
// read command ("+CREG: <n>,<stat>[,<lac>,<ci>[,<AcT>]]") or the URC
// ("+CREG: <stat>[,<lac>,<ci>[,<AcT>]]").
type Registration struct {
	Cmd    string  // "+CREG", "+CGREG", "+CEREG"
	N      int     // the <n> report mode of the read form; -1 in a URC
	Stat   RegStat //
	LAC    uint32  // LAC, or TAC for +CEREG; valid if HasLoc
	CI     uint32  // cell id (28 bits on UMTS and LTE); valid if HasLoc
	HasLoc bool
	AcT    AcT
}

// regCommands are the registration commands ParseRegistration knows.
var regCommands = []string{"+CREG", "+CGREG", "+CEREG", "+C5GREG"}

// ParseRegistration decodes the last +CREG/+CGREG/+CEREG line in lines.
//
// The read form and the URC differ only in the leading <n>, so the shape
// decides: the second field of the read form is <stat> (one or two digits,
// unquoted), while the second field of a URC is <lac> (hex, usually quoted,
// four or more digits). One field alone is a URC <stat>. Iridium pads
// numbers with zeros ("+CREG:002,001,\"18d8\",\"ffff\""): an unquoted
// number followed by a quoted field is a <stat> too, since <lac> and <ci>
// are quoted alike.
func ParseRegistration(lines []string) (Registration, error) {
	for i := len(lines) - 1; i >= 0; i-- {
		for _, cmd := range regCommands {
			if rest, ok := afterPrefix(lines[i], cmd); ok {
				r, ok := parseReg(cmd, rest)
				if !ok {
					return Registration{}, parseErr(cmd, lines[i:i+1])
				}
				return r, nil
			}
		}
	}
	return Registration{}, parseErr("registration", lines)
}

// isReadStat reports whether ps[1] is the <stat> of the read form (so ps[0]
// is <n>) rather than the <lac> of a URC; see ParseRegistration.
func isReadStat(ps []param) bool {
	p := ps[1]
	if p.quoted || !isDigits(p.s) {
		return false
	}
	return len(p.s) <= 2 || len(ps) >= 3 && ps[2].quoted
}

func parseReg(cmd, rest string) (Registration, bool) {
	ps := splitParams(rest)
	r := Registration{Cmd: cmd, N: -1, AcT: AcTUnknown}
	i := 0
	if len(ps) >= 2 && isReadStat(ps) {
		n, ok := atoi(ps[0])
		if !ok {
			return r, false
		}
		r.N, i = n, 1
	}
	stat, ok := atoi(ps[i])
	if !ok || stat < 0 {
		return r, false
	}
	r.Stat = RegStat(stat)
	i++
	if i+1 < len(ps) && ps[i].s != "" && ps[i+1].s != "" {
		lac, err1 := strconv.ParseUint(ps[i].s, 16, 32)
		ci, err2 := strconv.ParseUint(ps[i+1].s, 16, 32)
		if err1 != nil || err2 != nil {
			return r, false
		}
		r.LAC, r.CI, r.HasLoc = uint32(lac), uint32(ci), true
	}
	i += 2
	if i < len(ps) && ps[i].s != "" {
		act, ok := atoi(ps[i])
		if !ok {
			return r, false
		}
		r.AcT = AcT(act)
	}
	return r, true
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// ReadRegistration asks cmd's read form, cmd being "+CREG", "+CGREG" or
// "+CEREG" (CS, GPRS and EPS registration).
func ReadRegistration(ctx context.Context, m *Modem, cmd string) (Registration, error) {
	cmd = strings.ToUpper(strings.TrimSuffix(stripAT(cmd), "?"))
	lines, err := m.Command(ctx, cmd+"?")
	if err != nil {
		return Registration{}, err
	}
	// A URC of the same name may share the reply; prefer the read form.
	for i := len(lines) - 1; i >= 0; i-- {
		if r, err := ParseRegistration(lines[i : i+1]); err == nil && r.N >= 0 {
			return r, nil
		}
	}
	return ParseRegistration(lines)
}
