package wvdialconf

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// EmitYAML writes the profiles as a zdial config file: a comment block
// with the notes and what was not mapped, then `profiles:` in the order of
// r.Profiles, each profile's fields in zdial's order. The document is
// built as a yaml.Node and encoded by yaml.v3, so every value is quoted as
// YAML needs ("*99#", "1234"). It holds the PIN and password in plain
// text: the caller writes it with mode 0600.
func (r *Result) EmitYAML(w io.Writer) error {
	profiles := &yaml.Node{Kind: yaml.MappingNode}
	for _, p := range r.Profiles {
		k := str(p.Name)
		k.HeadComment = fmt.Sprintf("from [%s], line %d", show(p.Section), p.Line)
		profiles.Content = append(profiles.Content, k, p.node())
	}
	root := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{str("profiles"), profiles}}
	root.Content[0].HeadComment = r.header()
	doc := &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root}}
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("wvdialconf: writing YAML: %w", err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("wvdialconf: writing YAML: %w", err)
	}
	return nil
}

// header is the comment block at the top of the file.
func (r *Result) header() string {
	var b strings.Builder
	fmt.Fprintf(&b, "zdial profiles converted from %s by `zdial import-wvdial`.\n", show(r.Source))
	var names []string
	for _, p := range r.Profiles {
		names = append(names, p.Name)
	}
	fmt.Fprintf(&b, "Dial one with: zdial --config THIS-FILE PROFILE (profiles: %s)\n", strings.Join(names, ", "))
	if r.HasSecrets() {
		b.WriteString("This file holds a SIM PIN or password: keep it private (chmod 600).\n")
	}
	if len(r.Notes) > 0 {
		b.WriteString("\nNotes:\n")
		for _, n := range r.Notes {
			b.WriteString("  " + n.String() + "\n")
		}
	}
	if len(r.Unmapped) > 0 {
		b.WriteString("\nNot mapped:\n")
		for _, n := range r.Unmapped {
			b.WriteString("  " + n.String() + "\n")
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

// node is the profile's mapping, in the order of zdial's profile fields.
func (p Profile) node() *yaml.Node {
	m := &yaml.Node{Kind: yaml.MappingNode}
	add := func(k string, v *yaml.Node) { m.Content = append(m.Content, str(k), v) }
	addStr := func(k, v string) {
		if v != "" {
			add(k, str(v))
		}
	}
	addStr("port", p.Port)
	addStr("apn", p.APN)
	addStr("pdp_type", p.PDPType)
	if p.CID != 0 {
		add("cid", integer(p.CID))
	}
	addStr("number", p.Number)
	addStr("pin", p.PIN.Reveal())
	addStr("username", p.Username)
	addStr("password", p.Password.Reveal())
	if p.Init != nil {
		seq := &yaml.Node{Kind: yaml.SequenceNode}
		for _, s := range p.Init {
			seq.Content = append(seq.Content, str(s))
		}
		add("init", seq)
	}
	if pppd := p.PPPD.node(); len(pppd.Content) > 0 {
		add("pppd", pppd)
	}
	if p.DialTimeout > 0 {
		add("timeouts", &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{str("dial"), str(p.DialTimeout.String())}})
	}
	return m
}

func (p PPPD) node() *yaml.Node {
	m := &yaml.Node{Kind: yaml.MappingNode}
	if p.Path != "" {
		m.Content = append(m.Content, str("path"), str(p.Path))
	}
	add := func(k string, v *yaml.Node) { m.Content = append(m.Content, str(k), v) }
	if p.DefaultRoute != nil {
		add("defaultroute", boolean(*p.DefaultRoute))
	}
	if p.ReplaceDefaultRoute {
		add("replacedefaultroute", boolean(true))
	}
	if p.UsePeerDNS != nil {
		add("usepeerdns", boolean(*p.UsePeerDNS))
	}
	if p.NoVJ {
		add("novj", boolean(true))
	}
	if p.LCPEchoInterval != 0 {
		add("lcp_echo_interval", integer(p.LCPEchoInterval))
	}
	if p.LCPEchoFailure != 0 {
		add("lcp_echo_failure", integer(p.LCPEchoFailure))
	}
	if p.IfName != "" {
		add("ifname", str(p.IfName))
	}
	if p.Options != nil {
		seq := &yaml.Node{Kind: yaml.SequenceNode}
		for _, o := range p.Options {
			seq.Content = append(seq.Content, str(o))
		}
		m.Content = append(m.Content, str("options"), seq)
	}
	return m
}

// str is a string scalar; yaml.v3 quotes it where plain style would read
// as something else (a number, a bool, an alias, a comment).
func str(s string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
}

func integer(n int) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(n)}
}

func boolean(b bool) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(b)}
}
