package chat

import (
	"strconv"
	"time"

	"github.com/zdial/zdial/internal/yamlstrict"
	"gopkg.in/yaml.v3"
)

// The YAML script format. Every mapping is decoded strictly
// (internal/yamlstrict): an unknown key is an error naming its line,
// column and path, and the known keys.

type yamlScript struct {
	Name     string       `yaml:"name"`
	Timeout  yamlDuration `yaml:"timeout"`
	SevenBit bool         `yaml:"seven_bit"`
	Abort    yamlStrings  `yaml:"abort"`
	Report   yamlStrings  `yaml:"report"`
	Steps    []yamlStep   `yaml:"steps"`
}

type yamlStep struct {
	pos        Pos
	Send       *string        `yaml:"send"`
	Secret     bool           `yaml:"secret"`
	CR         *bool          `yaml:"cr"`
	Expect     yamlAlts       `yaml:"expect"`
	Timeout    yamlDuration   `yaml:"timeout"`
	Retries    int            `yaml:"retries"`
	Fallback   []yamlFallback `yaml:"fallback"`
	WaitUntil  *yamlWaitUntil `yaml:"wait_until"`
	Abort      yamlStrings    `yaml:"abort"`
	ClearAbort yamlStrings    `yaml:"clear_abort"`
	Report     yamlStrings    `yaml:"report"`
	ClearRep   yamlStrings    `yaml:"clear_report"`
	SetTimeout *yamlDuration  `yaml:"set_timeout"`
	Say        *string        `yaml:"say"`
	Echo       *bool          `yaml:"echo"`
	Hangup     *bool          `yaml:"hangup"`
	Sleep      *yamlDuration  `yaml:"sleep"`
}

type yamlAlt struct {
	pos    Pos
	Match  string  `yaml:"match"`
	Regexp string  `yaml:"regexp"`
	Then   *string `yaml:"then"`
	Secret bool    `yaml:"secret"`
	Fail   string  `yaml:"fail"`
}

type yamlFallback struct {
	pos    Pos
	Send   *string  `yaml:"send"`
	Secret bool     `yaml:"secret"`
	Expect yamlAlts `yaml:"expect"`
}

type yamlWaitUntil struct {
	pos     Pos
	Send    string       `yaml:"send"`
	Secret  bool         `yaml:"secret"`
	Match   string       `yaml:"match"`
	Fail    string       `yaml:"fail"`
	Every   yamlDuration `yaml:"every"`
	Timeout yamlDuration `yaml:"timeout"`
}

func posOf(n *yaml.Node) Pos { return Pos{Line: n.Line, Col: n.Column} }

func (s *yamlStep) UnmarshalYAML(n *yaml.Node) error {
	type plain yamlStep
	s.pos = posOf(n)
	return yamlstrict.Decode(n, (*plain)(s))
}

func (a *yamlAlt) UnmarshalYAML(n *yaml.Node) error {
	type plain yamlAlt
	a.pos = posOf(n)
	if n.Kind == yaml.ScalarNode {
		a.Match = n.Value
		return nil
	}
	return yamlstrict.Decode(n, (*plain)(a))
}

func (f *yamlFallback) UnmarshalYAML(n *yaml.Node) error {
	type plain yamlFallback
	f.pos = posOf(n)
	return yamlstrict.Decode(n, (*plain)(f))
}

func (w *yamlWaitUntil) UnmarshalYAML(n *yaml.Node) error {
	type plain yamlWaitUntil
	w.pos = posOf(n)
	return yamlstrict.Decode(n, (*plain)(w))
}

// yamlAlts is `expect: OK`, `expect: [OK, ERROR]`, or a list whose items
// are strings or alternative mappings.
type yamlAlts []yamlAlt

func (as *yamlAlts) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode, yaml.MappingNode:
		var a yamlAlt
		if err := a.UnmarshalYAML(n); err != nil {
			return err
		}
		*as = yamlAlts{a}
		return nil
	case yaml.SequenceNode:
		return yamlstrict.Decode(n, (*[]yamlAlt)(as))
	}
	return yamlstrict.Errorf(n, "expect must be a string or a list")
}

// yamlStrings is one string or a list of strings.
type yamlStrings []string

func (ss *yamlStrings) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		*ss = yamlStrings{n.Value}
		return nil
	case yaml.SequenceNode:
		*ss = nil
		for _, item := range n.Content {
			if item.Kind != yaml.ScalarNode {
				return yamlstrict.Errorf(item, "expected a string")
			}
			*ss = append(*ss, item.Value)
		}
		return nil
	}
	return yamlstrict.Errorf(n, "expected a string or a list of strings")
}

// yamlDuration is a Go duration ("3s", "1m30s") or a number of seconds.
type yamlDuration struct {
	d   time.Duration
	set bool
	pos Pos
}

func (d *yamlDuration) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return yamlstrict.Errorf(n, "expected a duration such as 3s or 1m30s")
	}
	d.pos, d.set = posOf(n), true
	if secs, err := strconv.ParseFloat(n.Value, 64); err == nil {
		d.d = time.Duration(secs * float64(time.Second))
	} else if d.d, err = time.ParseDuration(n.Value); err != nil {
		return yamlstrict.Errorf(n, "bad duration %q: use a number of seconds or a duration such as 3s or 1m30s", n.Value)
	}
	if d.d < 0 {
		return yamlstrict.Errorf(n, "negative duration %q", n.Value)
	}
	return nil
}
