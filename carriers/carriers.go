// Package carriers is zdial's database of mobile carriers: the APN, number
// and credentials a dongle needs to get online with each, by the name a
// user types (`zdial three`).
//
// The built-in entries are embedded YAML (carriers.yaml). A Database is a
// plain value: load it, merge others into it, look names up.
package carriers

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/zdial/zdial/internal/yamlstrict"
)

// Carrier is what zdial needs to dial one carrier.
type Carrier struct {
	Name     string   `yaml:"-"`
	Display  string   `yaml:"display"`
	Country  string   `yaml:"country"`
	MCCMNC   []string `yaml:"mccmnc"`
	APN      string   `yaml:"apn"`
	PDPType  string   `yaml:"pdp_type"` // IP (default), IPV6 or IPV4V6
	Number   string   `yaml:"number"`   // empty: the dial sequence's default for the cid
	Username string   `yaml:"username"`
	// Password is a carrier's published, public password ("web", "wap"):
	// not a secret of the user's, but still never logged.
	Password string `yaml:"password"`
}

// Database maps carrier names to carriers.
type Database struct {
	byName map[string]Carrier
}

// ErrUnknown is matched by every *UnknownError.
var ErrUnknown = errors.New("carriers: unknown carrier")

// UnknownError is returned for a name the database lacks. Known lists the
// names it does have, so the user can pick one.
type UnknownError struct {
	Name  string
	Known []string
}

func (e *UnknownError) Error() string {
	return fmt.Sprintf("carriers: unknown carrier %q (known: %s)", e.Name, strings.Join(e.Known, ", "))
}

// Is makes errors.Is(err, ErrUnknown) true.
func (e *UnknownError) Is(target error) bool { return target == ErrUnknown }

//go:embed carriers.yaml
var builtinYAML []byte

// Builtin returns the embedded database.
func Builtin() *Database {
	db, err := Parse(bytes.NewReader(builtinYAML))
	if err != nil {
		panic("carriers: embedded carriers.yaml: " + err.Error()) // caught by tests
	}
	return db
}

// Parse reads a carrier database in the carriers.yaml format. Unknown fields
// are errors, reported with their line, column and path.
func Parse(r io.Reader) (*Database, error) {
	var m map[string]Carrier
	if err := yamlstrict.Read(r, &m); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("carriers: %w", err)
	}
	db := &Database{byName: make(map[string]Carrier, len(m))}
	for name, c := range m {
		if c.APN == "" {
			return nil, fmt.Errorf("carriers: %s: no apn", name)
		}
		c.Name = name
		db.byName[strings.ToLower(name)] = c
	}
	return db, nil
}

// Lookup finds a carrier by name, case-insensitively.
func (db *Database) Lookup(name string) (Carrier, error) {
	if c, ok := db.byName[strings.ToLower(name)]; ok {
		return c, nil
	}
	return Carrier{}, &UnknownError{Name: name, Known: db.Names()}
}

// ByMCCMNC returns the carriers whose network code (from the SIM's IMSI or
// the network's +COPS numeric name) is mccmnc, sorted by name.
func (db *Database) ByMCCMNC(mccmnc string) []Carrier {
	var out []Carrier
	for _, c := range db.byName {
		if slices.Contains(c.MCCMNC, mccmnc) {
			out = append(out, c)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Names returns every carrier name, sorted.
func (db *Database) Names() []string {
	names := make([]string, 0, len(db.byName))
	for _, c := range db.byName {
		names = append(names, c.Name)
	}
	sort.Strings(names)
	return names
}
