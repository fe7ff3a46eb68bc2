package dialseq

import "github.com/zdial/zdial/at"

// Registration <stat> values of +CREG / +CGREG / +CEREG (3GPP TS 27.007 §7.2,
// §10.1.20, §10.1.22). Values 6–10 (SMS only, CSFB, emergency) are not a data
// registration and count as "not yet".
const (
	regNotSearching = 0
	regHome         = 1
	regSearching    = 2
	regDenied       = 3
	regUnknown      = 4
	regRoaming      = 5
	regNoAnswer     = -1 // the modem answered ERROR, or not at all
)

// regSnapshot is one poll's answers: circuit-switched (+CREG), packet (+CGREG)
// and EPS (+CEREG).
type regSnapshot struct {
	cs, ps, eps int
}

type regVerdict int

const (
	regWaiting regVerdict = iota
	regDone
	regRefused
)

// verdict decides from one poll. Data needs packet registration, so +CGREG
// or +CEREG at home or roaming is done, whatever +CREG says (an LTE data-only
// SIM is often "denied" circuit service yet attached). +CREG counts alone
// only on a modem that answers neither packet query. Denied ends the wait
// at once only when no domain that matters is registered or still trying.
func (s regSnapshot) verdict() (v regVerdict, status int) {
	isReg := func(st int) bool { return st == regHome || st == regRoaming }
	switch {
	case isReg(s.eps):
		return regDone, s.eps
	case isReg(s.ps):
		return regDone, s.ps
	}
	packetAnswered := s.ps != regNoAnswer || s.eps != regNoAnswer
	if !packetAnswered {
		switch {
		case isReg(s.cs):
			return regDone, s.cs
		case s.cs == regDenied:
			return regRefused, s.cs
		}
		return regWaiting, s.cs
	}
	// Denied in one packet domain while the other still searches may yet
	// end in registration on the other radio technology.
	if (s.ps == regDenied || s.eps == regDenied) && s.ps != regSearching && s.eps != regSearching {
		return regRefused, regDenied
	}
	switch {
	case s.ps == regSearching || s.eps == regSearching:
		return regWaiting, regSearching
	case s.eps != regNoAnswer:
		return regWaiting, s.eps
	}
	return regWaiting, s.ps
}

// RegAnswers are one poll's answers to AT+CEREG?, AT+CGREG? and AT+CREG?:
// nil where the modem gave none.
type RegAnswers struct {
	EPS, PS, CS *at.Registration
}

// RegVerdict is what the dial makes of one poll.
type RegVerdict struct {
	// Status is the answer that decided: the registered domain's, the
	// denial, or what is still pending. Answered is false when no query
	// was answered (Status is then meaningless).
	Status     at.RegStat
	Answered   bool
	Registered bool // registered for data, at home or roaming: dial
	Denied     bool // refused for data: stop waiting
	// AccessTech is the short name (LTE, UMTS…) from the first answer,
	// EPS first, that named one; "" when none did.
	AccessTech string
}

// JudgeRegistration is the dial sequence's one judgement of registration,
// which `zdial probe` shows too: data needs packet registration (see
// regSnapshot.verdict).
func JudgeRegistration(a RegAnswers) RegVerdict {
	snap := regSnapshot{cs: regNoAnswer, ps: regNoAnswer, eps: regNoAnswer}
	var v RegVerdict
	for _, r := range []struct {
		ans *at.Registration
		dst *int
	}{{a.EPS, &snap.eps}, {a.PS, &snap.ps}, {a.CS, &snap.cs}} {
		if r.ans == nil {
			continue
		}
		*r.dst = int(r.ans.Stat)
		if r.ans.AcT != at.AcTUnknown && v.AccessTech == "" {
			v.AccessTech = AccessTechName(r.ans.AcT)
		}
	}
	verdict, status := snap.verdict()
	v.Status, v.Answered = at.RegStat(status), status != regNoAnswer
	v.Registered, v.Denied = verdict == regDone, verdict == regRefused
	return v
}

// AccessTechName is the short name users know for a 27.007 <AcT>: "LTE"
// rather than "E-UTRAN".
func AccessTechName(a at.AcT) string {
	switch a {
	case 0, 1:
		return "GSM"
	case 2:
		return "UMTS"
	case 3:
		return "EDGE"
	case 4, 5, 6:
		return "HSPA"
	case 7, 10:
		return "LTE"
	case 8:
		return "EC-GSM-IoT"
	case 9:
		return "NB-IoT"
	case 11, 12:
		return "5G NR"
	case 13:
		return "LTE+NR"
	}
	return a.String()
}
