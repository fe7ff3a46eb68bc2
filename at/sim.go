package at

import (
	"context"
	"errors"
	"strings"
)

// SIMState is the code of "+CPIN: <code>" (27.007 §8.3), e.g. "READY" or
// "SIM PIN", plus SIMNotInserted for a modem that answers +CME ERROR: 10.
type SIMState string

const (
	SIMReady       SIMState = "READY"
	SIMPIN         SIMState = "SIM PIN"
	SIMPUK         SIMState = "SIM PUK"
	SIMPIN2        SIMState = "SIM PIN2"
	SIMPUK2        SIMState = "SIM PUK2"
	SIMPHSIMPIN    SIMState = "PH-SIM PIN"
	SIMPHFSIMPIN   SIMState = "PH-FSIM PIN"
	SIMPHFSIMPUK   SIMState = "PH-FSIM PUK"
	SIMPHNetPIN    SIMState = "PH-NET PIN"
	SIMPHNetPUK    SIMState = "PH-NET PUK"
	SIMNotInserted SIMState = "NOT INSERTED" // not a +CPIN code: CME error 10
)

// NeedsPIN reports a SIM that wants its PIN before it will register.
func (s SIMState) NeedsPIN() bool { return s == SIMPIN }

// NeedsPUK reports a SIM blocked after three wrong PINs.
func (s SIMState) NeedsPUK() bool { return s == SIMPUK }

// Ready reports a SIM that needs nothing more. SIM PIN2/PUK2 only guard
// some phonebook and charging functions, never data, so they count as ready.
func (s SIMState) Ready() bool { return s == SIMReady || s == SIMPIN2 || s == SIMPUK2 }

// ParseSIMState decodes the reply to AT+CPIN?: "+CPIN: READY",
// "+CPIN: SIM PIN", "+CPIN:READY" and the like.
func ParseSIMState(lines []string) (SIMState, error) {
	rest, ok := findPrefixed(lines, "+CPIN")
	if !ok {
		return "", parseErr("+CPIN", lines)
	}
	code := strings.ToUpper(strings.Trim(rest, `" `))
	if code == "" {
		return "", parseErr("+CPIN", lines)
	}
	return SIMState(code), nil
}

// ReadSIMState asks AT+CPIN?. A modem without a SIM answers +CME ERROR: 10
// (or, on some ZTE and Huawei firmware, SIM failure); that becomes
// SIMNotInserted with a nil error, since it is an answer, not a failure.
func ReadSIMState(ctx context.Context, m *Modem) (SIMState, error) {
	lines, err := m.Command(ctx, "+CPIN?")
	return SIMAnswer(lines, err)
}

// SIMAnswer reads an answer to AT+CPIN? — its information lines and the
// command's error, as Command returns them, or as a batch's share (Join) —
// the way ReadSIMState does.
func SIMAnswer(lines []string, err error) (SIMState, error) {
	if errors.Is(err, ErrSIMNotInserted) {
		return SIMNotInserted, nil
	}
	if err != nil {
		return "", err
	}
	return ParseSIMState(lines)
}

// PINCounts are the attempts left before a code locks; -1 means unknown.
type PINCounts struct {
	PIN, PUK, PIN2, PUK2 int
}

func unknownCounts() PINCounts { return PINCounts{-1, -1, -1, -1} }

// ParsePINCounts decodes any of the vendor replies that carry attempts left:
//
//	+CPINR: SIM PIN,3,3          27.007 AT+CPINR (one line per code)
//	^CPIN: SIM PIN,3,10,3,10,3   Huawei AT^CPIN?: code,times,puk,pin,puk2,pin2
//	+ZPINPUK: 3,10               ZTE AT+ZPINPUK=?: pin,puk
//	!CPINC: 3,3,10,10            Sierra AT!CPINC?: pin,pin2,puk,puk2
//	_OERCN: 3, 10                Option AT_OERCN?: pin,puk
//	+QPINC: "SC",3,10            Quectel AT+QPINC?: facility,pin,puk
//	+XPINCNT: 3,3,10,10          Intel/Infineon: pin,pin2,puk,puk2
func ParsePINCounts(lines []string) (PINCounts, error) {
	pc := unknownCounts()
	found := false
	set := func(dst *int, p param) {
		if n, ok := atoi(p); ok {
			*dst = n
			found = true
		}
	}
	for _, line := range lines {
		pfx, rest, ok := strings.Cut(strings.TrimSpace(line), ":")
		if !ok {
			continue
		}
		ps := splitParams(strings.TrimSpace(rest))
		get := func(i int) param {
			if i < len(ps) {
				return ps[i]
			}
			return param{}
		}
		switch strings.ToUpper(pfx) {
		case "+CPINR", "+CPINRE":
			switch strings.ToUpper(get(0).s) {
			case "SIM PIN":
				set(&pc.PIN, get(1))
			case "SIM PUK":
				set(&pc.PUK, get(1))
			case "SIM PIN2":
				set(&pc.PIN2, get(1))
			case "SIM PUK2":
				set(&pc.PUK2, get(1))
			}
		case "^CPIN":
			set(&pc.PUK, get(2))
			set(&pc.PIN, get(3))
			set(&pc.PUK2, get(4))
			set(&pc.PIN2, get(5))
		case "+ZPINPUK", "_OERCN":
			set(&pc.PIN, get(0))
			set(&pc.PUK, get(1))
		case "!CPINC", "+XPINCNT":
			set(&pc.PIN, get(0))
			set(&pc.PIN2, get(1))
			set(&pc.PUK, get(2))
			set(&pc.PUK2, get(3))
		case "+QPINC":
			switch strings.ToUpper(get(0).s) {
			case "SC":
				set(&pc.PIN, get(1))
				set(&pc.PUK, get(2))
			case "P2":
				set(&pc.PIN2, get(1))
				set(&pc.PUK2, get(2))
			}
		}
	}
	if !found {
		return pc, parseErr("PIN counts", lines)
	}
	return pc, nil
}

// pinCountQueries are tried in order; the first one the modem understands
// wins. The standard one first, then the vendor ones.
var pinCountQueries = []string{`+CPINR="SIM*"`, "+CPINR", "^CPIN?", "+ZPINPUK=?", "!CPINC?", "_OERCN?", "+QPINC?", "+XPINCNT"}

// ReadPINCounts asks for the attempts left, trying the standard +CPINR and
// then the vendor commands until one answers. The error is the last
// modem error if none did; a ctx, hang-up or close error stops at once.
func ReadPINCounts(ctx context.Context, m *Modem) (PINCounts, error) {
	var last error
	for _, q := range pinCountQueries {
		lines, err := m.Command(ctx, q)
		if err != nil {
			if !errors.Is(err, ErrError) {
				return unknownCounts(), err
			}
			last = err
			continue
		}
		pc, err := ParsePINCounts(lines)
		if err == nil {
			return pc, nil
		}
		last = err
	}
	return unknownCounts(), last
}
