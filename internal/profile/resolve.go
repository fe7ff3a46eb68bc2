package profile

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/zdial/zdial/carriers"
)

// ErrUnknownProfile is matched by every *UnknownProfileError.
var ErrUnknownProfile = errors.New("profile: unknown profile")

// UnknownProfileError names a profile that is neither in the config nor a
// carrier. It lists the config's profiles and the carriers whose names
// contain the name typed (up to a handful: the database holds hundreds),
// and says how to search the rest.
type UnknownProfileError struct {
	Name     string
	Profiles []string // from the config files
	Matches  []string // carriers whose names contain Name
	More     int      // further matches left out of Matches
}

// maxMatches is how many carrier names an UnknownProfileError lists.
const maxMatches = 8

func (e *UnknownProfileError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "unknown profile %q: neither a profile in your config nor a carrier zdial knows", e.Name)
	if len(e.Profiles) > 0 {
		fmt.Fprintf(&b, "; profiles in your config: %s", strings.Join(e.Profiles, ", "))
	} else {
		b.WriteString("; your config has no profiles")
	}
	if len(e.Matches) > 0 {
		fmt.Fprintf(&b, "; carriers with %q in their name: %s", e.Name, strings.Join(e.Matches, ", "))
		if e.More > 0 {
			fmt.Fprintf(&b, " and %d more", e.More)
		}
	}
	fmt.Fprintf(&b, "; search the carriers with: zdial carriers %s (or zdial carriers --country CC)", shellWord(e.Name))
	return b.String()
}

// Is makes errors.Is(err, ErrUnknownProfile) true.
func (e *UnknownProfileError) Is(target error) bool { return target == ErrUnknownProfile }

