package yamlstrict_test

import (
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/zdial/zdial/internal/yamlstrict"
	"gopkg.in/yaml.v3"
)

type inner struct {
	Speed int           `yaml:"speed"`
	Wait  time.Duration `yaml:"wait"`
}

type outer struct {
	Name   string           `yaml:"name"`
	Inner  inner            `yaml:"inner"`
	Ptr    *inner           `yaml:"ptr"`
	List   []inner          `yaml:"list"`
	ByName map[string]inner `yaml:"by_name"`
	Custom upper            `yaml:"custom"`
	Hidden string           `yaml:"-"`
	Plain  bool
}

// upper decodes itself: a string, upper-cased, or an error at its node.
type upper string

func (u *upper) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return yamlstrict.Errorf(n, "want a string")
	}
	*u = upper(strings.ToUpper(n.Value))
	return nil
}

func TestReadDecodes(t *testing.T) {
	const src = `
name: x
inner: {speed: 9600, wait: 3s}
ptr: {speed: 1}
list: [{speed: 2}, {speed: 3}]
by_name: {a: {speed: 4}}
custom: abc
plain: true
`
	var got outer
	if err := yamlstrict.Read(strings.NewReader(src), &got); err != nil {
		t.Fatal(err)
	}
	want := outer{Name: "x", Inner: inner{9600, 3 * time.Second}, Ptr: &inner{Speed: 1},
		List: []inner{{Speed: 2}, {Speed: 3}}, ByName: map[string]inner{"a": {Speed: 4}}, Custom: "ABC", Plain: true}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestReadErrorsNamePlaceAndPath(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"top", "nmae: x\n", "1:1: nmae: unknown field (known: by_name, custom, inner, list, name, plain, ptr)"},
		{"nested", "inner:\n  sped: 1\n", "2:3: inner.sped: unknown field (known: speed, wait)"},
		{"pointer", "ptr: {sped: 1}\n", "1:7: ptr.sped: unknown field"},
		{"list", "list:\n  - speed: 1\n  - sped: 2\n", "3:5: list[1].sped: unknown field"},
		{"map", "by_name:\n  a: {sped: 1}\n", "2:7: by_name.a.sped: unknown field"},
		{"hidden", "hidden: x\n", "1:1: hidden: unknown field"},
		{"type", "inner: {speed: fast}\n", "1:16: inner.speed: cannot unmarshal !!str `fast` into int"},
		{"duration", "inner: {wait: soon}\n", "1:15: inner.wait: cannot unmarshal"},
		{"not a mapping", "inner: [1]\n", "1:8: inner: expected a mapping"},
		{"map not a mapping", "by_name: [1]\n", "1:10: by_name: expected a mapping"},
		{"custom", "custom: [x]\n", "1:9: custom: want a string"},
		{"syntax", "name: [x\n", "1: did not find"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var v outer
			err := yamlstrict.Read(strings.NewReader(tc.src), &v)
			if _, ok := errors.AsType[*yamlstrict.Error](err); !ok {
				t.Fatalf("err = %v, want an *Error", err)
			}
			if !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("err = %q\nwant prefix %q", err, tc.want)
			}
		})
	}
}

func TestReadUnknownFieldIs(t *testing.T) {
	var v outer
	if err := yamlstrict.Read(strings.NewReader("nmae: x\n"), &v); !errors.Is(err, yamlstrict.ErrUnknownField) {
		t.Errorf("err = %v, want ErrUnknownField", err)
	}
	if err := yamlstrict.Read(strings.NewReader(""), &v); !errors.Is(err, io.EOF) {
		t.Errorf("empty document: err = %v, want io.EOF", err)
	}
}

// A type that decodes itself with Decode gets the outer path in front of
// its own errors.
type step struct {
	Send string `yaml:"send"`
}

func (s *step) UnmarshalYAML(n *yaml.Node) error {
	type plain step
	return yamlstrict.Decode(n, (*plain)(s))
}

func TestNestedDecodeKeepsPath(t *testing.T) {
	var v struct {
		Steps []step `yaml:"steps"`
	}
	err := yamlstrict.Read(strings.NewReader("steps:\n  - send: AT\n  - sned: AT\n"), &v)
	if want := "3:5: steps[1].sned: unknown field (known: send)"; err == nil || err.Error() != want {
		t.Errorf("err = %v, want %s", err, want)
	}
}

type hexByte byte

func (h *hexByte) UnmarshalText(b []byte) error {
	v, err := strconv.ParseUint(string(b), 16, 8)
	*h = hexByte(v)
	return err
}

// A type with UnmarshalText decodes itself from a scalar, inside the
// strict walk (switch's USB IDs are such a type).
func TestTextUnmarshaler(t *testing.T) {
	var v struct {
		IDs []hexByte `yaml:"ids"`
	}
	if err := yamlstrict.Read(strings.NewReader("ids: [ff, 0a]\n"), &v); err != nil || len(v.IDs) != 2 || v.IDs[0] != 0xff {
		t.Fatalf("Read = %v, %v", v, err)
	}
	err := yamlstrict.Read(strings.NewReader("ids: [zz]\n"), &v)
	var ye *yamlstrict.Error
	if !errors.As(err, &ye) || ye.Path != "ids[0]" || ye.Line != 1 {
		t.Fatalf("bad value: %v, want an *Error at ids[0] on line 1", err)
	}
}
