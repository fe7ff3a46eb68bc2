package carriers

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Hint is what narrows a name several carriers share: the MCC+MNC of the
// SIM in the modem (from its IMSI, see [Database.SplitIMSI]) and a country
// the user configured. Either may be empty.
type Hint struct {
	MCCMNC  string // 5 or 6 digits
	Country string // ISO 3166 alpha-2, any case
}

// ErrAmbiguous is matched by every *AmbiguousError.
var ErrAmbiguous = errors.New("carriers: ambiguous carrier name")

// AmbiguousError is returned for a name several carriers answer to when
// nothing narrowed it to one. Candidates are the carriers it could mean,
// ours first.
type AmbiguousError struct {
	Name       string
	Hint       Hint
	Candidates []Candidate
}

// Candidate is one carrier an ambiguous name could mean.
type Candidate struct {
	Name    string // the full name to type instead: three-ie
	Display string
	Country string
}

func (e *AmbiguousError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "carriers: %q is ambiguous", e.Name)
	switch {
	case e.Hint.MCCMNC != "" && e.Hint.Country != "":
		fmt.Fprintf(&b, " even for network %s in %s", e.Hint.MCCMNC, strings.ToUpper(e.Hint.Country))
	case e.Hint.MCCMNC != "":
		fmt.Fprintf(&b, " even for network %s", e.Hint.MCCMNC)
	case e.Hint.Country != "":
		fmt.Fprintf(&b, " even in %s", strings.ToUpper(e.Hint.Country))
	}
	b.WriteString("; name one of: ")
	for i, c := range e.Candidates {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s (%s, %s)", c.Name, c.Display, c.Country)
	}
	if e.Hint.Country == "" {
		b.WriteString("; or set a country")
	}
	return b.String()
}

// Is makes errors.Is(err, ErrAmbiguous) true.
func (e *AmbiguousError) Is(target error) bool { return target == ErrAmbiguous }

// Resolve finds the carrier a user means by name (full name or alias, any
// case, spaces as dashes). A full name is that carrier. A shared alias is
// narrowed, in this order, by the SIM's network (h.MCCMNC: the carriers on
// it, else those of its country), by h.Country, and, when neither says
// anything (no hint, or a network of no country the database knows), by
// the alias's default (three → three-uk). What is still more
// than one carrier is an *AmbiguousError listing them; an unknown name an
// *UnknownError.
func (db *Database) Resolve(name string, h Hint) (Carrier, error) {
	n := normName(name)
	if i, ok := db.byName[n]; ok {
		return db.carriers[i].clone(), nil
	}
	cands := db.byAlias[n]
	if len(cands) == 0 {
		return Carrier{}, db.unknown(name)
	}
	if len(cands) == 1 {
		return db.carriers[cands[0]].clone(), nil
	}
	country := strings.ToUpper(h.Country)
	if h.MCCMNC != "" {
		if on := db.filter(cands, func(c Carrier) bool { return slices.Contains(c.MCCMNC, h.MCCMNC) }); len(on) > 0 {
			return db.pick(name, h, on)
		}
		if country == "" {
			country = db.countryOf(h.MCCMNC[:min(3, len(h.MCCMNC))])
		}
	}
	if country != "" {
		in := db.filter(cands, func(c Carrier) bool { return c.Country == country })
		if len(in) == 0 {
			return Carrier{}, db.ambiguous(name, h, cands)
		}
		return db.pick(name, h, in)
	}
	if i, ok := db.defaults[n]; ok { // nothing said otherwise: a network of no known country neither
		return db.carriers[i].clone(), nil
	}
	return Carrier{}, db.ambiguous(name, h, cands)
}

// pick returns the best-ranked of idx, or an *AmbiguousError when several
// share the best rank.
func (db *Database) pick(name string, h Hint, idx []int) (Carrier, error) {
	best := slices.MinFunc(idx, func(a, b int) int { return db.rank(a) - db.rank(b) })
	var tied []int
	for _, i := range idx {
		if db.rank(i) == db.rank(best) {
			tied = append(tied, i)
		}
	}
	if len(tied) > 1 {
		return Carrier{}, db.ambiguous(name, h, tied)
	}
	return db.carriers[best].clone(), nil
}

// rank orders carriers sharing a network or a country: ours before
// imported ones, host networks before the MVNOs riding on them.
func (db *Database) rank(i int) int {
	c := db.carriers[i]
	r := 0
	if c.Source != SourceZdial {
		r += 2
	}
	if c.MVNO || (c.Source != SourceZdial && !c.primary) {
		r++
	}
	return r
}

func (db *Database) filter(idx []int, keep func(Carrier) bool) []int {
	var out []int
	for _, i := range idx {
		if keep(db.carriers[i]) {
			out = append(out, i)
		}
	}
	return out
}

// countryOf finds the country of an MCC from the carriers that use it.
func (db *Database) countryOf(mcc string) string {
	for _, c := range db.carriers { // ours first
		if c.Country != "" && slices.ContainsFunc(c.MCCMNC, func(n string) bool { return strings.HasPrefix(n, mcc) }) {
			return c.Country
		}
	}
	return ""
}

func (db *Database) ambiguous(name string, h Hint, idx []int) error {
	e := &AmbiguousError{Name: name, Hint: h}
	for _, c := range db.sorted(idx) {
		e.Candidates = append(e.Candidates, Candidate{Name: c.Name, Display: c.Display, Country: c.Country})
	}
	return e
}

func (db *Database) unknown(name string) error {
	e := &UnknownError{Name: name}
	for _, c := range db.carriers {
		if c.Source == SourceZdial {
			e.Known = append(e.Known, c.Name)
		} else {
			e.Others++
		}
	}
	slices.Sort(e.Known)
	return e
}
