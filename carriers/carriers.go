// Package carriers is zdial's database of mobile carriers: the APN, number
// and credentials a dongle needs to get online with each, by the name a
// user types (`zdial three`), by country, by the SIM's MCC/MNC or IMSI.
//
// The built-in entries are embedded YAML (carriers.yaml), written by us
// from the carriers' own published settings. NetworkManager's
// mobile-broadband-provider-info database (serviceproviders.xml) can be
// read and merged beneath them ([ReadProviderInfo], [Database.Merge]);
// our entries win where both know a carrier.
//
// A Database is a plain value: load it, merge others into it, look names
// up. A short name people type may belong to several carriers (three is a
// network in the UK, Ireland, Austria, Sweden, Denmark and Hong Kong);
// [Database.Resolve] narrows it by the SIM's MCC/MNC, then by country:
//
//	three                        → three-uk (the default, as ever)
//	three  + SIM 27205           → three-ie
//	vodafone + country DE        → vodafone-de
//	vodafone                     → *AmbiguousError: vodafone-uk (Vodafone UK), vodafone-de (…), …
package carriers

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/zdial/zdial/internal/yamlstrict"
)

// Sources a Carrier can come from.
const (
	SourceZdial        = "zdial"
	SourceProviderInfo = "mobile-broadband-provider-info"
)

// What an APN is for (mobile-broadband-provider-info's usage types).
const (
	UsageInternet = "internet"
	UsageMMS      = "mms"
	UsageWAP      = "wap"
)

// Authentication methods a carrier publishes; empty means none stated
// (pppd then accepts whichever the network asks for).
const (
	AuthPAP  = "pap"
	AuthCHAP = "chap"
)

// APN is one access point of a carrier.
type APN struct {
	Name    string `yaml:"apn" json:"apn"`
	Usage   string `yaml:"usage" json:"usage"`                 // internet (default), mms, wap
	PDPType string `yaml:"pdp_type" json:"pdp_type,omitempty"` // IP, IPV6, IPV4V6; empty: the dialer's default
	Label   string `yaml:"label" json:"label,omitempty"`       // "Contract", "Pay as you go"
	Plan    string `yaml:"plan" json:"plan,omitempty"`         // prepaid, postpaid; empty: either
	Auth    string `yaml:"auth" json:"auth,omitempty"`         // pap, chap; empty: not stated
	User    string `yaml:"username" json:"username,omitempty"` // public, published by the carrier
	// Password is a carrier's published, public password ("web", "wap"):
	// not a secret of the user's, but still kept out of logs and JSON.
	Password string `yaml:"password" json:"-"`
}

// Carrier is what zdial knows about one carrier in one country.
//
// APN, PDPType, Username and Password are the first internet APN's, filled
// in by the database, so a caller that wants only "the APN" reads them; in
// carriers.yaml they are also a short form for a carrier with one APN.
type Carrier struct {
	Name       string   `yaml:"-" json:"name"` // unique full name: three-uk, vodafone-de
	Aliases    []string `yaml:"aliases" json:"aliases,omitempty"`
	DefaultFor []string `yaml:"default_for" json:"-"` // aliases this carrier takes when nothing narrows them
	Display    string   `yaml:"display" json:"display"`
	Country    string   `yaml:"country" json:"country"` // ISO 3166-1 alpha-2, upper case
	MCCMNC     []string `yaml:"mccmnc" json:"mccmnc"`
	MVNO       bool     `yaml:"mvno" json:"mvno,omitempty"`     // rides another carrier's MCC/MNC
	Number     string   `yaml:"number" json:"number,omitempty"` // empty: the dialer's default (*99#)
	APNs       []APN    `yaml:"apns" json:"apns"`
	Source     string   `yaml:"-" json:"source"`

	APN      string `yaml:"apn" json:"-"`
	PDPType  string `yaml:"pdp_type" json:"-"`
	Username string `yaml:"username" json:"-"`
	Password string `yaml:"password" json:"-"`

	primary bool // mobile-broadband-provider-info's primary="true"
}

