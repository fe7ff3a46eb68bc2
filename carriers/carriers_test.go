package carriers

import (
	"errors"
	"strings"
	"testing"
)

func TestBuiltinThree(t *testing.T) {
	c, err := Builtin().Lookup("Three")
	if err != nil {
		t.Fatal(err)
	}
	if c.APN != "three.co.uk" || c.Number != "" || c.Username != "" {
		t.Errorf("three = %+v, want APN three.co.uk, no number (the cid's default), no username", c)
	}
}

func TestUnknownListsKnown(t *testing.T) {
	_, err := Builtin().Lookup("thre")
	var ue *UnknownError
	if !errors.As(err, &ue) || !errors.Is(err, ErrUnknown) {
		t.Fatalf("err = %v, want *UnknownError", err)
	}
	if !strings.Contains(err.Error(), "three") || len(ue.Known) < 2 {
		t.Errorf("error %q should list the known carriers", err)
	}
}

func TestByMCCMNC(t *testing.T) {
	got := Builtin().ByMCCMNC("23410")
	var names []string
	for _, c := range got {
		names = append(names, c.Name)
	}
	if strings.Join(names, ",") != "giffgaff,o2-uk" {
		t.Errorf("ByMCCMNC(23410) = %v", names)
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"x:\n  apn: a\n  colour: red\n", "3:3: x.colour: unknown field (known: apn,"},
		{"x:\n  display: X\n", "no apn"},
	} {
		_, err := Parse(strings.NewReader(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Parse(%q) err = %v, want mention of %q", tc.in, err, tc.want)
		}
	}
}
