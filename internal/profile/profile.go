package profile

import (
	"errors"
	"fmt"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/zdial/zdial/internal/yamlstrict"
)

// Profile is everything zdial needs to bring one connection up. Profiles
// come from the user's config file, or from the carrier database for a
// carrier name, and may inherit from either.
type Profile struct {
	Name     string `yaml:"-"`
	Inherits string `yaml:"inherits"`
	// Carrier names a carrier in the database (three-uk, vodafone) whose
	// APN, number and public credentials the profile starts from; any
	// field the profile sets wins over it, and it wins over Inherits.
	Carrier string `yaml:"carrier"`
	// Country (ISO 3166 alpha-2) narrows a carrier name several countries
	// share (vodafone, three) when the SIM does not; it overrides the
	// config's top-level country for this profile and those it inherits.
	Country string `yaml:"country"`
	Port    string `yaml:"port"`
	APN     string `yaml:"apn"`
	PDPType string `yaml:"pdp_type"` // IP, IPV6 or IPV4V6
	CID     int    `yaml:"cid"`
	Number  string `yaml:"number"`
	PIN     Secret `yaml:"pin"`
	// TrustUnknownPINAttempts lets the PIN be sent to a modem that will not
	// say how many attempts are left (off: that attempt might be the last).
	TrustUnknownPINAttempts bool     `yaml:"trust_unknown_pin_attempts"`
	Username                string   `yaml:"username"`
	Password                Secret   `yaml:"password"`
	Init                    []string `yaml:"init"`
	// Script names a chat script (YAML or chat(8) syntax) that replaces the
	// default dial script.
	Script   string   `yaml:"script"`
	PPPD     PPPD     `yaml:"pppd"`
	Timeouts Timeouts `yaml:"timeouts"`
}

// PPPD holds the pppd options a profile may set.
type PPPD struct {
	Path                string   `yaml:"path"`
	Speed               int      `yaml:"speed"`
	DefaultRoute        *bool    `yaml:"defaultroute"`
	ReplaceDefaultRoute bool     `yaml:"replacedefaultroute"`
	UsePeerDNS          *bool    `yaml:"usepeerdns"`
	NoVJ                bool     `yaml:"novj"`
	LCPEchoInterval     int      `yaml:"lcp_echo_interval"`
	LCPEchoFailure      int      `yaml:"lcp_echo_failure"`
	IfName              string   `yaml:"ifname"`
	IPParam             string   `yaml:"ipparam"`
	LinkName            string   `yaml:"linkname"`
	Options             []string `yaml:"options"`
}

// ErrNegative is matched by the error for a negative timeout, cid, speed
// or LCP setting.
var ErrNegative = errors.New("negative value")

// Timeouts bound each stage of a dial.
type Timeouts struct {
	Wake     time.Duration `yaml:"wake"`
	Register time.Duration `yaml:"register"`
	Dial     time.Duration `yaml:"dial"`
	Switch   time.Duration `yaml:"switch"`
}

// UnmarshalYAML decodes a profile strictly (internal/yamlstrict) and
// refuses a negative cid at its place, which would otherwise be taken as
// "unset".
func (p *Profile) UnmarshalYAML(n *yaml.Node) error {
	type plain Profile
	if err := yamlstrict.Decode(n, (*plain)(p)); err != nil {
		return err
	}
	return nonNegative(n, "cid")
}

// UnmarshalYAML refuses a negative timeout at its place: zero and unset
// mean the dial sequence's default, a negative one is a mistake.
func (t *Timeouts) UnmarshalYAML(n *yaml.Node) error {
	type plain Timeouts
	if err := yamlstrict.Decode(n, (*plain)(t)); err != nil {
		return err
	}
	return nonNegative(n, "wake", "register", "dial", "switch")
}

// UnmarshalYAML refuses negative numbers at their place.
func (c *PPPD) UnmarshalYAML(n *yaml.Node) error {
	type plain PPPD
	if err := yamlstrict.Decode(n, (*plain)(c)); err != nil {
		return err
	}
	return nonNegative(n, "speed", "lcp_echo_interval", "lcp_echo_failure")
}

// nonNegative returns an error at the first value of keys in mapping n
// that is negative (a number or a duration starting with '-').
func nonNegative(n *yaml.Node, keys ...string) error {
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		for _, want := range keys {
			if k.Value == want && v.Kind == yaml.ScalarNode && len(v.Value) > 0 && v.Value[0] == '-' {
				return &yamlstrict.Error{Line: v.Line, Col: v.Column, Path: k.Value,
					Err: fmt.Errorf("%w: want 0 or more (leave it out for the default)", ErrNegative)}
			}
		}
	}
	return nil
}

// merge returns p with every unset field taken from base: the child wins.
func (p Profile) merge(base Profile) Profile {
	out := base
	out.Name = p.Name
	out.Inherits = p.Inherits
	set(&out.Carrier, p.Carrier)
	set(&out.Country, p.Country)
	set(&out.Port, p.Port)
	set(&out.APN, p.APN)
	set(&out.PDPType, p.PDPType)
	set(&out.Number, p.Number)
	set(&out.Username, p.Username)
	set(&out.Script, p.Script)
	set(&out.PIN, p.PIN)
	set(&out.Password, p.Password)
	out.TrustUnknownPINAttempts = out.TrustUnknownPINAttempts || p.TrustUnknownPINAttempts
	if p.CID != 0 {
		out.CID = p.CID
	}
	if p.Init != nil {
		out.Init = p.Init
	}
	out.PPPD = p.PPPD.merge(base.PPPD)
	out.Timeouts = p.Timeouts.merge(base.Timeouts)
	return out
}

func (p PPPD) merge(base PPPD) PPPD {
	out := base
	set(&out.Path, p.Path)
	set(&out.IfName, p.IfName)
	set(&out.IPParam, p.IPParam)
	set(&out.LinkName, p.LinkName)
	if p.Speed != 0 {
		out.Speed = p.Speed
	}
	if p.DefaultRoute != nil {
		out.DefaultRoute = p.DefaultRoute
	}
	if p.UsePeerDNS != nil {
		out.UsePeerDNS = p.UsePeerDNS
	}
	out.ReplaceDefaultRoute = out.ReplaceDefaultRoute || p.ReplaceDefaultRoute
	out.NoVJ = out.NoVJ || p.NoVJ
	if p.LCPEchoInterval != 0 {
		out.LCPEchoInterval = p.LCPEchoInterval
	}
	if p.LCPEchoFailure != 0 {
		out.LCPEchoFailure = p.LCPEchoFailure
	}
	if p.Options != nil {
		out.Options = p.Options
	}
	return out
}

func (t Timeouts) merge(base Timeouts) Timeouts {
	out := base
	for _, f := range []struct {
		dst *time.Duration
		v   time.Duration
	}{
		{&out.Wake, t.Wake}, {&out.Register, t.Register}, {&out.Dial, t.Dial}, {&out.Switch, t.Switch},
	} {
		if f.v != 0 {
			*f.dst = f.v
		}
	}
	return out
}

func set[T comparable](dst *T, v T) {
	var zero T
	if v != zero {
		*dst = v
	}
}
