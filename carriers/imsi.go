package carriers

import (
	"errors"
	"fmt"
	"strings"
)

// ErrBadIMSI is matched by errors for an IMSI that is not 15 digits.
var ErrBadIMSI = errors.New("carriers: malformed IMSI")

// ErrUnknownNetwork is matched by every *UnknownNetworkError.
var ErrUnknownNetwork = errors.New("carriers: no carrier for this network")

// UnknownNetworkError says no carrier in the database uses the network an
// IMSI belongs to. Tried lists the MCC+MNC codes looked up.
type UnknownNetworkError struct {
	Tried []string
}

func (e *UnknownNetworkError) Error() string {
	return "carriers: no carrier for network " + strings.Join(e.Tried, " or ")
}

// Is makes errors.Is(err, ErrUnknownNetwork) true.
func (e *UnknownNetworkError) Is(target error) bool { return target == ErrUnknownNetwork }

// SIMCarrier is the carrier and APN chosen for a SIM, and why.
type SIMCarrier struct {
	MCC, MNC string
	Carrier  Carrier
	APN      APN       // Carrier's internet APN
	Others   []Carrier // other carriers on the same network (MVNOs, imported duplicates)
	Reason   string    // IMSI 23420… → MCC 234 MNC 20 → Three UK (three.co.uk)
}

// MCCMNC is MCC and MNC together, as the database keys them.
func (s SIMCarrier) MCCMNC() string { return s.MCC + s.MNC }

// threeDigitMNC are the MCCs whose networks use 3-digit MNCs (ITU-T
// E.212: North America and the Caribbean, Mexico, India's 405 range for
// newer operators, Colombia…). Used only when the database knows neither
// length for an IMSI: the database decides first.
var threeDigitMNC = map[string]bool{
	"302": true, "310": true, "311": true, "312": true, "313": true, "314": true, "315": true, "316": true,
	"334": true, "338": true, "342": true, "344": true, "346": true, "348": true, "354": true, "356": true,
	"358": true, "360": true, "365": true, "366": true, "376": true, "405": true, "708": true, "722": true,
	"732": true,
}

// SplitIMSI splits an IMSI into MCC and MNC. The MNC's length (2 or 3
// digits) is not in the IMSI: it is the one the database has a carrier
// for, trying 3 digits first in the MCCs that mostly use them; when the
// database knows neither, the MCC decides. It checks the IMSI's form only.
func (db *Database) SplitIMSI(imsi string) (mcc, mnc string, err error) {
	if len(imsi) != 15 || !isDigits(imsi) {
		what := "characters"
		if isDigits(imsi) {
			what = "digits"
		}
		return "", "", fmt.Errorf("%w: want 15 digits, got %d %s", ErrBadIMSI, len(imsi), what)
	}
	mcc = imsi[:3]
	two, three := imsi[3:5], imsi[3:6]
	order := []string{two, three}
	if threeDigitMNC[mcc] {
		order = []string{three, two}
	}
	for _, m := range order {
		if len(db.byNet[mcc+m]) > 0 {
			return mcc, m, nil
		}
	}
	return mcc, order[0], nil
}

// FromIMSI finds the carrier a SIM belongs to from its IMSI (AT+CIMI) and
// that carrier's internet APN. Where several carriers share the network,
// ours win over imported ones and host networks over MVNOs; the rest are
// in Others.
func (db *Database) FromIMSI(imsi string) (SIMCarrier, error) {
	mcc, mnc, err := db.SplitIMSI(imsi)
	if err != nil {
		return SIMCarrier{}, err
	}
	idx := db.byNet[mcc+mnc]
	if len(idx) == 0 {
		tried := []string{mcc + imsi[3:5], mcc + imsi[3:6]}
		return SIMCarrier{}, &UnknownNetworkError{Tried: tried}
	}
	cs := db.sorted(idx)
	best := 0
	for i, c := range cs {
		if db.rank(db.byName[c.Name]) < db.rank(db.byName[cs[best].Name]) {
			best = i
		}
	}
	s := SIMCarrier{MCC: mcc, MNC: mnc, Carrier: cs[best]}
	s.Others = append(cs[:best:best], cs[best+1:]...)
	apn, ok := s.Carrier.Internet()
	if !ok { // imported carriers may have only an MMS APN
		return SIMCarrier{}, fmt.Errorf("carriers: %s (network %s) has no internet APN", s.Carrier.Name, mcc+mnc)
	}
	s.APN = apn
	s.Reason = fmt.Sprintf("IMSI %s%s… → MCC %s MNC %s → %s (%s)", mcc, mnc, mcc, mnc, s.Carrier.Display, apn.Name)
	if len(s.Others) > 0 {
		names := make([]string, len(s.Others))
		for i, o := range s.Others {
			names[i] = o.Name
		}
		s.Reason += "; also on this network: " + strings.Join(names, ", ")
	}
	return s, nil
}
