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
// carrier, and lists those that are.
type UnknownProfileError struct {
	Name     string
	Profiles []string // from the config files
	Carriers []string // built-in carrier names
}

func (e *UnknownProfileError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "unknown profile %q", e.Name)
	if len(e.Profiles) > 0 {
		fmt.Fprintf(&b, "; profiles in your config: %s", strings.Join(e.Profiles, ", "))
	}
	fmt.Fprintf(&b, "; carriers zdial knows: %s", strings.Join(e.Carriers, ", "))
	return b.String()
}

// Is makes errors.Is(err, ErrUnknownProfile) true.
func (e *UnknownProfileError) Is(target error) bool { return target == ErrUnknownProfile }

// Resolve finds a profile by name in cfg (which may be nil), following
// inherits through other profiles and the carrier database. It fills in no
// dial defaults: a field nobody set stays empty, so that the dial sequence
// (internal/dialseq, their one home) can tell "unset" from "set" — an
// explicit number wins, a missing one follows the cid.
func Resolve(cfg *Config, db *carriers.Database, name string) (Profile, error) {
	p, err := resolve(cfg, db, name, nil)
	if err != nil {
		return Profile{}, err
	}
	p.Name = name
	return p, nil
}

func resolve(cfg *Config, db *carriers.Database, name string, seen []string) (Profile, error) {
	for _, s := range seen {
		if s == name {
			return Profile{}, &ConfigError{File: cfg.files[seen[0]], Field: "profiles." + seen[0] + ".inherits",
				Err: fmt.Errorf("inheritance loop: %s → %s", strings.Join(seen, " → "), name)}
		}
	}
	if cfg != nil {
		if p, ok := cfg.Profiles[name]; ok {
			if p.Inherits == "" {
				return p, nil
			}
			base, err := resolve(cfg, db, p.Inherits, append(seen, name))
			if err != nil {
				return Profile{}, err
			}
			return p.merge(base), nil
		}
	}
	c, err := db.Lookup(name)
	if err != nil {
		ue := &UnknownProfileError{Name: name, Carriers: db.Names()}
		if cfg != nil {
			for n := range cfg.Profiles {
				ue.Profiles = append(ue.Profiles, n)
			}
			sort.Strings(ue.Profiles)
		}
		if len(seen) > 0 {
			return Profile{}, &ConfigError{File: cfg.files[seen[len(seen)-1]], Field: "profiles." + seen[len(seen)-1] + ".inherits", Err: ue}
		}
		return Profile{}, ue
	}
	return Profile{
		Name:     c.Name,
		APN:      c.APN,
		PDPType:  c.PDPType,
		Number:   c.Number,
		Username: c.Username,
		Password: Secret(c.Password),
	}, nil
}