// Internet returns the carrier's first internet APN.
func (c Carrier) Internet() (APN, bool) {
	for _, a := range c.APNs {
		if a.Usage == UsageInternet {
			return a, true
		}
	}
	return APN{}, false
}

// Database holds carriers by full name, alias and MCC/MNC.
type Database struct {
	carriers []Carrier        // in insertion order: ours before imported ones
	byName   map[string]int   // full name → index
	byAlias  map[string][]int // alias (and full name) → indices
	byNet    map[string][]int // MCC+MNC → indices
	defaults map[string]int   // alias → the carrier it means when nothing narrows it
}

func newDatabase() *Database {
	return &Database{
		byName:   map[string]int{},
		byAlias:  map[string][]int{},
		byNet:    map[string][]int{},
		defaults: map[string]int{},
	}
}

// add indexes c, which must be valid and have a name not yet used.
func (db *Database) add(c Carrier) {
	i := len(db.carriers)
	db.carriers = append(db.carriers, c)
	db.byName[c.Name] = i
	seen := map[string]bool{}
	for _, k := range append([]string{c.Name}, c.Aliases...) {
		if !seen[k] {
			seen[k] = true
			db.byAlias[k] = append(db.byAlias[k], i)
		}
	}
	for _, n := range c.MCCMNC {
		db.byNet[n] = append(db.byNet[n], i)
	}
	for _, a := range c.DefaultFor {
		db.defaults[a] = i
	}
}

// ErrUnknown is matched by every *UnknownError.
var ErrUnknown = errors.New("carriers: unknown carrier")

// UnknownError is returned for a name the database lacks. Known lists
// zdial's own carrier names, so the user can pick one; Others counts the
// imported ones left out of that list.
type UnknownError struct {
	Name   string
	Known  []string
	Others int
}

func (e *UnknownError) Error() string {
	s := fmt.Sprintf("carriers: unknown carrier %q (known: %s", e.Name, strings.Join(e.Known, ", "))
	if e.Others > 0 {
		s += fmt.Sprintf(", and %d more from %s", e.Others, SourceProviderInfo)
	}
	return s + ")"
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
// are errors, reported with their line; so are invalid values.
func Parse(r io.Reader) (*Database, error) {
	var doc yaml.Node
	dec := yaml.NewDecoder(r)
	if err := dec.Decode(&doc); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("carriers: %w", err)
	}
	db := newDatabase()
	if len(doc.Content) == 0 {
		return db, nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("carriers: line %d: want a mapping of carrier names", root.Line)
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		key, val := root.Content[i], root.Content[i+1]
		c, err := decodeCarrier(key, val)
		if err != nil {
			return nil, err
		}
		if _, dup := db.byName[c.Name]; dup {
			return nil, fmt.Errorf("carriers: line %d: %s: defined twice", key.Line, c.Name)
		}
		db.add(c)
	}
	for a, i := range db.defaults {
		for _, j := range db.byAlias[a] {
			if j != i && slices.Contains(db.carriers[j].DefaultFor, a) {
				return nil, fmt.Errorf("carriers: %s and %s are both the default for %q",
					db.carriers[i].Name, db.carriers[j].Name, a)
			}
		}
	}
	return db, nil
}

// decodeCarrier decodes one strictly (unknown fields are errors, with
// their line, column and path) and checks it.
func decodeCarrier(key, val *yaml.Node) (Carrier, error) {
	var c Carrier
	if err := yamlstrict.Decode(val, &c); err != nil {
		var ye *yamlstrict.Error
		if errors.As(err, &ye) {
			ye.Path = strings.TrimSuffix(key.Value+"."+ye.Path, ".")
			return c, fmt.Errorf("carriers: %w", ye)
		}
		return c, fmt.Errorf("carriers: %s: %w", key.Value, err)
	}
	c.Name = key.Value
	c.Source = SourceZdial
	if err := c.normalize(); err != nil {
		return c, fmt.Errorf("carriers: line %d: %s: %w", key.Line, key.Value, err)
	}
	return c, nil
}

