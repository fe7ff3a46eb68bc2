package at

import (
	"context"
)

// Operator is the reply to AT+COPS? (27.007 §7.3):
// "+COPS: <mode>[,<format>,<oper>[,<AcT>]]".
type Operator struct {
	Mode   int    // 0 automatic, 1 manual, 2 deregister, 3 set format only, 4 manual/automatic
	Format int    // 0 long alphanumeric, 1 short alphanumeric, 2 numeric (MCC+MNC); -1 if absent
	Name   string // in Format; "" when not registered
	AcT    AcT
}

// Numeric splits a format-2 name "23415" into MCC "234" and MNC "15".
func (o Operator) Numeric() (mcc, mnc string, ok bool) {
	if o.Format != 2 || len(o.Name) < 5 || len(o.Name) > 6 || !isDigits(o.Name) {
		return "", "", false
	}
	return o.Name[:3], o.Name[3:], true
}

// ParseOperator decodes the +COPS? reply. "+COPS: 0" alone (not
// registered) is valid and leaves Name empty.
func ParseOperator(lines []string) (Operator, error) {
	rest, ok := findPrefixed(lines, "+COPS")
	if !ok {
		return Operator{}, parseErr("+COPS", lines)
	}
	ps := splitParams(rest)
	o := Operator{Format: -1, AcT: AcTUnknown}
	mode, ok := atoi(ps[0])
	if !ok || ps[0].quoted {
		// "+COPS: (2,"vodafone",...)" is the =? scan list, not the read form.
		return Operator{}, parseErr("+COPS", lines)
	}
	o.Mode = mode
	if len(ps) >= 3 {
		f, ok := atoi(ps[1])
		if !ok {
			return Operator{}, parseErr("+COPS", lines)
		}
		o.Format, o.Name = f, ps[2].s
	}
	if len(ps) >= 4 && ps[3].s != "" {
		act, ok := atoi(ps[3])
		if !ok {
			return Operator{}, parseErr("+COPS", lines)
		}
		o.AcT = AcT(act)
	}
	return o, nil
}

// ReadOperator asks AT+COPS? in whatever format the modem is set to.
func ReadOperator(ctx context.Context, m *Modem) (Operator, error) {
	lines, err := m.Command(ctx, "+COPS?")
	if err != nil {
		return Operator{}, err
	}
	return ParseOperator(lines)
}
