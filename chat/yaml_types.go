package chat

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// The YAML script format. Every mapping is decoded strictly: an unknown
// key is an error naming its line and column and the known keys.

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

// yamlError is a positioned error from inside the decoder; the parser adds
// the file name.
type yamlError struct {
	line, col int
	msg       string
}

func (e *yamlError) Error() string { return fmt.Sprintf("%d:%d: %s", e.line, e.col, e.msg) }

func nodeErr(n *yaml.Node, format string, args ...any) error {
	return &yamlError{n.Line, n.Column, fmt.Sprintf(format, args...)}
}

// decodeStrict decodes mapping n into v (a pointer to a struct without an
// UnmarshalYAML method), rejecting keys v has no field for.
func decodeStrict(n *yaml.Node, v any, what string) error {
	if n.Kind != yaml.MappingNode {
		return nodeErr(n, "%s must be a mapping", what)
	}
	known := yamlKeys(reflect.TypeOf(v).Elem())
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if !slices.Contains(known, k.Value) {
			return nodeErr(k, "unknown field %q in %s (known: %s)", k.Value, what, strings.Join(known, ", "))
		}
	}
	return n.Decode(v)
}

func yamlKeys(t reflect.Type) []string {
	var keys []string
	for i := 0; i < t.NumField(); i++ {
		if tag, ok := t.Field(i).Tag.Lookup("yaml"); ok {
			keys = append(keys, strings.Split(tag, ",")[0])
		}
	}
	return keys
}

func posOf(n *yaml.Node) Pos { return Pos{Line: n.Line, Col: n.Column} }

func (s *yamlScript) UnmarshalYAML(n *yaml.Node) error {
	type plain yamlScript
	return decodeStrict(n, (*plain)(s), "script")
}

func (s *yamlStep) UnmarshalYAML(n *yaml.Node) error {
	type plain yamlStep
	s.pos = posOf(n)
	return decodeStrict(n, (*plain)(s), "step")
}

func (a *yamlAlt) UnmarshalYAML(n *yaml.Node) error {
	type plain yamlAlt
	a.pos = posOf(n)
	if n.Kind == yaml.ScalarNode {
		a.Match = n.Value
		return nil
	}
	return decodeStrict(n, (*plain)(a), "expect alternative")
}

func (f *yamlFallback) UnmarshalYAML(n *yaml.Node) error {
	type plain yamlFallback
	f.pos = posOf(n)
	return decodeStrict(n, (*plain)(f), "fallback")
}

func (w *yamlWaitUntil) UnmarshalYAML(n *yaml.Node) error {
	type plain yamlWaitUntil
	w.pos = posOf(n)
	return decodeStrict(n, (*plain)(w), "wait_until")
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
		*as = nil
		for _, item := range n.Content {
			var a yamlAlt
			if err := a.UnmarshalYAML(item); err != nil {
				return err
			}
			*as = append(*as, a)
		}
		return nil
	}
	return nodeErr(n, "expect must be a string or a list")
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
				return nodeErr(item, "expected a string")
			}
			*ss = append(*ss, item.Value)
		}
		return nil
	}
	return nodeErr(n, "expected a string or a list of strings")
}

// yamlDuration is a Go duration ("3s", "1m30s") or a number of seconds.
type yamlDuration struct {
	d   time.Duration
	set bool
	pos Pos
}

func (d *yamlDuration) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return nodeErr(n, "expected a duration such as 3s or 1m30s")
	}
	d.pos, d.set = posOf(n), true
	if secs, err := strconv.ParseFloat(n.Value, 64); err == nil {
		d.d = time.Duration(secs * float64(time.Second))
	} else if d.d, err = time.ParseDuration(n.Value); err != nil {
		return nodeErr(n, "bad duration %q: use a number of seconds or a duration such as 3s or 1m30s", n.Value)
	}
	if d.d < 0 {
		return nodeErr(n, "negative duration %q", n.Value)
	}
	return nil
}
