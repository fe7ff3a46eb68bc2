package yamlstrict_test

import (
	"errors"
	"fmt"
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
		{"type", "inner: {speed: fast}\n", "1:16: inner.speed: cannot unmarshal !!str into int: expected an integer (int), found a string"},
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
	if want := "3:5: steps[1].sned: unknown field (known: send); did you mean send?"; err == nil || err.Error() != want {
		t.Errorf("err = %v, want %s", err, want)
	}
}

func TestDuplicateKeysAreErrorsEverywhere(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"struct", "name: a\nname: b\n", "2:1: name: duplicate key: also at line 1:1"},
		{"map", "by_name:\n  a: {speed: 1}\n  a: {speed: 2}\n", "3:3: by_name.a: duplicate key: also at line 2:3"},
		{"nested struct", "inner: {speed: 1, speed: 2}\n", "1:19: inner.speed: duplicate key: also at line 1:9"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var v outer
			err := yamlstrict.Read(strings.NewReader(tc.src), &v)
			if !errors.Is(err, yamlstrict.ErrDuplicateKey) {
				t.Fatalf("err = %v, want ErrDuplicateKey", err)
			}
			if !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("err = %q\nwant prefix %q", err, tc.want)
			}
		})
	}
}

func TestSecondDocumentIsAnError(t *testing.T) {
	var v outer
	err := yamlstrict.Read(strings.NewReader("name: a\n---\nname: b\n"), &v)
	if !errors.Is(err, yamlstrict.ErrSecondDocument) {
		t.Fatalf("err = %v, want ErrSecondDocument", err)
	}
	if e, _ := errors.AsType[*yamlstrict.Error](err); e.Line != 3 {
		t.Errorf("err = %v, want it at line 3", err)
	}
	// A document end marker alone is no second document.
	if err := yamlstrict.Read(strings.NewReader("name: a\n...\n"), &v); err != nil {
		t.Errorf("document end marker: %v", err)
	}
}

func TestAllErrorsAreReported(t *testing.T) {
	var v outer
	err := yamlstrict.Read(strings.NewReader("nmae: x\ninner: {speed: fast}\nplain: true\nplian: false\n"), &v)
	got := yamlstrict.Errors(err)
	if len(got) != 3 {
		t.Fatalf("got %d errors, want 3: %v", len(got), err)
	}
	for i, want := range []string{"1:1: nmae: unknown field", "2:16: inner.speed:", "4:1: plian: unknown field"} {
		if !strings.HasPrefix(got[i].Error(), want) {
			t.Errorf("error %d = %q, want prefix %q", i, got[i], want)
		}
	}
	if !v.Plain {
		t.Error("decoding stopped at the first error")
	}
	// Capped: a file of a thousand bad keys gives MaxErrors.
	var b strings.Builder
	for i := range 1000 {
		fmt.Fprintf(&b, "bad%d: 1\n", i)
	}
	if n := len(yamlstrict.Errors(yamlstrict.Read(strings.NewReader(b.String()), &v))); n != yamlstrict.MaxErrors {
		t.Errorf("%d errors, want MaxErrors = %d", n, yamlstrict.MaxErrors)
	}
}

func TestDidYouMean(t *testing.T) {
	for _, tc := range []struct{ key, want string }{
		{"nmae", "did you mean name?"},  // transposition: two edits
		{"lisst", "did you mean list?"}, // one edit
		{"by_nam", "did you mean by_name?"},
		{"cust", "did you mean custom?"}, // a prefix, three edits away
		{"colour", ""},
	} {
		var v outer
		err := yamlstrict.Read(strings.NewReader(tc.key+": 1\n"), &v)
		if !errors.Is(err, yamlstrict.ErrUnknownField) {
			t.Fatalf("%s: err = %v", tc.key, err)
		}
		if got := strings.Contains(err.Error(), "did you mean"); got != (tc.want != "") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %q, want %q", tc.key, err, tc.want)
		}
	}
}

func TestTypeErrorQuotesNoContent(t *testing.T) {
	var v outer
	err := yamlstrict.Read(strings.NewReader("inner: {speed: root-secret-value}\n"), &v)
	if err == nil || strings.Contains(err.Error(), "root-secret-value") {
		t.Errorf("err = %v: want an error that does not echo the value", err)
	}
}

func TestAliasExpansionIsBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("l0: &l0 [x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 6; i++ {
		fmt.Fprintf(&b, "l%d: &l%d [", i, i)
		for j := range 16 {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "*l%d", i-1)
		}
		b.WriteString("]\n")
	}
	var v struct {
		L0 []string           `yaml:"l0"`
		L1 [][]string         `yaml:"l1"`
		L2 [][][]string       `yaml:"l2"`
		L3 [][][][]string     `yaml:"l3"`
		L4 [][][][][]string   `yaml:"l4"`
		L5 [][][][][][]string `yaml:"l5"` // 16^6 = 16 M strings
	}
	err := yamlstrict.Read(strings.NewReader(b.String()), &v)
	if !errors.Is(err, yamlstrict.ErrTooComplex) {
		t.Fatalf("err = %v, want ErrTooComplex", err)
	}
	if e, _ := errors.AsType[*yamlstrict.Error](err); e == nil || e.Line == 0 || !strings.HasPrefix(e.Path, "l") {
		t.Errorf("err = %v, want it placed", err)
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