// normalize checks c and fills in the derived fields: the short form
// (apn: at the top) becomes one internet APN, and the top-level fields
// mirror the first internet APN.
func (c *Carrier) normalize() error {
	if err := checkName(c.Name); err != nil {
		return err
	}
	for i, a := range c.Aliases {
		c.Aliases[i] = normName(a)
		if err := checkName(c.Aliases[i]); err != nil {
			return fmt.Errorf("alias %q: %w", a, err)
		}
	}
	for i, a := range c.DefaultFor {
		c.DefaultFor[i] = normName(a)
		if !slices.Contains(c.Aliases, c.DefaultFor[i]) {
			return fmt.Errorf("default_for %q is not one of its aliases", a)
		}
	}
	c.Country = strings.ToUpper(c.Country)
	if c.Country != "" && !isCountry(c.Country) {
		return fmt.Errorf("country %q: want an ISO 3166 alpha-2 code", c.Country)
	}
	if !printable(c.Display, 100) {
		return fmt.Errorf("display %q: control characters or too long", c.Display)
	}
	for _, n := range c.MCCMNC {
		if !isMCCMNC(n) {
			return fmt.Errorf("mccmnc %q: want 3 digits of MCC and 2 or 3 of MNC", n)
		}
	}
	if c.Number != "" && !isDialNumber(c.Number) {
		return fmt.Errorf("number %q: want digits, * and #", c.Number)
	}
	if c.APN != "" {
		if len(c.APNs) > 0 {
			return errors.New("both apn and apns: use one")
		}
		c.APNs = []APN{{Name: c.APN, PDPType: c.PDPType, User: c.Username, Password: c.Password}}
	} else if c.PDPType != "" || c.Username != "" || c.Password != "" {
		return errors.New("pdp_type, username or password without apn: put them in apns")
	}
	for i := range c.APNs {
		if err := c.APNs[i].normalize(); err != nil {
			return err
		}
	}
	in, ok := c.Internet()
	if !ok {
		return errors.New("no apn (none with usage internet)")
	}
	c.APN, c.PDPType, c.Username, c.Password = in.Name, in.PDPType, in.User, in.Password
	return nil
}

func (a *APN) normalize() error {
	if a.Usage == "" {
		a.Usage = UsageInternet
	}
	a.PDPType = strings.ToUpper(a.PDPType)
	a.Auth = strings.ToLower(a.Auth)
	switch {
	case !isAPN(a.Name):
		return fmt.Errorf("apn %q: want letters, digits, '.', '-' and '_', at most 100", a.Name)
	case a.Usage != UsageInternet && a.Usage != UsageMMS && a.Usage != UsageWAP:
		return fmt.Errorf("apn %s: usage %q: want internet, mms or wap", a.Name, a.Usage)
	case a.PDPType != "" && a.PDPType != "IP" && a.PDPType != "IPV6" && a.PDPType != "IPV4V6":
		return fmt.Errorf("apn %s: pdp_type %q: want IP, IPV6 or IPV4V6", a.Name, a.PDPType)
	case a.Auth != "" && a.Auth != AuthPAP && a.Auth != AuthCHAP:
		return fmt.Errorf("apn %s: auth %q: want pap or chap", a.Name, a.Auth)
	case a.Plan != "" && a.Plan != "prepaid" && a.Plan != "postpaid":
		return fmt.Errorf("apn %s: plan %q: want prepaid or postpaid", a.Name, a.Plan)
	case !isCredential(a.User):
		return fmt.Errorf("apn %s: username: want printable ASCII without quotes or backslashes", a.Name)
	case !isCredential(a.Password):
		return fmt.Errorf("apn %s: password: want printable ASCII without quotes or backslashes", a.Name)
	case !printable(a.Label, 100):
		return fmt.Errorf("apn %s: label: control characters or too long", a.Name)
	}
	return nil
}

// Lookup finds a carrier by full name or alias, case-insensitively. An
// alias several carriers share gives its default (three → three-uk) or,
// without one, an *AmbiguousError; use [Database.Resolve] to narrow it by
// SIM or country.
func (db *Database) Lookup(name string) (Carrier, error) {
	return db.Resolve(name, Hint{})
}