// shellWord quotes s for a command line shown to a person, when needed.
func shellWord(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// Resolver turns the name a user typed into one Profile: a profile from
// the config (following inherits: and carrier:), or a carrier from the
// database, with Override on top.
//
// A carrier name several carriers share (vodafone, three) is narrowed by
// the SIM's network when the caller knows it (mccmnc), else by the
// country: setting of the profile or of the config, else by the name's
// default (three → three-uk); what stays ambiguous is a
// *carriers.AmbiguousError listing the full names to type instead.
type Resolver struct {
	Config *Config // nil: no config files
	DB     *carriers.Database
	// Override is laid over whatever the name resolves to: the command
	// line's --apn, --number, --user and --password-file. Its set fields win.
	Override Profile
}

// Resolve finds a profile by name in cfg (which may be nil), following
// inherits through other profiles and the carrier database, with the
// config's country: setting. It fills in no dial defaults: a field nobody
// set stays empty, so that the dial sequence (internal/dialseq, their one
// home) can tell "unset" from "set" — an explicit number wins, a missing
// one follows the cid.
func Resolve(cfg *Config, db *carriers.Database, name string) (Profile, error) {
	return Resolver{Config: cfg, DB: db}.Resolve(name, "")
}

// Value is one setting of a resolved profile and where it came from, for
// `zdial config show`: a file, "carrier three-uk (zdial)", "command line".
// Secrets show as secret.Mask.
type Value struct {
	Field  string // dotted YAML path: apn, pppd.ifname, timeouts.register
	Value  string
	Source string
}

// SourceCommandLine is the Source of a value from Override.
const SourceCommandLine = "command line"

// resolution is a resolved name: the layers it was built from, base
// first, and what the carrier names in it chose.
type resolution struct {
	layers []layer
	// shared lists the carrier names in the chain that several carriers
	// answer to, and the carrier each chose: the SIM may choose otherwise.
	shared map[string]string
	// deferAmbiguous makes a carrier name only the SIM can narrow
	// contribute nothing, and sets deferred, instead of failing.
	deferAmbiguous, deferred bool
}

type layer struct {
	p      Profile
	source string
}

// Resolve resolves name; mccmnc is the SIM's network when known, "" when
// not. The empty name is Override alone, named "auto".
func (r Resolver) Resolve(name, mccmnc string) (Profile, error) {
	res, err := r.resolveTop(name, mccmnc)
	if err != nil {
		return Profile{}, err
	}
	return res.profile(name), nil
}

// Explain is Resolve without a SIM, with where each set value came from,
// in field order.
func (r Resolver) Explain(name string) (Profile, []Value, error) {
	res, err := r.resolveTop(name, "")
	if err != nil {
		return Profile{}, nil, err
	}
	src := map[string]string{}
	for _, l := range res.layers {
		for _, v := range flatten(l.p) {
			src[v.Field] = l.source
		}
	}
	p := res.profile(name)
	vals := flatten(p)
	for i := range vals {
		vals[i].Source = src[vals[i].Field]
	}
	return p, vals, nil
}

// Draft resolves name as far as it can before the SIM is read: a carrier
// name that several carriers answer to and nothing but the SIM's network
// narrows (vodafone, with no country: set) contributes nothing yet. needSIM
// reports whether ForSIM should settle the profile once the IMSI is known:
// the name (or a profile it inherits) names a carrier several carriers
// share, so the SIM's network may choose another, or the profile has
// neither an APN nor a script, so the APN must come from the SIM. A profile
// with its own script cannot wait for the SIM: for it an ambiguous name is
// the *carriers.AmbiguousError.
func (r Resolver) Draft(name string) (p Profile, needSIM bool, err error) {
	res := resolution{shared: map[string]string{}, deferAmbiguous: true}
	if err := r.resolveInto(&res, name, ""); err != nil {
		return Profile{}, false, err
	}
	p = res.profile(name)
	if p.Script != "" {
		if res.deferred {
			_, err := r.Resolve(name, "")
			return Profile{}, false, err
		}
		return p, false, nil
	}
	return p, len(res.shared) > 0 || p.APN == "", nil
}

// ForSIM resolves name for the SIM whose IMSI (AT+CIMI) is imsi: a shared
// carrier name is narrowed by the SIM's network, and a profile that still
// has no APN (nor a script) gets the internet APN of the carrier the SIM
// belongs to (carriers.Database.FromIMSI), with that carrier's number and
// public credentials where the profile has none. The note says what was
// chosen and why, for the user; "" when nothing came from the SIM.
func (r Resolver) ForSIM(name, imsi string) (Profile, string, error) {
	mcc, mnc, err := r.DB.SplitIMSI(imsi)
	if err != nil {
		// No IMSI (the modem would not say) or not one: resolve as if
		// there were no modem, and say so if that leaves no APN.
		p, rerr := r.Resolve(name, "")
		if rerr != nil {
			return Profile{}, "", rerr
		}
		if p.APN == "" && p.Script == "" {
			return Profile{}, "", &ConfigError{File: "profile " + p.Name,
				Err: fmt.Errorf("no APN configured, and the SIM's network is unknown (%w): set apn: in the profile, or give --apn", err)}
		}
		return p, "", nil
	}
	res, err := r.resolveTop(name, mcc+mnc)
	if err != nil {
		return Profile{}, "", err
	}
	p := res.profile(name)
	var notes []string
	for _, alias := range sortedKeys(res.shared) {
		notes = append(notes, fmt.Sprintf("%s → %s (the SIM is on network %s%s)", alias, res.shared[alias], mcc, mnc))
	}
	if p.APN == "" && p.Script == "" {
		sc, err := r.DB.FromIMSI(imsi)
		if err != nil {
			return Profile{}, "", &ConfigError{File: "profile " + p.Name,
				Err: fmt.Errorf("no APN configured, and the SIM's network is no help (%w): set apn: in the profile, or give --apn (zdial carriers --mccmnc %s%s lists what zdial knows)", err, mcc, mnc)}
		}
		p.APN = sc.APN.Name
		set(&p.PDPType, sc.APN.PDPType)
		set(&p.Number, sc.Carrier.Number)
		if p.Username == "" && !p.Password.IsSet() {
			p.Username, p.Password = sc.APN.User, Secret(sc.APN.Password)
		}
		notes = append(notes, "APN from the SIM: "+sc.Reason)
	}
	return p, strings.Join(notes, "; "), nil
}

func (res resolution) profile(name string) Profile {
	var out Profile
	for i, l := range res.layers {
		if i == 0 {
			out = l.p
			continue
		}
		out = l.p.merge(out)
	}
	out.Name = name
	if name == "" {
		out.Name = "auto"
	}
	return out
}

func (r Resolver) resolveTop(name, mccmnc string) (resolution, error) {
	res := resolution{shared: map[string]string{}}
	err := r.resolveInto(&res, name, mccmnc)
	return res, err
}

func (r Resolver) resolveInto(res *resolution, name, mccmnc string) error {
	if name != "" {
		h := carriers.Hint{MCCMNC: mccmnc, Country: r.country(name)}
		if err := r.resolve(res, name, h, nil); err != nil {
			return err
		}
	}
	if len(flatten(r.Override)) > 0 {
		res.layers = append(res.layers, layer{p: r.Override, source: SourceCommandLine})
	}
	if len(res.layers) == 0 {
		res.layers = []layer{{}}
	}
	return nil
}

// country is the country: that narrows carrier names for profile name:
// the first one set along its inherits chain of profiles, else the
// config's.
func (r Resolver) country(name string) string {
	cfg := r.Config
	if cfg == nil {
		return ""
	}
	for range len(cfg.Profiles) + 1 { // a loop is reported by resolve
		p, ok := cfg.Profiles[name]
		if !ok {
			break
		}
		if p.Country != "" {
			return p.Country
		}
		name = p.Inherits
	}
	return cfg.Country
}

func (r Resolver) resolve(res *resolution, name string, h carriers.Hint, seen []string) error {
	cfg := r.Config
	for _, s := range seen {
		if s == name {
			return &ConfigError{File: cfg.FileOf(seen[0]), Field: "profiles." + seen[0] + ".inherits",
				Err: fmt.Errorf("inheritance loop: %s → %s", strings.Join(seen, " → "), name)}
		}
	}
	if cfg != nil {
		if p, ok := cfg.Profiles[name]; ok {
			file := cfg.FileOf(name)
			if p.Inherits != "" {
				if err := r.resolve(res, p.Inherits, h, append(seen, name)); err != nil {
					return err
				}
			}
			if p.Carrier != "" {
				l, err := r.carrier(res, p.Carrier, h)
				if errors.Is(err, carriers.ErrUnknown) {
					err = r.unknown(p.Carrier)
				}
				if err != nil {
					return &ConfigError{File: file, Field: "profiles." + name + ".carrier", Err: err}
				}
				res.layers = append(res.layers, l)
			}
			res.layers = append(res.layers, layer{p: p, source: file})
			return nil
		}
	}
	l, err := r.carrier(res, name, h)
	if errors.Is(err, carriers.ErrUnknown) {
		err = r.unknown(name)
	}
	if err != nil {
		if len(seen) > 0 {
			last := seen[len(seen)-1]
			return &ConfigError{File: cfg.FileOf(last), Field: "profiles." + last + ".inherits", Err: err}
		}
		return err
	}
	res.layers = append(res.layers, l)
	return nil
}

// carrier resolves a carrier name to a layer, noting a shared name.
func (r Resolver) carrier(res *resolution, name string, h carriers.Hint) (layer, error) {
	c, err := r.DB.Resolve(name, h)
	if errors.Is(err, carriers.ErrAmbiguous) && res.deferAmbiguous && h.MCCMNC == "" {
		res.deferred = true
		res.shared[name] = "?"
		return layer{source: "carrier " + name + " (chosen by the SIM's network)"}, nil
	}
	if err != nil {
		return layer{}, err
	}
	if r.shared(name) {
		res.shared[name] = c.Name
	}
	p := Profile{
		Name:     c.Name,
		APN:      c.APN,
		PDPType:  c.PDPType,
		Number:   c.Number,
		Username: c.Username,
		Password: Secret(c.Password),
	}
	return layer{p: p, source: fmt.Sprintf("carrier %s (%s)", c.Name, c.Source)}, nil
}

// shared reports whether several carriers answer to name.
func (r Resolver) shared(name string) bool {
	n := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(name)), " ", "-")
	count := 0
	for _, c := range r.DB.Search(carriers.Query{Text: n}) {
		if c.Name == n {
			return false // a full name is one carrier
		}
		for _, a := range c.Aliases {
			if a == n {
				count++
				break
			}
		}
	}
	return count > 1
}

func (r Resolver) unknown(name string) error {
	ue := &UnknownProfileError{Name: name}
	if r.Config != nil {
		for n := range r.Config.Profiles {
			ue.Profiles = append(ue.Profiles, n)
		}
		sort.Strings(ue.Profiles)
	}
	if strings.TrimSpace(name) != "" {
		for _, c := range r.DB.Search(carriers.Query{Text: name}) {
			if len(ue.Matches) == maxMatches {
				ue.More++
				continue
			}
			ue.Matches = append(ue.Matches, c.Name)
		}
	}
	return ue
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
