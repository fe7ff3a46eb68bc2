package carriers

import (
	"slices"
	"strings"
)

// Query selects carriers for `zdial carriers`. Empty fields match all.
type Query struct {
	Text    string // a substring of the full name, an alias or the display name, any case
	Country string // ISO 3166 alpha-2, any case
	MCCMNC  string // 5 or 6 digits
}

// Search returns the carriers matching every field of q: ours first, each
// group sorted by name. Each carrier's Source says which database it came
// from; the Carrier type marshals to JSON as `zdial carriers --json`
// prints it (public passwords left out).
func (db *Database) Search(q Query) []Carrier {
	text := normName(q.Text)
	cc := strings.ToUpper(strings.TrimSpace(q.Country))
	var idx []int
	for i, c := range db.carriers {
		if cc != "" && c.Country != cc {
			continue
		}
		if q.MCCMNC != "" && !slices.Contains(c.MCCMNC, q.MCCMNC) {
			continue
		}
		if text != "" && !matchesText(c, text) {
			continue
		}
		idx = append(idx, i)
	}
	return db.sorted(idx)
}

func matchesText(c Carrier, text string) bool {
	for _, k := range c.keys() {
		if strings.Contains(k, text) {
			return true
		}
	}
	return false
}