// ByMCCMNC returns the carriers whose network code (from the SIM's IMSI or
// the network's +COPS numeric name) is mccmnc: ours first, each group
// sorted by name.
func (db *Database) ByMCCMNC(mccmnc string) []Carrier {
	return db.sorted(db.byNet[mccmnc])
}

// ByCountry returns the carriers of a country (ISO 3166 alpha-2, any
// case), ours first, each group sorted by name.
func (db *Database) ByCountry(cc string) []Carrier {
	cc = strings.ToUpper(cc)
	var idx []int
	for i, c := range db.carriers {
		if c.Country == cc {
			idx = append(idx, i)
		}
	}
	return db.sorted(idx)
}

// Names returns every carrier's full name, sorted.
func (db *Database) Names() []string {
	names := make([]string, 0, len(db.carriers))
	for _, c := range db.carriers {
		names = append(names, c.Name)
	}
	slices.Sort(names)
	return names
}

// Len is the number of carriers.
func (db *Database) Len() int { return len(db.carriers) }

// All returns every carrier, ours first, each group sorted by name.
func (db *Database) All() []Carrier {
	idx := make([]int, len(db.carriers))
	for i := range idx {
		idx[i] = i
	}
	return db.sorted(idx)
}

// sorted copies the carriers at idx: ours first, then by name.
func (db *Database) sorted(idx []int) []Carrier {
	out := make([]Carrier, 0, len(idx))
	for _, i := range idx {
		out = append(out, db.carriers[i].clone())
	}
	slices.SortStableFunc(out, func(a, b Carrier) int {
		if (a.Source == SourceZdial) != (b.Source == SourceZdial) {
			if a.Source == SourceZdial {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Name, b.Name)
	})
	return out
}

// clone gives the caller its own slices, so the database stays immutable.
func (c Carrier) clone() Carrier {
	c.Aliases = slices.Clone(c.Aliases)
	c.DefaultFor = slices.Clone(c.DefaultFor)
	c.MCCMNC = slices.Clone(c.MCCMNC)
	c.APNs = slices.Clone(c.APNs)
	return c
}

// Merge returns a database with db's carriers and those of other that db
// does not know: a carrier of other is left out when one of db's has the
// same country, shares an MCC/MNC (or other's has none) and answers to the
// same name. Full names other reuses get a numeric suffix. Neither input
// changes.
func (db *Database) Merge(other *Database) *Database {
	out := newDatabase()
	for _, c := range db.carriers {
		out.add(c)
	}
	for _, c := range other.carriers {
		if db.knows(c) {
			continue
		}
		c.Name = out.freeName(c.Name)
		var defs []string
		for _, a := range c.DefaultFor {
			if _, taken := out.defaults[a]; !taken {
				defs = append(defs, a)
			}
		}
		c.DefaultFor = defs
		out.add(c)
	}
	return out
}

// knows reports whether db has a carrier that is c under another entry.
func (db *Database) knows(c Carrier) bool {
	names := c.keys()
	for _, o := range db.carriers {
		if o.Country != c.Country {
			continue
		}
		if len(c.MCCMNC) > 0 && !slices.ContainsFunc(c.MCCMNC, func(n string) bool { return slices.Contains(o.MCCMNC, n) }) {
			continue
		}
		if slices.ContainsFunc(o.keys(), func(k string) bool { return slices.Contains(names, k) }) {
			return true
		}
	}
	return false
}

// keys are the names a carrier answers to, normalized.
func (c Carrier) keys() []string {
	return append([]string{c.Name, normName(c.Display)}, c.Aliases...)
}

func (db *Database) freeName(name string) string {
	if _, taken := db.byName[name]; !taken {
		return name
	}
	for i := 2; ; i++ {
		n := fmt.Sprintf("%s-%d", name, i)
		if _, taken := db.byName[n]; !taken {
			return n
		}
	}
}
