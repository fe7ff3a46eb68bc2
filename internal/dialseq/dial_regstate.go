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

// accessTechName is the short name users know for a 27.007 <AcT>: "LTE"
// rather than "E-UTRAN".
func accessTechName(a at.AcT) string {
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
